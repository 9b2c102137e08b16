"""Writes of duty: rosters from a layout, a pattern or the optimiser (a run in the background whose
result is a draft to review), publishing (only a roster the independent checker passes), overrides
and swaps re-checked with the rule named, leave, the on-duty confirmation, handovers, posture with
its shortfalls told, calendar links, and the sweep that turns unstaffed and unconfirmed slots into
obligations."""

import logging
import secrets
import threading
from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connections, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from shouwang.core.changelog import record, record_created
from shouwang.core.choices import ChangeAction
from shouwang.core.idempotency import replay
from shouwang.core.models import Person
from shouwang.core.scope import can_at, refusal
from shouwang.obligations import services as obligations
from shouwang.obligations.escalation import office, supervisors
from shouwang.obligations.models import Obligation

from . import checker, patterns, queries, rosters, solver
from .choices import (
    ACTIVE_RUNS,
    CONFIRMED_POSTS,
    KIND_CONFIRM,
    KIND_HANDOVER,
    KIND_UNSTAFFED,
    LEVEL_RANK,
    Pattern,
    Post,
    PostureLevel,
    RosterState,
    RunState,
    SwapState,
)
from .models import Assignment, FeedToken, Handover, Leave, Posture, Roster, SolveRun, SwapRequest
from .problem import ProblemError, parse
from .shifts import bounds

log = logging.getLogger(__name__)
AREA = "duty"
CONFIRM_OPENS_BEFORE = timedelta(minutes=30)  # the one tap counts from 30 minutes before the shift
CONFIRM_GRACE = timedelta(minutes=15)  # unconfirmed 15 minutes into the shift: the slot is missed
UNSTAFFED_AHEAD = timedelta(hours=24)  # a slot short of people this long before it starts: the owner's duty
HANDOVER_ACK = timedelta(minutes=30)  # an unacknowledged handover escalates after this
SOLVE_MAX_SECONDS = 600


def _require(user, action, node):
    if user is not None and not can_at(user, AREA, action, node.path):
        raise PermissionDenied(refusal(user, AREA, node.path))


def _person(user):
    person = getattr(user, "person", None) if user is not None else None
    if person is None:
        raise PermissionDenied(_("Your account is not linked to a person of the organisation."))
    return person


def _when(moment):
    return date_format(timezone.localtime(moment), "Y-m-d H:i")


def _slot(roster, day, shift_id):
    """'12-10 早班' for messages and titles."""
    return f"{day:%m-%d} {roster.shift_label(shift_id)}"


# --- Rosters ----------------------------------------------------------------------------------

def _check_shape(roster):
    """The shifts, demand and rules read as the problem format does; its messages on the fields."""
    try:
        parse({"start": roster.starts_on.isoformat(), "days": roster.days, "shifts": roster.shifts,
               "staff": [{"id": "x"}], "demand": roster.demand, "rules": roster.rules or {}})
    except ProblemError as exc:
        by_field = {}
        for message in exc.errors:
            key = message.split(":")[0].split("[")[0].split(".")[0]
            by_field.setdefault(key if key in ("shifts", "demand", "rules", "days") else "shifts", []).append(message)
        raise ValidationError(by_field) from None


@transaction.atomic
def create_roster(*, node, name, starts_on, days, shifts, demand, rules=None, team=None, owner=None, members=(),
                  leaders=(), user=None):
    _require(user, "add", node)
    roster = Roster(jurisdiction=node, name=(name or "").strip(), starts_on=starts_on, days=days, shifts=shifts,
                    demand=demand, rules=rules or {}, team=team, owner=owner)
    roster.full_clean()
    _check_shape(roster)
    roster.save()
    roster.members.set(list(members) or (list(team.members.all()) if team else []))
    roster.leaders.set(list(leaders))
    return roster


PERIOD_FIELDS = ("starts_on", "days", "shifts", "demand", "rules")


@transaction.atomic
def edit_roster(roster, *, user=None, members=None, leaders=None, **changes):
    """Change a roster. A published roster keeps its period, shifts and demand (its people's
    calendars hang on them): only its name, force, owner and people change; a new name bumps the
    calendars' SEQUENCE of its shifts."""
    roster = Roster.objects.select_for_update().get(pk=roster.pk)
    _require(user, "change", roster.jurisdiction)
    node = changes.pop("jurisdiction", roster.jurisdiction)
    _require(user, "change", node)
    if roster.is_published:
        fixed = [f for f in PERIOD_FIELDS if f in changes and changes[f] != getattr(roster, f)]
        if fixed or node != roster.jurisdiction:
            raise ValidationError(_("This roster is published: its period, shifts and demand stay as they are; "
                                    "make a new roster for another period."))
    renamed = "name" in changes and changes["name"] != roster.name
    for key, value in changes.items():
        setattr(roster, key, value)
    roster.jurisdiction = node
    roster.full_clean()
    _check_shape(roster)
    roster.save()
    if members is not None:
        roster.members.set(members)
    if leaders is not None:
        roster.leaders.set(leaders)
    for a in Assignment.objects.filter(roster=roster).exclude(jurisdiction=node).select_related("roster", "person"):
        a.jurisdiction = node  # a draft moved to another node: its rows follow, each in the change log
        a.save(update_fields=["jurisdiction", "updated_at"])
    if renamed and roster.is_published:
        Assignment.objects.filter(roster=roster).update(sequence=F("sequence") + 1)
    return roster


