"""Fixtures of plans: the presets on the street (B's clocks and plan cycle, A's clocks for public
order, E's school drills), the working groups with their people, an approved plan, a drill of it
with three injects (one with a contingency), and a frozen clock helper."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine

from shouwang.core.choices import GroupKind, PersonKind, Position, Role, UnitKind
from shouwang.core.models import Group, Membership, Person, Unit
from shouwang.plans import services
from tests.conftest import make_user

SH = ZoneInfo("Asia/Shanghai")


def at(y, m, d, hh=9, mm=0, ss=0):
    return datetime(y, m, d, hh, mm, ss, tzinfo=SH)


T0 = at(2026, 11, 23, 9, 0)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def presets(org):
    from shouwang.policies.services import assign, load_presets

    with time_machine.travel(at(2026, 1, 1), tick=False):
        found = {p.code: p for p in load_presets(out=lambda *_: None)}
    assign(org.street, found["school-prevention-plan-e"], priority=0)
    assign(org.street, found["community-patrol-measures-b"], priority=1)
    assign(org.street, found["street-emergency-plan-a"], priority=2)
    return found


@pytest.fixture
def people(org):
    """Persons behind the fixture's users, and a responder of community 1 with a login."""
    out = {}
    for username, node, kind in (("leader", org.street, PersonKind.STAFF), ("office", org.street, PersonKind.STAFF),
                                 ("grid1", org.c1, PersonKind.GRID_WORKER), ("patrol1", org.c1, PersonKind.PATROL),
                                 ("office1", org.c1, PersonKind.STAFF)):
        out[username] = Person.objects.create(jurisdiction=node, name=f"{username}本人", kind=kind,
                                              user=org.user(username))
    inspector = make_user("inspector1", Role.INSPECTOR, org.street)
    org.users["inspector1"] = inspector
    out["inspector1"] = Person.objects.create(jurisdiction=org.street, name="督查员甲", kind=PersonKind.STAFF,
                                              user=inspector)
    return out


@pytest.fixture
def groups(org, people):
    public_order = Group.objects.create(jurisdiction=org.street, name="重大治安刑事案件工作组", kind=GroupKind.WORKING,
                                        working_kind="public_order_criminal")
    Membership.objects.create(group=public_order, person=people["leader"], position=Position.LEADER)
    Membership.objects.create(group=public_order, person=people["office"], position=Position.DEPUTY)
    Membership.objects.create(group=public_order, person=people["patrol1"], position=Position.MEMBER)
    accidents = Group.objects.create(jurisdiction=org.street, name="事故灾难工作组", kind=GroupKind.WORKING,
                                     working_kind="accidents")
    Membership.objects.create(group=accidents, person=people["office"], position=Position.LEADER)
    return {"public_order": public_order, "accidents": accidents}


CHECKLIST = [
    {"text": "派出所先期处置，封控现场", "offset_minutes": 5},
    {"text": "设立现场指挥部", "offset_minutes": 15, "position": Position.DEPUTY},
    {"text": "疏散周边群众", "offset_minutes": 30, "position": Position.MEMBER},
]


@pytest.fixture
def plan(org, presets, groups):
    """The street's public-order plan, approved (v1) on 2026-01-05."""
    with time_machine.travel(at(2026, 1, 5), tick=False):
        made = services.create_plan(node=org.street, title="涉恐涉暴事件应急预案", working_kind="public_order_criminal",
                                    actions=CHECKLIST, categories=["violent_attack", "public_order_criminal"],
                                    level_min="IV", level_max="I", lead_group=groups["public_order"],
                                    supplies=[{"name": "防刺背心", "quantity": 20, "unit": "件"}])
        services.approve(made.versions.get(), user=org.user("leader"), approver="周振华")
    made.refresh_from_db()
    return made


def injects(org, groups, people):
    return [
        {"offset_minutes": 0, "title": "接警：市场有人持刀伤人", "message": "东门有人持刀伤人。",
         "recipient_person": people["grid1"],
         "actions": [{"text": "电话报告城运中心", "person": people["grid1"], "points": 20, "window_minutes": 3,
                      "contingencies": [{"title": "追问：现场情况未报", "recipient_group": groups["public_order"],
                                         "message": "尚未收到现场报告。"}]}]},
        {"offset_minutes": 5, "title": "嫌疑人逃入市场内部", "message": "嫌疑人逃入水产区。",
         "recipient_group": groups["public_order"],
         "actions": [{"text": "封控市场出入口", "points": 20, "window_minutes": 10}]},
        {"offset_minutes": 12, "title": "伤员转运", "message": "两名伤员需转运。", "recipient_person": people["patrol1"],
         "actions": [{"text": "引导救护车进出", "person": people["patrol1"], "points": 10, "window_minutes": 10}]},
    ]


@pytest.fixture
def drill(org, plan, groups, people):
    with time_machine.travel(T0 - timedelta(days=3), tick=False):
        return services.create_drill(
            node=org.street, user=org.user("office"), title="涉恐涉暴事件处置演练", kind="full_scale", plan=plan,
            scheduled_at=T0, category="violent_attack", level="III", address="一社区农贸市场",
            objectives="检验先期处置和信息报送。", evaluators=[people["inspector1"]],
            injects=injects(org, groups, people))


@pytest.fixture
def schools(org):
    return {
        "primary": Unit.objects.create(jurisdiction=org.c1, name="一社区小学", kind=UnitKind.SCHOOL),
        "kindergarten": Unit.objects.create(jurisdiction=org.c2, name="二社区幼儿园", kind=UnitKind.KINDERGARTEN),
    }
