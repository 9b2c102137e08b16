"""Every write of the briefings app: scheduled daily reports (below), briefings and their
schedule, the daily consultation and its decisions, wall screens, and the rollups' job.

Scheduled daily reports: opening their obligations and submitting reports.

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
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from shouwang.core.choices import Role, UnitKind
from shouwang.core.clock import local_datetime
from shouwang.core.idempotency import replay
from shouwang.core.models import Jurisdiction, RoleAssignment, Unit
from shouwang.core.scope import can_at, refusal
from shouwang.obligations.models import Obligation
from shouwang.obligations.services import meet, obligation_key, open_obligation, reopen
from shouwang.policies.models import PolicyVersion
from shouwang.policies.services import effective

from . import content, document, rollups
from .choices import KIND_BRIEFING, KIND_DECISION, PERIODS, BriefingState, Slot, kind_of
from .models import Briefing, Consultation, DailyReport, Decision, WallScreen
from .models.wall import new_token
from .period import Period
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


# --- briefings (简报) -------------------------------------------------------------------------
# Made from the data for a node and a period (figures frozen with their data time), edited
# (remark, notes, distribution), reviewed, then issued: numbered per year and node, the Word
# document stored, immutable from then on; issuing meets the scheduled briefing's obligation.

def _require(user, action, node):
    if user is not None and not can_at(user, "briefings", action, node.path):
        raise PermissionDenied(refusal(user, "briefings", node.path))


def cycles_of(node) -> tuple:
    """The periods (days) the node's policy offers (preset C: 1, 3, 5, 7)."""
    cycles = effective(node).get("briefing_cycles_days")
    return tuple(c for c in cycles if isinstance(c, int) and c > 0) if isinstance(cycles, list) and cycles else PERIODS


def default_title(node, days) -> str:
    return f"{node.name}每日综合简报" if days == 1 else f"{node.name}安全形势简报（{days}日）"


def default_issuer(node) -> str:
    office = Unit.objects.filter(jurisdiction=node, kind=UnitKind.GOVERNMENT).order_by("pk").first()
    return office.name if office is not None else node.name


def _last_distribution(node) -> str:
    last = (Briefing.objects.filter(jurisdiction=node, state=BriefingState.ISSUED).exclude(distribution="")
            .order_by("-issued_at", "-pk").first())
    return last.distribution if last is not None else ""


def _period(node, days, end, now):
    errors = {}
    if days not in cycles_of(node):
        errors["days"] = [_("Choose one of the periods the policy sets: %(days)s days.")
                          % {"days": "、".join(str(d) for d in cycles_of(node))}]
    if end is None:
        errors["end"] = [_("Give the last day of the period.")]
    elif end > timezone.localdate(now):
        errors["end"] = [_("A briefing cannot cover days that have not begun.")]
    if errors:
        raise ValidationError(errors)
    return Period(node, end - timedelta(days=days - 1), end, as_of=now)


@transaction.atomic
def generate_briefing(*, node, days, end, user=None, title="", issuer="", distribution=None, remark="", now=None):
    """A draft briefing of `node` for the `days` ending on `end`, its figures read now."""
    now = now or timezone.now()
    _require(user, "add", node)
    period = _period(node, days, end, now)
    rollups.refresh(now)  # the days that ended and the late data are in the rollups before reading them
    briefing = Briefing(
        jurisdiction=node, days=days, start=period.start, end=period.end, data_at=now,
        content=content.build(period), title=(title or "").strip() or default_title(node, days),
        issuer=(issuer or "").strip() or default_issuer(node),
        distribution=_last_distribution(node) if distribution is None else distribution, remark=remark or "",
        created_by=user,
    )
    briefing.full_clean(exclude=["document"])
    briefing.save()
    return briefing


def _locked(briefing):
    return Briefing.objects.select_for_update().select_related("jurisdiction").get(pk=briefing.pk)


def _refuse_issued(briefing):
    if briefing.state == BriefingState.ISSUED:
        raise ValidationError(_("An issued briefing cannot be changed."))


@transaction.atomic
def regenerate_briefing(briefing, *, user=None, now=None):
    """Read the figures of the same period again (new data time); remark and notes are kept; a
    reviewed briefing goes back to draft, its figures having changed."""
    now = now or timezone.now()
    briefing = _locked(briefing)
    _require(user, "change", briefing.jurisdiction)
    _refuse_issued(briefing)
    rollups.refresh(now)
    briefing.content = content.build(Period(briefing.jurisdiction, briefing.start, briefing.end, as_of=now))
    briefing.data_at = now
    briefing.state, briefing.reviewed_at, briefing.reviewed_by = BriefingState.DRAFT, None, None
    briefing.save()
    return briefing


