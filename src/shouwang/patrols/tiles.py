"""Home-page tiles of patrols: today's windows met / missed / running across the scope for the
desk; a patrol member's own teams' windows today and the way to the phone page."""

from collections import Counter

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from shouwang.core.choices import Role
from shouwang.core.home import Tile, chart
from shouwang.core.models import Person, Team

from .choices import WindowState
from .queries import today_by_team

ORDER = [WindowState.DONE, WindowState.LATE, WindowState.MISSED, WindowState.RUNNING, WindowState.UPCOMING,
         WindowState.WAIVED]
CHART_STATE = {"done": "met", "late": "late", "missed": "missed", "running": "open", "upcoming": "upcoming",
               "waived": "waived"}


def windows_today(home):
    if not home.oversees:
        return None
    teams = today_by_team(home.user, home.today, home.now)
    counts = Counter(row.state for _team, schedules in teams for _s, rows in schedules for row in rows)
    if not counts:
        return None
    states = [s for s in ORDER if counts[s]]
    graph = chart("pie", [s.label for s in states],
                  [{"name": _("windows"), "data": [counts[s] for s in states],
                    "states": [CHART_STATE[s.value] for s in states]}], summary=_("Patrol windows today"))
    return Tile(_("Patrol windows today"), "patrols/tiles/today.html", order=30, url=reverse("patrols:today"),
                context={"counts": [(s, counts[s]) for s in states], "chart": graph, "total": sum(counts.values())})


def my_windows(home):
    """A patrol member's windows today: his teams only, the next ones first."""
    if not home.has(Role.PATROL_MEMBER) or home.at_desk:
        return None
    person = Person.objects.filter(user=home.user).values_list("pk", flat=True).first()
    mine = set(Team.objects.filter(Q(members=person) | Q(leader=person)).values_list("pk", flat=True)) if person else set()
    rows = []
    for team, schedules in today_by_team(home.user, home.today, home.now):
        if team.pk not in mine:
            continue
        for schedule, windows in schedules:
            rows += [(team, schedule, row) for row in windows]
    rows.sort(key=lambda r: r[2].start)
    return Tile(_("My patrols today"), "patrols/tiles/mine.html", order=6, url=reverse("patrols:phone"),
                context={"rows": rows})
