"""The map (Leaflet, no tiles) and the GeoJSON download (the FeatureCollection of `..geojson`)."""

import json

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from shouwang.core.geo import node_features
from shouwang.core.models import Jurisdiction

from ..filtersets import KeyPlaceFilterSet
from ..geojson import feature_collection
from ..models import KeyPlace
from ..queries import annotate_colours


def _places(request):
    base = KeyPlace.objects.restrict(request.user, "view").select_related("jurisdiction")
    filterset = KeyPlaceFilterSet(request.GET or None, queryset=base, request=request)
    qs = filterset.qs if filterset.is_bound and filterset.is_valid() else base
    return filterset, annotate_colours(qs, timezone.localdate())


@login_required
def geojson(request):
    _filterset, places = _places(request)
    body = json.dumps(feature_collection(places), ensure_ascii=False)
    response = HttpResponse(body, content_type="application/geo+json; charset=utf-8")
    if request.GET.get("download"):
        response["Content-Disposition"] = 'attachment; filename="key-places.geojson"'
    return response


def node_boundaries(user):
    """Node outlines where drawn; a node without one shows as its centre point."""
    return node_features(Jurisdiction.objects.restrict(user, "view"))


@login_required
def map_view(request):
    filterset, places = _places(request)
    return render(request, "registers/map.html", {
        "filter": filterset,
        "places_json": feature_collection(places),
        "boundaries_json": node_boundaries(request.user),
    })
