"""The roster optimiser and its independent checker, over plain data (no database)."""

import json
import subprocess
import sys

import pytest

from shouwang.duty import checker, solver
from shouwang.duty.problem import ProblemError, parse

SHIFTS = [{"id": "early", "start": "08:00", "end": "16:00"}, {"id": "middle", "start": "16:00", "end": "24:00"},
          {"id": "night", "start": "00:00", "end": "08:00", "night": True}]


def problem(n=9, days=7, **extra):
    data = {
        "start": "2026-12-21", "days": days, "shifts": SHIFTS,
        "staff": [{"id": f"p{i}", "name": f"队员{i}", "roles": ["patrol"] + (["leader"] if i < 3 else [])}
                  for i in range(n)],
        "demand": [{"shift": s, "role": "patrol", "count": 1} for s in ("early", "middle", "night")],
        "rules": {"min_rest_hours": 8, "forbidden_transitions": [["middle", "night"]], "max_shifts_per_7_days": 5},
    }
    data.update(extra)
    return parse(data)


def solved(p, seconds=5):
    s = solver.solve(p, seconds=seconds, workers=2)
    assert s.status in ("optimal", "feasible")
    return s


def test_a_solved_roster_passes_the_checker_and_both_count_the_same_penalty():
    p = problem(sensitive_days=["2026-12-24"], holidays=["2026-12-25"],
                wishes=[{"staff": "p4", "day": "2026-12-22", "want": False, "weight": 3}],
                unavailable=[{"staff": "p5", "day": "2026-12-23"}])
    s = solved(p)
    verdict = checker.check(p, s.assignments)
    assert verdict["violations"] == []
    assert verdict["terms"] == s.terms and verdict["penalty"] == s.penalty
    # the sensitive day has a leader on each of its three shifts
    leaders = {(d, sh) for _p, d, sh, r in s.assignments if r == "leader"}
    assert {(3, sh) for sh in ("early", "middle", "night")} <= leaders


def roster(p):
    return list(solved(p).assignments)


@pytest.mark.parametrize("rule", ["coverage", "role", "one_shift_per_day", "rest", "max_per_7_days", "unavailable",
                                  "leader_in_sensitive_period"])
def test_the_checker_names_each_broken_hard_rule(rule):
    p = problem(sensitive_days=["2026-12-24"], unavailable=[{"staff": "p8", "day": "2026-12-21"}])
    r = roster(p)
    assert checker.violations(p, r) == []
    if rule == "coverage":
        r.pop()
    elif rule == "role":
        i = next(i for i, a in enumerate(r) if a[3] == "leader")
        who = next(f"p{k}" for k in range(3, 9) if not any(a[0] == f"p{k}" and a[1] == r[i][1] for a in r))
        r[i] = (who, *r[i][1:])
    elif rule == "one_shift_per_day":
        a = r[0]
        r.append((a[0], a[1], next(s for s in ("early", "middle", "night") if s != a[2]), "patrol"))
    elif rule == "rest":
        a = next(a for a in r if a[2] == "middle" and a[1] < 6)
        r.append((a[0], a[1] + 1, "night", "patrol"))
    elif rule == "max_per_7_days":
        r += [("p7", d, "early", "patrol") for d in range(7)]
    elif rule == "unavailable":
        r.append(("p8", 0, "early", "patrol"))
    elif rule == "leader_in_sensitive_period":
        r = [a for a in r if not (a[1] == 3 and a[3] == "leader")]
    found = {v["rule"] for v in checker.violations(p, r)}
    assert rule in found


def test_a_coverage_violation_carries_its_counts_for_the_pages_to_say():
    p = problem()
    r = roster(p)
    r.remove(next(a for a in r if a[1] == 2 and a[2] == "night"))
    short = [v for v in checker.violations(p, r) if v["rule"] == "coverage"]
    assert short == [{"rule": "coverage", "day": "2026-12-23", "shift": "night", "role": "patrol", "have": 0, "need": 1,
                      "detail": "0 staffed, 1 required"}]


