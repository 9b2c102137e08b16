"""Demo schools of 望川街道, made through the services (invented names throughout):

- preset F (GB/T 29315-2022) for the street's schools; four school profiles: 柳岸小学 (620 pupils, its
  two guards, in order), 望川中学 (1 600 pupils, three guards where four are required, a camera not
  recording with its rectification order), 云杉幼儿园 and 望川职业技术学校;
- 柳岸小学's people: the guard 孙立强 (login `guard`), the teacher of the week 魏雅琴 (login `teacher`,
  also a class teacher and a host), the liaison 陈文静 as the leader on duty; its gate roster
  (leader on duty, gate guard, teacher of the week as duty officer) for the month, published;
- key spots with cameras (the gate's linked to the patrol checkpoint at the school gate), classes
  of young pupils; last week's gate windows held by the three roles; visitors and vehicles of the
  past days (one still inside at closing yesterday, one vehicle refused), an old visitor record the
  retention job deleted; today's camera checks.
A second run adds nothing (the profiles are looked up by unit)."""

import uuid
from datetime import time, timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from shouwang.core.choices import PersonKind, Role
from shouwang.core.clock import local_datetime
from shouwang.core.models import Jurisdiction, Person, RoleAssignment, Unit
from shouwang.duty import services as duty
from shouwang.duty.choices import Pattern, Post
from shouwang.patrols.models import Checkpoint
from shouwang.patrols.windows import is_school_day
from shouwang.policies.models import Policy
from shouwang.policies.services import assign
from shouwang.resources import services as resources
from shouwang.resources.models import Equipment

from . import services
from .choices import CameraResult, SpotKind, VehicleKind
from .models import Camera, GateWindow, KeySpot, PupilClass, School

PASSWORD = "shouwang-demo"
# unit name -> (pupils, boarding, buildings, storeys, guards: [(name, login)], spots: [(kind, name, cameras)], classes)
SCHOOLS = {
    "柳岸小学": (620, False, 3, 4, [("孙立强", "guard"), ("钱永福", "guard2")],
             [(SpotKind.GATE, "校门", ["校门口1号", "校门口2号"]), (SpotKind.CANTEEN, "食堂", ["食堂操作间"]),
              (SpotKind.LAB, "科学实验室", ["实验室走廊"])],
             ["一年级(1)班", "一年级(2)班"]),
    "望川中学": (1600, True, 5, 5, [("郑国栋", None), ("冯建军", None), ("褚大勇", None)],
             [(SpotKind.GATE, "校门", ["校门口"]), (SpotKind.DORMITORY, "学生宿舍", ["宿舍楼门厅", "宿舍楼走廊"]),
              (SpotKind.CHEMICALS, "化学品储藏室", ["危化品室门口"])],
             []),
    "云杉幼儿园": (180, False, 1, 3, [("蒋长林", None), ("韩玉山", None)],
              [(SpotKind.GATE, "园门", ["园门口"])], ["小班", "中班", "大班"]),
    "望川职业技术学校": (1100, True, 4, 6, [("杨振海", None), ("朱文斌", None), ("秦保国", None)],
                 [(SpotKind.GATE, "校门", ["校门口"]), (SpotKind.LAB, "实训车间", ["实训车间"])], []),
}
TEACHER = "魏雅琴"


def _account(username, name, node, unit, kind=PersonKind.STAFF, title="", role=None):
    User = get_user_model()
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User.objects.create_user(username=username, password=PASSWORD, first_name=name)
        if role:
            RoleAssignment.objects.create(user=user, role=role, jurisdiction=node)
    person = Person.objects.filter(user=user).first() or Person.objects.create(
        jurisdiction=node, name=name, kind=kind, title=title, unit=unit, user=user,
        phone=f"1391200{len(username):02d}{sum(map(ord, username)) % 100:02d}", email=f"{username}@example.invalid")
    return user, person


def _guards(unit, guards):
    people = []
    for i, (name, login) in enumerate(guards):
        if login:
            people.append(_account(login, name, unit.jurisdiction, unit, PersonKind.SECURITY, "专职保安员",
                                   Role.PATROL_MEMBER)[1])
            continue
        person, _created = Person.objects.get_or_create(
            jurisdiction=unit.jurisdiction, name=name, unit=unit,
            defaults={"kind": PersonKind.SECURITY, "title": "专职保安员", "phone": f"1370{unit.pk:03d}{i:04d}"})
        people.append(person)
    return people