@transaction.atomic
def edit_briefing(briefing, *, user, title, issuer, remark="", notes=None, distribution=""):
    """The editor's words around the figures: title, issuing office, remark (按语), a note under a
    section, the distribution. A reviewed briefing that is edited is reviewed again."""
    briefing = _locked(briefing)
    _require(user, "change", briefing.jurisdiction)
    _refuse_issued(briefing)
    errors = {}
    if not (title or "").strip():
        errors["title"] = [_("Give the briefing a title.")]
    if not (issuer or "").strip():
        errors["issuer"] = [_("Name the issuing office.")]
    keys = {s["key"] for s in briefing.sections}
    unknown = set(notes or {}) - keys
    if unknown:
        errors["notes"] = [_("There is no section %(keys)s in this briefing.") % {"keys": ", ".join(sorted(unknown))}]
    if errors:
        raise ValidationError(errors)
    changed = (briefing.title, briefing.issuer, briefing.remark, briefing.notes, briefing.distribution) != (
        title.strip(), issuer.strip(), remark or "", {k: v for k, v in (notes or {}).items() if (v or "").strip()},
        distribution or "")
    briefing.title, briefing.issuer = title.strip(), issuer.strip()
    briefing.remark, briefing.distribution = (remark or "").strip(), (distribution or "").strip()
    briefing.notes = {k: v.strip() for k, v in (notes or {}).items() if (v or "").strip()}
    if changed and briefing.state == BriefingState.REVIEWED:
        briefing.state, briefing.reviewed_at, briefing.reviewed_by = BriefingState.DRAFT, None, None
    briefing.full_clean(exclude=["document"])
    briefing.save()
    return briefing


@transaction.atomic
def review_briefing(briefing, *, user, now=None):
    briefing = _locked(briefing)
    _require(user, "change", briefing.jurisdiction)
    _refuse_issued(briefing)
    if briefing.state == BriefingState.REVIEWED:
        raise ValidationError(_("This briefing is already reviewed."))
    briefing.state, briefing.reviewed_at, briefing.reviewed_by = BriefingState.REVIEWED, now or timezone.now(), user
    briefing.save()
    return briefing


@transaction.atomic
def issue_briefing(briefing, *, user, now=None):
    """Issue a reviewed briefing: the next number of the year on its node (2026年第N期), the time
    and the issuer, the Word document made once and stored; nothing changes afterwards. The
    scheduled briefing of the same period, if the policy asks for one, is met."""
    now = now or timezone.now()
    briefing = _locked(briefing)
    _require(user, "change", briefing.jurisdiction)
    if briefing.state == BriefingState.ISSUED:
        raise ValidationError(_("This briefing is already issued (%(number)s); it cannot be issued again.")
                              % {"number": briefing.number_text})
    if briefing.state != BriefingState.REVIEWED:
        raise ValidationError(_("A briefing is reviewed before it is issued."))
    year = timezone.localdate(now).year
    for _attempt in range(5):
        last = Briefing.objects.filter(jurisdiction=briefing.jurisdiction, year=year).aggregate(n=Max("sequence"))["n"] or 0
        try:
            with transaction.atomic():
                Briefing.objects.filter(pk=briefing.pk).update(year=year, sequence=last + 1)
            break
        except IntegrityError:  # a parallel issue took the number
            continue
    else:
        raise ValidationError({"sequence": _("Could not number the briefing; try again.")})
    briefing.year, briefing.sequence = year, last + 1
    briefing.state, briefing.issued_at, briefing.issued_by = BriefingState.ISSUED, now, user
    briefing.document.save(f"{year}-{briefing.sequence:03d}.docx", ContentFile(document.briefing_docx(briefing)),
                           save=False)
    briefing.save()
    scheduled = Obligation.objects.with_keys([briefing_key(briefing.jurisdiction, briefing.days, briefing.start)]).first()
    if scheduled is not None and not scheduled.met_at and not scheduled.waived_at and now >= scheduled.opens_at:
        meet(scheduled, at=now, by=None, evidence=_("briefing %(number)s") % {"number": briefing.number_text})
    return briefing


@transaction.atomic
def delete_briefing(briefing, *, user):
    briefing = _locked(briefing)
    _require(user, "delete", briefing.jurisdiction)
    _refuse_issued(briefing)
    briefing.delete()


# --- scheduled briefings: obligations from policy (`briefing_schedule`) -------------------------

ANCHOR = date(2024, 1, 1)  # a Monday: a 7-day cycle runs Monday to Sunday


def briefing_key(node, days, start) -> str:
    return obligation_key("briefing", node, days, start)


def scheduled_periods(entry, day):
    """The periods of this schedule entry whose briefing falls due on `day` (the day after they end)."""
    days = int(entry["days"])
    end = day - timedelta(days=1)
    if (end - ANCHOR).days % days != days - 1:
        return []
    return [(end - timedelta(days=days - 1), end)]


