"""Writes of duty: rosters from a pattern or the optimiser, publishing (only a roster the checker
passes), leave, swap requests re-checked at every step, the on-duty confirmation, posture."""

from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shouwang.core.clock import local_datetime
from shouwang.core.scope import can_at, refusal

from . import patterns, rosters, solver
from .choices import LEVEL_RANK, Post, PostureLevel, RosterState, SwapState
from .models import Assignment, Leave, Posture, Roster, SwapRequest
from .problem import parse

AREA = "duty"
PATTERNS = ("four_teams", "daily", "weekly_leader")


def _require(user, action, node):
    if user is not None and not can_at(user, AREA, action, node.path):
        raise PermissionDenied(refusal(user, AREA, node.path))


def _person(user):
    person = getattr(user, "person", None) if user is not None else None
    if person is None:
        raise PermissionDenied(_("Your account is not linked to a person of the organisation."))
    return person


# --- Rosters ----------------------------------------------------------------------------------

@transaction.atomic
def create_roster(*, node, name, starts_on, days, shifts, demand, rules=None, team=None, members=(), leaders=(),
                  user=None):
    _require(user, "add", node)
    roster = Roster(jurisdiction=node, name=name, starts_on=starts_on, days=days, shifts=shifts, demand=demand,
                    rules=rules or {}, team=team)
    roster.full_clean()
    _check_shape(roster)
    roster.save()
    roster.members.set(list(members) or (list(team.members.all()) if team else []))
    roster.leaders.set(list(leaders))
    return roster


def _check_shape(roster):
    """The shifts, demand and rules read as the problem format does; its messages on the fields."""
    try:
        parse({"start": roster.starts_on.isoformat(), "days": roster.days, "shifts": roster.shifts,
               "staff": [{"id": "x"}], "demand": roster.demand, "rules": roster.rules or {}})
    except Exception as exc:  # ProblemError with "where: what" messages
        errors = getattr(exc, "errors", [str(exc)])
        by_field = {}
        for message in errors:
            key = message.split(":")[0].split("[")[0].split(".")[0]
            by_field.setdefault(key if key in ("shifts", "demand", "rules", "days") else "shifts", []).append(message)
        raise ValidationError(by_field) from None


def _editable(roster, user):
    _require(user, "change", roster.jurisdiction)
    if roster.state == RosterState.PUBLISHED:
        raise ValidationError(_("This roster is published: make a new draft to change it."))


@transaction.atomic
def generate(roster, *, pattern, groups, user=None):
    """Fill a draft roster from a pattern, replacing what it held.

    - four_teams: `groups` four lists of people, rotating early → middle → night → rest (two days
      a step); each on shift in the roster's first non-leader post;
    - daily: `groups` one list of people, one a day on the roster's first shift (24-hour duty);
    - weekly_leader: `groups` one list of leaders, one a week on every shift as leader."""
    roster = Roster.objects.select_for_update().get(pk=roster.pk)
    _editable(roster, user)
    if pattern not in PATTERNS:
        raise ValidationError({"pattern": _("Choose a pattern.")})
    posts = [r["role"] for r in roster.demand if r["role"] != Post.LEADER] or [Post.DUTY_OFFICER]
    shift_ids = [s["id"] for s in roster.shifts]
    rows = []
    if pattern == "four_teams":
        if len(groups) != 4 or not all(groups):
            raise ValidationError({"groups": _("Four teams three shifts needs four teams, each with people.")})
        missing = [s for s in patterns.FOUR_TEAMS_CYCLE[:3] if s not in shift_ids]
        if missing:
            raise ValidationError({"pattern": _("The roster needs the shifts early, middle and night for this "
                                                "pattern (missing: %(ids)s).") % {"ids": "、".join(missing)}})
        for team, d, shift in patterns.four_teams_three_shifts(list(range(4)), roster.days):
            rows += [(p, d, shift, posts[0]) for p in groups[team]]
        Assignment.objects.filter(roster=roster).exclude(post=Post.LEADER).delete()
    elif pattern == "daily":
        people = groups[0] if groups else []
        if not people:
            raise ValidationError({"groups": _("Choose the people who take the duty in turn.")})
        rows = [(p, d, s, posts[0]) for p, d, s in patterns.daily_rotation(people, roster.days, shift=shift_ids[0])]
        Assignment.objects.filter(roster=roster).exclude(post=Post.LEADER).delete()
    else:
        leaders = groups[0] if groups else []
        if not leaders:
            raise ValidationError({"groups": _("Choose the leaders who take a week each in turn.")})
        for p, d, _s in patterns.weekly_leader(leaders, roster.starts_on, roster.days):
            rows += [(p, d, s, Post.LEADER) for s in shift_ids]
        Assignment.objects.filter(roster=roster, post=Post.LEADER).delete()
        roster.leaders.add(*leaders)
    roster.members.add(*{p for p, *_ in rows if p not in set(roster.leaders.all())})
    Assignment.objects.bulk_create(
        [Assignment(jurisdiction=roster.jurisdiction, roster=roster, person=p, day=roster.starts_on + timedelta(days=d),
                    shift=s, post=post) for p, d, s, post in rows], ignore_conflicts=True)
    return roster


