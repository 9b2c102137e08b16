"""The demo district: invented names throughout (no real place, unit or person).

Idempotent: every loader checks what is there, so a second `shouwang demo` adds nothing.
"""

import random
from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from .choices import (
    GroupKind,
    HolidayKind,
    NodeLevel,
    PersonKind,
    Position,
    Role,
    UnitKind,
    WorkingKind,
)
from .models import Contact, Group, Holiday, Jurisdiction, Membership, Person, RoleAssignment, Unit
from .services import create_node

DEMO_PASSWORD = "shouwang-demo"
DISTRICT_CODE = "QL"
STREET_CODE = "QL-WC"

COMMUNITIES = [
    # code, name, grids, lat, lon
    ("QL-WC-LA", "柳岸社区", 4, 31.2310, 121.4705),
    ("QL-WC-YS", "云杉社区", 3, 31.2355, 121.4790),
    ("QL-WC-GX", "桂香社区", 5, 31.2280, 121.4830),
    ("QL-WC-QQ", "清泉社区", 3, 31.2240, 121.4740),
    ("QL-WC-MH", "明湖社区", 4, 31.2395, 121.4700),
    ("QL-WC-FL", "枫林社区", 3, 31.2215, 121.4880),
]

# name, kind, community index, address
UNITS = [
    ("望川街道办事处", UnitKind.GOVERNMENT, None, "望川路1号"),
    ("望川街道城运中心", UnitKind.GOVERNMENT, None, "望川路1号2楼"),
    ("望川派出所", UnitKind.POLICE, None, "望川路18号"),
    ("望川中学", UnitKind.SCHOOL, 0, "柳岸路66号"),
    ("柳岸小学", UnitKind.SCHOOL, 0, "柳岸路12号"),
    ("云杉幼儿园", UnitKind.KINDERGARTEN, 1, "云杉街3号"),
    ("望川医院", UnitKind.HOSPITAL, 2, "桂香大道200号"),
    ("桂香社区卫生服务中心", UnitKind.HOSPITAL, 2, "桂香大道88号"),
    ("地铁明湖站", UnitKind.TRANSPORT, 4, "明湖路与望川路交叉口"),
    ("清泉加油站", UnitKind.UTILITY, 3, "清泉路101号"),
    ("枫林110千伏变电站", UnitKind.UTILITY, 5, "枫林路9号"),
    ("望川自来水泵站", UnitKind.UTILITY, 3, "清泉路7号"),
    ("柳岸农贸市场", UnitKind.BUSINESS, 0, "柳岸路30号"),
    ("望川会展中心", UnitKind.BUSINESS, 4, "明湖路500号"),
    ("云杉购物广场", UnitKind.BUSINESS, 1, "云杉街100号"),
    ("桂香大酒店", UnitKind.BUSINESS, 2, "桂香大道150号"),
    ("明湖影城", UnitKind.BUSINESS, 4, "明湖路520号"),
    ("望川农商银行网点", UnitKind.BUSINESS, 2, "桂香大道120号"),
    ("望川邮政支局", UnitKind.BUSINESS, 1, "云杉街20号"),
    ("清泉燃气调压站", UnitKind.UTILITY, 3, "清泉路50号"),
    ("枫林通信基站", UnitKind.UTILITY, 5, "枫林路33号"),
    ("安居物业柳岸项目部", UnitKind.PROPERTY, 0, "柳岸路70号"),
    ("绿城物业云杉项目部", UnitKind.PROPERTY, 1, "云杉街8号"),
    ("恒安物业桂香项目部", UnitKind.PROPERTY, 2, "桂香大道60号"),
    ("明湖物业服务中心", UnitKind.PROPERTY, 4, "明湖路300号"),
    ("枫林物业服务中心", UnitKind.PROPERTY, 5, "枫林路18号"),
    ("清泉物业项目部", UnitKind.PROPERTY, 3, "清泉路20号"),
    ("柳岸社区居委会", UnitKind.RESIDENTS_COMMITTEE, 0, "柳岸路2号"),
    ("云杉社区居委会", UnitKind.RESIDENTS_COMMITTEE, 1, "云杉街1号"),
    ("桂香社区居委会", UnitKind.RESIDENTS_COMMITTEE, 2, "桂香大道2号"),
    ("清泉社区居委会", UnitKind.RESIDENTS_COMMITTEE, 3, "清泉路2号"),
    ("明湖社区居委会", UnitKind.RESIDENTS_COMMITTEE, 4, "明湖路2号"),
    ("枫林社区居委会", UnitKind.RESIDENTS_COMMITTEE, 5, "枫林路2号"),
    ("望川消防救援站", UnitKind.GOVERNMENT, 2, "桂香大道300号"),
    ("望川公交首末站", UnitKind.TRANSPORT, 3, "清泉路200号"),
    ("柳岸铁路道口值守点", UnitKind.TRANSPORT, 0, "柳岸路铁路道口"),
    ("明湖广场管理处", UnitKind.GOVERNMENT, 4, "明湖广场"),
    ("望川职业技术学校", UnitKind.SCHOOL, 5, "枫林路88号"),
    ("枫林养老院", UnitKind.OTHER, 5, "枫林路60号"),
    ("云杉文化活动中心", UnitKind.GOVERNMENT, 1, "云杉街50号"),
]

