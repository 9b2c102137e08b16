"""A plan version's checklist opened as the incident's tasks when its response is activated: each
action due at its offset from the activation, for the group the plan names (the lead group when it
names none) and the person who holds the named position in it."""

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from shouwang.core.models import Membership
from shouwang.obligations import services as obligations
from shouwang.obligations.services import obligation_key
from shouwang.plans import queries as plans

from .choices import KIND_TASK, LogKind
from .models import Task


def check_version(incident, version):
    """Refuse a version that is not approved or not of the incident's node or one above it."""
    if not version.is_approved:
        raise ValidationError({"plan_version": _("Only an approved plan version can be activated.")})
    if not incident.jurisdiction.path.startswith(version.jurisdiction.path):
        raise ValidationError({"plan_version": _("The plan must belong to the incident's node or one above it.")})


def matching_versions(incident):
    """The approved plan versions in force that cover the incident (nearest node first)."""
    return plans.matching_versions(incident.jurisdiction, incident.working_kind, incident.category, incident.level)


def _holder(group, position):
    seat = (Membership.objects.filter(group=group, position=position, person__active=True)
            .select_related("person").order_by("order", "pk").first())
    return seat.person if seat else None


def open_tasks(incident, version, *, at, user, log):
    """The checklist as tasks with their obligations; returns the tasks."""
    tasks = []
    for action in version.actions.select_related("group").order_by("order", "pk"):
        group = action.group or version.lead_group or incident.lead_group
        person = _holder(group, action.position) if group is not None else None
        due = at + timedelta(minutes=action.offset_minutes)
        task = Task.objects.create(incident=incident, jurisdiction_id=incident.jurisdiction_id, title=action.text,
                                   group=group, person=person, due_at=due, created_by=user)
        obligations.open_obligation(
            kind=KIND_TASK, title=f"{incident.number} {action.text}", jurisdiction=incident.jurisdiction,
            subject=incident, opens_at=at, due_at=due, responsible_person=person,
            key=obligation_key("incident", incident, "task", task))
        tasks.append(task)
    if tasks:
        log(incident, LogKind.TASK, _("Plan checklist opened: %(n)s tasks from %(plan)s")
            % {"n": len(tasks), "plan": version}, user=user, at=at)
    return tasks
