"""Reads assembled for pages: the live board's rows."""

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from shouwang.core.search import Hit
from shouwang.obligations.choices import State
from shouwang.obligations.models import Obligation

from .choices import IncidentLevel, Means, ReportKind, Status
from .models import Incident, Task
from .querysets import real_q

LEVEL_RANK = {level: rank for rank, level in enumerate(IncidentLevel.values)}


def _next_due(incident):
    return incident.clocks[0].due_at.timestamp() if incident.clocks else float("inf")


# `?sort=` of the live board: the column and its key (a level's letters sort I < II < III < IV)
BOARD_SORTS = {
    "level": lambda i: (LEVEL_RANK.get(i.level, 9), -i.received_at.timestamp()),
    "received": lambda i: i.received_at.timestamp(),
    "clock": _next_due,
}


def board_rows(user, now=None, sort="", drills=False):
    """Open incidents in the user's scope, each with its running clocks: worst level first, or by
    `sort` (a BOARD_SORTS column, `-` in front for descending). Real incidents only, or (`drills`)
    only the exercise incidents of drills."""
    now = now or timezone.now()
    scoped = Incident.objects.restrict(user, "view")
    incidents = list((scoped.drills() if drills else scoped.real()).filter(status=Status.OPEN)
                     .select_related("jurisdiction").order_by("level", "-received_at"))
    pending = Obligation.objects.for_subjects(Incident, [i.pk for i in incidents]).pending().order_by("due_at")
    by_incident: dict = {}
    for ob in pending:
        ob.seconds_left = int((ob.due_at - now).total_seconds())
        ob.overdue = ob.state_at(now) == State.MISSED
        ob.short = ob.title.split(" ", 1)[-1] if " " in ob.title else ob.title
        by_incident.setdefault(ob.subject_id, []).append(ob)
    for incident in incidents:
        incident.clocks = by_incident.get(str(incident.pk), [])
        node = incident.jurisdiction
        incident.map_lat = incident.lat if incident.lat is not None else node.lat
        incident.map_lon = incident.lon if incident.lon is not None else node.lon
    column = sort.lstrip("-")
    if column in BOARD_SORTS:
        incidents.sort(key=BOARD_SORTS[column], reverse=sort.startswith("-"))
    return incidents


def counted_condition():
    """Which incidents count in statistics (briefings, dashboards, their daily rollups): confirmed
    ones, never a draft still to be confirmed, never a drill's exercise incident (the one drill
    condition, `querysets.real_q`, that `Incident.objects.real()` reads too)."""
    return ~Q(status=Status.DRAFT) & real_q()


def counted_incidents(qs=None):
    """The incidents that count in statistics (`counted_condition`)."""
    return (Incident.objects.all() if qs is None else qs).filter(counted_condition())


def uncounted_incidents():
    """The incidents statistics leave out, their clocks and tasks with them (a small set, indexed)."""
    return Incident.objects.exclude(counted_condition())


def search_incidents(user, q, limit):
    """Incidents for the global search (core.search): the number (whole or its tail), the summary."""
    rows = (Incident.objects.restrict(user, "view").filter(Q(number__icontains=q) | Q(title__icontains=q))
            .select_related("jurisdiction").order_by("-received_at")[:limit])
    return [Hit(f"{i.number} {i.title}", i.get_absolute_url(),
                f"{i.jurisdiction.name} · {i.get_level_display()} · {i.get_status_display()}",
                i.number.lower() == q.lower()) for i in rows]


ELEMENT_FIELDS = (  # the report's fields that hold its nine elements
    "event_time", "place", "scale", "dead", "seriously_injured", "lightly_injured", "cause", "assessment",
            "measures", "progress", "other")


def last_elements(incident) -> dict:
    """The elements of the incident's latest report (corrections included): the next report,
    the final one above all, starts from them rather than from a blank form."""
    last = incident.reports.order_by("-reported_at", "-pk").first()
    return {name: getattr(last, name) for name in ELEMENT_FIELDS if getattr(last, name) not in (None, "")} if last else {}


def report_defaults(incident) -> dict:
    """What a new report most likely is, so a simple case is not typed from scratch: the first
    one is the first report, by phone, of the incident's time and place; later ones follow up
    and go the way the last one went."""
    last = incident.reports.order_by("-reported_at", "-pk").first()
    if last is None:
        return {"kind": ReportKind.FIRST, "means": Means.PHONE,
                "event_time": incident.discovered_at or incident.received_at, "place": incident.address}
    return {"kind": ReportKind.FOLLOW_UP, "means": last.means, "addressee": last.addressee,
            "reported_to": last.reported_to, **last_elements(incident)}


def close_check(incident, now=None) -> dict:
    """What closing would leave behind, said before the button is pressed: `blocking` keeps it
    open (no final report); `open` are loose ends the closer confirms knowingly."""
    now = now or timezone.now()
    blocking, loose = [], []
    if not incident.reports.filter(kind=ReportKind.FINAL).exists():
        blocking.append(_("there is no final report yet"))
    tasks = Task.objects.filter(incident=incident, done_at__isnull=True).count()
    if tasks:
        loose.append(ngettext("%(n)s task is not done", "%(n)s tasks are not done", tasks) % {"n": tasks})
    clocks = Obligation.objects.for_subject(incident).pending().count()
    if clocks:
        loose.append(ngettext("%(n)s duty with a time limit is still open", "%(n)s duties with a time limit are "
                              "still open", clocks) % {"n": clocks})
    return {"blocking": blocking, "loose": loose}
