"""The obligation engine's write API. Domain apps talk to obligations only through here."""

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shouwang.core.scope import can_at, refusal

from .choices import NotificationKind
from .models import Obligation
from .notify import notify


def obligation_key(*parts) -> str:
    """The natural key of an obligation: its parts joined by colons (records by their id,
    dates and times in ISO form), so opening the same duty twice finds the first."""
    out = []
    for part in parts:
        if hasattr(part, "pk"):
            part = part.pk
        elif hasattr(part, "isoformat"):
            part = part.isoformat()
        out.append(str(part))
    return ":".join(out)


DRILL_MARK = "【演练】"


def is_drill_subject(subject) -> bool:
    """A drill's record (an exercise incident says so with `is_drill`): its duties are a drill's."""
    return bool(getattr(subject, "is_drill", False))


def open_obligation(*, kind, title, jurisdiction, due_at, subject=None, opens_at=None, window_start=None,
                    responsible_unit=None, responsible_person=None, policy_version=None, rule="", key=None):
    """Open an obligation; with a `key`, opening the same one twice returns the first. A duty of a
    drill's record is marked as the drill's (titled 【演练】, left out of every real count)."""
    opens_at = opens_at or window_start or timezone.now()
    drill = is_drill_subject(subject)
    if drill and not title.startswith(DRILL_MARK):
        title = DRILL_MARK + title
    if due_at < opens_at:
        raise ValidationError({"due_at": _("An obligation cannot be due before it opens.")})
    fields = {
        "kind": kind, "title": title[:200], "jurisdiction": jurisdiction, "due_at": due_at, "opens_at": opens_at,
        "window_start": window_start, "responsible_unit": responsible_unit, "responsible_person": responsible_person,
        "policy_version": policy_version, "rule": rule, "drill": drill,
    }
    if subject is not None:
        fields["subject_type"] = ContentType.objects.get_for_model(type(subject), for_concrete_model=False)
        fields["subject_id"] = str(subject.pk)
    if key is None:
        return Obligation.objects.create(**fields)
    existing = Obligation.objects.filter(key=key).first()
    if existing:
        return existing
    try:
        with transaction.atomic():
            return Obligation.objects.create(key=key, **fields)
    except IntegrityError:  # another process opened it a moment ago
        return Obligation.objects.get(key=key)


def _check_scope(obligation, user, action="change"):
    if user is not None and not can_at(user, "obligations", action, obligation.scope_path):
        raise PermissionDenied(refusal(user, "obligations", obligation.scope_path))


@transaction.atomic
def meet(obligation, *, at=None, by=None, evidence=""):
    """Record that the duty was done at `at` (`obligation` or its id). Meeting it again keeps the first time."""
    at = at or timezone.now()
    obligation = Obligation.objects.select_for_update().get(pk=getattr(obligation, "pk", obligation))
    _check_scope(obligation, by)
    if obligation.met_at:
        return obligation
    if obligation.waived_at:
        raise ValidationError(_("This obligation was waived; reopen it first."))
    if at < obligation.opens_at:
        raise ValidationError({"met_at": _("An obligation cannot be met before it opens.")})
    if at > timezone.now() + timezone.timedelta(minutes=5):
        raise ValidationError({"met_at": _("An obligation cannot be met in the future.")})
    obligation.met_at, obligation.met_by, obligation.evidence = at, by, evidence[:200]
    obligation.save(update_fields=["met_at", "met_by", "evidence", "updated_at"])
    return obligation


@transaction.atomic
def waive(obligation, *, reason, by, at=None):
    """Waive a duty with a reason, as of `at` (now by default: a back-entered decision gives its time)."""
    if not (reason or "").strip():
        raise ValidationError({"reason": _("A waiver needs a reason.")})
    obligation = Obligation.objects.select_for_update().get(pk=obligation.pk)
    _check_scope(obligation, by, "waive")
    if obligation.met_at:
        raise ValidationError(_("This obligation is already met."))
    obligation.waived_at, obligation.waived_by, obligation.waive_reason = at or timezone.now(), by, reason.strip()
    obligation.save(update_fields=["waived_at", "waived_by", "waive_reason", "updated_at"])
    return obligation


@transaction.atomic
def reopen(obligation, *, by=None, due_at=None):
    """Clear met/waived (e.g. a rectification that failed verification), optionally with a new due time."""
    obligation = Obligation.objects.select_for_update().get(pk=obligation.pk)
    _check_scope(obligation, by)
    obligation.met_at = obligation.met_by = obligation.waived_at = obligation.waived_by = None
    obligation.evidence = obligation.waive_reason = ""
    if due_at is not None:
        obligation.due_at = due_at
    obligation.escalation_step = 0
    obligation.save()
    return obligation


@transaction.atomic
def reschedule(obligation, *, due_at, opens_at=None, policy_version=None, rule=None):
    """Move a pending clock (e.g. an incident's level changed). Met or waived ones stay as they were."""
    obligation = Obligation.objects.select_for_update().get(pk=obligation.pk)
    if obligation.met_at or obligation.waived_at:
        return obligation
    obligation.due_at = due_at
    if opens_at is not None:
        obligation.opens_at = opens_at
    if policy_version is not None:
        obligation.policy_version = policy_version
    if rule is not None:
        obligation.rule = rule
    obligation.escalation_step = 0
    obligation.save()
    return obligation


def for_subject(subject, kind=None):
    qs = Obligation.objects.for_subject(subject)
    return qs.filter(kind=kind) if kind else qs


def send_message(recipients, *, title, body="", obligation=None, url=""):
    """A plain message to users' inboxes (and e-mail), e.g. from a domain app; `url`: its record."""

    with transaction.atomic():
        return notify(recipients, kind=NotificationKind.MESSAGE, title=title, body=body, obligation=obligation,
                      webhooks=[], url=url)