def open_briefing_obligations(day, *, under=None, now=None):
    """Open the obligations of the briefings falling due on `day` for every node whose policy
    schedules them (idempotent: one key per node, period length and start)."""
    opened = []
    nodes = Jurisdiction.objects.filter(path__startswith=under.path) if under is not None else Jurisdiction.objects.all()
    levels = set()
    for rules in PolicyVersion.objects.values_list("rules", flat=True):
        for entry in (rules or {}).get("briefing_schedule") or []:
            levels.update(entry.get("levels") or [])
    for node in nodes.filter(level__in=levels).order_by("path"):
        eff = effective(node)
        for entry in eff.get("briefing_schedule") or []:
            if node.level not in (entry.get("levels") or []):
                continue
            for start, end in scheduled_periods(entry, day):
                due_at = local_datetime(day, entry["due"])
                if now is not None and due_at <= node.created_at <= now:
                    continue
                with translation.override(settings.LANGUAGE_CODE):
                    title = _("%(node)s briefing of %(start)s–%(end)s") % {
                        "node": node.name, "start": start.isoformat(), "end": end.isoformat()}
                office = Unit.objects.filter(jurisdiction=node, kind=UnitKind.GOVERNMENT).order_by("pk").first()
                opened.append(open_obligation(
                    kind=KIND_BRIEFING, title=title, jurisdiction=node, opens_at=local_datetime(end),
                    due_at=due_at, responsible_unit=office, policy_version=eff.version_of("briefing_schedule"),
                    rule=f"briefing_schedule.{entry['days']}", key=briefing_key(node, entry["days"], start),
                ))
    return opened


def open_upcoming_briefing_obligations(now=None) -> int:
    now = now or timezone.now()
    today = timezone.localdate(now)
    return len(open_briefing_obligations(today, now=now)) + len(open_briefing_obligations(today + timedelta(days=1), now=now))


# --- the daily consultation (会商) and its decisions -----------------------------------------

def _lines(text) -> str:
    return "\n".join(line.strip() for line in (text or "").splitlines() if line.strip())


@transaction.atomic
def record_consultation(*, node, date, attendees, items, user=None, analysis="", chaired_by="", briefing=None,
                        decisions=(), now=None):
    """The day's consultation of a node, with its decisions (each a task with a time limit)."""
    now = now or timezone.now()
    _require(user, "add", node)
    errors = {}
    if date is None:
        errors["date"] = [_("Give the day of the consultation.")]
    elif date > timezone.localdate(now):
        errors["date"] = [_("A consultation cannot be recorded for a day that has not begun.")]
    if not _lines(attendees):
        errors["attendees"] = [_("Name who attended.")]
    if not _lines(items):
        errors["items"] = [_("Say what was reviewed.")]
    if briefing is not None and not briefing.jurisdiction.path.startswith(node.path) \
            and not node.path.startswith(briefing.jurisdiction.path):
        errors["briefing"] = [_("This briefing is not of this node.")]
    if date is not None and Consultation.objects.filter(jurisdiction=node, date=date).exists():
        errors["date"] = [_("This node's consultation of that day is already recorded.")]
    if errors:
        raise ValidationError(errors)
    consultation = Consultation(jurisdiction=node, date=date, attendees=_lines(attendees), items=_lines(items),
                                analysis=(analysis or "").strip(), chaired_by=(chaired_by or "").strip(),
                                briefing=briefing, created_by=user)
    consultation.full_clean(validate_constraints=False)
    consultation.save()
    for data in decisions:
        add_decision(consultation, user=user, now=now, **data)
    return consultation


@transaction.atomic
def edit_consultation(consultation, *, user, attendees, items, analysis="", chaired_by="", briefing=None):
    consultation = Consultation.objects.select_for_update().select_related("jurisdiction").get(pk=consultation.pk)
    _require(user, "change", consultation.jurisdiction)
    errors = {}
    if not _lines(attendees):
        errors["attendees"] = [_("Name who attended.")]
    if not _lines(items):
        errors["items"] = [_("Say what was reviewed.")]
    if errors:
        raise ValidationError(errors)
    consultation.attendees, consultation.items = _lines(attendees), _lines(items)
    consultation.analysis, consultation.chaired_by = (analysis or "").strip(), (chaired_by or "").strip()
    consultation.briefing = briefing
    consultation.save()
    return consultation


