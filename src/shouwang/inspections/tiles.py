"""Home-page tiles of inspections: the desk's open hazards by severity; an inspector's
rectifications to verify; a unit liaison's orders with their deadlines."""

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from shouwang.core.choices import Role
from shouwang.core.home import Tile

from . import queries, services
from .choices import OPEN_STATES, OrderState
from .models import RectificationOrder


def open_hazards(home):
    if not home.oversees:
        return None
    qs = RectificationOrder.objects.restrict(home.user, "view")
    counts = queries.open_counts(qs, home.now)
    if not counts["total"]:
        return None
    return Tile(_("Open hazards"), "inspections/tiles/open.html", order=25,
                url=reverse("inspections:rectificationorder_list"), context={"counts": counts})


def to_verify(home):
    """Rectifications reported done that this inspector may verify (he neither fixed nor reported them)."""
    if not home.has(Role.INSPECTOR):
        return None
    reported = (RectificationOrder.objects.restrict(home.user, "view").filter(state=OrderState.REPORTED)
                .select_related("finding__place", "responsible_person", "jurisdiction").order_by("verify_by")[:50])
    rows = [o for o in reported if services.verifier_refusal(o, home.user) is None][:8]
    if not rows:
        return None
    return Tile(_("Rectifications to verify"), "inspections/tiles/orders.html", order=7,
                url=reverse("inspections:rectificationorder_list") + "?state=reported",
                context={"orders": rows, "due_field": "verify_by"})


def my_orders(home):
    """A unit's person: the open orders he answers for, nearest deadline first."""
    if home.at_desk:
        return None
    mine = (RectificationOrder.objects.filter(state__in=OPEN_STATES)
            .filter(Q(responsible_person__user=home.user)).select_related("finding__place", "jurisdiction")
            .order_by("deadline")[:8])
    rows = list(mine)
    if not rows:
        return None
    return Tile(_("My rectifications"), "inspections/tiles/orders.html", order=5,
                url=reverse("inspections:rectificationorder_list"), context={"orders": rows, "due_field": "deadline"})



