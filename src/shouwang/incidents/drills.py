"""The incident side of a drill (plans sends its run by signal; connected in IncidentsConfig.ready).

Plans sits below incidents and cannot import it, so a drill talks to incidents by signal: the
drill's start opens an exercise incident through the very same `services.intake` as a real call
(so its reporting clocks start and are measured), flagged with the drill; the response is then
activated on its page like any other, by whoever the policy lets activate, and the plan's
checklist becomes its tasks. Injects, logged actions and the evacuation times go into its activity
log; the drill's end closes it, waiving whatever is still pending (a drill's duties stop with it).
Its duties are the drill's (`Obligation.drill`), so no real count, board or audit sees them.
"""

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from shouwang.obligations import services as obligations
from shouwang.plans import queries as plans_queries
from shouwang.plans.choices import DRILL_MARK

from . import services
from .choices import Channel, LogKind, Status
from .models import Incident


def exercise_incident(drill):
    return Incident.objects.filter(drill=drill).order_by("pk").first()


def open_exercise(sender, drill, user, at, **kwargs):
    """`drill_started`: the exercise incident, through the same intake as a real one."""
    if exercise_incident(drill) is not None:
        return
    node = drill.unit.jurisdiction if drill.unit_id else drill.jurisdiction
    with override("zh-hans"):  # the record is the office's, in Chinese whoever starts it
        description = "\n".join(p for p in [_("Drill scenario:"), drill.scenario] if p)
    services.intake(user=user, jurisdiction=node, title=f"{DRILL_MARK}{drill.title}"[:200], category=drill.category,
                    level=drill.level, address=drill.address, received_at=at, channel=Channel.OTHER,
                    description=description, drill=drill, unit=drill.unit)


def _log(drill, text, *, user=None, at=None, kind=LogKind.MESSAGE):
    incident = exercise_incident(drill)
    if incident is not None:
        services.log(incident, kind, f"{DRILL_MARK}{text}", user=user, at=at)


def inject_logged(sender, drill, inject, user, at, **kwargs):
    with override("zh-hans"):
        _log(drill, _("Inject to %(who)s: %(title)s — %(message)s") % {
            "who": inject.recipient or "", "title": inject.title, "message": inject.message}, user=user, at=at)


def action_logged(sender, drill, action, user, at, **kwargs):
    with override("zh-hans"):
        _log(drill, _("Expected action done: %(action)s") % {"action": action.text}, user=user, at=at)


def evacuation_timed(sender, drill, what, user, at, **kwargs):
    with override("zh-hans"):
        text = _("Evacuation signal given") if what == "signal" else _("All clear: evacuation complete")
        _log(drill, text, user=user, at=at, kind=LogKind.EVACUATION)


@transaction.atomic
def close_exercise(sender, drill, user, at, **kwargs):
    """`drill_ended`: what is still pending is waived (the drill's clocks were measured before), and
    the exercise incident closes with the drill."""
    incident = exercise_incident(drill)
    if incident is None:
        return
    incident = Incident.objects.select_for_update().get(pk=incident.pk)
    with override("zh-hans"):
        reason = _("The drill ended.")
        for ob in services.obligations_of(incident).pending():
            obligations.waive(ob, reason=reason, by=None, at=max(at, ob.opens_at))
        if incident.status != Status.CLOSED:
            incident.status, incident.closed_at = Status.CLOSED, at
            incident.save(update_fields=["status", "closed_at", "updated_at"])
            services.log(incident, LogKind.CLOSURE, f"{DRILL_MARK}{_('Drill ended; exercise incident closed')}",
                         user=user, at=at)


def exercise_facts(drill):
    """`core.registry.EXERCISES`: the exercise incident of a drill as its pages read it."""
    incident = exercise_incident(drill)
    if incident is None:
        return None
    return {"id": incident.pk, "number": incident.number, "title": incident.title, "url": incident.get_absolute_url(),
            "activate_url": reverse("incidents:activate", args=[incident.pk]),
            "status": incident.status, "status_label": incident.get_status_display(),
            "activated_at": incident.activated_at, "received_at": incident.received_at,
            "clocks": services.clock_rows(incident)}


def board_rows(user, limit=3):
    """The drills running in the user's scope for the board's drill section (apart from the real
    incidents): each with its exercise incident, its running clocks and its latest injects."""
    live = list(plans_queries.live_drills(user))
    injects = plans_queries.latest_injects(live, limit)
    incidents = {i.drill_id: i for i in Incident.objects.restrict(user, "view").drills()
                 .filter(drill__in=live, status=Status.OPEN)}
    rows = []
    now = timezone.now()
    for drill in live:
        incident = incidents.get(drill.pk)
        clocks = list(services.obligations_of(incident).pending()) if incident else []
        for ob in clocks:
            ob.seconds_left = int((ob.due_at - now).total_seconds())
            ob.short = ob.title.split(" ", 1)[-1]  # the clock's label, without the marked number
        rows.append({"drill": drill, "incident": incident, "injects": injects.get(drill.pk, []), "clocks": clocks})
    return rows