@transaction.atomic
def load(out=print):
    street = Jurisdiction.objects.filter(code="QL-WC").first()
    if street is None:
        out("Demo schools skipped: no demo street.")
        return False
    units = {u.name: u for u in Unit.objects.filter(name__in=SCHOOLS).select_related("jurisdiction", "liaison")}
    if not units or School.objects.filter(unit__in=units.values()).exists():
        out("Demo schools already loaded." if units else "Demo schools skipped: no demo schools.")
        return False
    office = get_user_model().objects.filter(username="office").first()
    preset = Policy.objects.filter(code="school-security-f").first()
    if preset is not None:
        assign(street, preset, priority=0)  # only its school security section
    now = timezone.now().replace(second=0, microsecond=0)
    schools = {}
    for name, (pupils, boarding, buildings, storeys, guards, spots, _classes) in SCHOOLS.items():
        unit = units.get(name)
        if unit is None:
            continue
        school = School(unit=unit, pupils=pupils, boarding=boarding, buildings=buildings, storeys=storeys,
                        closing_time=time(18, 0))
        services.save_school(school, user=office, security_staff=_guards(unit, guards),
                             leaders=[p for p in [unit.responsible_person] if p])
        for kind, spot_name, cameras in spots:
            spot = KeySpot.objects.create(school=school, kind=kind, name=spot_name)
            for camera in cameras:
                Camera.objects.create(school=school, spot=spot, name=camera)
        schools[name] = school
    la = schools.get("柳岸小学")
    if la is not None:
        _liuan(la, office, now)
    if "望川中学" in schools:
        _middle_school(schools["望川中学"], now)
    kg = schools.get("云杉幼儿园")
    if kg is not None:
        for class_name in SCHOOLS["云杉幼儿园"][6]:
            PupilClass.objects.create(school=kg, name=class_name, young=True, teacher=kg.unit.liaison)
    services.open_school_days(now=now)
    out(f"Demo schools loaded ({len(schools)} school profiles).")
    return True


def _liuan(school, office, now):
    unit = school.unit
    node = unit.jurisdiction
    teacher_user, teacher = _account("teacher", TEACHER, node, unit, title="值周教师、一年级(1)班班主任")
    liaison = unit.liaison
    liaison_user = get_user_model().objects.filter(username="liaison").first()
    leader = Person.objects.filter(user=liaison_user).first() or liaison
    school.leaders.add(leader)
    for i, class_name in enumerate(SCHOOLS["柳岸小学"][6]):
        PupilClass.objects.create(school=school, name=class_name, young=True, teacher=teacher if i == 0 else liaison)
    gate_point = Checkpoint.objects.filter(name="柳岸小学校门").first()
    if gate_point is not None:
        KeySpot.objects.filter(school=school, kind=SpotKind.GATE).update(checkpoint=gate_point)
    guards = list(school.security_staff.order_by("pk"))
    guard_user = guards[0].user
    _vests(school, guards, office, now)
    # The gate rosters of the month (duty keeps one shift a day per roster: one roster per window),
    # the leader on duty, a guard and the teacher of the week at each.
    today = timezone.localdate(now)
    first = today - timedelta(days=14)
    guard = guards[0]
    for shift, label, start, end in (("arrival", "上学", "07:00", "08:30"), ("dismissal", "放学", "15:30", "17:30")):
        roster = duty.create_roster(
            node=node, name=f"柳岸小学{label}门口值守表", starts_on=first, days=35,
            shifts=[{"id": shift, "label": label, "start": start, "end": end}],
            demand=[{"shift": shift, "role": post, "count": 1} for post in (Post.LEADER, Post.GATE_GUARD,
                                                                            Post.DUTY_OFFICER)],
            rules={"min_rest_hours": 11, "max_shifts_per_7_days": 7}, owner=unit.responsible_person,
            members=[guard, teacher], leaders=[leader], user=office)
        days = [first + timedelta(days=d) for d in range(35)]
        duty.replace_days(roster, days=days, columns={(shift, p) for p in (Post.LEADER, Post.GATE_GUARD,
                                                                             Post.DUTY_OFFICER)},
                          rows=[(person, day, shift, post) for day in days
                                for person, post in ((leader, Post.LEADER), (guard, Post.GATE_GUARD),
                                                     (teacher, Post.DUTY_OFFICER))], user=office)
        duty.publish(roster, user=office)
        school.rosters.add(roster)
    # The gatehouse around the clock: the two guards a day each in turn, from 07:00.
    gatehouse = duty.create_roster(
        node=node, name="柳岸小学门卫室24小时值班表", starts_on=first, days=35,
        shifts=[{"id": "duty24", "label": "门卫24小时", "start": "07:00", "end": "07:00"}],
        demand=[{"shift": "duty24", "role": Post.GATE_GUARD, "count": 1}], rules={"max_shifts_per_7_days": 7},
        owner=unit.responsible_person, members=guards, user=office)
    duty.generate(gatehouse, pattern=Pattern.DAILY, groups=[guards], post=Post.GATE_GUARD, user=office)
    duty.publish(gatehouse, user=office)
    school.rosters.add(gatehouse)
    # Last week: each school day's windows held by the three roles (one tap each, at the gate), and
    # every camera checked each day.
    for back in range(7, 0, -1):
        day = today - timedelta(days=back)
        services.open_camera_day(school, day)
        for camera in school.cameras.all():
            services.check_camera(guard_user, {"client_uuid": str(uuid.uuid4()), "camera": camera.pk,
                                               "result": CameraResult.WORKING},
                                  received_at=local_datetime(day, "07:40"))
        if not is_school_day(day, node):
            continue
        services.open_gate_day(school, day)
        for window in GateWindow.objects.filter(school=school, day=day):
            for n, user in enumerate((liaison_user, guard_user, teacher_user)):
                if user is not None:
                    services.confirm_gate(user, {"client_uuid": str(uuid.uuid4()), "window": window.pk,
                                                 "lat": unit.lat, "lon": unit.lon},
                                          received_at=window.starts_at + timedelta(minutes=4 + 3 * n))
    _visitors(school, guard_user, teacher, now)
    services.open_camera_day(school, today)
    if guard_user is not None:
        for camera in school.cameras.all():
            services.check_camera(guard_user, {"client_uuid": str(uuid.uuid4()), "camera": camera.pk,
                                               "result": CameraResult.WORKING}, received_at=now - timedelta(minutes=30))


