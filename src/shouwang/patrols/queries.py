"""Read side: today's windows and their state per team, coverage gaps of a node."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db.models import Count
from django.utils import timezone

from shouwang.core.clock import local_datetime, parse_hhmm
from shouwang.obligations.choices import State
from shouwang.obligations.models import Obligation
from shouwang.policies.services import effective
from shouwang.registers.choices import INFRASTRUCTURE
from shouwang.registers.models import KeyPlace

from .choices import KIND_CHECKIN, WindowState
from .models import Checkpoint, Schedule

_STATE = {
    State.MET: WindowState.DONE, State.MET_LATE: WindowState.LATE, State.MISSED: WindowState.MISSED,
    State.OPEN: WindowState.RUNNING, State.DUE_SOON: WindowState.RUNNING, State.UPCOMING: WindowState.UPCOMING,
    State.WAIVED: WindowState.WAIVED,
}
_WORST = [WindowState.MISSED, WindowState.LATE, WindowState.RUNNING, WindowState.UPCOMING, WindowState.WAIVED, WindowState.DONE]


@dataclass
class WindowRow:
    schedule: object
    start: datetime
    end: datetime
    points: list = field(default_factory=list)  # (checkpoint name, state, obligation)

    @property
    def state(self):
        states = {s for _n, s, _o in self.points}
        if states <= {WindowState.DONE, WindowState.WAIVED} and WindowState.DONE in states:
            return WindowState.DONE
        if WindowState.RUNNING in states or (WindowState.UPCOMING in states and states - {WindowState.UPCOMING}
                                              and WindowState.MISSED not in states):
            return WindowState.RUNNING
        for s in _WORST:
            if s in states:
                return s
        return WindowState.UPCOMING

    @property
    def state_label(self):
        return WindowState(self.state).label


def day_bounds(day):
    start = local_datetime(day)
    return start, start + timedelta(days=1)


def windows_on(schedules, day, now=None):
    """Per schedule, the windows starting on `day` with each required checkpoint's state."""
    now = now or timezone.now()
    start, end = day_bounds(day)
    schedules = list(schedules)
    keys = [f"patrol:{s.pk}:" for s in schedules]
    if not keys:
        return {}
    obs = (Obligation.objects.of_kind(KIND_CHECKIN).windows_between(start, end)
           .with_state(now).order_by("window_start", "pk"))
    point_names = {}
    rows: dict = {}
    by_schedule = {s.pk: s for s in schedules}
    for ob in obs:
        parts = (ob.key or "").split(":")
        if len(parts) < 3 or not parts[1].isdigit() or int(parts[1]) not in by_schedule:
            continue
        schedule = by_schedule[int(parts[1])]
        point_names.setdefault(ob.subject_id, None)
        row = rows.setdefault((schedule.pk, ob.window_start), WindowRow(schedule, ob.window_start, ob.due_at))
        row.points.append((ob.subject_id, _STATE[State(ob.state_db)], ob))
    names = dict(Checkpoint.objects.filter(pk__in=[int(k) for k in point_names if k.isdigit()]).values_list("pk", "name"))
    out = defaultdict(list)
    for (schedule_pk, _start), row in sorted(rows.items(), key=lambda kv: kv[1].start):
        row.points = [(names.get(int(pid), pid) if pid.isdigit() else pid, s, o) for pid, s, o in row.points]
        out[schedule_pk].append(row)
    return out


def today_by_team(user, day=None, now=None):
    """[(team, [(schedule, [WindowRow])])] for the teams the user may see."""
    now = now or timezone.now()
    day = day or timezone.localdate(now)
    schedules = list(Schedule.objects.restrict(user, "view").filter(active=True)
                     .select_related("team", "route", "jurisdiction").order_by("team__name", "name"))
    windows = windows_on(schedules, day, now)
    teams: dict = {}
    for s in schedules:
        teams.setdefault(s.team, []).append((s, windows.get(s.pk, [])))
    return list(teams.items())


# ---------------------------------------------------------------- coverage

def _overlaps_night(start, end, night_start, night_end):
    """Whether the window [start, end) (local times, may cross midnight) meets the night period."""
    def minutes(t):
        return t.hour * 60 + t.minute

    def spans(a, b):
        a, b = minutes(a), minutes(b)
        return [(a, b)] if b > a else [(a, 24 * 60), (0, b)]

    return any(x1 < y2 and y1 < x2 for x1, x2 in spans(start, end) for y1, y2 in spans(night_start, night_end))


@dataclass
class Coverage:
    node: object
    min_routes: int
    few_routes: list  # [(key place, route count)]
    no_night: list  # [key place]
    missed_must_visit: list  # [(checkpoint, missed count)]
    places: list  # every key place with a position, for the map

    @property
    def problems(self):
        return len(self.few_routes) + len(self.no_night) + len(self.missed_must_visit)


def coverage(node, now=None):
    now = now or timezone.now()
    rules = effective(node).get("patrol_coverage") or {}
    min_routes = int(rules.get("key_site_min_routes", 2))
    night_start = parse_hhmm(rules.get("night_starts", "22:00"))
    night_end = parse_hhmm(rules.get("night_ends", "06:00"))
    places = list(KeyPlace.objects.filter(jurisdiction__path__startswith=node.path)
                  .annotate(routes=Count("checkpoints__route", distinct=True)).order_by("name"))
    few = [(p, p.routes) for p in places if p.routes < min_routes]

    infra = [p for p in places if p.category in INFRASTRUCTURE]
    night_places = set()
    if infra:
        points = Checkpoint.objects.filter(key_place__in=infra).values_list("key_place_id", "route_id")
        route_places = defaultdict(set)
        for place_id, route_id in points:
            route_places[route_id].add(place_id)
        policy_cache = {}
        for schedule in Schedule.objects.filter(active=True, route_id__in=route_places).select_related("jurisdiction"):
            specs = list(schedule.windows or [])
            if schedule.policy_windows:
                if schedule.jurisdiction_id not in policy_cache:
                    policy_cache[schedule.jurisdiction_id] = effective(schedule.jurisdiction).get("checkin_windows") or []
                specs += policy_cache[schedule.jurisdiction_id]
            for spec in specs:
                try:
                    if _overlaps_night(parse_hhmm(spec["start"]), parse_hhmm(spec["end"]), night_start, night_end):
                        night_places |= route_places[schedule.route_id]
                        break
                except (KeyError, ValueError):
                    continue
    no_night = [p for p in infra if p.pk not in night_places]

    today = timezone.localdate(now)
    week_start = local_datetime(today - timedelta(days=today.weekday()))
    must = {str(c.pk): c for c in Checkpoint.objects.filter(jurisdiction__path__startswith=node.path, must_visit=True)
            .select_related("route")}
    missed = (Obligation.objects.of_kind(KIND_CHECKIN).for_subjects(Checkpoint, must)
              .windows_between(week_start, week_start + timedelta(days=7))
              .in_state(State.MISSED, now).values_list("subject_id", flat=True))
    counts = defaultdict(int)
    for sid in missed:
        counts[sid] += 1
    missed_must = sorted(((must[sid], n) for sid, n in counts.items()), key=lambda t: (-t[1], t[0].name))
    return Coverage(node, min_routes, few, no_night, missed_must, places)
