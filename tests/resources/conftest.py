from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from shouwang.core.choices import PersonKind, Role, TeamKind
from shouwang.core.models import Person, Team
from shouwang.policies.models import Policy
from shouwang.policies.services import assign, new_version
from shouwang.resources import services
from shouwang.resources.models import AssemblyPoint, Equipment, EvacuationPoint, Store, SupplyItem
from tests.conftest import make_user

STANDARD = {"blanket": 50, "water": 20}


@pytest.fixture
def standard(org):
    """The street's reserve standard, as the office's own policy."""
    policy = Policy.objects.create(code="test-standard", name="储备标准")
    new_version(policy, {"reserve_standard": STANDARD}, allow_past=True, effective_from=timezone.now() - timedelta(days=1))
    assign(org.street, policy)
    return STANDARD


@pytest.fixture
def items(org):
    return {
        "blanket": SupplyItem.objects.create(jurisdiction=org.street, code="blanket", name="棉被", category="daily",
                                             unit="床"),
        "water": SupplyItem.objects.create(jurisdiction=org.street, code="water", name="瓶装饮用水", category="daily",
                                           unit="箱", shelf_life_days=365),
        "kit": SupplyItem.objects.create(jurisdiction=org.street, code="first-aid-kit", name="急救包",
                                         category="medical", unit="个", shelf_life_days=730),
    }


@pytest.fixture
def keepers(org):
    return {key: Person.objects.create(jurisdiction=node, name=f"{node.name}保管员", kind=PersonKind.STAFF)
            for key, node in (("c1", org.c1), ("c2", org.c2), ("street", org.street))}


@pytest.fixture
def stores(org, keepers):
    return {
        "c1": Store.objects.create(jurisdiction=org.c1, name="一社区储备点", keeper=keepers["c1"]),
        "c1b": Store.objects.create(jurisdiction=org.c1, name="一社区第二储备点", keeper=keepers["c1"]),
        "c2": Store.objects.create(jurisdiction=org.c2, name="二社区储备点", keeper=keepers["c2"]),
    }


def days(n):
    return timezone.localdate() + timedelta(days=n)


@pytest.fixture
def stocked(org, items, stores):
    """一社区储备点: blankets (no expiry); water in three lots: expired, 20 days, 200 days."""
    office = org.user("office1")
    store = stores["c1"]
    services.receive(store, items["blanket"], 80, by=office, lot_number="B1")
    old = services.receive(store, items["water"], 5, by=office, lot_number="W-OLD", expires_on=days(-3),
                           received_on=days(-300))
    soon = services.receive(store, items["water"], 10, by=office, lot_number="W-SOON", expires_on=days(20))
    late = services.receive(store, items["water"], 30, by=office, lot_number="W-LATE", expires_on=days(200))
    return {"store": store, "old": old.lot, "soon": soon.lot, "late": late.lot}


@pytest.fixture
def equipment(org, stores):
    return Equipment.objects.create(jurisdiction=org.c1, kind="stab_vest", name="防刺背心 FC-2", serial_number="FC-001",
                                    store=stores["c1"])


@pytest.fixture
def reserve(org):
    """A reserve team on C1: five members, three with a login (patrol members of C1)."""
    team = Team.objects.create(jurisdiction=org.c1, name="一社区应急预备队", kind=TeamKind.RESERVE)
    members = []
    for i in range(5):
        user = make_user(f"member{i}", Role.PATROL_MEMBER, org.c1) if i < 3 else None
        if user:
            org.users[f"member{i}"] = user
        members.append(Person.objects.create(jurisdiction=org.c1, name=f"队员{i}", kind=PersonKind.VOLUNTEER,
                                             user=user))
    team.members.set(members)
    AssemblyPoint.objects.create(jurisdiction=org.c1, team=team, name="一社区广场", address="某路1号")
    return team


@pytest.fixture
def point(org, keepers):
    return EvacuationPoint.objects.create(jurisdiction=org.c1, kind="diversion", name="一社区分流点", address="某路2号",
                                          capacity=500, area_m2=1000, responsible=keepers["c1"], lat=31.23, lon=121.47)


def q(value):
    return Decimal(str(value))