def _editable(roster, user):
    _require(user, "change", roster.jurisdiction)
    if roster.is_published:
        raise ValidationError(_("This roster is published: change it through swaps, overrides or the optimiser."))


def _insert(roster, rows, user=None):
    """New assignments [(person, day index or date, shift id, post)], logged as the signals would."""
    made = []
    for person, day, shift_id, post in rows:
        day = day if hasattr(day, "isoformat") else roster.starts_on + timedelta(days=day)
        made.append(Assignment(jurisdiction=roster.jurisdiction, roster=roster, person=person, day=day, shift=shift_id,
                               post=post))
    made = Assignment.objects.bulk_create(made)
    record_created(made, user)
    return made


def _drop(rows, reason="", now=None):
    """Take assignments off a roster: a published roster's stay, removed (their calendars say
    cancelled, SEQUENCE bumped); a draft's go. Their pending confirmations are waived."""
    now = now or timezone.now()
    rows = list(rows)
    for a in rows:
        _waive_confirmation(a, reason or _("The shift changed hands."))
        if a.roster.is_published:
            a.removed_at, a.sequence, a.removal_reason = now, a.sequence + 1, (reason or "")[:200]
            a.save(update_fields=["removed_at", "sequence", "removal_reason", "updated_at"])
        else:
            a.delete()


@transaction.atomic
def generate(roster, *, pattern, groups, post=None, user=None):
    """Fill a draft roster from a pattern, replacing what it held in the posts the pattern fills.

    - four_teams: `groups` four lists of people rotating early → middle → night → rest (two days a
      step), each in the roster's first post that is not the leader's;
    - daily: `groups` one list of people, one a day in turn on the roster's first shift in `post`
      (a 24-hour duty; `post` leader for a daily leader on duty);
    - weekly_leader: `groups` one list of leaders, one a week in turn, on every shift as leader."""
    roster = Roster.objects.select_for_update().get(pk=roster.pk)
    _editable(roster, user)
    if pattern not in Pattern.values:
        raise ValidationError({"pattern": _("Choose a pattern.")})
    main = queries.main_post(roster)
    shift_ids = [s["id"] for s in roster.shifts]
    if pattern == Pattern.FOUR_TEAMS:
        if len(groups) != 4 or not all(groups):
            raise ValidationError({"groups": _("Four teams three shifts needs four teams, each with people.")})
        missing = [s for s in patterns.FOUR_TEAMS_CYCLE[:3] if s not in shift_ids]
        if missing:
            raise ValidationError({"pattern": _("This pattern needs the three shifts early, middle and night: choose "
                                                "the three-shift layout for the roster.")})
        everyone = [p for g in groups for p in g]
        if len({p.pk for p in everyone}) != len(everyone):
            raise ValidationError({"groups": _("A person can be in one team only.")})
        post = main
        rows = [(p, d, shift, post) for team, d, shift in patterns.four_teams_three_shifts(list(range(4)), roster.days)
                for p in groups[team]]
    elif pattern == Pattern.DAILY:
        people = groups[0] if groups else []
        if not people:
            raise ValidationError({"groups": _("Choose the people who take the duty in turn.")})
        post = post or main
        rows = [(p, d, s, post) for p, d, s in patterns.daily_rotation(people, roster.days, shift=shift_ids[0])]
    else:
        people = groups[0] if groups else []
        if not people:
            raise ValidationError({"groups": _("Choose the leaders who take a week each in turn.")})
        post = Post.LEADER
        rows = [(p, d, s, post) for p, d, _s in patterns.weekly_leader(people, roster.starts_on, roster.days)
                for s in shift_ids]
    Assignment.objects.filter(roster=roster, post=post).delete()
    people = {p.pk: p for p, *_rest in rows}
    if post == Post.LEADER:
        roster.leaders.add(*people.values())
    else:
        roster.members.add(*people.values())
    _insert(roster, rows, user)
    return roster


@transaction.atomic
def replace_days(roster, *, days, columns, rows, user=None):
    """A draft roster's assignments of these days in these (shift, post) columns replaced by `rows`
    [(person, day, shift, post)] (an imported sheet's)."""
    roster = Roster.objects.select_for_update().get(pk=roster.pk)
    _editable(roster, user)
    for a in Assignment.objects.filter(roster=roster, day__in=list(days)):
        if (a.shift, a.post) in columns:
            a.delete()
    roster.members.add(*{person for person, _d, _s, post in rows if post != Post.LEADER})
    roster.leaders.add(*{person for person, _d, _s, post in rows if post == Post.LEADER})
    return _insert(roster, rows, user)


def _publishable(roster):
    """Raise with the first rules broken, named, unless the independent checker passes the roster."""
    verdict = rosters.check(roster)
    if verdict["ok"]:
        return verdict
    names = {str(p.pk): p.name for p in [*roster.members.all(), *roster.leaders.all()]}
    lines = [rosters.describe(roster, v, names) for v in verdict["violations"][:5]]
    more = len(verdict["violations"]) - len(lines)
    raise ValidationError(_("The roster breaks its rules and cannot be published: %(lines)s") % {
        "lines": "；".join(lines) + (_("; and %(n)s more") % {"n": more} if more > 0 else "")})


