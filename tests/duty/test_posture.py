"""Posture: the level a leader sets (inherited below unless raised), required against rostered per
force and shift at the preset C ratios, the shortfalls told to the office, and the optimiser taking
the posture's requirement as coverage."""

from datetime import date, datetime, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from shouwang.core.choices import PersonKind, TeamKind
from shouwang.core.models import Person, Team
from shouwang.duty import layouts, queries, rosters, services
from shouwang.duty.choices import Layout, Pattern, Post, PostureLevel
from shouwang.duty.models import Assignment
from shouwang.obligations.models import Notification

from .conftest import CN, FIRST


def _team(org, name, kind, n, node=None):
    node = node or org.c2
    people = Person.objects.bulk_create([Person(jurisdiction=node, name=f"{name}{i:02d}", kind=PersonKind.STAFF)
                                         for i in range(n)])
    team = Team.objects.create(jurisdiction=node, name=name, kind=kind)
    team.members.set(people)
    return team, people


def _posture(org, level, day, days=1, node=None, user="leader"):
    return services.set_posture(node=node or org.street, level=level, starts_at=datetime.combine(day, datetime.min.time(), CN),
                                ends_at=datetime.combine(day + timedelta(days=days), datetime.min.time(), CN),
                                reason="演练", user=org.user(user))


@pytest.fixture
def forces(org, posture_c, published, clock):
    """Community 2's 40 police, 40 volunteers and 10 property guards (on duty every day of the four
    weeks before: a daily average of 10), with community 1's full-time team on its published rota."""
    police, _p = _team(org, "派出所巡逻警力", TeamKind.POLICE, 40)
    volunteers, _v = _team(org, "平安志愿者", TeamKind.VOLUNTEERS, 40)
    guards, people = _team(org, "物业保安", TeamKind.PROPERTY, 10)
    shifts, demand = layouts.build(Layout.OFFICE_DAY, post=Post.PATROL, per_shift=10)
    past = services.create_roster(node=org.c2, name="物业保安日间巡逻", starts_on=FIRST - timedelta(days=28), days=28,
                                  shifts=shifts, demand=demand, rules={"max_shifts_per_7_days": 7}, team=guards,
                                  members=people, user=org.user("office"))
    days = [FIRST - timedelta(days=28 - d) for d in range(28)]
    services.replace_days(past, days=days, columns={("day", Post.PATROL)},
                          rows=[(p, day, "day", Post.PATROL) for day in days for p in people], user=org.user("office"))
    services.publish(past, user=org.user("office"))
    return {"police": police, "volunteers": volunteers, "property": guards}


def _force(panel_day, kind):
    return next(f for f in panel_day.forces if f.kind == kind)


def test_required_follows_the_preset_c_ratios_at_each_days_level(org, forces):
    _posture(org, PostureLevel.ENHANCED, date(2026, 12, 2))
    _posture(org, PostureLevel.EXTRAORDINARY, date(2026, 12, 3))
    panel = queries.staffing_panel(org.street, FIRST, 3)
    assert [d.level for d in panel] == ["normal", "enhanced", "extraordinary"]
    assert [_force(d, "police").required for d in panel] == [10, 12, 20]  # 25 / 30 / 50 % of 40
    assert [_force(d, "volunteers").required for d in panel] == [12, 20, 36]  # 30 / 50 / 90 % of 40
    assert [_force(d, "property").required for d in panel] == [10, 11, 13]  # +0 / +10 / +30 % over 10 a day
    for d in panel:  # the full-time team: 100 % of its rota's places, two a shift
        full = _force(d, "full_time")
        assert [(s.label, s.required, s.rostered) for s in full.shifts] == [
            ("早班", 2, 2), ("中班", 2, 2), ("夜班", 2, 2)]
        assert full.short == 0
    assert _force(panel[0], "police").short == 10  # no police roster: every one of them lacks


def test_leave_lowers_what_is_available(org, forces):
    for person in list(forces["police"].members.all())[:4]:
        services.enter_leave(person=person, starts_on=FIRST, ends_on=FIRST, reason="年休", user=org.user("office"))
    day = queries.staffing_panel(org.street, FIRST, 1)[0]
    police = _force(day, "police")
    assert (police.available, police.required) == (36, 9)


