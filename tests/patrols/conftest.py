from types import SimpleNamespace

import pytest

from shouwang.core.choices import PersonKind
from shouwang.core.models import Person, Team
from shouwang.patrols.models import Checkpoint, Route, Schedule

GATE = (31.2310, 121.4705)


@pytest.fixture
def patrol(org):
    """C1: a school-security team walking a school-gate route on school days 07:15–07:45 and 16:00–16:30."""
    member = Person.objects.create(jurisdiction=org.c1, name="巡逻队员甲", kind=PersonKind.PATROL, user=org.user("patrol1"))
    leader = Person.objects.create(jurisdiction=org.c1, name="队长乙", kind=PersonKind.PATROL)
    team = Team.objects.create(jurisdiction=org.c1, name="护校队", kind="school", leader=leader, equipment="对讲机")
    team.members.add(member, leader)
    route = Route.objects.create(jurisdiction=org.c1, name="校门路线")
    gate = Checkpoint.objects.create(route=route, order=1, name="校门", lat=GATE[0], lon=GATE[1], radius_m=80, must_visit=True)
    corner = Checkpoint.objects.create(route=route, order=2, name="路口", lat=GATE[0] + 0.002, lon=GATE[1], radius_m=80)
    schedule = Schedule.objects.create(
        jurisdiction=org.c1, name="护校签到", team=team, route=route, days="school",
        windows=[{"name": "school_arrival", "start": "07:15", "end": "07:45"},
                 {"name": "school_dismissal", "start": "16:00", "end": "16:30"}],
    )
    return SimpleNamespace(member=member, leader=leader, team=team, route=route, gate=gate, corner=corner, schedule=schedule)


@pytest.fixture(autouse=True)
def _fresh_policy_cache():
    # The speed limit is cached per node id for a minute; ids repeat between tests.
    from shouwang.patrols import services

    services._POLICY_CACHE.clear()
    yield
    services._POLICY_CACHE.clear()