@transaction.atomic
def publish(roster, user=None):
    roster = Roster.objects.select_for_update().get(pk=roster.pk)
    _editable(roster, user)
    _publishable(roster)
    roster.state, roster.published_at, roster.published_by = RosterState.PUBLISHED, timezone.now(), user
    roster.save(update_fields=["state", "published_at", "published_by", "updated_at"])
    return roster


# --- The optimiser in the background ------------------------------------------------------------

@transaction.atomic
def start_solve(roster, *, seconds=30, workers=2, user=None):
    """Queue a run of the optimiser on the roster (its result will be a draft to review and publish);
    a run already under way is answered instead of a second one. It starts once this transaction
    commits: on a Celery worker when REDIS_URL is set, else in a thread of this process."""
    roster = Roster.objects.select_for_update().get(pk=roster.pk)
    _require(user, "change", roster.jurisdiction)
    try:
        seconds, workers = int(seconds), int(workers)
    except (TypeError, ValueError):
        raise ValidationError({"seconds": _("Give the time limit in whole seconds.")}) from None
    if not 1 <= seconds <= SOLVE_MAX_SECONDS:
        raise ValidationError({"seconds": _("The time limit is from 1 to %(n)s seconds.") % {"n": SOLVE_MAX_SECONDS}})
    if not 1 <= workers <= 8:
        raise ValidationError({"workers": _("From 1 to 8 solver threads.")})
    if not roster.members.exists() and not roster.leaders.exists():
        raise ValidationError(_("Put people on the roster first: the optimiser chooses among them."))
    expire_stale_runs(roster)
    running = roster.runs.filter(state__in=ACTIVE_RUNS).first()
    if running is not None:
        return running
    run = SolveRun.objects.create(jurisdiction=roster.jurisdiction, roster=roster, requested_by=user, seconds=seconds,
                                  workers=workers)
    transaction.on_commit(lambda: dispatch(run.pk))
    return run


STALE_AFTER = timedelta(minutes=5)  # a run this long past its time limit (or queued this long) was interrupted


def expire_stale_runs(roster, now=None):
    """Runs that a restart interrupted (queued or running long past their time limit) end as failed,
    so the roster can be solved again; answers how many."""
    now = now or timezone.now()
    stale = 0
    for run in roster.runs.filter(state__in=ACTIVE_RUNS):
        since = run.started_at or run.created_at
        if since + timedelta(seconds=run.seconds) + STALE_AFTER < now:
            stale += _move(run, RunState.FAILED, finished_at=now,
                           message=_("The optimiser was interrupted (the server restarted?); run it again."))
    return stale


def _move(run, state, **fields):
    """A run's state changed by a conditional update (it may be another worker's): 1 when this one
    moved it, recorded in the change log as any save."""
    moved = SolveRun.objects.filter(pk=run.pk, state=run.state).update(state=state, **fields)
    if moved:
        shown = {k: (v.isoformat() if hasattr(v, "isoformat") else str(v)) for k, v in fields.items()}
        record(run, ChangeAction.UPDATE, before={"state": run.state}, after={"state": state, **shown})
    return moved


def dispatch(run_id):
    from . import tasks  # noqa: PLC0415 - tasks import services: the task object is looked up when used

    if settings.REDIS_URL:
        tasks.solve_roster.delay(run_id)
        return None
    thread = threading.Thread(target=_in_thread, args=(tasks.solve_roster, run_id), daemon=True,
                              name=f"duty-solve-{run_id}")
    thread.start()
    return thread


def _in_thread(task, run_id):
    try:
        task(run_id)
    except Exception:  # noqa: BLE001 - recorded on the run; a thread's exception would go nowhere
        log.exception("optimiser run %s failed", run_id)
        run = SolveRun.objects.filter(pk=run_id, state__in=ACTIVE_RUNS).first()
        if run is not None:
            _move(run, RunState.FAILED, finished_at=timezone.now(), message=_("The optimiser stopped with an error."))
    finally:
        connections.close_all()


PROGRESS_EVERY = 0.5  # seconds between two writes of the best penalty so far


