"""Schools fixtures: preset D (the gate windows 07:15–07:45, 16:00–16:30) and preset F (GB/T
29315-2022) on the street; two schools on community C1 (a primary school of 620 pupils and a
middle school of 1 600) and a kindergarten on C2; each with its guard, a leader and a teacher
(accounts without any role on a node: their right comes from the school); the primary school's
gate rosters (arrival and dismissal: leader on duty, gate guard, teacher of the week as duty
officer) for December 2026, published. The clock stands on Tuesday 1 December 2026, 06:00 in
Shanghai, unless a test moves it."""

import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine

from shouwang.core.choices import PersonKind, UnitKind
from shouwang.core.models import Person, Unit
from shouwang.duty import services as duty
from shouwang.duty.choices import Post
from shouwang.policies.services import assign, load_presets
from shouwang.schools import services
from shouwang.schools.models import Camera, KeySpot, PupilClass, School
from tests.conftest import make_user

CN = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 12, 1, 6, 0, tzinfo=CN)  # a Tuesday
FIRST = date(2026, 12, 1)


@dataclass
class Schools:
    primary: object
    middle: object
    kindergarten: object
    people: dict = field(default_factory=dict)
    users: dict = field(default_factory=dict)

    def person(self, name):
        return self.people[name]

    def user(self, name):
        return self.users[name]


@pytest.fixture
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def presets(db, clock):
    return {p.code: p for p in load_presets(out=lambda *_: None)}


def _school(node, name, kind, pupils):
    unit = Unit.objects.create(jurisdiction=node, name=name, kind=kind, lat=31.23, lon=121.47)
    unit.responsible_person = Person.objects.create(jurisdiction=node, name=f"{name}校长", kind=PersonKind.CONTACT,
                                                    unit=unit)
    unit.save()
    return services.save_school(School(unit=unit, pupils=pupils))


def _person(node, unit, login, name, kind=PersonKind.STAFF, title=""):
    user = make_user(login)
    return user, Person.objects.create(jurisdiction=node, name=name, kind=kind, unit=unit, user=user, title=title,
                                       phone="13912345678")


def gate_rosters(school, leader, guard, teacher, first=FIRST, days=31):
    """The school's two gate rosters (duty keeps one shift a day per roster), published."""
    out = []
    for shift, start, end in (("arrival", "07:00", "08:30"), ("dismissal", "15:30", "17:30")):
        roster = duty.create_roster(
            node=school.jurisdiction, name=f"{school}{shift}", starts_on=first, days=days,
            shifts=[{"id": shift, "label": shift, "start": start, "end": end}],
            demand=[{"shift": shift, "role": post, "count": 1} for post in (Post.LEADER, Post.GATE_GUARD,
                                                                            Post.DUTY_OFFICER)],
            rules={"min_rest_hours": 11, "max_shifts_per_7_days": 7}, members=[guard, teacher], leaders=[leader])
        all_days = [first + timedelta(days=d) for d in range(days)]
        duty.replace_days(roster, days=all_days, columns={(shift, p) for p in (Post.LEADER, Post.GATE_GUARD,
                                                                                 Post.DUTY_OFFICER)},
                          rows=[(person, day, shift, post) for day in all_days
                                for person, post in ((leader, Post.LEADER), (guard, Post.GATE_GUARD),
                                                     (teacher, Post.DUTY_OFFICER))])
        duty.publish(roster)
        school.rosters.add(roster)
        out.append(roster)
    return out


@pytest.fixture
def schools(org, presets, clock):
    assign(org.street, presets["street-prevention-plan-d"])
    assign(org.street, presets["school-security-f"], priority=0)
    primary = _school(org.c1, "一社区小学", UnitKind.SCHOOL, 620)
    middle = _school(org.c1, "一社区中学", UnitKind.SCHOOL, 1600)
    kindergarten = _school(org.c2, "二社区幼儿园", UnitKind.KINDERGARTEN, 180)
    s = Schools(primary, middle, kindergarten)
    for key, school, node in (("a", primary, org.c1), ("b", middle, org.c1), ("k", kindergarten, org.c2)):
        unit = school.unit
        guard_user, guard = _person(node, unit, f"guard_{key}", f"{unit.name}保安", PersonKind.SECURITY, "保安员")
        head_user, head = _person(node, unit, f"head_{key}", f"{unit.name}副校长", title="副校长")
        teacher_user, teacher = _person(node, unit, f"teacher_{key}", f"{unit.name}教师", title="值周教师")
        school.security_staff.add(guard)
        school.leaders.add(head)
        s.people.update({f"guard_{key}": guard, f"head_{key}": head, f"teacher_{key}": teacher})
        s.users.update({f"guard_{key}": guard_user, f"head_{key}": head_user, f"teacher_{key}": teacher_user})
    gate_rosters(primary, s.person("head_a"), s.person("guard_a"), s.person("teacher_a"))
    for school in (primary, middle, kindergarten):
        spot = KeySpot.objects.create(school=school, kind="gate", name="校门")
        Camera.objects.create(school=school, spot=spot, name="校门口1号")
    PupilClass.objects.create(school=primary, name="一年级(1)班", young=True, teacher=s.person("teacher_a"))
    return s


def visitor(user, school, host, **overrides):
    """Register a visitor through the service, as the gate phone does."""
    data = {"client_uuid": str(uuid.uuid4()), "school": school.pk, "name": "来访者甲", "phone": "13800001111",
            "organisation": "测试公司", "purpose": "送货", "host": host.pk, "id_last4": "123X", "badge": "访01"}
    data.update(overrides)
    received = data.pop("received_at", None)
    return services.register_visitor(user, data, received_at=received)[0]
