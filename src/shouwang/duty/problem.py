"""A roster problem as plain data: the documented JSON a planner sends to the optimiser.

    {
      "start": "2026-12-01", "days": 28,
      "shifts": [{"id": "early", "start": "08:00", "end": "16:00"},
                 {"id": "night", "start": "22:00", "end": "08:00", "night": true}],   # end <= start: crosses midnight
      "staff": [{"id": "p1", "name": "张伟", "roles": ["patrol", "leader"]}],
      "demand": [{"shift": "early", "role": "patrol", "count": 2},                      # every day
                 {"day": "2026-12-24", "shift": "night", "role": "patrol", "count": 3}],  # one day (replaces)
      "unavailable": [{"staff": "p1", "day": "2026-12-03"},                             # whole day
                      {"staff": "p1", "day": "2026-12-04", "shift": "night"}],
      "wishes": [{"staff": "p1", "day": "2026-12-05", "want": false, "weight": 2}],      # shift optional
      "rules": {"min_rest_hours": 11, "forbidden_transitions": [["night", "early"]],
                "max_shifts_per_7_days": 5, "one_shift_per_day": true},
      "sensitive_days": ["2026-12-31"], "holidays": ["2027-01-01"], "leader_role": "leader",
      "targets": {"p1": {"shifts": 20, "nights": 6, "holidays": 1, "leader": 4}},       # default: fair shares
      "previous": [{"staff": "p1", "day": "2026-12-02", "shift": "early", "role": "patrol"}],
      "weights": {"wishes": 10, "fair_shifts": 2, "fair_nights": 3, "fair_holidays": 3, "fair_leader": 3, "changes": 5}
    }

Days are dates (ISO); a shift belongs to the day it starts. `parse` checks everything and raises
ProblemError with a list of "where: what" messages, so the API and the command can answer them.
"""

import math
from dataclasses import dataclass, field
from datetime import date, timedelta

DEFAULT_RULES = {"min_rest_hours": 11, "forbidden_transitions": [], "max_shifts_per_7_days": 6,
                 "one_shift_per_day": True}
DEFAULT_WEIGHTS = {"wishes": 10, "fair_shifts": 2, "fair_nights": 3, "fair_holidays": 3, "fair_leader": 3,
                   "changes": 5}
PENALTY_TERMS = tuple(DEFAULT_WEIGHTS)


class ProblemError(ValueError):
    def __init__(self, errors):
        super().__init__("; ".join(errors))
        self.errors = list(errors)


@dataclass(frozen=True)
class Shift:
    id: str
    start: int  # minutes after midnight of its day
    end: int  # minutes after midnight of its day, > start (crossing midnight adds 1440)
    night: bool = False

    @property
    def hours(self) -> float:
        return (self.end - self.start) / 60


@dataclass
class Problem:
    start: date
    days: int
    shifts: list[Shift]
    staff: list[dict]  # {"id", "name", "roles": set}
    demand: dict  # (day index, shift id, role) -> count
    unavailable: set  # (staff id, day index, shift id or None)
    wishes: list  # (staff id, day index, shift id or None, want, weight)
    rules: dict
    sensitive: set  # day indexes
    holidays: set  # day indexes
    leader_role: str
    targets: dict  # staff id -> {"shifts", "nights", "holidays", "leader"}
    previous: set  # (staff id, day index, shift id, role)
    weights: dict = field(default_factory=lambda: dict(DEFAULT_WEIGHTS))

    def day(self, index) -> date:
        return self.start + timedelta(days=index)

    @property
    def shift_ids(self):
        return [s.id for s in self.shifts]

    def shift(self, shift_id) -> Shift:
        return next(s for s in self.shifts if s.id == shift_id)

    def roles_of(self, staff_id):
        return next(p["roles"] for p in self.staff if p["id"] == staff_id)

    def forbidden(self) -> set:
        """(shift on day d, shift on day d+1) pairs too close together: named, or under the minimum rest."""
        pairs = {tuple(p) for p in self.rules["forbidden_transitions"]}
        rest = self.rules["min_rest_hours"] * 60
        for a in self.shifts:
            for b in self.shifts:
                if 1440 + b.start - a.end < rest:
                    pairs.add((a.id, b.id))
        return pairs

    def fair_targets(self):
        """Each person's target shifts, nights, holidays and leader duties: given, or an equal share
        among those who can do them."""
        total = sum(self.demand.values())
        nights = sum(c for (d, s, _r), c in self.demand.items() if self.shift(s).night)
        hol = sum(c for (d, _s, _r), c in self.demand.items() if d in self.holidays)
        leader = sum(c for (_d, _s, r), c in self.demand.items() if r == self.leader_role)
        n = max(len(self.staff), 1)
        leaders = [p for p in self.staff if self.leader_role in p["roles"]]
        out = {}
        for p in self.staff:
            given = self.targets.get(p["id"], {})
            out[p["id"]] = {
                "shifts": given.get("shifts", total / n), "nights": given.get("nights", nights / n),
                "holidays": given.get("holidays", hol / n),
                "leader": given.get("leader", leader / max(len(leaders), 1) if p in leaders else 0),
            }
        return out