def run_solve(run_id):
    """The run's work (the task's body): solve the roster as it stands, storing the best penalty so
    far as it improves, then the result (assignments, penalty terms, the checker's verdict)."""
    queued = SolveRun.objects.filter(pk=run_id, state=RunState.QUEUED).first()
    if queued is None or not _move(queued, RunState.RUNNING, started_at=timezone.now()):
        return None
    run = SolveRun.objects.select_related("roster__jurisdiction").get(pk=run_id)
    roster = run.roster
    try:
        problem = parse(rosters.data_of(roster))
    except ProblemError as exc:
        return _finish(run, RunState.FAILED, message="；".join(exc.errors))
    points, found = [], []

    def work():
        found.append(solver.solve(problem, seconds=run.seconds, workers=run.workers,
                                  on_progress=lambda s, p: points.append([round(s, 1), p]),
                                  hint=set(problem.previous)))

    thread = threading.Thread(target=work, name=f"duty-cpsat-{run_id}", daemon=True)
    thread.start()
    written = 0
    while thread.is_alive():
        thread.join(timeout=PROGRESS_EVERY)
        if len(points) > written:
            written = len(points)
            SolveRun.objects.filter(pk=run.pk).update(best_penalty=points[-1][1], progress=list(points))
    if not found:
        return _finish(run, RunState.FAILED, message=_("The optimiser stopped with an error."))
    solution = found[0]
    if not solution.assignments:
        why = (_("No roster keeps every rule with these people: add people, or lower the demand.")
               if solution.status == "infeasible" else
               _("No roster was found within the time limit; give it more time."))
        return _finish(run, RunState.FAILED, status=solution.status, message=why, progress=points)
    verdict = checker.check(problem, solution.assignments)
    kept = len(set(solution.assignments) & set(problem.previous))
    result = {
        "assignments": [[p, problem.day(d).isoformat(), s, r] for p, d, s, r in sorted(solution.assignments)],
        "terms": solution.terms, "penalty": solution.penalty,
        "checker": {"ok": verdict["ok"], "by_rule": verdict["by_rule"], "penalty": verdict["penalty"]},
        "kept": kept, "previous": len(problem.previous),
    }
    return _finish(run, RunState.DONE, status=solution.status, penalty=solution.penalty, result=result, progress=points)


def _finish(run, state, *, status="", penalty=None, result=None, message="", progress=None):
    run.state, run.status, run.finished_at, run.message = state, status, timezone.now(), message
    if penalty is not None:
        run.best_penalty = penalty
    if result is not None:
        run.result = result
    if progress is not None:
        run.progress = list(progress)
    run.save()
    return run


def proposal(run):
    """A run's result as unsaved assignments (for the grid), or []."""
    roster = run.roster
    people = {str(p.pk): p for p in Person.objects.filter(pk__in={int(a[0]) for a in run.result.get("assignments", [])})}
    return [Assignment(roster=roster, jurisdiction=roster.jurisdiction, person=people[p], day=date.fromisoformat(d),
                       shift=s, post=r) for p, d, s, r in run.result.get("assignments", []) if p in people]


def _decidable(run, user):
    _require(user, "change", run.jurisdiction)
    if run.state != RunState.DONE:
        raise ValidationError(_("Only a finished run's roster can be taken or discarded."))


@transaction.atomic
def apply_run(run, *, publish_it=True, user=None):
    """Take a run's roster: the assignments it changes are replaced (those it keeps stay, with their
    calendars' UIDs), then the roster is published (or kept a draft). The checker decides."""
    run = SolveRun.objects.select_for_update().select_related("roster").get(pk=run.pk)
    _decidable(run, user)
    roster = Roster.objects.select_for_update().get(pk=run.roster_id)
    if not publish_it and roster.is_published:
        raise ValidationError(_("This roster is published: its new version is published at once."))
    wanted = {(int(p), d, s, r) for p, d, s, r in run.result["assignments"]}
    current = list(Assignment.objects.live().filter(roster=roster).select_related("roster"))
    have = {(a.person_id, a.day.isoformat(), a.shift, a.post): a for a in current}
    _drop([a for key, a in have.items() if key not in wanted])
    people = {p.pk: p for p in Person.objects.filter(pk__in={k[0] for k in wanted})}
    _insert(roster, [(people[p], date.fromisoformat(d), s, r) for p, d, s, r in sorted(wanted) if (p, d, s, r) not in have],
            user)
    if publish_it:
        _publishable(roster)
        if not roster.is_published:
            roster.state, roster.published_at, roster.published_by = RosterState.PUBLISHED, timezone.now(), user
            roster.save(update_fields=["state", "published_at", "published_by", "updated_at"])
    run.state = RunState.PUBLISHED if publish_it else RunState.DISCARDED
    run.save(update_fields=["state", "updated_at"])
    return roster


@transaction.atomic
def discard_run(run, user=None):
    run = SolveRun.objects.select_for_update().get(pk=run.pk)
    _require(user, "change", run.jurisdiction)
    if run.state not in (RunState.DONE, RunState.FAILED):
        raise ValidationError(_("Only a finished run's roster can be taken or discarded."))
    run.state = RunState.DISCARDED
    run.save(update_fields=["state", "updated_at"])
    return run


# --- Leave --------------------------------------------------------------------------------------

@transaction.atomic
def enter_leave(*, person, starts_on, ends_on, reason, user=None, node=None):
    node = node or person.jurisdiction
    _require(user, "add", node)
    leave = Leave(jurisdiction=node, person=person, starts_on=starts_on, ends_on=ends_on, reason=(reason or "").strip())
    leave.full_clean()
    leave.save()
    return leave


@transaction.atomic
def edit_leave(leave, *, user=None, **changes):
    leave = Leave.objects.select_for_update().get(pk=leave.pk)
    _require(user, "change", leave.jurisdiction)
    for key, value in changes.items():
        setattr(leave, key, value)
    _require(user, "change", leave.jurisdiction)
    leave.reason = (leave.reason or "").strip()
    leave.full_clean()
    leave.save()
    return leave


# --- Taking a shift: swaps and overrides --------------------------------------------------------

