"""Scheduled daily reports: opening their obligations and submitting reports.

Each community (the levels named in its policy's `daily_reports.levels`) owes one report per
slot per day. `open_daily_obligations(day)` opens those obligations, idempotently (one key per
node, day and slot), at the times of the node's effective policy. `submit_report(...)` writes
the report and meets its obligation, late if after the deadline. Both accept explicit days and
times, so that the demo and imports can record the past.

Who answers for a community's report: the residents' committee (居委会) of the community as
responsible unit, and as responsible person that committee's liaison (联络员, the person each
unit names for reporting); without one, the first active grid worker of the community.
"""

from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from shouwang.core.clock import local_datetime
from shouwang.core.idempotency import replay
from shouwang.core.scope import can_at, refusal
from shouwang.obligations.models import Obligation
from shouwang.obligations.services import meet, open_obligation, reopen

from .choices import Slot, kind_of
from .models import DailyReport
from .queries import daily_key, reporting_nodes, responsible_for, slots_of

# A phone may sync a day or two late; older reports are the office's business.
MAX_DAYS_BACK = 7


def _title(node, day, slot) -> str:
    # Stored text, read in official documents: always in the site's language, whoever triggered it.
    with translation.override(settings.LANGUAGE_CODE):
        return _("%(node)s %(report)s %(date)s") % {"node": node.name, "report": Slot(slot).label, "date": day.isoformat()}


def open_daily_obligations(day: date, *, under=None, now=None) -> list[Obligation]:
    """Open the day's report obligations of every reporting node (below `under`). Idempotent.

    With `now` (the periodic job), nothing falls due for a node before it existed: a community
    added at 21:58 owes that day's 18:00 report no more than yesterday's. Without it (a day
    opened on purpose, the demo's history), every slot of the day opens."""
    opened = []
    for node, eff in reporting_nodes(under):
        version = eff.version_of("daily_reports")
        unit, person = responsible_for(node)
        for slot in slots_of(eff):
            name = slot["slot"]
            due_at = local_datetime(day, slot["due"])
            if now is not None and due_at <= node.created_at <= now:
                continue
            opened.append(open_obligation(
                kind=kind_of(name),
                title=_title(node, day, name),
                jurisdiction=node,
                opens_at=local_datetime(day, slot.get("opens", "00:00")),
                due_at=due_at,
                responsible_unit=unit,
                responsible_person=person,
                policy_version=version,
                rule=f"daily_reports.{name}",
                key=daily_key(node, day, name),
            ))
    return opened


def open_upcoming_daily_obligations(now=None) -> int:
    """The periodic job: today's and tomorrow's obligations, so the day's first one is never late to open."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    return len(open_daily_obligations(today, now=now)) + len(open_daily_obligations(today + timedelta(days=1), now=now))


def obligation_for(node, day: date, slot: str) -> Obligation | None:
    """The report's obligation, opened now if the periodic job has not done so yet."""
    key = daily_key(node, day, slot)
    found = Obligation.objects.with_keys([key]).first()
    if found is None:
        open_daily_obligations(day, under=node)
        found = Obligation.objects.with_keys([key]).first()
    return found


