"""The map (Leaflet, no tiles) and the GeoJSON export (RFC 7946: WGS84, lon/lat, right-hand rule)."""

import json

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from shouwang.core.geo import oriented, validate_polygon
from shouwang.core.models import Jurisdiction

from ..choices import PlaceKind, RiskColour
from ..filtersets import KeyPlaceFilterSet
from ..models import KeyPlace
from ..queries import annotate_colours


def _round(x):
    return round(float(x), 7)


def place_feature(place):
    geometry = None
    if place.polygon:
        try:
            validate_polygon(place.polygon)
            poly = oriented(place.polygon)
            geometry = {"type": "Polygon", "coordinates": [[[_round(p[0]), _round(p[1])] for p in ring]
                                                           for ring in poly["coordinates"]]}
        except Exception:
            geometry = None
    if geometry is None and place.lat is not None and place.lon is not None:
        geometry = {"type": "Point", "coordinates": [_round(place.lon), _round(place.lat)]}
    return {
        "type": "Feature",
        "id": place.pk,
        "geometry": geometry,
        "properties": {
            "name": place.name, "kind": place.kind, "kind_label": str(PlaceKind(place.kind).label),
            "category": place.category, "category_label": place.get_category_display(),
            "node": place.jurisdiction.code, "node_name": place.jurisdiction.name,
            "colour": getattr(place, "colour", None),
            "colour_label": str(RiskColour(place.colour).label) if getattr(place, "colour", None) else None,
            "url": place.get_absolute_url(),
        },
    }


def feature_collection(places):
    features = [f for f in (place_feature(p) for p in places) if f["geometry"] is not None]
    return {"type": "FeatureCollection", "features": features}


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
    """Node boundaries where drawn; a node without one shows as its centre point."""
    features = []
    for node in Jurisdiction.objects.restrict(user, "view"):
        geometry = None
        if node.boundary:
            try:
                validate_polygon(node.boundary)
                geometry = oriented(node.boundary)
            except Exception:
                geometry = None
        if geometry is None and node.lat is not None and node.lon is not None:
            geometry = {"type": "Point", "coordinates": [node.lon, node.lat]}
        if geometry is not None:
            features.append({"type": "Feature", "geometry": geometry,
                             "properties": {"name": node.name, "code": node.code, "level": node.level}})
    return {"type": "FeatureCollection", "features": features}


@login_required
def map_view(request):
    filterset, places = _places(request)
    return render(request, "registers/map.html", {
        "filter": filterset,
        "places_json": feature_collection(places),
        "boundaries_json": node_boundaries(request.user),
    })
