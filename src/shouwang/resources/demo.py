"""Demo resources of 望川街道, made through the services: the street's catalogue and its reserve
standard (the office's own policy), two stores with lots near expiry and one item short of the
standard, equipment issued to the full-time patrol team with one piece overdue, the reserve team
of 50 with last month's call-out test, and the diversion point with its pre-placed vehicles.

Invented names only. A second run adds nothing.
"""

import random
import uuid
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from shouwang.core.choices import PersonKind, TeamKind
from shouwang.core.demo import HISTORY, SURNAMES
from shouwang.core.models import Jurisdiction, Person, Team
from shouwang.policies.models import Policy
from shouwang.policies.services import assign, new_version

from . import services
from .models import AssemblyPoint, Equipment, EvacuationPoint, PointVehicle, Store, SupplyItem

STREET = "QL-WC"
NAMESPACE = uuid.UUID("0b8e5d64-43a7-4c0e-8f0b-6a9c1d2e7f31")

# code, name, category, unit, specification, shelf life (days)
ITEMS = [
    ("blanket", "棉被", "daily", "床", "1.5×2米", None),
    ("raincoat", "雨衣", "protective", "件", "分体式", None),
    ("torch", "强光手电", "lighting", "支", "充电式", None),
    ("first-aid-kit", "急救包", "medical", "个", "家庭型", 730),
    ("water", "瓶装饮用水", "daily", "箱", "550毫升×24瓶", 365),
    ("noodles", "方便面", "daily", "箱", "24袋", 180),
    ("megaphone", "扩音喇叭", "communication", "个", "手持式", None),
    ("sandbag", "编织袋", "rescue", "条", "50×80厘米", None),
    ("mask", "医用口罩", "medical", "盒", "50只", 730),
]
STANDARD = {"blanket": 50, "raincoat": 30, "torch": 20, "first-aid-kit": 10, "water": 20}

# store -> [(item code, quantity, lot number, days to expiry or None, days since received)]
STOCK = {
    "望川街道应急物资储备库": [
        ("blanket", 120, "2024-11", None, 400), ("raincoat", 60, "2025-03", None, 300), ("torch", 40, "", None, 280),
        ("first-aid-kit", 8, "JJB2501", 20, 700), ("first-aid-kit", 25, "JJB2603", 600, 90),
        ("water", 30, "SW2601", 45, 300), ("water", 40, "SW2609", 320, 40),
        ("noodles", 15, "FBM2607", 25, 150), ("megaphone", 12, "", None, 500), ("sandbag", 800, "", None, 600),
        ("mask", 30, "KZ2508", 80, 500),
    ],
    "桂香社区应急物资储备点": [
        ("blanket", 60, "2025-06", None, 200), ("raincoat", 40, "2025-06", None, 200), ("torch", 25, "", None, 200),
        ("first-aid-kit", 12, "JJB2605", 500, 60), ("water", 6, "SW2512", -10, 380), ("water", 8, "SW2603", 55, 200),
    ],
}
EQUIPMENT = [
    ("stab_vest", "防刺背心 FC-2", 8), ("helmet", "防暴头盔 TK-1", 6), ("baton", "伸缩警棍", 8),
    ("shield", "防暴盾牌", 4), ("fork", "钢叉", 4), ("radio", "对讲机 HT-760", 10), ("body_camera", "执法记录仪 DSJ-8", 6),
]
GIVEN = ["德明", "国华", "永强", "志刚", "海涛", "建军", "卫东", "立伟", "春华", "晓光", "振宇", "文斌", "少华", "家俊",
         "宏伟", "红梅", "美玲", "桂英", "玉兰", "淑珍"]


def _at(now, days=0, hours=0, minutes=0):
    return now - timedelta(days=days, hours=hours, minutes=minutes)


def _reserve_names(n, taken):
    rng = random.Random(50)
    names = []
    while len(names) < n:
        name = rng.choice(SURNAMES) + rng.choice(GIVEN)
        if name not in taken and name not in names:
            names.append(name)
    return names


def _standard(street, office):
    policy, _created = Policy.objects.get_or_create(
        code="wangchuan-reserve-standard",
        defaults={"name": "望川街道应急物资储备标准", "description": "每个储备库（点）的最低储备量，按物资编码。"})
    if not policy.versions.exists():
        new_version(policy, {"reserve_standard": STANDARD}, user=office, note="街道办事处印发", allow_past=True,
                    effective_from=timezone.now() - HISTORY)
    assign(street, policy, priority=9)