def solve(roster, *, seconds=10, workers=2, on_progress=None, user=None):
    """Let the optimiser make the draft: the roster as it stands is the wish (minimal change); the
    result replaces it only when it is feasible. Answers the solver's Solution."""
    _editable(roster, user)
    problem = parse(rosters.data_of(roster))
    found = solver.solve(problem, seconds=seconds, workers=workers, on_progress=on_progress,
                         hint={(p, d, s, r) for p, d, s, r in problem.previous})
    if found.status not in ("optimal", "feasible"):
        return found
    with transaction.atomic():
        roster = Roster.objects.select_for_update().get(pk=roster.pk)
        _editable(roster, user)
        people = {str(p.pk): p for p in [*roster.members.all(), *roster.leaders.all()]}
        Assignment.objects.filter(roster=roster).delete()
        Assignment.objects.bulk_create([
            Assignment(jurisdiction=roster.jurisdiction, roster=roster, person=people[p],
                       day=roster.starts_on + timedelta(days=d), shift=s, post=r) for p, d, s, r in found.assignments])
    return found


@transaction.atomic
def publish(roster, user=None):
    roster = Roster.objects.select_for_update().get(pk=roster.pk)
    _editable(roster, user)
    verdict = rosters.check(roster)
    if not verdict["ok"]:
        names = {str(p.pk): p.name for p in [*roster.members.all(), *roster.leaders.all()]}
        lines = [rosters.describe(roster, v, names) for v in verdict["violations"][:5]]
        more = len(verdict["violations"]) - len(lines)
        raise ValidationError(_("The roster breaks its rules and cannot be published: %(lines)s") % {
            "lines": "；".join(lines) + (_("; and %(n)s more") % {"n": more} if more > 0 else "")})
    roster.state, roster.published_at, roster.published_by = RosterState.PUBLISHED, timezone.now(), user
    roster.save(update_fields=["state", "published_at", "published_by", "updated_at"])
    return roster


# --- Leave --------------------------------------------------------------------------------------

@transaction.atomic
def enter_leave(*, person, starts_on, ends_on, reason, user=None):
    _require(user, "add", person.jurisdiction)
    leave = Leave(jurisdiction=person.jurisdiction, person=person, starts_on=starts_on, ends_on=ends_on, reason=reason)
    leave.full_clean()
    leave.save()
    return leave


# --- Swaps --------------------------------------------------------------------------------------

def swap_refusal(assignment, colleague):
    """Why `colleague` may not take `assignment`, naming the rule; '' when he may."""
    roster = assignment.roster
    if assignment.person_id == colleague.pk:
        return _("This shift is already this person's.")
    rows = [a for a in Assignment.objects.filter(roster=roster) if a.pk != assignment.pk]
    before = rosters.check(roster, rows + [assignment], extra_people=[colleague])
    taken = Assignment(roster=roster, person=colleague, day=assignment.day, shift=assignment.shift,
                       post=assignment.post)
    after = rosters.check(roster, rows + [taken], extra_people=[colleague])
    seen = {repr(sorted(v.items())) for v in before["violations"]}
    new = [v for v in after["violations"] if repr(sorted(v.items())) not in seen
           and v.get("staff") in (None, str(colleague.pk))]
    if not new:
        return ""
    names = {str(colleague.pk): colleague.name}
    return _("Refused by the rule “%(rule)s”: %(what)s") % {
        "rule": rosters.rule_label(new[0]["rule"]), "what": "；".join(rosters.describe(roster, v, names) for v in new)}


@transaction.atomic
def request_swap(*, assignment, colleague, reason="", user=None):
    """The person on a shift asks a colleague to take it. Refused at once when the rules forbid it."""
    assignment = Assignment.objects.select_for_update().select_related("roster", "person").get(pk=assignment.pk)
    me = _person(user)
    if assignment.person_id != me.pk:
        _require(user, "change", assignment.jurisdiction)  # the office may ask on someone's behalf
    if assignment.day < timezone.localdate():
        raise ValidationError({"assignment": _("This shift is over.")})
    open_swap = assignment.swaps.filter(state__in=[SwapState.REQUESTED, SwapState.ACCEPTED]).first()
    if open_swap is not None:
        if open_swap.colleague_id == colleague.pk:
            return open_swap  # a retried request is the same request
        raise ValidationError({"assignment": _("A swap of this shift is already under way.")})
    why = swap_refusal(assignment, colleague)
    swap = SwapRequest(jurisdiction=assignment.jurisdiction, assignment=assignment, requester=assignment.person,
                       colleague=colleague, reason=reason)
    if why:
        swap.state, swap.refusal, swap.decided_at = SwapState.REFUSED, why, timezone.now()
    swap.full_clean()
    swap.save()
    return swap


