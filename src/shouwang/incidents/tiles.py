"""Home-page tiles of incidents: open incidents with their running clocks and the last 30 days
by level for the desk; a grid worker's own reports and tasks."""

from datetime import timedelta

from django.db.models import Count
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from shouwang.core.choices import Role
from shouwang.core.home import Tile, chart
from shouwang.core.models import Person

from . import queries
from .choices import IncidentLevel, Status
from .models import Incident, Task
from .querysets import real_q

CSS = ("incidents/incidents.css",)
OPEN_SHOWN = 6


def open_incidents(home):
    if not home.oversees:
        return None
    incidents = queries.board_rows(home.user, home.now)
    since = home.now - timedelta(days=30)
    by_level = dict(Incident.objects.restrict(home.user, "view").real().exclude(status=Status.DRAFT)
                    .filter(received_at__gte=since).order_by().values_list("level")
                    .annotate(n=Count("pk")).values_list("level", "n"))
    levels = list(IncidentLevel)
    graph = chart("bar", [level.label for level in levels],
                  [{"name": _("incidents"), "data": [by_level.get(level.value, 0) for level in levels],
                    "states": [f"level-{level.value}" for level in levels]}],
                  summary=_("Incidents of the last 30 days by level"))
    return Tile(_("Open incidents"), "incidents/tiles/open.html", order=5, wide=True, url=reverse("incidents:board"),
                css=CSS, context={"incidents": incidents[:OPEN_SHOWN], "more": max(0, len(incidents) - OPEN_SHOWN),
                                  "total": len(incidents), "chart": graph, "last_30": sum(by_level.values())})


def my_reports(home):
    """A grid worker's incidents reported in the last 14 days and his open tasks."""
    if not home.has(Role.GRID_WORKER) or home.at_desk:
        return None
    since = home.now - timedelta(days=14)
    reported = list(Incident.objects.restrict(home.user, "view").real().filter(created_by=home.user,
                                                                                 received_at__gte=since)
                    .order_by("-received_at")[:6])
    person = Person.objects.filter(user=home.user).values_list("pk", flat=True).first()
    tasks = list(Task.objects.filter(real_q("incident__"), person_id=person, done_at__isnull=True)
                 .select_related("incident")
                 .order_by("due_at")[:6]) if person else []
    return Tile(_("My reports and tasks"), "incidents/tiles/mine.html", order=8, css=CSS,
                url=reverse("incidents:phone_intake"), context={"reported": reported, "tasks": tasks})