def test_a_lower_node_inherits_the_level_unless_it_raises_it(org, posture_c, clock):
    _posture(org, PostureLevel.ENHANCED, FIRST, days=3)
    assert queries.posture_at(org.grid)[0] == PostureLevel.ENHANCED
    own = _posture(org, PostureLevel.EXTRAORDINARY, FIRST, days=1, node=org.c1, user="office1")
    assert queries.posture_at(org.grid) == (PostureLevel.EXTRAORDINARY, own)
    assert queries.posture_at(org.c2)[0] == PostureLevel.ENHANCED


def test_a_posture_needs_a_reason_a_future_end_and_the_right(org, posture_c, clock):
    now = datetime(2026, 12, 1, 9, 0, tzinfo=CN)
    with pytest.raises(ValidationError) as bad:
        services.set_posture(node=org.street, level="enhanced", starts_at=now, ends_at=now + timedelta(days=1),
                             reason=" ", user=org.user("leader"))
    assert "reason" in bad.value.message_dict
    with pytest.raises(ValidationError):
        services.set_posture(node=org.street, level="enhanced", starts_at=now - timedelta(days=2),
                             ends_at=now - timedelta(days=1), reason="x", user=org.user("leader"))
    with pytest.raises(PermissionDenied):
        services.set_posture(node=org.street, level="enhanced", starts_at=now, ends_at=now + timedelta(days=1),
                             reason="x", user=org.user("grid1"))


def test_raising_the_posture_tells_the_office_which_shifts_lack_people(org, forces):
    before = Notification.objects.count()
    posture = _posture(org, PostureLevel.ENHANCED, date(2026, 12, 2), days=3)
    told = Notification.objects.exclude(pk__lte=before) if before else Notification.objects.all()
    titles = set(told.values_list("title", flat=True))
    # police, volunteers and property guards (no roster this month) lack, each of the 3 days; the
    # full-time team's rota is full
    assert titles == {"测试街道 加强：9个班次缺人"}
    body = told.first().body
    assert body.splitlines()[:3] == ["12-02 公安巡逻 全天：需12人，已排0人", "12-02 平安志愿者 全天：需20人，已排0人",
                                     "12-02 物业保安 全天：需11人，已排0人"]
    assert set(told.values_list("recipient__username", flat=True)) >= {"leader", "office"}
    assert posture.ends_at == datetime(2026, 12, 5, tzinfo=CN)


def test_the_optimiser_takes_the_postures_requirement_as_coverage(org, posture_c, clock):
    team, people = _team(org, "二社区志愿者", TeamKind.VOLUNTEERS, 5, node=org.c1)
    shifts, demand = layouts.build(Layout.OFFICE_DAY, post=Post.PATROL, per_shift=1)
    roster = services.create_roster(node=org.c1, name="志愿者巡逻", starts_on=FIRST, days=7, shifts=shifts,
                                    demand=demand, rules=layouts.rules_of(Layout.OFFICE_DAY), team=team,
                                    members=people, user=org.user("office1"))
    services.generate(roster, pattern=Pattern.DAILY, groups=[people], post=Post.PATROL, user=org.user("office1"))
    # even the normal level asks 30 % of 5 volunteers (2 a day), more than the roster's own one
    assert rosters.check(roster)["by_rule"] == {"coverage": 7}
    _posture(org, PostureLevel.EXTRAORDINARY, date(2026, 12, 4), days=2)
    demand = queries.roster_demand(roster)
    # 30 % of 5 = 1.5 -> 2 on normal days; 90 % of 5 = 4.5 -> 5 on the two extraordinary days
    assert [demand[(FIRST + timedelta(days=d), "day", Post.PATROL)] for d in range(7)] == [2, 2, 2, 5, 5, 2, 2]
    run = services.start_solve(roster, seconds=5, user=org.user("office1"))
    services.run_solve(run.pk)
    run.refresh_from_db()
    assert run.state == "done" and run.result["checker"]["ok"]
    services.apply_run(run, user=org.user("office1"))
    counts = [Assignment.objects.live().filter(roster=roster, day=FIRST + timedelta(days=d)).count() for d in range(7)]
    assert counts == [2, 2, 2, 5, 5, 2, 2]
