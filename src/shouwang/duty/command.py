"""`shouwang solve-roster FILE --seconds N --workers K`: solve a roster problem (problem.py's JSON)
and print the assignment, each penalty term by name and the independent checker's verdict.
Needs no database: planners try scenarios on a laptop."""

import argparse
import json
import sys

from . import checker, solver
from .problem import ProblemError, parse


def run(argv) -> int:
    parser = argparse.ArgumentParser(prog="shouwang solve-roster", description=__doc__.split("\n")[0])
    parser.add_argument("file", help="the problem as JSON (- for standard input)")
    parser.add_argument("--seconds", type=float, default=30.0, help="time limit (default 30)")
    parser.add_argument("--workers", type=int, default=2, help="solver threads (default 2)")
    args = parser.parse_args(argv)
    try:
        text = sys.stdin.read() if args.file == "-" else open(args.file, encoding="utf-8").read()  # noqa: SIM115
        problem = parse(json.loads(text))
    except OSError as exc:
        sys.stderr.write(f"solve-roster: cannot read {args.file}: {exc.strerror}\n")
        return 2
    except json.JSONDecodeError as exc:
        sys.stderr.write(f"solve-roster: {args.file} is not JSON (line {exc.lineno}, column {exc.colno}): {exc.msg}\n")
        return 2
    except ProblemError as exc:
        sys.stderr.write("solve-roster: the problem has errors:\n" + "".join(f"  {e}\n" for e in exc.errors))
        return 2
    solution = solver.solve(problem, seconds=args.seconds, workers=args.workers,
                            on_progress=lambda s, p: sys.stderr.write(f"  {s:6.1f} s  penalty {p}\n"))
    out = solution.as_json(problem)
    if solution.assignments:
        verdict = checker.check(problem, solution.assignments)
        out["checker"] = {"ok": verdict["ok"], "violations": verdict["violations"], "penalty": verdict["penalty"]}
    json.dump(out, sys.stdout, ensure_ascii=False, indent=1)
    sys.stdout.write("\n")
    return 0 if solution.assignments else 1
