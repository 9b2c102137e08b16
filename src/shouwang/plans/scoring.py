"""A drill's scores: plain data in, plain data out (no database here).

An expected action is worth its points when it is logged within its window after the inject;
the evaluator's rating scales it (HSEEP: P all of it, S three quarters, M two fifths, U nothing);
logged after its window it earns half of that; not logged, nothing.
"""

from dataclasses import dataclass

FACTOR = {"P": 1.0, "S": 0.75, "M": 0.4, "U": 0.0}
LATE_FACTOR = 0.5


@dataclass(frozen=True)
class Scored:
    points: int
    earned: float
    done: bool
    in_window: bool
    rating: str


def score(points, *, done_at, window_ends, rating="") -> Scored:
    if done_at is None:
        return Scored(points, 0.0, False, False, rating)
    in_window = window_ends is not None and done_at <= window_ends
    earned = points * FACTOR.get(rating, 1.0)
    if not in_window:
        earned *= LATE_FACTOR
    return Scored(points, round(earned, 1), True, in_window, rating)


def total(scored) -> dict:
    scored = list(scored)
    possible = sum(s.points for s in scored)
    earned = round(sum(s.earned for s in scored), 1)
    return {"possible": possible, "earned": earned,
            "percent": round(100 * earned / possible) if possible else None,
            "done": sum(s.done for s in scored), "in_window": sum(s.in_window for s in scored),
            "count": len(scored)}
