"""The independent roster checker: written apart from the solver, it verifies any roster
(published or solved) against the problem's rules and names every violation and penalty.

Hard rules (each violation a dict with its rule, person, day and what is wrong): coverage,
role held, one shift a day, rest between shifts, at most N shifts in 7 consecutive days,
unavailability, leader on duty in sensitive periods. Soft terms, by name, in the solver's units.
"""

from collections import Counter, defaultdict

from .problem import Problem, fair_range

HARD_RULES = ("coverage", "role", "one_shift_per_day", "rest", "max_per_7_days", "unavailable",
              "leader_in_sensitive_period")


def violations(problem: Problem, assignments) -> list[dict]:
    """Every hard-rule violation of `assignments` [(staff, day index, shift, role)]."""
    out = []
    staffed = Counter((d, s, r) for _p, d, s, r in assignments)
    for key in set(problem.demand) | set(staffed):
        need, have = problem.demand.get(key, 0), staffed.get(key, 0)
        if need != have:
            d, s, r = key
            out.append({"rule": "coverage", "day": problem.day(d).isoformat(), "shift": s, "role": r,
                        "have": have, "need": need, "detail": f"{have} staffed, {need} required"})
    per_day = defaultdict(list)
    for p, d, s, r in assignments:
        if r not in problem.roles_of(p):
            out.append({"rule": "role", "staff": p, "day": problem.day(d).isoformat(), "shift": s,
                        "detail": f"does not hold the role {r}"})
        if (p, d, None) in problem.unavailable or (p, d, s) in problem.unavailable:
            out.append({"rule": "unavailable", "staff": p, "day": problem.day(d).isoformat(), "shift": s,
                        "detail": "rostered while unavailable"})
        per_day[(p, d)].append(s)
    if problem.rules["one_shift_per_day"]:
        for (p, d), shifts in per_day.items():
            if len(shifts) > 1:
                out.append({"rule": "one_shift_per_day", "staff": p, "day": problem.day(d).isoformat(),
                            "detail": "、".join(shifts)})
    rest_ok = _rest_table(problem)
    for (p, d), shifts in per_day.items():
        for a in shifts:
            for b in per_day.get((p, d + 1), []):
                if not rest_ok[(a, b)]:
                    out.append({"rule": "rest", "staff": p, "day": problem.day(d).isoformat(),
                                "detail": f"{a} → {b} next day"})
    limit = problem.rules["max_shifts_per_7_days"]
    for person in problem.staff:
        p = person["id"]
        days = sorted(d for (q, d), shifts in per_day.items() if q == p for _ in shifts)
        for d0 in range(max(problem.days - 6, 1)):
            n = sum(1 for d in days if d0 <= d < d0 + 7)
            if n > limit:
                out.append({"rule": "max_per_7_days", "staff": p, "day": problem.day(d0).isoformat(),
                            "detail": f"{n} shifts in 7 days from here, at most {limit}"})
    for d in sorted(problem.sensitive):
        for s in problem.shift_ids:
            if not any(dd == d and ss == s for dd, ss, _r in problem.demand):
                continue
            if not any(dd == d and ss == s and r == problem.leader_role for _p, dd, ss, r in assignments):
                out.append({"rule": "leader_in_sensitive_period", "day": problem.day(d).isoformat(), "shift": s,
                            "detail": "no leader on duty"})
    return out


def _rest_table(problem):
    """(a, b) -> may shift b follow shift a on the next day? From the shift times and the named pairs."""
    named = {tuple(pair) for pair in problem.rules["forbidden_transitions"]}
    minimum = problem.rules["min_rest_hours"] * 60
    table = {}
    for a in problem.shifts:
        for b in problem.shifts:
            gap = (24 * 60 + b.start) - a.end  # from the end of a to the start of b on the next day
            table[(a.id, b.id)] = gap >= minimum and (a.id, b.id) not in named
    return table


def penalties(problem: Problem, assignments) -> dict:
    """The soft terms by name (unweighted) and the weighted total."""
    worked_day = {(p, d) for p, d, _s, _r in assignments}
    worked_shift = {(p, d, s) for p, d, s, _r in assignments}
    wishes = 0
    for p, d, s, want, weight in problem.wishes:
        worked = (p, d, s) in worked_shift if s else (p, d) in worked_day
        if worked != want:
            wishes += weight
    nights = {s.id for s in problem.shifts if s.night}
    targets = problem.fair_targets()
    counts = {p["id"]: Counter() for p in problem.staff}
    for p, d, s, r in assignments:
        c = counts[p]
        c["shifts"] += 1
        c["nights"] += s in nights
        c["holidays"] += d in problem.holidays
        c["leader"] += r == problem.leader_role
    fair = {}
    for term, key in (("fair_shifts", "shifts"), ("fair_nights", "nights"), ("fair_holidays", "holidays"),
                      ("fair_leader", "leader")):
        total = 0
        for p in counts:
            low, high = fair_range(targets[p][key])
            n = counts[p][key]
            total += max(0, n - high) + max(0, low - n)
        fair[term] = total
    kept = {(p, d, s, r) for p, d, s, r in assignments}
    changes = sum(1 for p, d, s, r in problem.previous
                  if not ((p, d, s) in worked_shift if r is None else (p, d, s, r) in kept))
    terms = {"wishes": wishes, **fair, "changes": changes}
    total = sum(problem.weights[name] * value for name, value in terms.items())
    return {"terms": terms, "penalty": total}


def check(problem: Problem, assignments) -> dict:
    found = violations(problem, assignments)
    return {"ok": not found, "violations": found, "by_rule": dict(Counter(v["rule"] for v in found)),
            **penalties(problem, assignments)}
