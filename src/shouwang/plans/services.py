"""Every write of plans, drills, training and campaigns (each checked against scope in its transaction).

Plans: drafted, approved (then frozen), reviewed by experts on the policy's cycle. Drills: planned
with injects and expected actions, run as an exercise incident (signals to the floor above),
injects delivered by the sweep, actions logged and rated from the phone, ended, reported on, and
their areas for improvement followed as corrective actions. Training: sessions signed in by QR,
certificates with their renewal as an obligation. Campaigns: photos.
"""

import secrets
from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from shouwang.core.choices import GroupKind, Position
from shouwang.core.clock import local_datetime
from shouwang.core.idempotency import replay
from shouwang.core.models import Membership, Person, Unit
from shouwang.core.registry import EXERCISES, POLICY_TERMS
from shouwang.core.scope import can_at, refusal
from shouwang.core.uploads import image_upload
from shouwang.obligations import services as obligations
from shouwang.obligations.models import Obligation
from shouwang.obligations.services import obligation_key
from shouwang.policies.models import PolicyVersion

from . import rules, signals
from .choices import (
    DEFAULT_VERIFY_DAYS,
    DRILL_MARK,
    KIND_CERTIFICATE,
    KIND_CORRECTIVE,
    KIND_CORRECTIVE_VERIFY,
    KIND_DRILL,
    KIND_PLAN_REVIEW,
    REMINDER_DAYS,
    AttendanceMethod,
    DrillKind,
    DrillState,
    ImprovementState,
    InjectState,
    Rating,
    ReviewConclusion,
    VersionState,
)
from .models import (
    Attendance,
    Campaign,
    CampaignPhoto,
    CampaignTarget,
    Certificate,
    Course,
    Drill,
    Evaluation,
    ExpectedAction,
    Improvement,
    Inject,
    Plan,
    PlanAction,
    PlanReview,
    PlanVersion,
    Session,
)

AREA = "plans"
FUTURE_GRACE = timedelta(minutes=2)
MAX_OFFSET_MINUTES = 7 * 24 * 60
SIGN_IN_EARLY = timedelta(minutes=30)


def _require(user, action, node):
    if user is not None and not can_at(user, AREA, action, node.path):
        raise PermissionDenied(refusal(user, AREA, node.path))


def _now_or(value):
    return value or timezone.now()


def _not_future(field, when):
    if when > timezone.now() + FUTURE_GRACE:
        raise ValidationError({field: _("This time lies in the future.")})


def _on_or_above(record, node):
    """Whether `record` hangs on `node` or one of its ancestors."""
    return record is None or node.path.startswith(record.jurisdiction.path)


def _person_of(user):
    return Person.objects.filter(user=user).first() if user is not None and user.is_authenticated else None


def end_of_day(day):
    return local_datetime(day) + timedelta(days=1) - timedelta(seconds=1)


# ---------------------------------------------------------------- plans

VERSION_FIELDS = ("title", "scope", "categories", "level_min", "level_max", "activation_role", "lead_group",
                  "supplies", "note")


def _check_actions(node, actions):
    """Checklist rows as (PlanAction kwargs), or a ValidationError naming each bad row."""
    rows, errors = [], []
    for n, row in enumerate(actions, 1):
        text = (row.get("text") or "").strip()
        if not text:
            continue  # an empty row of the editor
        offset = row.get("offset_minutes")
        group = row.get("group")
        if isinstance(offset, bool) or not isinstance(offset, int) or not 0 <= offset <= MAX_OFFSET_MINUTES:
            errors.append(_("Action %(n)s: give the minutes after activation (0 to %(max)s).")
                          % {"n": n, "max": MAX_OFFSET_MINUTES})
        if group is not None and not _on_or_above(group, node):
            errors.append(_("Action %(n)s: the group must belong to the plan's node or one above it.") % {"n": n})
        position = row.get("position") or Position.LEADER
        if position not in Position.values:
            errors.append(_("Action %(n)s: unknown position.") % {"n": n})
        rows.append({"text": text[:200], "group": group, "position": position, "offset_minutes": offset,
                     "order": len(rows) + 1})
    if errors:
        raise ValidationError({"actions": errors})
    return rows


def _check_version(plan, fields):
    errors = {}
    known = POLICY_TERMS.get("categories") or {}
    bad = [c for c in fields.get("categories") or [] if known and c not in known]
    if bad:
        errors["categories"] = [_("Unknown incident categories: %(codes)s.") % {"codes": ", ".join(bad)}]
    group = fields.get("lead_group")
    if group is not None and (group.kind != GroupKind.WORKING or not _on_or_above(group, plan.jurisdiction)):
        errors["lead_group"] = [_("Choose a special working group of the plan's node or one above it.")]
    supplies = fields.get("supplies") or []
    if not isinstance(supplies, list) or not all(isinstance(s, dict) and str(s.get("name", "")).strip()
                                                 for s in supplies):
        errors["supplies"] = [_("Each supply needs its name (and a quantity).")]
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def create_plan(*, node, title, working_kind, user=None, actions=None, contacts=None, teams=None, **version):
    """A plan and its first version, a draft."""
    _require(user, "add", node)
    plan = Plan(jurisdiction=node, title=(title or "").strip(), working_kind=working_kind)
    plan.full_clean(exclude=["current"])
    plan.save()
    save_draft(plan, user=user, actions=actions, contacts=contacts, teams=teams, title=plan.title, **version)
    return plan


def draft_of(plan):
    return plan.versions.filter(state=VersionState.DRAFT).order_by("-number").first()