def submit_report(*, jurisdiction, date, slot, user=None, submitted_at=None, client_uuid=None, **fields):
    """Write a report and meet its obligation. Returns (report, created).

    The same `client_uuid` twice returns the first report. A slot already reported is
    refused: a report is not changed after submission (a correction goes to the office).
    """
    if client_uuid:
        existing = replay(DailyReport, user, client_uuid=client_uuid)
        if existing is not None:
            return existing, False
    at = submitted_at or timezone.now()
    if user is not None and not can_at(user, "briefings", "add", jurisdiction.path):
        raise PermissionDenied(refusal(user, "briefings", jurisdiction.path))
    names = {"node": jurisdiction.name, "report": Slot(slot).label, "date": date.isoformat()}
    sent_on = timezone.localdate(at)
    if date > sent_on:
        raise ValidationError({"date": _("A report cannot be sent for a day that has not begun.")})
    if date < sent_on - timedelta(days=MAX_DAYS_BACK):
        raise ValidationError({"date": _("A report more than %(n)s days old cannot be sent here; tell the office.")
                               % {"n": MAX_DAYS_BACK}})
    try:
        with transaction.atomic():
            if DailyReport.objects.filter(jurisdiction=jurisdiction, date=date, slot=slot, corrects__isnull=True,
                                          withdrawn_at__isnull=True).exists():
                raise ValidationError({"slot": _(
                    "The %(report)s of %(node)s for %(date)s has already been submitted. "
                    "Reports are not changed afterwards; tell the office about a correction.") % names})
            obligation = obligation_for(jurisdiction, date, slot)
            if obligation is None:
                raise ValidationError({"jurisdiction": _(
                    "The policy of %(node)s does not ask it for a %(report)s.") % names})
            if at < obligation.opens_at:
                raise ValidationError({"slot": _("The %(report)s of %(date)s opens at %(time)s; it cannot be submitted earlier.")
                                       % {**names, "time": formats.date_format(timezone.localtime(obligation.opens_at), "Y-m-d H:i")}})
            report = DailyReport(jurisdiction=jurisdiction, date=date, slot=slot, submitted_by=user,
                                 submitted_at=at, client_uuid=client_uuid, **fields)
            report.full_clean(validate_unique=False, validate_constraints=False)
            report.save()
            meet(obligation, at=at, by=user, evidence=_("daily report %(id)s") % {"id": report.pk})
    except IntegrityError:
        # Two submissions raced: the same client id returns the first; otherwise the slot is taken.
        if client_uuid:
            existing = replay(DailyReport, user, client_uuid=client_uuid)
            if existing is not None:
                return existing, False
        raise ValidationError({"slot": _(
            "The %(report)s of %(node)s for %(date)s has already been submitted. "
            "Reports are not changed afterwards; tell the office about a correction.") % names}) from None
    return report, True


# --- the office's corrections -------------------------------------------------------------

CORRECTABLE = ("situation", "police_on_duty", "patrol_team_on_duty", "volunteers_on_duty", "events", "problems")


def _latest(report):
    while True:
        later = DailyReport.objects.filter(corrects=report).first()
        if later is None:
            return report
        report = later


@transaction.atomic
def correct_report(report, *, user, reason, **fields):
    """The office corrects a filed report: a new report that `corrects` the latest version, with
    a reason. The original keeps what was sent and when; the obligation stays met at that time."""
    if not (reason or "").strip():
        raise ValidationError({"correction_reason": _("A correction needs a reason.")})
    if not can_at(user, "briefings", "correct", report.jurisdiction.path):
        raise PermissionDenied(_("Only the office corrects a filed report."))
    unknown = set(fields) - set(CORRECTABLE)
    if unknown:
        raise ValidationError(_("Unknown fields: %(fields)s.") % {"fields": ", ".join(sorted(unknown))})
    report = DailyReport.objects.select_for_update().get(pk=report.pk)
    if report.withdrawn_at:
        raise ValidationError(_("This report was withdrawn; it cannot be corrected."))
    latest = _latest(report)
    correction = DailyReport(
        jurisdiction_id=latest.jurisdiction_id, date=latest.date, slot=latest.slot,
        **{name: fields.get(name, getattr(latest, name)) for name in CORRECTABLE},
        submitted_by=user, submitted_at=timezone.now(), corrects=latest, correction_reason=reason.strip(),
    )
    correction.full_clean(validate_unique=False, validate_constraints=False)
    correction.save()
    return correction


@transaction.atomic
def withdraw_report(report, *, user, reason):
    """The office withdraws a report sent in error (the wrong community or day), with a reason.
    It stays on record as withdrawn; its obligation is open again, so a missing report shows."""
    if not (reason or "").strip():
        raise ValidationError({"withdraw_reason": _("Say why the report is withdrawn.")})
    if not can_at(user, "briefings", "correct", report.jurisdiction.path):
        raise PermissionDenied(_("Only the office withdraws a filed report."))
    report = DailyReport.objects.select_for_update().get(pk=report.pk)
    if report.withdrawn_at or report.corrects_id:
        raise ValidationError(_("Only a report as sent can be withdrawn, once."))
    report.withdrawn_at, report.withdrawn_by, report.withdraw_reason = timezone.now(), user, reason.strip()
    report.save(update_fields=["withdrawn_at", "withdrawn_by", "withdraw_reason", "updated_at"])
    obligation = Obligation.objects.with_keys([daily_key(report.jurisdiction_id, report.date, report.slot)]).first()
    if obligation is not None and obligation.met_at:
        reopen(obligation, by=None)
    return report