SURNAMES = "赵钱孙李周吴郑王冯陈褚卫蒋沈韩杨朱秦尤许何吕施张孔曹严华金魏陶姜"
GIVEN = ["建国", "晓东", "丽华", "志强", "雪梅", "海燕", "春生", "秋菊", "立新", "文静", "国庆", "小兵",
         "明亮", "秀英", "振华", "佳怡", "子涵", "宇航", "欣然", "浩然", "思远", "晨曦", "嘉怡", "俊杰"]

DEMO_USERS = [
    # username, role, node code, display name
    ("leader", Role.LEADER, STREET_CODE, "周振华"),
    ("office", Role.OFFICE_STAFF, STREET_CODE, "吴丽华"),
    ("grid", Role.GRID_WORKER, "QL-WC-LA", "郑小兵"),
    ("patrol", Role.PATROL_MEMBER, "QL-WC-LA", "王春生"),
    ("inspector", Role.INSPECTOR, STREET_CODE, "冯立新"),
    ("liaison", Role.UNIT_LIAISON, "QL-WC-LA", "陈文静"),
    ("viewer", Role.VIEWER, DISTRICT_CODE, "褚国庆"),
]


HISTORY = timedelta(days=365)

# The street's holiday calendar for 2026–2027 (name, kind, first day, last day): the public
# holidays as the State Council sets them each year (2027 as planned), a school winter break
# and a sensitive period (leaders on duty; schools stay open).
HOLIDAYS = [
    ("元旦", HolidayKind.PUBLIC, date(2026, 1, 1), date(2026, 1, 3)),
    ("春节", HolidayKind.PUBLIC, date(2026, 2, 15), date(2026, 2, 23)),
    ("清明节", HolidayKind.PUBLIC, date(2026, 4, 4), date(2026, 4, 6)),
    ("劳动节", HolidayKind.PUBLIC, date(2026, 5, 1), date(2026, 5, 5)),
    ("端午节", HolidayKind.PUBLIC, date(2026, 6, 19), date(2026, 6, 21)),
    ("中秋节", HolidayKind.PUBLIC, date(2026, 9, 25), date(2026, 9, 27)),
    ("国庆节", HolidayKind.PUBLIC, date(2026, 10, 1), date(2026, 10, 7)),
    ("元旦", HolidayKind.PUBLIC, date(2027, 1, 1), date(2027, 1, 3)),
    ("春节", HolidayKind.PUBLIC, date(2027, 2, 5), date(2027, 2, 11)),
    ("清明节", HolidayKind.PUBLIC, date(2027, 4, 3), date(2027, 4, 5)),
    ("劳动节", HolidayKind.PUBLIC, date(2027, 5, 1), date(2027, 5, 5)),
    ("端午节", HolidayKind.PUBLIC, date(2027, 6, 9), date(2027, 6, 11)),
    ("中秋节", HolidayKind.PUBLIC, date(2027, 9, 15), date(2027, 9, 17)),
    ("国庆节", HolidayKind.PUBLIC, date(2027, 10, 1), date(2027, 10, 7)),
    ("中小学寒假", HolidayKind.SCHOOL, date(2027, 1, 23), date(2027, 2, 21)),
    ("重要会议安保期", HolidayKind.SENSITIVE, date(2027, 3, 3), date(2027, 3, 15)),
]


