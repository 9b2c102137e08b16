"""Reads assembled for pages: the live board's rows."""

from django.db.models import Q
from django.utils import timezone

from shouwang.core.search import Hit
from shouwang.obligations.choices import State
from shouwang.obligations.models import Obligation

from .choices import Status
from .models import Incident


def board_rows(user, now=None):
    """Open incidents in the user's scope, worst level first, each with its running clocks."""
    now = now or timezone.now()
    incidents = list(Incident.objects.restrict(user, "view").filter(status=Status.OPEN)
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
    return incidents


def search_incidents(user, q, limit):
    """Incidents for the global search (core.search): the number (whole or its tail), the summary."""
    rows = (Incident.objects.restrict(user, "view").filter(Q(number__icontains=q) | Q(title__icontains=q))
            .select_related("jurisdiction").order_by("-received_at")[:limit])
    return [Hit(f"{i.number} {i.title}", i.get_absolute_url(),
                f"{i.jurisdiction.name} · {i.get_level_display()} · {i.get_status_display()}",
                i.number.lower() == q.lower()) for i in rows]