@transaction.atomic
def add_decision(consultation, *, text, due_at, user=None, responsible_person=None, responsible_unit=None, now=None):
    """A decision of the consultation, opened as an obligation on its responsible person or unit."""
    now = now or timezone.now()
    node = consultation.jurisdiction
    _require(user, "add", node)
    errors = {}
    if not (text or "").strip():
        errors["text"] = [_("Say what was decided.")]
    if due_at is None:
        errors["due_at"] = [_("Give the time it is to be done by.")]
    elif due_at <= now:
        errors["due_at"] = [_("The time limit is in the past. Give a time still to come.")]
    for field, record in (("responsible_person", responsible_person), ("responsible_unit", responsible_unit)):
        if record is not None and not record.jurisdiction.path.startswith(node.path) \
                and not node.path.startswith(record.jurisdiction.path):
            errors[field] = [_("Choose someone of this node or above it.")]
    if responsible_person is None and responsible_unit is None:
        errors["responsible_person"] = [_("Name who carries it out: a person or a unit.")]
    if errors:
        raise ValidationError(errors)
    decision = Decision(jurisdiction=node, consultation=consultation, text=text.strip(), due_at=due_at,
                        responsible_person=responsible_person,
                        responsible_unit=responsible_unit or getattr(responsible_person, "unit", None))
    decision.full_clean()
    decision.save()
    open_obligation(kind=KIND_DECISION, title=decision.text[:200], jurisdiction=node, opens_at=now, due_at=due_at,
                    responsible_unit=decision.responsible_unit, responsible_person=responsible_person,
                    subject=decision, rule="consultation.decision", key=obligation_key("decision", decision.pk))
    return decision


@transaction.atomic
def complete_decision(decision, *, user, note="", now=None):
    """The decision is carried out: its obligation met now (late if after its time limit)."""
    now = now or timezone.now()
    decision = Decision.objects.select_for_update().select_related("jurisdiction").get(pk=decision.pk)
    mine = decision.responsible_person is not None and decision.responsible_person.user_id == getattr(user, "pk", None)
    if not mine:
        _require(user, "change", decision.jurisdiction)
    if decision.done_at:
        raise ValidationError(_("This decision is already done."))
    decision.done_at, decision.done_by, decision.done_note = now, user, (note or "").strip()[:300]
    decision.save()
    obligation = Obligation.objects.with_keys([obligation_key("decision", decision.pk)]).first()
    if obligation is not None and not obligation.met_at:
        meet(obligation, at=now, by=None, evidence=_("decision %(id)s done") % {"id": decision.pk})
    return decision


# --- wall screens: read-only accounts for the command centre's screen ----------------------------

@transaction.atomic
def create_wall_screen(*, node, name, user, refresh_seconds=60):
    """A wall screen of a node: a new read-only account (viewer on the node, no password) and a
    secret link that logs the screen in without a login timeout."""
    _require(user, "add", node)
    if not can_at(user, "access", "add", node.path):
        raise PermissionDenied(_("Only who manages the accounts of %(node)s may make a wall screen.") % {"node": node.name})
    errors = {}
    if not (name or "").strip():
        errors["name"] = [_("Say where the screen hangs.")]
    if not 15 <= int(refresh_seconds or 0) <= 3600:
        errors["refresh_seconds"] = [_("Refresh between every 15 seconds and every hour.")]
    if errors:
        raise ValidationError(errors)
    User = get_user_model()
    base = f"wall-{node.code or node.pk}".lower()
    username, n = base, 1
    while User.objects.filter(username=username).exists():
        n += 1
        username = f"{base}-{n}"
    account = User.objects.create_user(username=username, first_name=name.strip()[:150])
    account.set_unusable_password()
    account.save()
    RoleAssignment.objects.create(user=account, role=Role.VIEWER, jurisdiction=node)
    screen = WallScreen(jurisdiction=node, name=name.strip(), user=account, refresh_seconds=int(refresh_seconds),
                        created_by=user)
    screen.full_clean(exclude=["user"])
    screen.save()
    return screen


@transaction.atomic
def renew_wall_link(screen, *, user):
    """A new secret link (the old one stops working; screens already in keep their session)."""
    screen = WallScreen.objects.select_for_update().get(pk=screen.pk)
    _require(user, "change", screen.jurisdiction)
    if screen.revoked_at:
        raise ValidationError(_("This wall screen is revoked."))
    screen.token = new_token()
    screen.save()
    return screen


@transaction.atomic
def revoke_wall_screen(screen, *, user, now=None):
    """Switch the screen's account off: its link and its sessions stop working."""
    screen = WallScreen.objects.select_for_update().select_related("user").get(pk=screen.pk)
    _require(user, "change", screen.jurisdiction)
    if screen.revoked_at:
        raise ValidationError(_("This wall screen is already revoked."))
    screen.revoked_at = now or timezone.now()
    screen.save()
    screen.user.is_active = False
    screen.user.save(update_fields=["is_active"])
    return screen


def refresh_rollups(now=None):
    """The periodic job: the daily counts of the days that ended, and of the days changes touched."""
    return rollups.refresh(now)
