"""Duty fixtures: a community's full-time patrol team of eight on four teams, three shifts (early
06–14, middle 14–22, night 22–06), a 24-hour duty roster with leaders, preset C on the street,
and a clock frozen on Tuesday 1 December 2026, 09:00 in Shanghai."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from shouwang.core.choices import PersonKind, TeamKind
from shouwang.core.models import Person, Team
from shouwang.duty import layouts, services
from shouwang.duty.choices import Layout, Pattern, Post
from shouwang.policies.services import assign, load_presets

CN = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 12, 1, 9, 0, tzinfo=CN)
FIRST = date(2026, 12, 1)
NAMES = ["甲一", "乙二", "丙三", "丁四", "戊五", "己六", "庚七", "辛八"]


@pytest.fixture
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def posture_c(org, clock):
    presets = {p.code: p for p in load_presets(out=lambda *_: None)}
    assign(org.street, presets["event-security-posture-c"])
    return presets["event-security-posture-c"]


@pytest.fixture
def owner(org):
    """The roster's owner: office1's person (he gets the unstaffed slots)."""
    return Person.objects.create(jurisdiction=org.c1, name="一社区值班长", kind=PersonKind.STAFF,
                                 user=org.user("office1"))


@pytest.fixture
def crew(org):
    """Eight patrollers of community 1; the first is patrol1's person."""
    people = [Person.objects.create(jurisdiction=org.c1, name=name, kind=PersonKind.PATROL, phone=f"1390000000{i}")
              for i, name in enumerate(NAMES)]
    people[0].user = org.user("patrol1")
    people[0].save()
    return people


@pytest.fixture
def team(org, crew):
    team = Team.objects.create(jurisdiction=org.c1, name="一社区专职巡防队", kind=TeamKind.FULL_TIME)
    team.members.set(crew)
    return team


def make_rota(org, team, owner, *, days=28, per_shift=2, starts_on=FIRST, generate=True, publish=False, node=None):
    shifts, demand = layouts.build(Layout.THREE_SHIFTS, post=Post.PATROL, per_shift=per_shift)
    roster = services.create_roster(node=node or org.c1, name="一社区巡防四班三倒", starts_on=starts_on, days=days,
                                    shifts=shifts, demand=demand, rules=layouts.rules_of(Layout.THREE_SHIFTS),
                                    team=team, owner=owner, user=org.user("office1"))
    people = list(team.members.order_by("pk"))
    if generate:
        services.generate(roster, pattern=Pattern.FOUR_TEAMS, groups=[people[i:i + 2] for i in range(0, 8, 2)],
                          user=org.user("office1"))
    if publish:
        services.publish(roster, user=org.user("office1"))
    roster.refresh_from_db()
    return roster


@pytest.fixture
def rota(org, team, owner, clock):
    return make_rota(org, team, owner)


@pytest.fixture
def published(org, team, owner, clock):
    return make_rota(org, team, owner, publish=True)


@pytest.fixture
def duty24(org, owner, clock):
    """Community 1's 24-hour duty from 08:30: a leader and a duty officer each day, in turn."""
    leaders = [Person.objects.create(jurisdiction=org.c1, name=f"领导{i}", kind=PersonKind.STAFF) for i in range(3)]
    officers = [owner, *[Person.objects.create(jurisdiction=org.c1, name=f"值班员{i}", kind=PersonKind.STAFF)
                         for i in range(3)]]
    shifts, demand = layouts.build(Layout.DUTY_24, post=Post.DUTY_OFFICER, per_shift=1, leader=True)
    roster = services.create_roster(node=org.c1, name="一社区值班表", starts_on=FIRST, days=14, shifts=shifts,
                                    demand=demand, rules=layouts.rules_of(Layout.DUTY_24), owner=owner,
                                    members=officers, leaders=leaders, user=org.user("office1"))
    services.generate(roster, pattern=Pattern.DAILY, groups=[leaders], post=Post.LEADER, user=org.user("office1"))
    services.generate(roster, pattern=Pattern.DAILY, groups=[officers], post=Post.DUTY_OFFICER,
                      user=org.user("office1"))
    services.publish(roster, user=org.user("office1"))
    roster.refresh_from_db()
    return roster