def _refusal(roster, rows, before_rows, person):
    """What putting `person` in (rows: the roster as it would be) breaks that `before_rows` did not,
    for him or for the shift, in words naming the rules; '' when nothing."""
    before = rosters.check(roster, before_rows, extra_people=[person])
    after = rosters.check(roster, rows, extra_people=[person])
    seen = {repr(sorted(v.items())) for v in before["violations"]}
    new = [v for v in after["violations"] if repr(sorted(v.items())) not in seen
           and v.get("staff") in (None, str(person.pk))]
    if not new:
        return ""
    names = {str(person.pk): person.name}
    return _("Refused: %(what)s") % {"what": "；".join(rosters.describe(roster, v, names) for v in new)}


def take_refusal(assignment, colleague):
    """Why `colleague` may not take `assignment` in the holder's stead, naming the rule; '' when he
    may. The independent checker judges the roster before and after: only what the change breaks
    for him (or for the shift) counts."""
    if assignment.person_id == colleague.pk:
        return _("This shift is already this person's.")
    roster = assignment.roster
    rows = [a for a in Assignment.objects.live().filter(roster=roster) if a.pk != assignment.pk]
    taken = Assignment(roster=roster, person=colleague, day=assignment.day, shift=assignment.shift,
                       post=assignment.post)
    return _refusal(roster, [*rows, taken], [*rows, assignment], colleague)


@transaction.atomic
def fill_slot(roster, *, person, day, shift, post, user=None):
    """The office puts a person on a shift that lacks one, checked by the rules like a swap."""
    roster = Roster.objects.select_for_update().get(pk=roster.pk)
    _require(user, "change", roster.jurisdiction)
    if roster.shift(shift) is None:
        raise ValidationError({"shift": _("The roster has no such shift.")})
    if post not in Post.values:
        raise ValidationError({"post": _("Choose a post.")})
    if not roster.starts_on <= day <= roster.ends_on:
        raise ValidationError({"day": _("The day is outside the roster's period.")})
    rows = list(Assignment.objects.live().filter(roster=roster))
    if any(a.person_id == person.pk and a.day == day and a.shift == shift for a in rows):
        raise ValidationError({"person": _("%(name)s is already on this shift.") % {"name": person.name}})
    added = Assignment(roster=roster, person=person, day=day, shift=shift, post=post)
    why = _refusal(roster, [*rows, added], rows, person)
    if why:
        raise ValidationError({"person": why})
    if post == Post.LEADER:
        roster.leaders.add(person)
    else:
        roster.members.add(person)
    return _insert(roster, [(person, day, shift, post)], user)[0]


def _hand_to(assignment, person, user, reason=""):
    """The shift passes to `person`: the old assignment is removed (its calendars say cancelled),
    a new one made for him."""
    roster = assignment.roster
    _drop([assignment], reason=reason or _("%(name)s took the shift.") % {"name": person.name})
    if assignment.post == Post.LEADER:
        roster.leaders.add(person)
    else:
        roster.members.add(person)
    return _insert(roster, [(person, assignment.day, assignment.shift, assignment.post)], user)[0]


@transaction.atomic
def override(assignment, *, person, reason="", user=None):
    """The office puts another person on a shift (an absence), re-checked like a swap."""
    assignment = Assignment.objects.select_for_update().select_related("roster", "person").get(pk=assignment.pk)
    _require(user, "change", assignment.jurisdiction)
    if assignment.removed_at is not None:
        raise ValidationError(_("This shift was already given to someone else."))
    why = take_refusal(assignment, person)
    if why:
        raise ValidationError({"person": why})
    return _hand_to(assignment, person, user, reason=(reason or "").strip())


@transaction.atomic
def stand_down(assignment, *, reason, user=None):
    """The office takes a person off a shift (sick, called away): the slot lacks him until someone
    is put on it (an override, or the optimiser re-solving with the least change)."""
    assignment = Assignment.objects.select_for_update().select_related("roster", "person").get(pk=assignment.pk)
    _require(user, "change", assignment.jurisdiction)
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Say why the person is taken off the shift.")})
    if assignment.removed_at is not None:
        raise ValidationError(_("This shift was already given to someone else."))
    _drop([assignment], reason=reason.strip())
    return assignment


@transaction.atomic
def request_swap(*, assignment, colleague, reason="", user=None, client_uuid=None):
    """The person on a shift asks a colleague to take it. Refused at once, with the rule named,
    when the rules forbid it (the request is kept, refused, so the office sees it)."""
    if client_uuid and (again := replay(SwapRequest, user, client_uuid=client_uuid)) is not None:
        return again
    assignment = Assignment.objects.select_for_update().select_related("roster", "person").get(pk=assignment.pk)
    me = _person(user)
    if assignment.person_id != me.pk:
        _require(user, "change", assignment.jurisdiction)  # the office may ask on someone's behalf
    if assignment.removed_at is not None or not assignment.roster.is_published:
        raise ValidationError({"assignment": _("Only a shift of a published roster can be swapped.")})
    if assignment.ends_at <= timezone.now():
        raise ValidationError({"assignment": _("This shift is over.")})
    if colleague is None or colleague.pk == assignment.person_id:
        raise ValidationError({"colleague": _("Choose a colleague to take the shift.")})
    open_swap = assignment.swaps.filter(state__in=[SwapState.REQUESTED, SwapState.ACCEPTED]).first()
    if open_swap is not None:
        if open_swap.colleague_id == colleague.pk:
            return open_swap  # a retried request is the same request
        raise ValidationError({"assignment": _("A swap of this shift is already under way.")})
    why = take_refusal(assignment, colleague)
    swap = SwapRequest(jurisdiction=assignment.jurisdiction, assignment=assignment, requester=assignment.person,
                       colleague=colleague, reason=(reason or "").strip()[:200], created_by=user,
                       client_uuid=client_uuid or None)
    if why:
        swap.state, swap.refusal, swap.decided_at = SwapState.REFUSED, why, timezone.now()
    swap.full_clean()
    swap.save()
    if not why and colleague.user_id:
        obligations.send_message([colleague.user], title=_("%(name)s asks you to take a shift") % {
            "name": assignment.person.name}, body=str(assignment), url=swap.get_absolute_url())
    return swap


