"""Reads assembled for pages: the live board's rows."""

from django.utils import timezone

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