def _vests(school, guards, office, now):
    """Each guard's stab vest, issued from the school's own kit through resources (the standard's
    guards are counted with their equipment)."""
    for n, guard in enumerate(guards, 1):
        vest = Equipment.objects.create(jurisdiction=school.jurisdiction, kind="stab_vest", name="防刺背心 FC-2",
                                        serial_number=f"LA-FCB-{n:03d}")
        resources.issue_equipment(vest, by=office, person=guard, purpose="duty", at=now - timedelta(days=60),
                                  due_back_at=now + timedelta(days=200), note="柳岸小学校门值守")


def _visitors(school, guard_user, host, now):
    """Visitors and vehicles of the past days through the guard's phone (invented people)."""
    if guard_user is None:
        return
    rows = [("周美玲", "13912345601", "望川供电所", "配电房例行检查", "2817", 3, 9, 11),
            ("吴海涛", "13912345602", "", "家长会", "503X", 2, 15, 16),
            ("郑春燕", "13912345603", "青岚区教育局", "督导检查", "1124", 1, 10, 12),
            ("王德福", "13912345604", "安泰维修公司", "教学楼门窗维修", "6639", 1, 13, None)]
    for name, phone, organisation, purpose, last4, days_ago, hour_in, hour_out in rows:
        when = local_datetime(timezone.localdate(now) - timedelta(days=days_ago), f"{hour_in:02d}:10")
        entry, _created = services.register_visitor(guard_user, {
            "client_uuid": str(uuid.uuid4()), "school": school.pk, "name": name, "phone": phone,
            "organisation": organisation, "purpose": purpose, "host": host.pk, "id_last4": last4,
            "badge": f"访{days_ago}{hour_in:02d}"}, received_at=when)
        services.host_confirms(host.user, {"visitor": entry.pk}, received_at=when + timedelta(minutes=8))
        if hour_out is not None:
            services.visitor_leaves(guard_user, {"visitor": entry.pk}, received_at=when.replace(hour=hour_out))
    services.flag_visitors_inside(now=local_datetime(timezone.localdate(now) - timedelta(days=1), "18:05"))
    services.record_vehicle(guard_user, {"client_uuid": str(uuid.uuid4()), "school": school.pk, "plate": "沪A·D1234",
                                         "kind": VehicleKind.OFFICIAL, "driver": "教育局司机", "purpose": "督导检查"},
                            received_at=local_datetime(timezone.localdate(now) - timedelta(days=1), "09:55"))
    services.record_vehicle(guard_user, {"client_uuid": str(uuid.uuid4()), "school": school.pk, "plate": "沪B·K5678",
                                         "kind": VehicleKind.UNREGISTERED, "purpose": "接人"},
                            received_at=local_datetime(timezone.localdate(now) - timedelta(days=1), "16:05"))
    # A visitor of long ago: past the retention of the policy, deleted by the job (which says so).
    services.register_visitor(guard_user, {
        "client_uuid": str(uuid.uuid4()), "school": school.pk, "name": "赵一鸣", "phone": "13912345609",
        "purpose": "送教材", "host": host.pk, "id_last4": "0427"}, received_at=now - timedelta(days=120))
    services.purge_visitor_logs(now=now)


def _middle_school(school, now):
    """A camera at the dormitory stopped recording this morning: its rectification order is open."""
    guard = school.security_staff.order_by("pk").first()
    camera = school.cameras.filter(name="宿舍楼走廊").first()
    office = get_user_model().objects.filter(username="office").first()
    if camera is None or office is None:
        return
    services.check_camera(office, {"client_uuid": str(uuid.uuid4()), "camera": camera.pk,
                                   "result": CameraResult.NOT_RECORDING,
                                   "note": f"{guard.name if guard else ''}巡查发现硬盘录像机报错"},
                          received_at=now - timedelta(hours=2))