@transaction.atomic
def accept_swap(swap, user=None):
    swap = SwapRequest.objects.select_for_update().select_related("assignment__roster").get(pk=swap.pk)
    if _person(user).pk != swap.colleague_id:
        raise PermissionDenied(_("Only the colleague asked may accept this swap."))
    if swap.state != SwapState.REQUESTED:
        raise ValidationError(_("This swap is no longer waiting for the colleague."))
    why = take_refusal(swap.assignment, swap.colleague)
    swap.accepted_at = timezone.now()
    if why:
        swap.state, swap.refusal, swap.decided_at = SwapState.REFUSED, why, timezone.now()
    else:
        swap.state = SwapState.ACCEPTED
    swap.save()
    if not why:
        users = [u for u in office(swap.jurisdiction) if can_at(u, AREA, "change", swap.jurisdiction.path)]
        if users:
            obligations.send_message(users, title=_("A swap waits for approval"), body=str(swap),
                                     url=swap.get_absolute_url())
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
    if not approve and not (reason or "").strip():
        raise ValidationError({"reason": _("Say why the swap is refused.")})
    assignment = Assignment.objects.select_for_update().select_related("roster").get(pk=swap.assignment_id)
    why = (take_refusal(assignment, swap.colleague) or
           (_("This shift was already given to someone else.") if assignment.removed_at else "")) if approve \
        else reason.strip()
    swap.decided_at, swap.decided_by = timezone.now(), user
    if why:
        swap.state, swap.refusal = SwapState.REFUSED, why
    else:
        swap.state = SwapState.APPROVED
        _hand_to(assignment, swap.colleague, user, reason=_("Swapped with %(name)s.") % {"name": swap.colleague.name})
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


# --- On duty: the confirmation and its obligation -----------------------------------------------

def _confirm_key(assignment):
    return obligations.obligation_key(KIND_CONFIRM, assignment)


def _open_confirmation(assignment):
    start = assignment.starts_at
    return obligations.open_obligation(
        kind=KIND_CONFIRM, key=_confirm_key(assignment), subject=assignment, jurisdiction=assignment.jurisdiction,
        title=_("%(person)s on duty: %(slot)s %(post)s") % {
            "person": assignment.person.name, "slot": _slot(assignment.roster, assignment.day, assignment.shift),
            "post": assignment.get_post_display()},
        opens_at=start - CONFIRM_OPENS_BEFORE, due_at=start + CONFIRM_GRACE, responsible_person=assignment.person,
        rule="duty_confirmation")


def _waive_confirmation(assignment, reason):
    for ob in Obligation.objects.with_keys([_confirm_key(assignment)]).pending():
        obligations.waive(ob, reason=reason, by=None)


@transaction.atomic
def confirm_on_duty(assignment, user=None, now=None):
    """One tap at shift start: the person on duty says he is there (from 30 minutes before until the
    shift ends; later than 15 minutes in, it counts as late)."""
    assignment = Assignment.objects.select_for_update().select_related("roster", "person").get(pk=assignment.pk)
    if _person(user).pk != assignment.person_id:
        raise PermissionDenied(_("Only the person on this shift confirms it."))
    now = now or timezone.now()
    start, end = assignment.bounds
    if assignment.removed_at is not None or not assignment.roster.is_published:
        raise ValidationError(_("This shift is not on a published roster."))
    if not start - CONFIRM_OPENS_BEFORE <= now < end:
        raise ValidationError(_("A shift is confirmed from 30 minutes before it starts until it ends."))
    if assignment.confirmed_at is None:
        assignment.confirmed_at = now
        assignment.save(update_fields=["confirmed_at", "updated_at"])
    if assignment.post in CONFIRMED_POSTS:
        obligations.meet(_open_confirmation(assignment), at=now, evidence=_("confirmed on duty"))
    return assignment


# --- Handover -----------------------------------------------------------------------------------

def next_on_duty(assignment):
    """Who takes over from `assignment`: the people of the roster's next shift in the same post."""
    later = (Assignment.objects.live().filter(roster=assignment.roster, post=assignment.post,
                                              day__gte=assignment.day, day__lte=assignment.day + timedelta(days=2))
             .exclude(pk=assignment.pk).select_related("roster", "person"))
    start = assignment.ends_at - timedelta(hours=1)
    upcoming = sorted((a for a in later if a.starts_at >= start and a.person_id != assignment.person_id),
                      key=lambda a: (a.starts_at, a.person.name))
    return [a.person for a in upcoming if a.starts_at == upcoming[0].starts_at] if upcoming else []


