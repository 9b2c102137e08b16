"""When planned inspections fall due: plain data in, plain data out (no database here).

- routine: a place of a category is due every N days (the policy's
  `inspections.routine_days[category]`, else its "default"), counted from its last inspection
  or, never inspected, from the plan's start; it opens the day after the last inspection (and
  is opened as soon as that inspection is in);
- pre-holiday: before a (public) holiday, each covered place's inspection opens N days before
  (`inspections.pre_holiday_days`) and is due at the end of the day before the holiday starts;
- campaign (专项整治): each of its places is due at the end of the deadline's day.

The services read the plans, places and last inspections, ask here what is due, and open one
obligation per (plan, place, due day).
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from shouwang.core.clock import local_datetime

from .choices import PlanKind
from .rules import INSPECTIONS, routine_days

END_OF_DAY = time(23, 59, 59)
# Pre-holiday and campaign inspections are opened this long before they open, so that they
# show on the inspector's list as upcoming; routine ones open as soon as they are due to start.
LOOKAHEAD = timedelta(days=7)


@dataclass(frozen=True)
class Place:
    """What planning needs to know of a key place."""

    id: int
    path: str  # its node's tree path
    category: str
    row: object = field(default=None, compare=False, hash=False, repr=False)  # the caller's record


@dataclass(frozen=True)
class Due:
    """One planned inspection: of `place_id`, open from `opens_on` (start of day), due at the
    end of `due_on`, under the policy rule `rule` ("" for a campaign's own deadline)."""

    place_id: int
    opens_on: date
    due_on: date
    rule: str

    @property
    def opens_at(self) -> datetime:
        return local_datetime(self.opens_on)

    @property
    def due_at(self) -> datetime:
        return end_of_day(self.due_on)


def end_of_day(day: date) -> datetime:
    return local_datetime(day, END_OF_DAY)


def covers(node_path, categories, explicit_ids, place) -> bool:
    """Does a plan on `node_path` cover `place`? Its listed places if it lists any; otherwise the
    places of its categories (all categories when none) on its node and below."""
    if explicit_ids:
        return place.id in explicit_ids
    return place.path.startswith(node_path) and (not categories or place.category in categories)


def routine(places, last_inspected, starts_on, rules, deadline=None):
    """The next routine inspection of each place. `last_inspected`: {place id: local date}.
    Counted from the last inspection, never due before the plan starts, none after its
    deadline (if it has one)."""
    out = []
    for place in places:
        days = routine_days(place.category, rules)
        last = last_inspected.get(place.id)
        if last is None:
            opens_on, due_on = starts_on, starts_on + timedelta(days=days)
        else:
            opens_on = max(last + timedelta(days=1), starts_on)
            due_on = max(last + timedelta(days=days), starts_on)
        if deadline is not None and due_on > deadline:
            continue
        out.append(Due(place.id, min(opens_on, due_on), due_on, "inspections.routine_days"))
    return out


def pre_holiday(places, holiday_starts, rules):
    """Before each holiday (its first day in `holiday_starts`): open N days before, due the day before."""
    days = max(int(rules.get("pre_holiday_days") or INSPECTIONS["pre_holiday_days"]), 1)
    out = []
    for first in sorted(set(holiday_starts)):
        for place in places:
            out.append(Due(place.id, first - timedelta(days=days), first - timedelta(days=1),
                           "inspections.pre_holiday_days"))
    return out


def campaign(places, starts_on, deadline):
    """Every place of the campaign, from its start to the end of its deadline's day."""
    return [Due(place.id, min(starts_on, deadline), deadline, "") for place in places]


def due_for(kind, places, *, rules, starts_on, today, deadline=None, last_inspected=None, holiday_starts=()):
    """What a plan of `kind` owes as of `today`: the dues that open by `today` (routine) or
    within the look-ahead (pre-holiday, campaign) and are not past a day already gone by
    before the plan could have opened them."""
    if kind == PlanKind.ROUTINE:
        dues = routine(places, last_inspected or {}, starts_on, rules, deadline)
        return [d for d in dues if d.opens_on <= today + timedelta(days=1)]  # the next, right after an inspection
    if kind == PlanKind.PRE_HOLIDAY:
        dues = pre_holiday(places, [h for h in holiday_starts if h > today], rules)
    elif kind == PlanKind.CAMPAIGN and deadline is not None:
        dues = campaign(places, starts_on, deadline) if deadline >= today else []
    else:
        dues = []
    return [d for d in dues if d.opens_on <= today + LOOKAHEAD]


def nearest(path, by_path):
    """The value of the longest path in `by_path` that `path` starts with (the node's own or its
    nearest ancestor's), or None."""
    best = None
    for candidate in by_path:
        if path.startswith(candidate) and (best is None or len(candidate) > len(best)):
            best = candidate
    return by_path[best] if best is not None else None


def plan_of_key(key):
    """The plan id in a planned inspection's obligation key ("inspections.planned:<plan>:<place>:<day>")."""
    parts = (key or "").split(":")
    try:
        return int(parts[1]) if len(parts) >= 4 else None
    except ValueError:
        return None


def progress(places, rows):
    """A plan's places with the state of their latest planned inspection, and the counts.
    `rows`: (place id, state, due_at) of the plan's obligations. Returns
    ({place id: (state or None, due_at or None)}, {"inspected": n, "pending": n, "missed": n, "waiting": n})."""
    latest = {}
    for place_id, state, due_at in rows:
        if place_id not in latest or due_at > latest[place_id][1]:
            latest[place_id] = (state, due_at)
    counts = {"inspected": 0, "pending": 0, "missed": 0, "waiting": 0}
    out = {}
    for place in places:
        state, due_at = latest.get(place, (None, None))
        out[place] = (state, due_at)
        if state in ("met", "met_late"):
            counts["inspected"] += 1
        elif state == "missed":
            counts["missed"] += 1
        elif state in ("open", "due_soon", "upcoming"):
            counts["pending"] += 1
        else:  # not due yet (or waived): nothing owed now
            counts["waiting"] += 1
    return out, counts
