"""The roster optimiser: OR-Tools CP-SAT over a plain `Problem` (no ORM).

Hard: coverage of every (day, shift, role) exactly; a person only in a role he holds; one shift a
day; no forbidden transition (named pairs and those under the minimum rest); at most N shifts in
any 7 consecutive days; unavailability; a leader on every shift of a sensitive day (as coverage).
Soft, each a named term times its weight: wishes, fairness of shifts / nights / holidays / leader
duties (each person within the whole numbers around his target: floor to ceiling), changes from the previous (published) roster.
"""

import time
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from .problem import PENALTY_TERMS, Problem, fair_range


@dataclass
class Solution:
    status: str  # optimal, feasible, infeasible, unknown
    assignments: list = field(default_factory=list)  # (staff id, day index, shift id, role)
    penalty: int | None = None
    terms: dict = field(default_factory=dict)
    seconds: float = 0.0
    progress: list = field(default_factory=list)  # (seconds, best penalty) as improvements came

    def as_json(self, problem: Problem) -> dict:
        return {
            "status": self.status, "penalty": self.penalty, "terms": self.terms, "seconds": round(self.seconds, 2),
            "assignments": [{"staff": p, "day": problem.day(d).isoformat(), "shift": s, "role": r}
                            for p, d, s, r in sorted(self.assignments, key=lambda a: (a[1], a[2], a[0]))],
        }


class _Progress(cp_model.CpSolverSolutionCallback):
    def __init__(self, started, on_progress):
        super().__init__()
        self.started, self.on_progress, self.seen = started, on_progress, []

    def on_solution_callback(self):
        point = (time.monotonic() - self.started, int(self.ObjectiveValue()))
        self.seen.append(point)
        if self.on_progress:
            self.on_progress(*point)


def build(problem: Problem):
    """The CP-SAT model, its assignment variables and its named penalty expressions."""
    m = cp_model.CpModel()
    x = {}  # (p, d, s, r) -> BoolVar
    roles_needed = {}
    for (d, s, r), _count in problem.demand.items():
        roles_needed.setdefault((d, s), set()).add(r)
    off = problem.unavailable
    for person in problem.staff:
        pid = person["id"]
        for (d, s), roles in roles_needed.items():
            if (pid, d, None) in off or (pid, d, s) in off:
                continue
            for r in roles & person["roles"]:
                x[(pid, d, s, r)] = m.NewBoolVar(f"x_{pid}_{d}_{s}_{r}")
    by_slot, by_day = {}, {}
    for key, var in x.items():
        pid, d, s, r = key
        by_slot.setdefault((d, s, r), []).append(var)
        by_day.setdefault((pid, d), []).append(var)
    # coverage, exactly
    for (d, s, r), count in problem.demand.items():
        m.Add(sum(by_slot.get((d, s, r), [])) == count)
    # one shift a day (in one role)
    works = {}  # (p, d, s) -> sum of role vars
    for (pid, d, s, _r), var in x.items():
        works.setdefault((pid, d, s), []).append(var)
    for vars_ in by_day.values():
        m.Add(sum(vars_) <= (1 if problem.rules["one_shift_per_day"] else len(problem.shifts)))
    # rest between shifts
    for a, b in problem.forbidden():
        for person in problem.staff:
            pid = person["id"]
            for d in range(problem.days - 1):
                first, second = works.get((pid, d, a)), works.get((pid, d + 1, b))
                if first and second:
                    m.Add(sum(first) + sum(second) <= 1)
    # at most N shifts in any 7 consecutive days
    limit = problem.rules["max_shifts_per_7_days"]
    for person in problem.staff:
        pid = person["id"]
        for d0 in range(max(problem.days - 6, 1)):
            window = [v for d in range(d0, min(d0 + 7, problem.days)) for v in by_day.get((pid, d), [])]
            if len(window) > limit:
                m.Add(sum(window) <= limit)
    terms = {name: [] for name in PENALTY_TERMS}
    # wishes
    for pid, d, s, want, weight in problem.wishes:
        vars_ = works.get((pid, d, s), []) if s else by_day.get((pid, d), [])
        if not vars_:
            if want:
                terms["wishes"].append(weight)  # cannot be granted: a constant
            continue
        worked = sum(vars_)
        terms["wishes"].append(weight * (1 - worked) if want else weight * worked)
    # fairness against targets
    targets = problem.fair_targets()
    night_ids = {s.id for s in problem.shifts if s.night}
    for person in problem.staff:
        pid = person["id"]
        mine = [(key, v) for key, v in x.items() if key[0] == pid]
        counts = {
            "fair_shifts": [v for _k, v in mine],
            "fair_nights": [v for k, v in mine if k[2] in night_ids],
            "fair_holidays": [v for k, v in mine if k[1] in problem.holidays],
            "fair_leader": [v for k, v in mine if k[3] == problem.leader_role],
        }
        for term, key in (("fair_shifts", "shifts"), ("fair_nights", "nights"), ("fair_holidays", "holidays"),
                          ("fair_leader", "leader")):
            low, high = fair_range(targets[pid][key])
            vars_ = counts[term]
            if not vars_:
                if low > 0:
                    terms[term].append(low)
                continue
            # exactly the distance outside [low, high] (not merely at least it), so that a roster
            # found mid-run reports the penalty the checker counts
            over = m.NewIntVar(0, len(vars_), f"over_{term}_{pid}")
            under = m.NewIntVar(0, low, f"under_{term}_{pid}")
            m.AddMaxEquality(over, [0, sum(vars_) - high])
            m.AddMaxEquality(under, [0, low - sum(vars_)])
            terms[term] += [over, under]
    # changes from the previous roster: each previous assignment not kept
    for pid, d, s, r in problem.previous:
        if r is None:
            vars_ = works.get((pid, d, s), [])
        else:
            vars_ = [x[(pid, d, s, r)]] if (pid, d, s, r) in x else []
        terms["changes"].append(1 - sum(vars_) if vars_ else 1)
    m.Minimize(sum(problem.weights[name] * p for name, parts in terms.items() for p in parts))
    return m, x, terms


def _value(solver, expr):
    if isinstance(expr, int | float):
        return expr
    return solver.Value(expr)


def solve(problem: Problem, seconds=10.0, workers=2, on_progress=None, hint=None) -> Solution:
    """Solve within `seconds` on `workers` threads; `on_progress(seconds, penalty)` on each better
    roster. The penalty is counted as the checker counts it (checker.penalties)."""
    started = time.monotonic()
    m, x, terms = build(problem)
    if hint:
        for key in hint:
            if key in x:
                m.AddHint(x[key], 1)
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = float(seconds)
    solver.parameters.num_workers = int(workers)
    callback = _Progress(started, on_progress)
    status = solver.Solve(m, callback)
    out = Solution(status={cp_model.OPTIMAL: "optimal", cp_model.FEASIBLE: "feasible",
                           cp_model.INFEASIBLE: "infeasible"}.get(status, "unknown"),
                   seconds=time.monotonic() - started, progress=callback.seen)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return out
    out.assignments = [key for key, var in x.items() if solver.Value(var)]
    for name, parts in terms.items():
        out.terms[name] = sum(_value(solver, p) for p in parts)
    out.penalty = sum(problem.weights[n] * v for n, v in out.terms.items())
    return out