@transaction.atomic
def write_handover(*, assignment, incoming, open_items="", incidents="", notes="", user=None, client_uuid=None,
                   now=None):
    """The outgoing person's handover; the incoming person must acknowledge it within 30 minutes."""
    if client_uuid and (again := replay(Handover, user, client_uuid=client_uuid)) is not None:
        return again
    assignment = Assignment.objects.select_related("roster", "person").get(pk=assignment.pk)
    if _person(user).pk != assignment.person_id:
        _require(user, "change", assignment.jurisdiction)
    if incoming is None:
        raise ValidationError({"incoming": _("Choose who takes over.")})
    if incoming.pk == assignment.person_id:
        raise ValidationError({"incoming": _("Hand over to someone else.")})
    if not any((open_items or "").strip() for open_items in (open_items, incidents, notes)):
        raise ValidationError({"open_items": _("Write what the next shift must know (or “nothing to hand over”).")})
    now = now or timezone.now()
    handover = Handover(jurisdiction=assignment.jurisdiction, roster=assignment.roster, assignment=assignment,
                        written_by=assignment.person, incoming=incoming, written_at=now, open_items=open_items.strip(),
                        incidents=incidents.strip(), notes=notes.strip(), created_by=user,
                        client_uuid=client_uuid or None)
    handover.full_clean()
    handover.save()
    obligations.open_obligation(
        kind=KIND_HANDOVER, key=obligations.obligation_key(KIND_HANDOVER, handover), subject=handover,
        jurisdiction=handover.jurisdiction, title=_("Acknowledge the handover from %(from)s") % {
            "from": handover.written_by.name},
        opens_at=now, due_at=now + HANDOVER_ACK, responsible_person=incoming, rule="handover_acknowledgement")
    if incoming.user_id:
        obligations.send_message([incoming.user], title=_("Handover from %(from)s") % {"from": handover.written_by.name},
                                 body=handover.open_items or handover.notes, url=handover.get_absolute_url())
    return handover


@transaction.atomic
def acknowledge_handover(handover, user=None, now=None):
    handover = Handover.objects.select_for_update().get(pk=handover.pk)
    if _person(user).pk != handover.incoming_id:
        raise PermissionDenied(_("Only the person taking over acknowledges the handover."))
    now = now or timezone.now()
    if handover.acknowledged_at is None:
        handover.acknowledged_at = now
        handover.save(update_fields=["acknowledged_at", "updated_at"])
        for ob in Obligation.objects.with_keys([obligations.obligation_key(KIND_HANDOVER, handover)]).pending():
            obligations.meet(ob, at=now, evidence=_("acknowledged"))
    return handover


# --- Posture ------------------------------------------------------------------------------------

@transaction.atomic
def set_posture(*, node, level, starts_at, ends_at, reason, user=None):
    """A leader sets a node's posture for a period, with the reason (the change log keeps who).
    Required against rostered is recomputed for the period's days (30 at most) and the node's
    office and leaders are told of every shift that lacks people."""
    _require(user, "change", node)
    if level not in PostureLevel.values:
        raise ValidationError({"level": _("Choose a level.")})
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Say why the level changes.")})
    if starts_at and ends_at and ends_at <= starts_at:
        raise ValidationError({"ends_at": _("The end must be after the start.")})
    if ends_at and ends_at <= timezone.now():
        raise ValidationError({"ends_at": _("This period is already over.")})
    posture = Posture(jurisdiction=node, level=level, starts_at=starts_at, ends_at=ends_at, reason=reason.strip(),
                      set_by=user)
    posture.full_clean()
    posture.save()
    tell_shortfalls(posture)
    return posture


PANEL_DAYS = 30


def tell_shortfalls(posture):
    """Recompute required against rostered at the posture's node for the 30 days from its start (or
    today) and tell the node's office and leaders which shifts of the posture's own days lack people."""
    first = max(timezone.localdate(posture.starts_at), timezone.localdate())
    last = timezone.localdate(posture.ends_at - timedelta(microseconds=1))
    if last < first:
        return []
    panel = queries.staffing_panel(posture.jurisdiction, first, PANEL_DAYS)
    lacks = [row for row in queries.shortfalls(panel) if row[0] <= last]
    if not lacks:
        return []
    users = {u.pk: u for u in [*supervisors(posture.jurisdiction), *office(posture.jurisdiction)]}
    lines = [_("%(day)s %(force)s %(shift)s: %(rostered)s of %(required)s") % {
        "day": f"{day:%m-%d}", "force": force, "shift": shift, "rostered": rostered, "required": required}
        for day, force, shift, required, rostered in lacks]
    if users:
        obligations.send_message(list(users.values()), title=_("%(node)s %(level)s: %(n)s shifts lack people") % {
            "node": posture.jurisdiction.name, "level": posture.get_level_display(), "n": len(lacks)},
            body="\n".join(lines[:30]), url=posture.get_absolute_url())
    return lacks


