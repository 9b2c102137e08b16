"""The wall (挂账上墙): a node's key places by today's colour, with the change from yesterday."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone

from shouwang.core.scope import can
from shouwang.core.views.base import partial_or_page

from ..choices import COLOUR_ORDER, PlaceKind, RiskColour, colour_rank
from ..filtersets import KeyPlaceFilterSet
from ..forms import ColourForm
from ..models import KeyPlace
from ..queries import annotate_colours


def wall_columns(places):
    """[(colour, label, [place, ...])] from red to green, then the unrated."""
    columns = {c: [] for c in reversed(COLOUR_ORDER)}
    unrated = []
    for place in places:
        place.colour_before_label = RiskColour(place.colour_before).label if place.colour_before else ""
        if place.colour_before and place.colour:
            rank_now, rank_before = colour_rank(place.colour), colour_rank(place.colour_before)
            place.trend = "up" if rank_now > rank_before else "down" if rank_now < rank_before else "same"
        else:
            place.trend = "new" if place.colour else ""
        (columns[place.colour] if place.colour else unrated).append(place)
    result = [(c, RiskColour(c).label, columns[c]) for c in columns]
    return result, unrated


@login_required
def wall(request):
    today = timezone.localdate()
    base = KeyPlace.objects.restrict(request.user, "view").select_related("jurisdiction")
    filterset = KeyPlaceFilterSet(request.GET or None, queryset=base, request=request)
    places = annotate_colours(filterset.qs if filterset.is_bound and filterset.is_valid() else base, today)
    columns, unrated = wall_columns(list(places))
    counts_before = {c: 0 for c in COLOUR_ORDER}
    for place in places:
        if place.colour_before:
            counts_before[place.colour_before] += 1
    ctx = {
        "today": today, "filter": filterset, "columns": columns, "unrated": unrated,
        "counts_before": counts_before, "colour_form": ColourForm(), "kinds": PlaceKind.choices,
        "can_rate": can(request.user, "registers", "change"),
    }
    return render(request, partial_or_page(request, "registers/_wall.html", "registers/wall.html"), ctx)