@transaction.atomic
def save_draft(plan, *, user=None, actions=None, contacts=None, teams=None, **fields):
    """Write the plan's draft version (the next version, started from the one in force when there is
    no draft yet): the fields given and, when given, its whole checklist (`actions`; None keeps the
    draft's, or the one in force's). An approved version is never written."""
    _require(user, "change", plan.jurisdiction)
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    unknown = set(fields) - set(VERSION_FIELDS)
    if unknown:
        raise ValidationError(_("Unknown fields: %(fields)s.") % {"fields": ", ".join(sorted(unknown))})
    version = draft_of(plan)
    base = plan.current
    if actions is None:
        kept = version if version is not None else base
        actions = [{"text": a.text, "group": a.group, "position": a.position, "offset_minutes": a.offset_minutes}
                   for a in kept.actions.order_by("order", "pk")] if kept is not None else []
    rows = _check_actions(plan.jurisdiction, actions)
    if version is None:
        last = plan.versions.order_by("-number").values_list("number", flat=True).first() or 0
        version = PlanVersion(plan=plan, jurisdiction=plan.jurisdiction, number=last + 1, created_by=user)
        if base is not None:
            for name in VERSION_FIELDS:
                if name != "note":
                    setattr(version, name, getattr(base, name))
            contacts = list(base.contacts.all()) if contacts is None else contacts
            teams = list(base.teams.all()) if teams is None else teams
    for name, value in fields.items():
        setattr(version, name, value if value is not None else getattr(version, name))
    version.title = (version.title or plan.title).strip()
    _check_version(plan, {name: getattr(version, name) for name in VERSION_FIELDS})
    version.full_clean(exclude=["plan", "jurisdiction", "contacts", "teams", "lead_group"])
    version.save()
    if contacts is not None:
        version.contacts.set(contacts)
    if teams is not None:
        version.teams.set(teams)
    version.actions.all().delete()
    for row in rows:
        PlanAction.objects.create(version=version, jurisdiction=plan.jurisdiction, **row)
    return version


@transaction.atomic
def approve(version, *, user, approver="", at=None):
    """Approve a draft: it becomes the version in force and never changes again; the plan's review
    cycle (policy `plans.review_months`, yearly by default) runs from here if none is pending."""
    at = _now_or(at)
    _require(user, "change", version.jurisdiction)
    version = PlanVersion.objects.select_for_update().select_related("plan").get(pk=version.pk)
    if version.state != VersionState.DRAFT:
        raise ValidationError(_("This version is approved already; draft the next version to change it."))
    errors = {}
    if not version.actions.exists():
        errors["actions"] = [_("A plan needs at least one action in its checklist.")]
    if version.lead_group_id is None:
        errors["lead_group"] = [_("Name the lead working group before approving.")]
    if errors:
        raise ValidationError(errors)
    person = _person_of(user)
    version.state, version.approved_at, version.approved_by = VersionState.APPROVED, at, user
    version.approver = (approver or (person.name if person else (user.get_full_name() if user else "")))[:60]
    version.save(allow_approved=True)
    plan = version.plan
    plan.current = version
    plan.save(update_fields=["current", "updated_at"])
    if not Obligation.objects.for_subject(plan).of_kind(KIND_PLAN_REVIEW).pending().exists():
        _open_review(plan, at, at)
    return version


def _review_due(node, since):
    months = rules.review_months(node)
    day = timezone.localdate(since)
    first = rules.add_months(day.replace(day=1), months)
    last_day = (rules.add_months(first, 1) - timedelta(days=1)).day
    return end_of_day(first.replace(day=min(day.day, last_day)))


def _open_review(plan, opens_at, since):
    due = _review_due(plan.jurisdiction, since)
    leader = _group_leader(plan.jurisdiction, plan.working_kind)
    return obligations.open_obligation(
        kind=KIND_PLAN_REVIEW, title=_("Expert review of the plan %(plan)s") % {"plan": plan.title},
        jurisdiction=plan.jurisdiction, subject=plan, opens_at=opens_at, due_at=due, responsible_person=leader,
        policy_version=rules.plans_version(plan.jurisdiction), rule="plans.review_months",
        key=obligation_key(KIND_PLAN_REVIEW, plan, timezone.localdate(due)),
    )


@transaction.atomic
def record_review(plan, *, user, reviewed_on, experts, conclusion, opinion=""):
    """An expert review of the version in force: it meets the pending review and the next one is due
    a cycle after it."""
    _require(user, "change", plan.jurisdiction)
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    errors = {}
    if plan.current is None:
        errors["version"] = [_("Only an approved plan is reviewed.")]
    if not (experts or "").strip():
        errors["experts"] = [_("Name the experts who reviewed it.")]
    if conclusion not in ReviewConclusion.values:
        errors["conclusion"] = [_("Choose the conclusion.")]
    if reviewed_on is None:
        errors["reviewed_on"] = [_("Give the date of the review.")]
    elif reviewed_on > timezone.localdate():
        errors["reviewed_on"] = [_("A review cannot be dated in the future.")]
    if errors:
        raise ValidationError(errors)
    review = PlanReview.objects.create(plan=plan, jurisdiction=plan.jurisdiction, version=plan.current,
                                       reviewed_on=reviewed_on, experts=experts.strip(), conclusion=conclusion,
                                       opinion=opinion, recorded_by=user)
    now = timezone.now()
    at = now if reviewed_on == timezone.localdate(now) else local_datetime(reviewed_on, "12:00")
    for ob in Obligation.objects.for_subject(plan).of_kind(KIND_PLAN_REVIEW).pending():
        obligations.meet(ob, at=max(at, ob.opens_at), by=_meeting_user(user, plan.jurisdiction),
                         evidence=_("expert review %(id)s") % {"id": review.pk})
    _open_review(plan, now, local_datetime(reviewed_on, "12:00"))
    return review


def _meeting_user(user, node):
    return user if user is not None and can_at(user, "obligations", "change", node.path) else None


