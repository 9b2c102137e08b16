from collections import Counter
from datetime import date

import pytest

from shouwang.duty.patterns import daily_rotation, four_teams_three_shifts, weekly_leader


def test_four_teams_three_shifts_covers_every_shift_every_day_with_one_team_resting():
    out = four_teams_three_shifts(["A", "B", "C", "D"], days=16)
    per_day = Counter((d, s) for _t, d, s in out)
    assert all(per_day[(d, s)] == 1 for d in range(16) for s in ("early", "middle", "night"))
    # a team works 6 of every 8 days and never goes night → early
    team_a = {d: s for t, d, s in out if t == "A"}
    assert len(team_a) == 12
    assert not any(team_a.get(d) == "night" and team_a.get(d + 1) == "early" for d in range(15))
    assert [team_a.get(d) for d in range(8)] == ["early", "early", "middle", "middle", "night", "night", None, None]


def test_four_teams_need_four_teams():
    with pytest.raises(ValueError, match="4 teams"):
        four_teams_three_shifts(["A", "B", "C"], days=3)


def test_daily_and_weekly_rotations():
    assert [p for p, _d, _s in daily_rotation(["甲", "乙", "丙"], 5)] == ["甲", "乙", "丙", "甲", "乙"]
    out = weekly_leader(["王", "李"], date(2026, 12, 3), 12)  # a Thursday
    assert [p for p, _d, _s in out] == ["王"] * 4 + ["李"] * 7 + ["王"]
