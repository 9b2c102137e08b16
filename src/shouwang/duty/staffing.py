"""Required staffing per force at a posture level, from the policy's ratios (preset C):
police on street patrol ≥ 25 / 30 / 50 % of available, the full-time patrol team 100 %,
volunteers ≥ 30 / 50 / 90 %, auxiliary forces +0 / +10–20 / +30–50 % over the daily average.
Plain data: the caller reads the policy and the forces' totals."""

import math
from dataclasses import dataclass

LEVELS = ("normal", "enhanced", "extraordinary")
# force kind (core.TeamKind) -> the policy key of its share of the available total
SHARE_OF_AVAILABLE = {
    "police": "police_on_street_patrol_min_share",
    "full_time": "fulltime_patrol_team_on_duty_share",
    "volunteers": "volunteers_on_duty_min_share",
}
AUXILIARY = ("property", "militia", "reserve", "school")  # measured against their daily average


@dataclass(frozen=True)
class Requirement:
    force: str
    level: str
    required: int  # at least this many on duty
    basis: str  # "share" of available or "over_average"
    low: float  # the share (or the lower bound of the increase)
    high: float


def required(level, force, *, available=0, daily_average=0, posture_rules) -> Requirement | None:
    """At least how many of `force` must be on duty at `level`; None when the policy says nothing."""
    row = (posture_rules or {}).get(level)
    if row is None:
        raise ValueError(f"unknown posture level {level!r} (known: {', '.join(LEVELS)})")
    key = SHARE_OF_AVAILABLE.get(force)
    if key is not None:
        if key not in row:
            return None
        share = float(row[key])
        return Requirement(force, level, math.ceil(round(share * available, 6)), "share", share, share)
    if force in AUXILIARY and "auxiliary_vs_daily_average" in row:
        low, high = (float(v) for v in row["auxiliary_vs_daily_average"])
        return Requirement(force, level, math.ceil(round(daily_average * (1 + low), 6)), "over_average", low, high)
    return None


def shortfall(requirement: Requirement | None, rostered: int) -> int:
    return max(0, requirement.required - rostered) if requirement else 0


# The full-time team's share is of its rota's planned strength per shift: a rota always rests some
# of its people (four teams, three shifts rests one team in four), so its 100 % means every
# planned place filled, not every member on duty every day.
PLANNED_STRENGTH = ("full_time",)


def spread(requirement: Requirement | None, planned: dict) -> dict:
    """{shift key: at least how many} of a force for one day, from its requirement and its rosters'
    planned strength per shift ({shift key: count}; {} when the force has no roster that day, then
    the whole day's requirement stands under the key None). Other forces' day requirement is spread
    evenly over their shifts of the day, the first ones taking the remainder (a person stands one
    shift a day)."""
    if requirement is None:
        return {}
    if requirement.force in PLANNED_STRENGTH:
        return {key: math.ceil(round(requirement.low * count, 6)) for key, count in planned.items()}
    keys = list(planned) or [None]
    each, extra = divmod(requirement.required, len(keys))
    return {key: each + (1 if i < extra else 0) for i, key in enumerate(keys)}