def _group_leader(node, working_kind):
    """The leader of the node's (or the nearest ancestor's) working group of this kind."""
    chain = [*node.ancestors(), node]
    seat = (Membership.objects.filter(group__kind=GroupKind.WORKING, group__working_kind=working_kind,
                                      group__jurisdiction__in=chain, position=Position.LEADER)
            .select_related("person").order_by("-group__jurisdiction__depth", "order", "pk").first())
    return seat.person if seat else None


# ---------------------------------------------------------------- drills: planning

def _check_drill(node, fields):
    errors = {}
    known = POLICY_TERMS.get("categories") or {}
    if known and fields.get("category") not in known:
        errors["category"] = [_("Choose the incident category the drill simulates.")]
    for name in ("plan", "unit"):
        record = fields.get(name)
        if record is not None and not (_on_or_above(record, node) or record.jurisdiction.path.startswith(node.path)):
            errors[name] = [_("It must belong to the drill's node, above it or below it.")]
    if fields.get("plan") is not None and fields["plan"].current_id is None:
        errors["plan"] = [_("This plan has no approved version to exercise yet.")]
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def create_drill(*, node, user=None, injects=(), evaluators=(), **fields):
    """A planned drill on `node` with its scenario's injects (each with its expected actions and their
    contingency injects), as nested dicts."""
    _require(user, "add", node)
    _check_drill(node, fields)
    drill = Drill(jurisdiction=node, **fields)
    drill.full_clean(exclude=["evaluators"])
    drill.save()
    drill.evaluators.set(evaluators)
    for n, inject in enumerate(injects, 1):
        add_inject(drill, user=user, order=n, **inject)
    return drill


@transaction.atomic
def edit_drill(drill, *, user=None, evaluators=None, **fields):
    _require(user, "change", drill.jurisdiction)
    drill = Drill.objects.select_for_update().get(pk=drill.pk)
    if drill.state != DrillState.PLANNED:
        raise ValidationError(_("A drill that has started is not changed; its record is what happened."))
    for name, value in fields.items():
        setattr(drill, name, value)
    _check_drill(drill.jurisdiction, {"category": drill.category, "plan": drill.plan, "unit": drill.unit})
    drill.full_clean(exclude=["evaluators"])
    drill.save()
    if evaluators is not None:
        drill.evaluators.set(evaluators)
    return drill


def _planned(drill):
    if drill.state != DrillState.PLANNED:
        raise ValidationError(_("The scenario is fixed once the drill has started."))


def _recipients_ok(drill, fields, errors, key="recipient_person"):
    group, person = fields.get("recipient_group"), fields.get("recipient_person")
    if group is None and person is None:
        errors[key] = [_("Say who receives the inject: a group or a person.")]


@transaction.atomic
def add_inject(drill, *, user=None, actions=(), order=None, **fields):
    """An inject of a planned drill, with its expected actions ({text, person, points, window_minutes,
    contingencies: [inject fields]})."""
    _require(user, "change", drill.jurisdiction)
    _planned(drill)
    errors = {}
    _recipients_ok(drill, fields, errors)
    if errors:
        raise ValidationError(errors)
    inject = Inject(drill=drill, jurisdiction=drill.jurisdiction,
                    order=order if order is not None else drill.injects.count() + 1, **fields)
    inject.full_clean(exclude=["drill", "contingency_for"])
    inject.save()
    for n, action in enumerate(actions, 1):
        add_action(inject, user=user, order=n, **action)
    return inject


@transaction.atomic
def add_action(inject, *, user=None, contingencies=(), order=None, **fields):
    _require(user, "change", inject.jurisdiction)
    _planned(inject.drill)
    action = ExpectedAction(inject=inject, jurisdiction=inject.jurisdiction,
                            order=order if order is not None else inject.actions.count() + 1, **fields)
    action.full_clean(exclude=["inject"])
    if not 1 <= action.window_minutes <= 24 * 60:
        raise ValidationError({"window_minutes": _("Give a window between 1 minute and a day.")})
    action.save()
    for n, contingency in enumerate(contingencies, 1):
        add_inject(inject.drill, user=user, order=100 + n, contingency_for=action,
                   offset_minutes=contingency.pop("offset_minutes", inject.offset_minutes), **contingency)
    return action


@transaction.atomic
def remove_inject(inject, *, user=None):
    _require(user, "change", inject.jurisdiction)
    _planned(inject.drill)
    inject.delete()


# ---------------------------------------------------------------- drills: the run

def _locked(drill):
    # the drill's row alone (its plan and unit are on the nullable side of the join)
    return Drill.objects.select_for_update(of=("self",)).select_related("jurisdiction", "plan", "unit").get(pk=drill.pk)


def _live(drill):
    if drill.state not in (DrillState.RUNNING, DrillState.PAUSED):
        raise ValidationError(_("The drill is not running."))


@transaction.atomic
def start_drill(drill, *, user, at=None):
    """Start the drill: its exercise incident is opened through the same intake as a real one (the
    floor above, by signal), the evacuation target is frozen from the policy, and the injects at
    offset 0 go out at once."""
    at = _now_or(at)
    _not_future("started_at", at)
    _require(user, "change", drill.jurisdiction)
    drill = _locked(drill)
    if drill.state != DrillState.PLANNED:
        raise ValidationError(_("This drill has started already."))
    if not drill.injects.filter(contingency_for__isnull=True).exists():
        raise ValidationError({"injects": _("A drill needs at least one inject in its scenario.")})
    drill.state, drill.started_at, drill.started_by = DrillState.RUNNING, at, user
    drill.plan_version = drill.plan.current if drill.plan_id else None
    node = drill.unit.jurisdiction if drill.unit_id else drill.jurisdiction
    drill.target_seconds, drill.target_basis = rules.evacuation_target(node, drill.storeys)
    drill.target_basis = drill.target_basis[:200]
    drill.save()
    signals.drill_started.send(sender=Drill, drill=drill, user=user, at=at)
    deliver_due(drill, now=at)
    return drill


