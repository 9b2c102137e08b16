"""Home-page tiles of plans: the desk's drills owed and missed, overdue plan reviews, certificates
expiring or expired and open corrective actions, with the drills running now; a player's injects
of a running drill and the corrective actions he owns."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from shouwang.core.home import Tile
from shouwang.core.models import Person

from . import queries
from .choices import ImprovementState
from .models import Improvement

CSS = ("plans/plans.css",)


def desk(home):
    if not home.oversees:
        return None
    figures = queries.desk_figures(home.user, home.now)
    owed = queries.drills_owed(home.user, home.now, limit=5)
    for ob in owed:
        ob.current_state = ob.state_at(home.now)
    live = list(queries.live_drills(home.user)[:3])
    if not any(figures.values()) and not owed and not live:
        return None
    return Tile(_("Plans, drills and training"), "plans/tiles/desk.html", order=30, url=reverse("plans:drill_list"),
                css=CSS, context={"figures": figures, "owed": owed, "live": live})


def player(home):
    """Injects of a running drill meant for me, and the corrective actions I own (the desk sees the
    drills running on its own tile)."""
    if home.at_desk:
        return None
    try:
        person = home.user.person  # cached on the user: the page's header names him too
    except Person.DoesNotExist:
        return None
    injects = list(queries.open_injects_for(person).order_by("-delivered_at")[:5])
    mine = list(Improvement.objects.filter(owner=person).exclude(state=ImprovementState.VERIFIED)
                .select_related("drill").order_by("deadline")[:5])
    if not injects and not mine:
        return None
    return Tile(_("My drills"), "plans/tiles/player.html", order=6, css=CSS,
                url=reverse("plans:phone"), context={"injects": injects, "improvements": mine})