@transaction.atomic
def accept_swap(swap, user=None):
    swap = SwapRequest.objects.select_for_update().select_related("assignment__roster").get(pk=swap.pk)
    if _person(user).pk != swap.colleague_id:
        raise PermissionDenied(_("Only the colleague asked may accept this swap."))
    if swap.state != SwapState.REQUESTED:
        raise ValidationError(_("This swap is no longer waiting for the colleague."))
    swap.state, swap.accepted_at = SwapState.ACCEPTED, timezone.now()
    swap.save(update_fields=["state", "accepted_at", "updated_at"])
    return swap


@transaction.atomic
def decide_swap(swap, *, approve, reason="", user=None):
    """The office approves (the colleague takes the shift, checked once more) or refuses."""
    swap = SwapRequest.objects.select_for_update().select_related("assignment__roster", "colleague").get(pk=swap.pk)
    _require(user, "change", swap.jurisdiction)
    if swap.state not in (SwapState.REQUESTED, SwapState.ACCEPTED):
        raise ValidationError(_("This swap was already decided."))
    if approve and swap.state != SwapState.ACCEPTED:
        raise ValidationError(_("The colleague has not accepted this swap yet."))
    why = swap_refusal(swap.assignment, swap.colleague) if approve else (reason or _("Refused by the office."))
    swap.decided_at, swap.decided_by = timezone.now(), user
    if why:
        swap.state, swap.refusal = SwapState.REFUSED, why
    else:
        swap.state = SwapState.APPROVED
        assignment = Assignment.objects.select_for_update().get(pk=swap.assignment_id)
        assignment.person, assignment.sequence, assignment.confirmed_at = swap.colleague, assignment.sequence + 1, None
        assignment.save(update_fields=["person", "sequence", "confirmed_at", "updated_at"])
        assignment.roster.members.add(swap.colleague)
    swap.save()
    return swap


@transaction.atomic
def withdraw_swap(swap, user=None):
    swap = SwapRequest.objects.select_for_update().get(pk=swap.pk)
    if _person(user).pk != swap.requester_id:
        _require(user, "change", swap.jurisdiction)
    if swap.state not in (SwapState.REQUESTED, SwapState.ACCEPTED):
        raise ValidationError(_("This swap was already decided."))
    swap.state, swap.decided_at, swap.decided_by = SwapState.WITHDRAWN, timezone.now(), user
    swap.save(update_fields=["state", "decided_at", "decided_by", "updated_at"])
    return swap


# --- On duty ------------------------------------------------------------------------------------

def shift_times(assignment):
    """(start, end) of an assignment, aware, in the site's time zone (a night shift ends next day)."""
    shift = assignment.roster.shift(assignment.shift) or {"start": "00:00", "end": "00:00"}
    start = local_datetime(assignment.day, shift["start"])
    end = local_datetime(assignment.day, shift["end"])
    return start, end if end > start else end + timedelta(days=1)


@transaction.atomic
def confirm_on_duty(assignment, user=None, now=None):
    """One tap at shift start: the person on duty says he is there (from 30 minutes before)."""
    assignment = Assignment.objects.select_for_update().select_related("roster").get(pk=assignment.pk)
    if _person(user).pk != assignment.person_id:
        raise PermissionDenied(_("Only the person on this shift confirms it."))
    now = now or timezone.now()
    start, end = shift_times(assignment)
    if not start - timedelta(minutes=30) <= now < end:
        raise ValidationError(_("A shift is confirmed from 30 minutes before it starts until it ends."))
    if assignment.roster.state != RosterState.PUBLISHED:
        raise ValidationError(_("This roster is not published yet."))
    if assignment.confirmed_at is None:
        assignment.confirmed_at = now
        assignment.save(update_fields=["confirmed_at", "updated_at"])
    return assignment


# --- Posture ------------------------------------------------------------------------------------

@transaction.atomic
def set_posture(*, node, level, starts_at, ends_at, reason, user=None):
    """A leader sets a node's posture for a period, with the reason (the change log keeps who)."""
    _require(user, "change", node)
    if level not in PostureLevel.values:
        raise ValidationError({"level": _("Choose a level.")})
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Say why the level changes.")})
    if ends_at <= starts_at:
        raise ValidationError({"ends_at": _("The end must be after the start.")})
    if ends_at <= timezone.now():
        raise ValidationError({"ends_at": _("This period is already over.")})
    posture = Posture(jurisdiction=node, level=level, starts_at=starts_at, ends_at=ends_at, reason=reason.strip(),
                      set_by=user)
    posture.full_clean()
    posture.save()
    return posture


def rank(level) -> int:
    return LEVEL_RANK.get(level, 0)