@transaction.atomic
def pause_drill(drill, *, user, at=None):
    at = _now_or(at)
    _require(user, "change", drill.jurisdiction)
    drill = _locked(drill)
    if drill.state != DrillState.RUNNING:
        raise ValidationError(_("Only a running drill can be paused."))
    drill.state, drill.paused_at = DrillState.PAUSED, at
    drill.save(update_fields=["state", "paused_at", "updated_at"])
    return drill


@transaction.atomic
def resume_drill(drill, *, user, at=None):
    at = _now_or(at)
    _require(user, "change", drill.jurisdiction)
    drill = _locked(drill)
    if drill.state != DrillState.PAUSED:
        raise ValidationError(_("Only a paused drill can be resumed."))
    drill.paused_seconds += max(int((at - drill.paused_at).total_seconds()), 0)
    drill.state, drill.paused_at = DrillState.RUNNING, None
    drill.save(update_fields=["state", "paused_at", "paused_seconds", "updated_at"])
    deliver_due(drill, now=at)
    return drill


def _lock_rows(qs):
    lock = {"skip_locked": True, "of": ("self",)} if connection.features.has_select_for_update_skip_locked else {}
    return list(qs.select_for_update(**lock))


def _recipient_people(inject):
    if inject.recipient_person_id:
        return [inject.recipient_person]
    if inject.recipient_group_id:
        return [m.person for m in inject.recipient_group.memberships.select_related("person__user")]
    return []


def _deliver(drill, inject, now, user=None):
    inject.state, inject.delivered_at, inject.handled_by = InjectState.DELIVERED, now, user
    inject.save(update_fields=["state", "delivered_at", "handled_by", "updated_at"])
    users = [p.user for p in _recipient_people(inject) if p.user_id]
    if users:
        obligations.send_message(users, title=f"{DRILL_MARK}{inject.title}"[:200], body=inject.message,
                                 url=_phone_url(drill))
    signals.inject_delivered.send(sender=Drill, drill=drill, inject=inject, user=user, at=now)


def _phone_url(drill):
    return reverse("plans:phone_drill", args=[drill.pk])