def load_holidays(street, out=print):
    """The street's calendar; a holiday already there (same node, first day and kind) is kept."""
    made = 0
    for name, kind, first, last in HOLIDAYS:
        _h, created = Holiday.objects.get_or_create(jurisdiction=street, starts_on=first, kind=kind,
                                                    defaults={"name": name, "ends_on": last})
        made += created
    if made:
        out(f"Demo holiday calendar: {made} holidays.")
    return made


def _person_names(n, seed=7):
    rng = random.Random(seed)
    names = set()
    while len(names) < n:
        names.add(rng.choice(SURNAMES) + rng.choice(GIVEN))
    ordered = sorted(names)
    rng.shuffle(ordered)  # so a unit's two contacts rarely share a surname
    return ordered


def _phone(i):
    return f"139{(10000000 + i * 7919) % 100000000:08d}"


@transaction.atomic
def load(out=print):
    if Jurisdiction.objects.filter(code=DISTRICT_CODE).exists():
        out("Demo organisation already loaded.")
        street = Jurisdiction.objects.filter(code=STREET_CODE).first()
        if street is not None:  # a demo loaded before the calendar existed gets it now
            load_holidays(street, out)
        return False
    district = create_node(parent=None, code=DISTRICT_CODE, name="青岚区", level=NodeLevel.DISTRICT,
                           area_km2=86.5, resident_population=410000, actual_population=468000, lat=31.23, lon=121.478)
    street = create_node(parent=district, code=STREET_CODE, name="望川街道", level=NodeLevel.STREET,
                         area_km2=6.2, resident_population=68000, actual_population=79500, lat=31.2305, lon=121.4780)
    communities = []
    for i, (code, name, grids, lat, lon) in enumerate(COMMUNITIES):
        c = create_node(parent=street, code=code, name=name, level=NodeLevel.COMMUNITY, area_km2=0.8 + i * 0.15,
                        resident_population=9000 + i * 900, actual_population=10500 + i * 1100, lat=lat, lon=lon)
        for g in range(1, grids + 1):
            create_node(parent=c, code=f"{code}-G{g}", name=f"{name}第{g}网格", level=NodeLevel.GRID,
                        lat=lat + 0.001 * g, lon=lon + 0.0008 * g)
        communities.append(c)
    # The fictional district has existed for years: its history (a week of reports and patrols)
    # falls after the nodes' creation, as it would in a real office.
    Jurisdiction.objects.filter(path__startswith=district.path).update(created_at=timezone.now() - HISTORY)

    names = iter(_person_names(130))
    counter = iter(range(1, 1000))

    def person(node, kind, title="", unit=None):
        i = next(counter)
        return Person.objects.create(jurisdiction=node, name=next(names), kind=kind, title=title, unit=unit,
                                     phone=_phone(i), email=f"demo{i}@example.invalid")

    units = {}
    for name, kind, ci, address in UNITS:
        node = street if ci is None else communities[ci]
        base_lat, base_lon = (COMMUNITIES[ci][3], COMMUNITIES[ci][4]) if ci is not None else (31.2305, 121.4780)
        k = len(units)
        unit = Unit.objects.create(jurisdiction=node, name=name, kind=kind, address=address,
                                   lat=round(base_lat + (k % 5 - 2) * 0.0009, 6), lon=round(base_lon + (k % 3 - 1) * 0.0011, 6),
                                   phone=f"021-5{k:03d}{k * 37 % 10000:04d}")
        unit.responsible_person = person(node, PersonKind.CONTACT, "负责人", unit)
        unit.liaison = person(node, PersonKind.CONTACT, "联络员", unit)
        unit.save()
        units[name] = unit

    # Street office staff, community grid workers and volunteers.
    office_staff = [person(street, PersonKind.STAFF, t, units["望川街道办事处"]) for t in
                    ["党工委书记", "办事处主任", "分管平安副主任", "平安办主任", "城运中心值班长", "平安办干事", "综治干事", "应急干事"]]
    for c in communities:
        for _ in range(3):
            person(c, PersonKind.GRID_WORKER, "网格员")
        for _ in range(3):
            person(c, PersonKind.VOLUNTEER, "平安志愿者")
    police = [person(street, PersonKind.POLICE, "社区民警", units["望川派出所"]) for _ in range(2)]

    leading = Group.objects.create(jurisdiction=street, name="望川街道平安建设领导小组", kind=GroupKind.LEADING,
                                   duties="统一领导、指挥和协调街道突发事件应对与日常防控工作。")
    for order, (p, pos) in enumerate([(office_staff[0], Position.LEADER), (office_staff[1], Position.DEPUTY),
                                      (office_staff[2], Position.DEPUTY), (police[0], Position.MEMBER)]):
        Membership.objects.create(group=leading, person=p, position=pos, order=order)
    office = Group.objects.create(jurisdiction=street, name="领导小组办公室", kind=GroupKind.OFFICE,
                                  duties="日常工作、信息汇总报送、值班值守。")
    Membership.objects.create(group=office, person=office_staff[3], position=Position.DIRECTOR, order=0)
    Membership.objects.create(group=office, person=office_staff[4], position=Position.MEMBER, order=1)
    Membership.objects.create(group=office, person=office_staff[5], position=Position.MEMBER, order=2)
    for i, wk in enumerate(WorkingKind):
        g = Group.objects.create(jurisdiction=street, name=f"{wk.label}工作组", kind=GroupKind.WORKING,
                                 working_kind=wk.value, duties="负责本类突发事件的预防、处置和信息报送。")
        Membership.objects.create(group=g, person=office_staff[(i % 3) + 1], position=Position.LEADER, order=0)
        Membership.objects.create(group=g, person=office_staff[5 + i % 3], position=Position.DEPUTY, order=1)

    Contact.objects.create(jurisdiction=street, label="城运中心值班室", phone="021-50001110", call_order=1, hours="24小时")
    Contact.objects.create(jurisdiction=street, label="分管平安副主任", person=office_staff[2], phone=office_staff[2].phone, call_order=2)
    Contact.objects.create(jurisdiction=street, label="派出所值班室", phone="021-50001100", call_order=3, hours="24小时")
    for c in communities:
        Contact.objects.create(jurisdiction=c, label="社区值班电话", phone=f"021-5100{c.pk:04d}", call_order=1, hours="8:30-17:30")

    User = get_user_model()
    nodes = {n.code: n for n in Jurisdiction.objects.filter(code__in=[u[2] for u in DEMO_USERS])}
    for username, role, code, display in DEMO_USERS:
        user = User.objects.create_user(username=username, password=DEMO_PASSWORD, first_name=display)
        RoleAssignment.objects.create(user=user, role=role, jurisdiction=nodes[code])
        Person.objects.create(jurisdiction=nodes[code], name=display, kind=PersonKind.STAFF, user=user,
                              phone=_phone(900 + len(username)), email=f"{username}@example.invalid",
                              unit=units["柳岸小学"] if role == Role.UNIT_LIAISON else None)
    User.objects.create_superuser(username="admin", password=DEMO_PASSWORD, email="admin@example.invalid")
    load_holidays(street, out)
    out("Demo organisation loaded.")
    return True