@transaction.atomic
def end_posture(posture, user=None, now=None):
    """Lift a posture now (a posture that has not begun is ended at its start)."""
    posture = Posture.objects.select_for_update().get(pk=posture.pk)
    _require(user, "change", posture.jurisdiction)
    now = now or timezone.now()
    if posture.ends_at <= now:
        raise ValidationError(_("This posture has already ended."))
    posture.ends_at = max(now, posture.starts_at + timedelta(seconds=1))
    posture.save(update_fields=["ends_at", "updated_at"])
    return posture


def rank(level) -> int:
    return LEVEL_RANK.get(level, 0)


# --- Calendar links -----------------------------------------------------------------------------

@transaction.atomic
def make_feed(*, person=None, roster=None, user=None):
    """A secret calendar link of a person's duties (his own, or the office's for him) or of a roster."""
    if (person is None) == (roster is None):
        raise ValidationError(_("A calendar is of one person or of one roster."))
    node = person.jurisdiction if person is not None else roster.jurisdiction
    own = person is not None and getattr(getattr(user, "person", None), "pk", None) == person.pk
    if not own:
        _require(user, "change", node)
    feed = FeedToken.objects.create(jurisdiction=node, person=person, roster=roster, created_by=user,
                                    token=secrets.token_urlsafe(24))
    return feed


@transaction.atomic
def revoke_feed(feed, user=None):
    feed = FeedToken.objects.select_for_update().get(pk=feed.pk)
    own = feed.person_id is not None and getattr(getattr(user, "person", None), "pk", None) == feed.person_id
    if not own:
        _require(user, "change", feed.jurisdiction)
    if feed.revoked_at is None:
        feed.revoked_at = timezone.now()
        feed.save(update_fields=["revoked_at", "updated_at"])
    return feed


# --- The sweep: unstaffed and unconfirmed slots become obligations ------------------------------

def _unstaffed_key(roster, day, shift_id):
    return obligations.obligation_key(KIND_UNSTAFFED, roster, day, shift_id)


def sweep(now=None):
    """One pass (idempotent; the scheduler runs it every few minutes):
    - a slot of a published roster starting within 24 hours that lacks people becomes an obligation
      of the roster's owner, due at the slot's start; met once the slot is staffed;
    - a duty post starting within the hour gets its on-duty confirmation (an obligation of the
      person on it, met by his one tap)."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    stats = {"unstaffed": 0, "staffed": 0, "confirmations": 0}
    live = (Roster.objects.filter(state=RosterState.PUBLISHED, starts_on__lte=today + timedelta(days=2),
                                  starts_on__gte=today - timedelta(days=93))
            .select_related("jurisdiction", "owner"))
    horizon = now + UNSTAFFED_AHEAD
    for roster in live:
        if roster.ends_on < today - timedelta(days=1):
            continue
        days = [d for d in (today - timedelta(days=1), today, today + timedelta(days=1))
                if roster.starts_on <= d <= roster.ends_on]
        if not days:
            continue
        with transaction.atomic():
            stats_roster = _sweep_roster(roster, days, now, horizon)
        for key, value in stats_roster.items():
            stats[key] += value
    return stats


def _sweep_roster(roster, days, now, horizon):
    stats = {"unstaffed": 0, "staffed": 0, "confirmations": 0}
    demand = queries.roster_demand(roster)
    rows = list(Assignment.objects.live().filter(roster=roster, day__in=days).select_related("person", "roster"))
    grid = queries.grid(roster, start=days[0], days=len(days), assignments=rows, demand=demand)
    keys = {}
    for day in days:
        for shift in roster.shifts:
            start, end = bounds(day, shift)
            if now < end:
                keys[(day, shift["id"])] = (_unstaffed_key(roster, day, shift["id"]), start)
    pending = {ob.key: ob for ob in Obligation.objects.with_keys([k for k, _s in keys.values()]).pending()}
    for (day, shift_id), (key, start) in keys.items():
        lacks = [(label, have, need) for label, have, need in grid.shortfalls.get((day, shift_id), []) if have < need]
        if lacks and start <= horizon and key not in pending and not Obligation.objects.with_keys([key]).exists():
            what = "、".join(_("%(post)s %(have)s of %(need)s") % {"post": label, "have": have, "need": need}
                            for label, have, need in lacks)
            obligations.open_obligation(
                kind=KIND_UNSTAFFED, key=key, subject=roster, jurisdiction=roster.jurisdiction,
                title=_("Unstaffed: %(roster)s %(slot)s (%(what)s)") % {
                    "roster": roster.name, "slot": _slot(roster, day, shift_id), "what": what},
                opens_at=min(now, start), due_at=start, responsible_person=roster.owner, rule="unstaffed_slot")
            stats["unstaffed"] += 1
        elif not lacks and key in pending:
            obligations.meet(pending[key], at=now, evidence=_("staffed"))
            stats["staffed"] += 1
    wanted = [a for a in rows if a.post in CONFIRMED_POSTS and a.starts_at - timedelta(hours=1) <= now < a.ends_at]
    opened = set(Obligation.objects.with_keys([_confirm_key(a) for a in wanted]).values_list("key", flat=True))
    for a in wanted:
        if _confirm_key(a) in opened:
            continue
        ob = _open_confirmation(a)
        if a.confirmed_at is not None:
            obligations.meet(ob, at=max(a.confirmed_at, ob.opens_at), evidence=_("confirmed on duty"))
        stats["confirmations"] += 1
    return stats