@transaction.atomic
def deliver_due(drill, now=None):
    """Deliver the drill's injects whose offset (exercise time) is reached, each exactly once: the
    rows are claimed under a lock and their state changes in the same transaction, so a second
    sweep, or two at once, find nothing left."""
    now = _now_or(now)
    drill = Drill.objects.select_for_update().get(pk=drill.pk)
    if drill.state != DrillState.RUNNING:
        return []
    reached = drill.elapsed(now)
    due = Inject.objects.filter(drill=drill, state=InjectState.PENDING, contingency_for__isnull=True,
                                offset_minutes__lte=int(reached.total_seconds() // 60)).order_by(
        "offset_minutes", "order", "pk")
    delivered = []
    for inject in _lock_rows(due.select_related("recipient_person", "recipient_group")):
        if inject.state != InjectState.PENDING:
            continue
        _deliver(drill, inject, now)
        delivered.append(inject)
    return delivered


@transaction.atomic
def offer_contingencies(drill, now=None):
    """Offer the contingency injects of the expected actions not logged within their window (once)."""
    now = _now_or(now)
    late = ExpectedAction.objects.filter(inject__drill=drill, inject__state=InjectState.DELIVERED,
                                         done_at__isnull=True).select_related("inject")
    late_ids = [a.pk for a in late if a.window_ends() and a.window_ends() < now]
    if not late_ids:
        return []
    offered = []
    for inject in _lock_rows(Inject.objects.filter(contingency_for_id__in=late_ids, state=InjectState.PENDING)):
        inject.state, inject.offered_at = InjectState.OFFERED, now
        inject.save(update_fields=["state", "offered_at", "updated_at"])
        offered.append(inject)
    return offered


def sweep_drills(now=None):
    """The sweep: deliver what each running drill's clock has reached and offer the contingencies
    of late actions. Safe to run twice or in two processes at once."""
    now = _now_or(now)
    stats = {"delivered": 0, "offered": 0}
    for drill in Drill.objects.filter(state=DrillState.RUNNING).order_by("pk"):
        stats["delivered"] += len(deliver_due(drill, now))
        stats["offered"] += len(offer_contingencies(drill, now))
    return stats


@transaction.atomic
def deliver_inject(inject, *, user, at=None):
    """The controller delivers an inject now: a contingency offered, or one ahead of its time."""
    at = _now_or(at)
    _require(user, "change", inject.jurisdiction)
    drill = _locked(inject.drill)
    _live(drill)
    inject = Inject.objects.select_for_update().get(pk=inject.pk)
    if inject.state not in (InjectState.PENDING, InjectState.OFFERED):
        raise ValidationError(_("This inject was delivered or skipped already."))
    _deliver(drill, inject, at, user)
    return inject


@transaction.atomic
def skip_inject(inject, *, user, at=None):
    at = _now_or(at)
    _require(user, "change", inject.jurisdiction)
    drill = _locked(inject.drill)
    if drill.state == DrillState.ENDED:
        raise ValidationError(_("The drill has ended."))
    inject = Inject.objects.select_for_update().get(pk=inject.pk)
    if inject.state not in (InjectState.PENDING, InjectState.OFFERED):
        raise ValidationError(_("This inject was delivered or skipped already."))
    inject.state, inject.skipped_at, inject.handled_by = InjectState.SKIPPED, at, user
    inject.save(update_fields=["state", "skipped_at", "handled_by", "updated_at"])
    return inject


def may_log(action, user) -> bool:
    """The player the action is expected of, a receiver of its inject, or whoever runs drills there."""
    if user is None or not user.is_authenticated:
        return False
    if can_at(user, AREA, "change", action.jurisdiction.path):
        return True
    person = _person_of(user)
    if person is None:
        return False
    inject = action.inject
    return (action.person_id == person.pk or inject.recipient_person_id == person.pk
            or (inject.recipient_group_id is not None
                and Membership.objects.filter(group_id=inject.recipient_group_id, person=person).exists()))


def may_evaluate(drill, user) -> bool:
    if user is None or not user.is_authenticated:
        return False
    person = _person_of(user)
    return can_at(user, AREA, "change", drill.jurisdiction.path) or (
        person is not None and drill.evaluators.filter(pk=person.pk).exists())


@transaction.atomic
def log_action(action, *, user, at=None, note="", client_uuid=None):
    """A player logs an expected action done (from the phone). The same client UUID twice is one
    logging; an action logged already keeps its first time."""
    if client_uuid:
        existing = replay(ExpectedAction, user, client_uuid=client_uuid)
        if existing:
            return existing
    at = _now_or(at)
    _not_future("done_at", at)
    if not may_log(action, user):
        raise PermissionDenied(_("Only the players of this inject, or who runs the drill, log its actions."))
    action = ExpectedAction.objects.select_for_update().select_related("inject__drill").get(pk=action.pk)
    drill = action.inject.drill
    _live(drill)
    if action.inject.state != InjectState.DELIVERED:
        raise ValidationError(_("This inject has not been delivered yet."))
    if action.done_at:
        return action
    if at < action.inject.delivered_at:
        raise ValidationError({"done_at": _("An action cannot be logged before its inject was delivered.")})
    action.done_at, action.done_by, action.done_note = at, user, (note or "")[:300]
    action.client_uuid = client_uuid or None
    action.save(update_fields=["done_at", "done_by", "done_note", "client_uuid", "updated_at"])
    signals.action_logged.send(sender=Drill, drill=drill, action=action, user=user, at=at)
    return action


@transaction.atomic
def evaluate(action, *, user, rating, observation="", client_uuid=None, at=None):
    """An evaluator's rating (P / S / M / U) and observation of an expected action."""
    if client_uuid:
        existing = replay(Evaluation, user, client_uuid=client_uuid)
        if existing:
            return existing
    action = ExpectedAction.objects.select_related("inject__drill__jurisdiction").get(pk=action.pk)
    drill = action.inject.drill
    if not may_evaluate(drill, user):
        raise PermissionDenied(_("Only the drill's evaluators, or who runs the drill, rate its actions."))
    if drill.state == DrillState.PLANNED:
        raise ValidationError(_("The drill has not started yet."))
    if rating not in Rating.values:
        raise ValidationError({"rating": _("Choose a rating: P, S, M or U.")})
    return Evaluation.objects.create(action=action, jurisdiction=action.jurisdiction, evaluator=user, rating=rating,
                                     observation=(observation or "").strip(), at=_now_or(at),
                                     client_uuid=client_uuid or None)


@transaction.atomic
def time_evacuation(drill, *, user, what, at=None):
    """The evacuation signal (`what` = "signal") or the all-clear ("all_clear"), at `at` (now)."""
    at = _now_or(at)
    _not_future("at", at)
    _require(user, "change", drill.jurisdiction)
    drill = _locked(drill)
    _live(drill)
    if what == "signal":
        if drill.evacuation_signal_at:
            raise ValidationError(_("The evacuation signal was given already."))
        if at < drill.started_at:
            raise ValidationError({"at": _("The signal cannot be before the drill started.")})
        drill.evacuation_signal_at = at
    elif what == "all_clear":
        if drill.evacuation_signal_at is None:
            raise ValidationError(_("Give the evacuation signal first."))
        if drill.all_clear_at:
            raise ValidationError(_("The all-clear was given already."))
        if at < drill.evacuation_signal_at:
            raise ValidationError({"at": _("The all-clear cannot be before the signal.")})
        drill.all_clear_at = at
    else:
        raise ValidationError({"what": _("Say signal or all-clear.")})
    drill.save(update_fields=["evacuation_signal_at", "all_clear_at", "updated_at"])
    signals.evacuation_timed.send(sender=Drill, drill=drill, what=what, user=user, at=at)
    return drill


def exercise_of(drill):
    """What the floor above keeps of the drill's run (its exercise incident), or None."""
    for facts in (fn(drill) for fn in EXERCISES.values()):
        if facts:
            return facts
    return None


@transaction.atomic
def end_drill(drill, *, user, at=None):
    """End the drill: its clocks are measured as they stand, its exercise incident is closed (by
    signal), and the drill the policy asked for in this period is met."""
    at = _now_or(at)
    _not_future("ended_at", at)
    _require(user, "change", drill.jurisdiction)
    drill = _locked(drill)
    _live(drill)
    if drill.state == DrillState.PAUSED:
        drill.paused_seconds += max(int((at - drill.paused_at).total_seconds()), 0)
        drill.paused_at = None
    facts = exercise_of(drill) or {}
    drill.clocks = [_measured(c) for c in facts.get("clocks", []) if c["opens_at"] <= at]
    drill.state, drill.ended_at, drill.ended_by = DrillState.ENDED, at, user
    drill.save()
    signals.drill_ended.send(sender=Drill, drill=drill, user=user, at=at)
    _meet_planned(drill, at, user)
    return drill


# ---------------------------------------------------------------- drills owed by policy

UNFINISHED = "unfinished"


def _measured(clock):
    """A clock as the drill's end found it: met, met late, missed, or still running (not met)."""
    state, label = clock["state"], clock["state_label"]
    if state not in ("met", "met_late", "missed", "waived"):
        state, label = UNFINISHED, str(_("not met when the drill ended"))
    return {"label": clock["label"] or clock["title"], "due_at": clock["due_at"].isoformat(),
            "met_at": clock["met_at"].isoformat() if clock["met_at"] else None, "state": state, "state_label": label}


def _drill_key(*parts):
    return obligation_key(KIND_DRILL, *parts)


def _meet_planned(drill, at, user):
    """Meet the drill the policy asked for in the period of this drill's start."""
    started = drill.started_at
    candidates = []
    if drill.unit_id and drill.kind == DrillKind.EVACUATION:
        candidates += list(Obligation.objects.for_subject(drill.unit).of_kind(KIND_DRILL).pending())
    if drill.plan_id:
        plans = Plan.objects.filter(jurisdiction=drill.plan.jurisdiction, working_kind=drill.plan.working_kind)
        candidates += list(Obligation.objects.for_subjects(Plan, plans.values_list("pk", flat=True))
                           .of_kind(KIND_DRILL).pending())
    for ob in candidates:
        if ob.opens_at <= started <= ob.due_at:
            obligations.meet(ob, at=max(at, ob.opens_at), by=_meeting_user(user, ob.jurisdiction),
                             evidence=str(drill)[:200])


def _ended_in(qs, start, end):
    return qs.filter(state=DrillState.ENDED, started_at__gte=start, started_at__lt=end).exists()


def _unit_kinds_in_policies():
    kinds = set()
    for rules_ in PolicyVersion.objects.filter(rules__has_key="drills").values_list("rules", flat=True):
        for entry in (rules_.get("drills") or {}).get("evacuation") or []:
            kinds.update(entry.get("unit_kinds") or [])
    return kinds


@transaction.atomic
def open_planned_drills(now=None):
    """The sweep: open the drill each unit owes in the current period (a school's month, a
    kindergarten's quarter: policy `drills.evacuation`) and the drill each node owes per working
    category of its plans (policy `plans.drill_every_months`). Idempotent by key; a drill already
    done in the period meets it at once. Returns how many were opened."""
    now = _now_or(now)
    today = timezone.localdate(now)
    opened = 0
    policies: dict = {}

    def section(node):
        if node.pk not in policies:
            policies[node.pk] = rules.drills(node)
        return policies[node.pk]

    kinds = _unit_kinds_in_policies()
    for unit in Unit.objects.filter(kind__in=kinds).select_related("jurisdiction", "responsible_person"):
        drills, version = section(unit.jurisdiction)
        cadence = rules.evacuation_cadence(drills, unit.kind)
        if cadence is None:
            continue
        start, end = rules.period_of(today, cadence.get("every_months") or 12)
        key = _drill_key("unit", unit, start)
        if Obligation.objects.with_keys([key]).exists():
            continue
        ob = obligations.open_obligation(
            kind=KIND_DRILL, key=key, subject=unit, jurisdiction=unit.jurisdiction,
            title=_("Evacuation drill at %(unit)s (%(start)s – %(end)s)") % {
                "unit": unit.name, "start": f"{start:%Y-%m-%d}", "end": f"{end - timedelta(days=1):%Y-%m-%d}"},
            opens_at=local_datetime(start), due_at=end_of_day(end - timedelta(days=1)),
            responsible_unit=unit, responsible_person=unit.responsible_person, policy_version=version,
            rule=cadence.get("name", "drills.evacuation"))
        opened += 1
        done = Drill.objects.filter(unit=unit, kind=DrillKind.EVACUATION)
        if _ended_in(done, local_datetime(start), local_datetime(end)):
            obligations.meet(ob, at=now, evidence=_("drill already done in this period"))
    seen = set()
    for plan in Plan.objects.filter(active=True, current__isnull=False).select_related("jurisdiction").order_by("pk"):
        pair = (plan.jurisdiction_id, plan.working_kind)
        if pair in seen:
            continue
        seen.add(pair)
        months = rules.category_drill_months(plan.jurisdiction)
        if months is None:
            continue
        start, end = rules.period_of(today, months)
        key = _drill_key("category", plan.jurisdiction, plan.working_kind, start)
        if Obligation.objects.with_keys([key]).exists():
            continue
        ob = obligations.open_obligation(
            kind=KIND_DRILL, key=key, subject=plan, jurisdiction=plan.jurisdiction,
            title=_("Drill of %(node)s: %(category)s (%(start)s – %(end)s)") % {
                "node": plan.jurisdiction.name, "category": plan.get_working_kind_display(),
                "start": f"{start:%Y-%m-%d}", "end": f"{end - timedelta(days=1):%Y-%m-%d}"},
            opens_at=local_datetime(start), due_at=end_of_day(end - timedelta(days=1)),
            responsible_person=_group_leader(plan.jurisdiction, plan.working_kind),
            policy_version=rules.plans_version(plan.jurisdiction), rule="plans.drill_every_months")
        opened += 1
        done = Drill.objects.filter(plan__jurisdiction=plan.jurisdiction, plan__working_kind=plan.working_kind)
        if _ended_in(done, local_datetime(start), local_datetime(end)):
            obligations.meet(ob, at=now, evidence=_("drill already done in this period"))
    return opened


# ---------------------------------------------------------------- after-action

@transaction.atomic
def record_after_action(drill, *, user, strengths="", improvements=(), at=None):
    """The after-action report: the strengths, and each area for improvement with its corrective
    action (owner, deadline), which becomes an obligation verified like a rectification."""
    at = _now_or(at)
    _require(user, "change", drill.jurisdiction)
    drill = _locked(drill)
    if drill.state != DrillState.ENDED:
        raise ValidationError(_("The after-action report follows the end of the drill."))
    errors = []
    rows = []
    for n, item in enumerate(improvements, 1):
        area, action = (item.get("area") or "").strip(), (item.get("action") or "").strip()
        owner, deadline = item.get("owner"), item.get("deadline")
        if not (area or action):
            continue
        if not area or not action or owner is None or deadline is None:
            errors.append(_("Area %(n)s: give the area, its corrective action, the owner and the deadline.")
                          % {"n": n})
        elif deadline <= at:
            errors.append(_("Area %(n)s: the deadline must be still to come.") % {"n": n})
        rows.append((area, action, owner, deadline))
    if errors:
        raise ValidationError({"improvements": errors})
    if strengths is not None:
        drill.strengths = strengths.strip()
    drill.reported_at = drill.reported_at or at
    drill.save(update_fields=["strengths", "reported_at", "updated_at"])
    made = []
    for area, action, owner, deadline in rows:
        improvement = Improvement.objects.create(drill=drill, jurisdiction=drill.jurisdiction, area=area[:300],
                                                 action=action[:300], owner=owner, deadline=deadline)
        _open_corrective(improvement, at)
        made.append(improvement)
    return made


def _open_corrective(improvement, opens_at):
    return obligations.open_obligation(
        kind=KIND_CORRECTIVE, title=_("Corrective action after %(drill)s: %(action)s") % {
            "drill": improvement.drill.title, "action": improvement.action},
        jurisdiction=improvement.jurisdiction, subject=improvement, opens_at=opens_at, due_at=improvement.deadline,
        responsible_person=improvement.owner, responsible_unit=improvement.owner.unit,
        key=obligation_key(KIND_CORRECTIVE, improvement, improvement.failed_count))


def _owns(improvement, user):
    return user is not None and improvement.owner.user_id == user.pk


@transaction.atomic
def report_improvement_done(improvement, *, user, text, at=None):
    at = _now_or(at)
    improvement = Improvement.objects.select_for_update().select_related("owner", "drill").get(pk=improvement.pk)
    if not _owns(improvement, user) and not can_at(user, AREA, "change", improvement.jurisdiction.path):
        raise PermissionDenied(_("Only its owner, or who runs drills here, reports a corrective action done."))
    if improvement.state != ImprovementState.OPEN:
        raise ValidationError(_("This corrective action is not open."))
    if not (text or "").strip():
        raise ValidationError({"report_text": _("Say what was done.")})
    improvement.state, improvement.reported_at, improvement.reported_by = ImprovementState.REPORTED, at, user
    improvement.report_text = text.strip()
    improvement.save()
    for ob in Obligation.objects.for_subject(improvement).of_kind(KIND_CORRECTIVE).pending():
        obligations.meet(ob, at=at, evidence=_("reported done"))
    obligations.open_obligation(
        kind=KIND_CORRECTIVE_VERIFY, title=_("Verify the corrective action: %(action)s") % {
            "action": improvement.action},
        jurisdiction=improvement.jurisdiction, subject=improvement, opens_at=at,
        due_at=at + timedelta(days=DEFAULT_VERIFY_DAYS),
        key=obligation_key(KIND_CORRECTIVE_VERIFY, improvement, improvement.failed_count))
    return improvement


def verifier_refusal(improvement, user):
    if _owns(improvement, user):
        return _("You own this corrective action; someone else must verify it.")
    if improvement.reported_by_id == getattr(user, "pk", None):
        return _("You reported this corrective action done; someone else must verify it.")
    if not can_at(user, AREA, "change", improvement.jurisdiction.path):
        return _("Only who runs drills here verifies a corrective action.")
    return None


@transaction.atomic
def verify_improvement(improvement, *, user, passed, note="", new_deadline=None, at=None):
    at = _now_or(at)
    improvement = Improvement.objects.select_for_update().select_related("owner", "drill").get(pk=improvement.pk)
    reason = verifier_refusal(improvement, user)
    if reason:
        raise PermissionDenied(reason)
    errors = {}
    if improvement.state != ImprovementState.REPORTED:
        errors["state"] = [_("Only a corrective action reported done can be verified.")]
    if not passed:
        if not (note or "").strip():
            errors["note"] = [_("Say what is still wrong.")]
        if new_deadline is None:
            errors["new_deadline"] = [_("Give the new deadline.")]
        elif new_deadline <= at:
            errors["new_deadline"] = [_("The deadline is in the past. Give a time still to come.")]
    if errors:
        raise ValidationError(errors)
    for ob in Obligation.objects.for_subject(improvement).of_kind(KIND_CORRECTIVE_VERIFY).pending():
        obligations.meet(ob, at=at, by=_meeting_user(user, improvement.jurisdiction),
                         evidence=_("verified") if passed else _("failed verification"))
    improvement.note = (note or "").strip()
    if passed:
        improvement.state, improvement.verified_at, improvement.verified_by = ImprovementState.VERIFIED, at, user
        improvement.save()
        return improvement
    improvement.failed_count += 1
    improvement.state, improvement.deadline = ImprovementState.OPEN, new_deadline
    improvement.reported_at = improvement.reported_by = None
    improvement.save()
    _open_corrective(improvement, at)
    return improvement


# ---------------------------------------------------------------- training

@transaction.atomic
def create_course(*, node, user=None, **fields):
    _require(user, "add", node)
    course = Course(jurisdiction=node, **fields)
    course.full_clean()
    course.save()
    return course


@transaction.atomic
def create_session(*, node, user=None, **fields):
    _require(user, "add", node)
    session = Session(jurisdiction=node, token=secrets.token_urlsafe(18), **fields)
    session.full_clean()
    session.save()
    return session


def sign_in_window(session):
    return session.starts_at - SIGN_IN_EARLY, session.ends_at


@transaction.atomic
def sign_in(session, *, user, person=None, method=AttendanceMethod.QR, client_uuid=None, at=None):
    """Attendance: a person scans the session's QR code on his phone (he signs himself in, while the
    session is on) or the trainer enters him. Once per person and session; a retry is the same row."""
    if client_uuid:
        existing = replay(Attendance, user, client_uuid=client_uuid)
        if existing:
            return existing, False
    at = _now_or(at)
    if method == AttendanceMethod.QR:
        person = _person_of(user)
        if person is None:
            raise ValidationError({"person": _("Your account is not linked to a person; ask the office.")})
        opens, closes = sign_in_window(session)
        if not opens <= at <= closes:
            raise ValidationError({"signed_at": _("Sign-in is open from 30 minutes before the session until its end.")})
    else:
        _require(user, "change", session.jurisdiction)
        if person is None:
            raise ValidationError({"person": _("Choose who attended.")})
    found = Attendance.objects.filter(session=session, person=person).first()
    if found:
        return found, False
    attendance = Attendance.objects.create(session=session, jurisdiction=session.jurisdiction, person=person,
                                           signed_at=at, method=method, signed_by=user,
                                           client_uuid=client_uuid or None)
    return attendance, True


def _expires(course, issued_on):
    if not course.certificate_months:
        return None
    first = rules.add_months(issued_on.replace(day=1), course.certificate_months)
    last_day = (rules.add_months(first, 1) - timedelta(days=1)).day
    return first.replace(day=min(issued_on.day, last_day))


@transaction.atomic
def issue_certificate(*, person, course, number, issued_on, user=None, expires_on=None):
    """A certificate; its expiry follows from the course unless given. Renewal is its obligation
    (open from 60 days before, due on the last valid day); an earlier certificate of the same course
    is renewed by it."""
    _require(user, "add", person.jurisdiction)
    expires_on = expires_on or _expires(course, issued_on)
    certificate = Certificate(jurisdiction=person.jurisdiction, person=person, course=course, number=number,
                              issued_on=issued_on, expires_on=expires_on)
    certificate.full_clean()
    certificate.save()
    for older in Certificate.objects.filter(person=person, course=course, renewed=False).exclude(pk=certificate.pk):
        older.renewed = True
        older.save(update_fields=["renewed", "updated_at"])
        for ob in Obligation.objects.for_subject(older).of_kind(KIND_CERTIFICATE).pending():
            obligations.meet(ob, at=max(timezone.now(), ob.opens_at), evidence=str(certificate)[:200])
    if expires_on is not None:
        due = end_of_day(expires_on)
        obligations.open_obligation(
            kind=KIND_CERTIFICATE, title=_("Renew the certificate %(course)s of %(person)s") % {
                "course": course.title, "person": person.name},
            jurisdiction=person.jurisdiction, subject=certificate, responsible_person=person,
            responsible_unit=person.unit, opens_at=min(local_datetime(expires_on - timedelta(days=REMINDER_DAYS[0])),
                                                       due),
            due_at=due, key=obligation_key(KIND_CERTIFICATE, certificate))
    return certificate


def remind_certificates(now=None):
    """Remind each holder 60, 30 and 7 days before his certificate expires: each reminder once
    (the nearest one reached is stored on the certificate under a row lock)."""
    now = _now_or(now)
    today = timezone.localdate(now)
    sent = 0
    horizon = today + timedelta(days=REMINDER_DAYS[0])
    for pk in Certificate.objects.filter(renewed=False, expires_on__gte=today, expires_on__lte=horizon) \
            .values_list("pk", flat=True):
        with transaction.atomic():
            certificate = Certificate.objects.select_for_update().select_related("person", "course").get(pk=pk)
            days = (certificate.expires_on - today).days
            due = min(d for d in REMINDER_DAYS if days <= d)
            if certificate.reminded_days is not None and certificate.reminded_days <= due:
                continue
            certificate.reminded_days = due
            certificate.save(update_fields=["reminded_days", "updated_at"])
            if certificate.person.user_id:
                obligations.send_message(
                    [certificate.person.user],
                    title=_("Your certificate %(course)s expires in %(days)s days") % {
                        "course": certificate.course.title, "days": days},
                    body=_("Certificate %(number)s is valid until %(day)s; attend a course to renew it.") % {
                        "number": certificate.number, "day": f"{certificate.expires_on:%Y-%m-%d}"},
                    url=certificate.get_absolute_url())
            sent += 1
    return sent


# ---------------------------------------------------------------- campaigns

@transaction.atomic
def create_campaign(*, node, user=None, **fields):
    _require(user, "add", node)
    campaign = Campaign(jurisdiction=node, created_by=user, **fields)
    campaign.full_clean()
    campaign.save()
    return campaign


@transaction.atomic
def set_campaign_target(*, node, year, campaigns, audience=None, user=None):
    """A node's target for a year (the one it had is changed)."""
    _require(user, "change", node)
    target = CampaignTarget.objects.filter(jurisdiction=node, year=year).first() or CampaignTarget(
        jurisdiction=node, year=year)
    target.campaigns, target.audience = campaigns, audience
    target.full_clean()
    target.save()
    return target


@transaction.atomic
def add_campaign_photo(campaign, *, user, photo, caption=""):
    _require(user, "change", campaign.jurisdiction)
    content = image_upload(photo)
    if content is None:
        raise ValidationError({"photo": _("Choose a photo.")})
    item = CampaignPhoto(campaign=campaign, jurisdiction=campaign.jurisdiction, caption=caption[:200], taken_by=user)
    item.file.save(content.name, content, save=False)
    item.save()
    return item