@transaction.atomic
def load(out=print):
    street = Jurisdiction.objects.filter(code=STREET).first()
    if street is None:
        out("Demo resources skipped: no demo street.")
        return False
    if Store.objects.filter(jurisdiction__path__startswith=street.path).exists():
        out("Demo resources already loaded.")
        return False
    users = {u.username: u for u in get_user_model().objects.filter(username__in=["office", "leader", "patrol"])}
    office = users.get("office")
    now = timezone.now().replace(second=0, microsecond=0)
    today = timezone.localdate()
    nodes = {n.code: n for n in Jurisdiction.objects.filter(code__startswith=STREET)}
    gx = nodes["QL-WC-GX"]
    _standard(street, office)

    items = {}
    for code, name, category, unit, spec, shelf in ITEMS:
        items[code] = SupplyItem.objects.create(jurisdiction=street, code=code, name=name, category=category, unit=unit,
                                                specification=spec, shelf_life_days=shelf)
    staff = list(Person.objects.filter(jurisdiction=street, kind=PersonKind.STAFF, user__isnull=True).order_by("pk"))
    gx_staff = list(Person.objects.filter(jurisdiction=gx).order_by("pk"))
    stores = {
        "望川街道应急物资储备库": Store.objects.create(jurisdiction=street, name="望川街道应急物资储备库", address="望川路1号地下一层",
                                          lat=31.2298, lon=121.4772, keeper=staff[-1]),
        "桂香社区应急物资储备点": Store.objects.create(jurisdiction=gx, name="桂香社区应急物资储备点", address="桂香大道2号居委会东侧",
                                          lat=31.2283, lon=121.4826, keeper=gx_staff[0]),
    }
    for store_name, lots in STOCK.items():
        store = stores[store_name]
        for i, (code, quantity, lot_number, expiry_days, received_days) in enumerate(lots):
            received = today - timedelta(days=received_days)
            services.receive(store, items[code], quantity, by=office, lot_number=lot_number,
                             expires_on=today + timedelta(days=expiry_days) if expiry_days is not None else None,
                             received_on=received, at=_at(now, days=received_days),
                             description="年度采购入库" if received_days > 100 else "补充采购",
                             client_id=uuid.uuid5(NAMESPACE, f"{store_name}:{i}"))
    depot = stores["望川街道应急物资储备库"]
    services.issue(depot, items["raincoat"], 10, by=office, recipient="望川街道专职巡防队", at=_at(now, days=12),
                   description="汛期巡查")
    services.transfer(depot.lots.get(item=items["blanket"]), stores["桂香社区应急物资储备点"], 10, by=office,
                      at=_at(now, days=9), description="社区储备点补充")
    services.stocktake(depot, {lot: lot.quantity for lot in depot.lots.filter(quantity__gt=0)}, by=office,
                       at=_at(now, days=30), note="季度盘点，账实相符")

    # Equipment, issued to the full-time patrol team; one piece overdue.
    team = Team.objects.filter(jurisdiction=street, kind=TeamKind.FULL_TIME).first()
    pieces = []
    for kind, name, count in EQUIPMENT:
        for n in range(1, count + 1):
            pieces.append(Equipment.objects.create(jurisdiction=street, kind=kind, name=name,
                                                   serial_number=f"WC-{kind.upper()[:3]}-{n:03d}", store=depot))
    if team is not None:
        by_kind = {kind: [p for p in pieces if p.kind == kind] for kind, _n, _c in EQUIPMENT}
        patrol_person = Person.objects.filter(user=users.get("patrol")).first()
        for piece in by_kind["stab_vest"][:3] + by_kind["radio"][:3] + by_kind["body_camera"][:2]:
            services.issue_equipment(piece, by=office, team=team, purpose="patrol", at=_at(now, hours=6),
                                     due_back_at=now + timedelta(hours=10), note="日间巡逻")
        services.issue_equipment(by_kind["baton"][0], by=office, team=team, person=patrol_person, purpose="patrol",
                                 at=_at(now, days=2), due_back_at=_at(now, days=1, hours=2), note="夜间巡逻未归还")
        services.issue_equipment(by_kind["radio"][5], by=office, team=team, purpose="drill", at=_at(now, days=20),
                                 due_back_at=_at(now, days=19))
        services.return_equipment(by_kind["radio"][5], by=office, condition="worn", at=_at(now, days=19, hours=-1))
    services.send_to_repair(pieces[-1], by=office, at=_at(now, days=3), note="镜头进水")

    # The reserve team of 50, its assembly point, and last month's call-out test.
    reserve = Team.objects.create(jurisdiction=street, name="望川街道应急预备队", kind=TeamKind.RESERVE,
                                  equipment="防汛、疏散引导")
    taken = set(Person.objects.values_list("name", flat=True))
    members = [Person.objects.create(jurisdiction=street, name=name, kind=kind, title="应急预备队队员",
                                     phone=f"137{(20000000 + i * 4733) % 100000000:08d}")
               for i, (name, kind) in enumerate(zip(_reserve_names(47, taken),
                                                    [PersonKind.GRID_WORKER, PersonKind.SECURITY, PersonKind.VOLUNTEER,
                                                     PersonKind.STAFF] * 12, strict=False))]
    with_login = list(Person.objects.filter(user__username__in=["patrol", "grid"]))
    police = list(Person.objects.filter(jurisdiction=street, kind=PersonKind.POLICE)[:1])
    everyone = police + with_login + members
    reserve.members.set(everyone[:50])
    reserve.leader = everyone[0]
    reserve.save()
    AssemblyPoint.objects.create(jurisdiction=street, team=reserve, name="望川街道办事处北侧广场",
                                 address="望川路1号北侧", lat=31.2310, lon=121.4776)
    sent = timezone.localtime(now - timedelta(days=30)).replace(hour=19, minute=30)  # an evening, local time
    test = services.call_out(reserve, by=office, kind="test", message="应急预备队拉动测试：请于1小时内到望川街道办事处北侧广场集结。",
                             at=sent, client_uuid=uuid.uuid5(NAMESPACE, "callout-test"), notify=False)
    rng = random.Random(30)
    answers = list(test.answers.select_related("person").order_by("pk"))
    for i, answer in enumerate(answers):
        if i % 10 == 9:
            continue  # five never answered
        ack = sent + timedelta(minutes=rng.choice([2, 3, 5, 8, 12, 18, 26, 41]))
        answer.acknowledged_at, answer.received_at = ack, ack
        answer.save(update_fields=["acknowledged_at", "received_at", "updated_at"])
    # three waves at the square; a member arrives in the first wave at least 5 minutes after acknowledging
    waves = (24, 47, 75)
    arrivals = {m: [] for m in waves}
    for i, answer in enumerate(answers[:42]):
        if not answer.acknowledged_at:
            continue
        planned = 0 if i < 22 else 1 if i < 38 else 2
        wave = next((m for m in waves[planned:] if sent + timedelta(minutes=m - 5) >= answer.acknowledged_at), None)
        if wave:
            arrivals[wave].append(answer.person)
    for minutes, persons in arrivals.items():
        if persons:
            services.check_in(test, persons, by=office, at=sent + timedelta(minutes=minutes))
    services.close_callout(test, by=office, at=sent + timedelta(minutes=90))

    # The diversion point with its vehicles (street plan A), and the evacuation points.
    lead = staff[0] if staff else None
    diversion = EvacuationPoint.objects.create(
        jurisdiction=street, kind="diversion", name="望川会展中心分流点", grade="immediate", address="明湖路500号东广场",
        lat=31.2392, lon=121.4714, capacity=3000, area_m2=6000, radius_m=800,
        facilities="临时照明、广播、饮用水、临时厕所、医疗救护点", responsible=lead)
    for kind, count, plates in (("bus", 4, "沪D·A1236、沪D·A1237、沪D·A1238、沪D·A1239"),
                                ("ambulance", 1, "沪D·12083"), ("van", 2, "沪D·B5521、沪D·B5522")):
        PointVehicle.objects.create(jurisdiction=street, point=diversion, kind=kind, count=count, plates=plates,
                                    contact="望川公交首末站调度室")
    services.check_point(diversion, by=office, passed=True, findings="车辆、照明、广播正常", on=today - timedelta(days=8))
    school = EvacuationPoint.objects.create(
        jurisdiction=nodes["QL-WC-LA"], kind="evacuation", name="柳岸小学操场疏散点", grade="III", address="柳岸路12号",
        lat=31.2318, lon=121.4712, capacity=1200, area_m2=2400, radius_m=500, facilities="应急供水、照明、厕所",
        responsible=Person.objects.filter(jurisdiction=nodes["QL-WC-LA"]).order_by("pk").first())
    services.check_point(school, by=office, passed=True, on=today - timedelta(days=15))
    park = EvacuationPoint.objects.create(
        jurisdiction=gx, kind="evacuation", name="桂香公园疏散点", grade="III", address="桂香大道南段",
        lat=31.2270, lon=121.4846, capacity=2000, area_m2=5200, radius_m=1000, facilities="照明、广播",
        responsible=gx_staff[1] if len(gx_staff) > 1 else gx_staff[0])
    services.check_point(park, by=office, passed=False, findings="东侧围栏施工，应急通道被占用",
                         on=today - timedelta(days=4))
    out(f"Demo resources: {len(ITEMS)} items, {len(stores)} stores, {len(pieces)} pieces of equipment, "
        f"the reserve team of {reserve.members.count()} with last month's call-out test, "
        f"{EvacuationPoint.objects.filter(jurisdiction__path__startswith=street.path).count()} points.")
    return True