def fair_range(target) -> tuple[int, int]:
    """A fair count is a whole number next to the target: 4.3 shifts -> 4 or 5, 4.0 -> exactly 4."""
    low = math.floor(target + 1e-9)
    return low, low if abs(target - low) < 1e-9 else low + 1


def _minutes(value, where, errors):
    try:
        hours, minutes = str(value).split(":")
        total = int(hours) * 60 + int(minutes)
        if not (0 <= int(minutes) < 60 and 0 <= total <= 1440):
            raise ValueError
        return total
    except (ValueError, TypeError):
        errors.append(f"{where}: “{value}” is not a time like 08:00")
        return 0


def _date(value, where, errors):
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        errors.append(f"{where}: “{value}” is not a date like 2026-12-01")
        return None


def parse(data) -> Problem:  # noqa: C901 - one pass over a documented format, each field checked in turn
    errors: list[str] = []
    if not isinstance(data, dict):
        raise ProblemError(["problem: must be a JSON object"])
    start = _date(data.get("start"), "start", errors)
    days = data.get("days")
    if not isinstance(days, int) or not 1 <= days <= 92:
        errors.append("days: must be a whole number from 1 to 92")
        days = 1
    shifts = []
    for i, s in enumerate(data.get("shifts") or []):
        where = f"shifts[{i}]"
        if not isinstance(s, dict) or not s.get("id"):
            errors.append(f"{where}: needs an id")
            continue
        a, b = _minutes(s.get("start"), where, errors), _minutes(s.get("end"), where, errors)
        shifts.append(Shift(str(s["id"]), a, b + 1440 if b <= a else b, bool(s.get("night", b <= a))))
    if not shifts:
        errors.append("shifts: at least one shift")
    if len({s.id for s in shifts}) != len(shifts):
        errors.append("shifts: ids must be unique")
    shift_ids = {s.id for s in shifts}
    staff = []
    for i, p in enumerate(data.get("staff") or []):
        if not isinstance(p, dict) or not p.get("id"):
            errors.append(f"staff[{i}]: needs an id")
            continue
        staff.append({"id": str(p["id"]), "name": str(p.get("name", p["id"])), "roles": set(p.get("roles") or [])})
    if not staff:
        errors.append("staff: at least one person")
    staff_ids = {p["id"] for p in staff}
    if len(staff_ids) != len(staff):
        errors.append("staff: ids must be unique")

    def day_index(value, where):
        found = _date(value, where, errors)
        if found is None or start is None:
            return None
        index = (found - start).days
        if not 0 <= index < days:
            errors.append(f"{where}: {value} is outside the period")
            return None
        return index

    demand = {}
    every, single = [], []
    for i, row in enumerate(data.get("demand") or []):
        where = f"demand[{i}]"
        if row.get("shift") not in shift_ids:
            errors.append(f"{where}: unknown shift “{row.get('shift')}”")
            continue
        count = row.get("count")
        if not isinstance(count, int) or count < 0:
            errors.append(f"{where}: count must be a whole number ≥ 0")
            continue
        if not row.get("role"):
            errors.append(f"{where}: needs a role")
            continue
        (single if "day" in row else every).append((row, where))
    for row, _where in every:
        for d in range(days):
            demand[(d, row["shift"], row["role"])] = row["count"]
    for row, where in single:
        d = day_index(row["day"], where)
        if d is not None:
            demand[(d, row["shift"], row["role"])] = row["count"]
    demand = {k: v for k, v in demand.items() if v > 0}

    unavailable = set()
    for i, row in enumerate(data.get("unavailable") or []):
        where = f"unavailable[{i}]"
        if row.get("staff") not in staff_ids:
            errors.append(f"{where}: unknown staff “{row.get('staff')}”")
            continue
        if row.get("shift") is not None and row["shift"] not in shift_ids:
            errors.append(f"{where}: unknown shift “{row['shift']}”")
            continue
        d = day_index(row.get("day"), where)
        if d is not None:
            unavailable.add((row["staff"], d, row.get("shift")))
    wishes = []
    for i, row in enumerate(data.get("wishes") or []):
        where = f"wishes[{i}]"
        if row.get("staff") not in staff_ids:
            errors.append(f"{where}: unknown staff “{row.get('staff')}”")
            continue
        d = day_index(row.get("day"), where)
        weight = row.get("weight", 1)
        if not isinstance(weight, int) or weight < 0:
            errors.append(f"{where}: weight must be a whole number ≥ 0")
            continue
        if d is not None:
            wishes.append((row["staff"], d, row.get("shift"), bool(row.get("want", False)), weight))
    rules = {**DEFAULT_RULES, **(data.get("rules") or {})}
    if not isinstance(rules["min_rest_hours"], int | float) or not 0 <= rules["min_rest_hours"] <= 48:
        errors.append("rules.min_rest_hours: between 0 and 48")
    if not isinstance(rules["max_shifts_per_7_days"], int) or not 1 <= rules["max_shifts_per_7_days"] <= 7:
        errors.append("rules.max_shifts_per_7_days: between 1 and 7")
    for pair in rules["forbidden_transitions"]:
        if not (isinstance(pair, list | tuple) and len(pair) == 2 and set(pair) <= shift_ids):
            errors.append(f"rules.forbidden_transitions: {pair} is not a pair of shift ids")
    sensitive = {d for i, v in enumerate(data.get("sensitive_days") or [])
                 if (d := day_index(v, f"sensitive_days[{i}]")) is not None}
    holidays = {d for i, v in enumerate(data.get("holidays") or []) if (d := day_index(v, f"holidays[{i}]")) is not None}
    previous = set()
    for i, row in enumerate(data.get("previous") or []):
        where = f"previous[{i}]"
        if row.get("staff") not in staff_ids or row.get("shift") not in shift_ids:
            errors.append(f"{where}: unknown staff or shift")
            continue
        d = day_index(row.get("day"), where)
        if d is not None:
            previous.add((row["staff"], d, row["shift"], row.get("role")))
    weights = {**DEFAULT_WEIGHTS, **(data.get("weights") or {})}
    for key, value in weights.items():
        if key not in DEFAULT_WEIGHTS:
            errors.append(f"weights.{key}: unknown term (known: {', '.join(PENALTY_TERMS)})")
        elif not isinstance(value, int) or value < 0:
            errors.append(f"weights.{key}: a whole number ≥ 0")
    targets = data.get("targets") or {}
    for key in targets:
        if key not in staff_ids:
            errors.append(f"targets.{key}: unknown staff")
    leader_role = str(data.get("leader_role") or "leader")
    for d in sensitive:  # a leader on every staffed shift of a sensitive day
        for shift_id in {s for (day, s, _r) in demand if day == d}:
            demand[(d, shift_id, leader_role)] = max(demand.get((d, shift_id, leader_role), 0), 1)
    if errors:
        raise ProblemError(errors)
    return Problem(start=start, days=days, shifts=shifts, staff=staff, demand=demand, unavailable=unavailable,
                   wishes=wishes, rules=rules, sensitive=sensitive, holidays=holidays,
                   leader_role=leader_role, targets=targets, previous=previous,
                   weights=weights)
