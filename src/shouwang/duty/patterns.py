"""Roster patterns as plain data: a period generated from a rotation, before any optimiser.

- four teams, three shifts (四班三倒): teams A–D rotate early → middle → night → rest, each
  step `days_per_step` days long, team k offset by k steps;
- 24-hour duty: one person a day in turn;
- weekly leader rotation: one leader a week (Monday to Sunday) in turn.
Each returns [(person or team id, day index, shift id)].
"""

from datetime import date, timedelta

FOUR_TEAMS_CYCLE = ("early", "middle", "night", "rest")


def four_teams_three_shifts(teams, days, days_per_step=2, cycle=FOUR_TEAMS_CYCLE):
    """Every day exactly one team on each working shift of the cycle, and one team resting."""
    if len(teams) != len(cycle):
        raise ValueError(f"four teams three shifts needs {len(cycle)} teams, not {len(teams)}")
    out = []
    for d in range(days):
        step = d // days_per_step
        for k, team in enumerate(teams):
            shift = cycle[(step + k) % len(cycle)]
            if shift != "rest":
                out.append((team, d, shift))
    return out


def daily_rotation(people, days, shift="duty24", offset=0):
    """24-hour duty: person i on day i, in turn."""
    return [(people[(d + offset) % len(people)], d, shift) for d in range(days)] if people else []


def weekly_leader(leaders, start: date, days, shift="leader"):
    """One leader per calendar week (Monday first), in turn; the period may start mid-week."""
    if not leaders:
        return []
    first_monday = start - timedelta(days=start.weekday())
    out = []
    for d in range(days):
        week = ((start + timedelta(days=d)) - first_monday).days // 7
        out.append((leaders[week % len(leaders)], d, shift))
    return out
