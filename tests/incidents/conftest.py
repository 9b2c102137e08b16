from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine

from shouwang.core.choices import GroupKind, PersonKind, Position, WorkingKind
from shouwang.core.models import Group, Membership, Person
from shouwang.incidents import services
from shouwang.policies.services import assign, load_presets

TZ = ZoneInfo("Asia/Shanghai")
T0 = datetime(2026, 11, 23, 9, 20, tzinfo=TZ)


def at(hh, mm, day=23):
    return datetime(2026, 11, day, hh, mm, tzinfo=TZ)


def load_policy(org, code):
    with time_machine.travel(T0 - timedelta(days=1), tick=False):
        presets = {p.code: p for p in load_presets(out=lambda *_: None)}
        assign(org.street, presets[code])
    return presets[code]


@pytest.fixture
def preset_a(org):
    return load_policy(org, "street-emergency-plan-a")


@pytest.fixture
def preset_b(org):
    return load_policy(org, "community-patrol-measures-b")


@pytest.fixture
def lead_group(org):
    """A working group on the street whose two members are grid1 and patrol1 (and one without an account)."""
    group = Group.objects.create(jurisdiction=org.street, name="重大治安刑事案件工作组", kind=GroupKind.WORKING,
                                 working_kind=WorkingKind.PUBLIC_ORDER)
    for i, (name, user) in enumerate([("甲", org.user("grid1")), ("乙", org.user("patrol1")), ("丙", None)]):
        person = Person.objects.create(jurisdiction=org.c1, name=f"队员{name}", kind=PersonKind.STAFF, user=user)
        Membership.objects.create(group=group, person=person, position=Position.MEMBER, order=i)
    return group


def make_incident(org, node=None, user="office", **kw):
    fields = {"title": "柳岸路持刀伤人", "category": "violent_attack", "level": "III", "address": "柳岸路30号"}
    fields.update(kw)
    incident, _created = services.intake(user=org.user(user), jurisdiction=node or org.c1, **fields)
    return incident


def report_fields(**kw):
    fields = {
        "event_time": T0 - timedelta(minutes=10), "place": "柳岸路30号菜场东门", "scale": "1人持刀",
        "dead": 0, "seriously_injured": 1, "lightly_injured": 2, "cause": "纠纷引发", "assessment": "已控制",
        "measures": "派出所到场，嫌疑人已控制", "progress": "伤者送医", "other": "无",
    }
    fields.update(kw)
    return fields