def test_rest_rules_come_from_shift_times_and_named_pairs():
    p = problem(rules={"min_rest_hours": 11, "forbidden_transitions": [["night", "early"]], "max_shifts_per_7_days": 5})
    # middle ends 24:00, early starts 08:00 next day: 8 h < 11 h; night → early named
    assert {("middle", "early"), ("night", "early")} <= p.forbidden()
    s = solved(p)
    worked = {(a[0], a[1]): a[2] for a in s.assignments}
    assert not any(worked.get((who, d + 1)) == "early" and sh in ("middle", "night") for (who, d), sh in worked.items())


def test_an_impossible_problem_is_reported_infeasible():
    p = problem(n=2)  # three shifts a day, one shift a day each
    assert solver.solve(p, seconds=5).status == "infeasible"


def test_the_models_penalty_of_any_roster_is_the_checkers_not_more():
    """A roster found mid-run (feasible, not yet optimal) must report the penalty the checker counts:
    the model may not carry a fairness shortfall larger than the roster's own."""
    from ortools.sat.python import cp_model

    p = problem(wishes=[{"staff": "p4", "day": "2026-12-22", "want": False, "weight": 3}])
    r = roster(p)
    truth = checker.penalties(p, r)["penalty"]
    m, x, terms = solver.build(p)
    for key, var in x.items():
        m.Add(var == int(key in set(r)))
    m.Add(sum(p.weights[name] * part for name, parts in terms.items() for part in parts) > truth)
    assert cp_model.CpSolver().Solve(m) == cp_model.INFEASIBLE


def test_a_resolve_after_an_absence_keeps_most_of_the_published_roster():
    p = problem()
    first = solved(p)
    absent = next(a for a in first.assignments if a[1] == 2)
    previous = [{"staff": who, "day": p.day(d).isoformat(), "shift": sh, "role": r} for who, d, sh, r in first.assignments]
    again = problem(previous=previous, unavailable=[{"staff": absent[0], "day": p.day(2).isoformat()}],
                    weights={"changes": 50})
    s = solved(again)
    assert checker.violations(again, s.assignments) == []
    kept = set(first.assignments) & set(s.assignments)
    assert absent not in s.assignments
    assert len(first.assignments) - len(kept) <= 3  # the absent shift, and at most a swap to fill it


def test_wishes_are_granted_when_they_cost_nothing_else():
    p = problem(wishes=[{"staff": "p3", "day": "2026-12-22", "want": False, "weight": 100}])
    s = solved(p)
    assert not any(a[0] == "p3" and a[1] == 1 for a in s.assignments)
    assert s.terms["wishes"] == 0


def test_a_bad_problem_lists_every_error_with_where_it_is():
    with pytest.raises(ProblemError) as exc:
        parse({"start": "2026-13-01", "days": 0, "shifts": [{"id": "a", "start": "25:00", "end": "08:00"}],
               "staff": [], "demand": [{"shift": "zz", "role": "patrol", "count": 1}], "weights": {"speed": 1}})
    errors = "\n".join(exc.value.errors)
    for where in ("start:", "days:", "shifts[0]:", "staff:", "demand[0]: unknown shift", "weights.speed"):
        assert where in errors


def test_the_command_solves_a_json_file_and_prints_terms_and_the_verdict(tmp_path):
    data = {"start": "2026-12-21", "days": 3, "shifts": SHIFTS[:2],
            "staff": [{"id": f"p{i}", "roles": ["patrol"]} for i in range(4)],
            "demand": [{"shift": s, "role": "patrol", "count": 1} for s in ("early", "middle")]}
    path = tmp_path / "problem.json"
    path.write_text(json.dumps(data))
    done = subprocess.run([sys.executable, "-m", "shouwang.cli", "solve-roster", str(path), "--seconds", "3",
                           "--workers", "1"], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    assert len(out["assignments"]) == 6 and out["checker"]["ok"] is True
    assert set(out["terms"]) == {"wishes", "fair_shifts", "fair_nights", "fair_holidays", "fair_leader", "changes"}
    bad = tmp_path / "bad.json"
    bad.write_text('{"days": 3')
    done = subprocess.run([sys.executable, "-m", "shouwang.cli", "solve-roster", str(bad)], capture_output=True,
                          text=True, check=False)
    assert done.returncode == 2 and "not JSON" in done.stderr
