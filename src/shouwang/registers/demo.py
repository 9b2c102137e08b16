"""Demo registers of the 望川 street: key places, defences, stock at the fuel station, a week of colours.

Some entries are stale on purpose (last reviewed or checked long ago), so the freshness and
defence-check obligations show as missed. Invented names only. Idempotent.
"""

import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from shouwang.core.models import Jurisdiction, Person, Unit

from . import services
from .choices import KIND_OF_CATEGORY, KIND_OF_DEFENCE_TYPE, HazardClass, WorkingState
from .models import Defence, HazardousStock, KeyPlace
from .risk_signals import suggest

STREET = "QL-WC"
# name, category, community suffix (None: the street), unit name, reviewed days ago, review period
PLACES = [
    ("望川中学", "school", "LA", "望川中学", 5, 30),
    ("柳岸小学", "school", "LA", "柳岸小学", 45, 30),
    ("云杉幼儿园", "kindergarten", "YS", "云杉幼儿园", 3, 30),
    ("望川医院", "hospital", "GX", "望川医院", 10, 30),
    ("地铁明湖站", "railway_station", "MH", "地铁明湖站", 2, 15),
    ("清泉加油站", "petroleum", "QQ", "清泉加油站", 6, 30),
    ("枫林110千伏变电站", "power", "FL", "枫林110千伏变电站", 50, 30),
    ("望川自来水泵站", "water", "QQ", "望川自来水泵站", 12, 30),
    ("清泉燃气调压站", "gas", "QQ", "清泉燃气调压站", 8, 30),
    ("柳岸农贸市场", "market", "LA", "柳岸农贸市场", 4, 30),
    ("望川会展中心", "commercial_centre", "MH", "望川会展中心", 20, 30),
    ("云杉购物广场", "commercial_centre", "YS", "云杉购物广场", 7, 30),
    ("桂香大酒店", "hotel", "GX", "桂香大酒店", 40, 30),
    ("明湖影城", "cinema", "MH", "明湖影城", 9, 30),
    ("望川农商银行网点", "finance", "GX", "望川农商银行网点", 11, 30),
    ("望川邮政支局", "postal", "YS", "望川邮政支局", 14, 60),
    ("枫林通信基站", "base_station", "FL", "枫林通信基站", 25, 60),
    ("柳岸铁路道口", "railway_crossing", "LA", "柳岸铁路道口值守点", 6, 15),
    ("望川大桥", "bridge", "QQ", None, 33, 30),
    ("清泉河涵洞", "culvert", "QQ", None, 16, 60),
    ("明湖广场", "square", "MH", "明湖广场管理处", 1, 15),
    ("桂香商业步行街", "crowded_street", "GX", None, 5, 15),
    ("明湖地下通道", "underground_space", "MH", None, 70, 60),
]
# polygons (WGS84 [lon, lat]) for the areas; other places are points
POLYGONS = {
    "明湖广场": [[121.4688, 31.2398], [121.4712, 31.2398], [121.4712, 31.2414], [121.4688, 31.2414], [121.4688, 31.2398]],
    "望川会展中心": [[121.4716, 31.2380], [121.4748, 31.2380], [121.4748, 31.2394], [121.4716, 31.2394], [121.4716, 31.2380]],
    "桂香商业步行街": [[121.4818, 31.2290], [121.4852, 31.2292], [121.4853, 31.2297], [121.4819, 31.2295], [121.4818, 31.2290]],
}
# place, name, type, cameras, coverage, guards, state, checked days ago
DEFENCES = [
    ("望川中学", "校门视频监控", "cctv", 24, 95, None, "working", 5),
    ("望川中学", "校门防冲撞隔离桩", "barrier", None, None, None, "working", 20),
    ("望川中学", "专职保安", "guard", None, None, 4, "working", 3),
    ("柳岸小学", "校园视频监控", "cctv", 16, 85, None, "working", 45),
    ("柳岸小学", "一键报警装置", "alarm", None, None, None, "working", 40),
    ("云杉幼儿园", "门禁系统", "access_control", None, None, None, "working", 6),
    ("望川医院", "院区视频监控", "cctv", 60, 90, None, "working", 8),
    ("望川医院", "医警联动报警", "alarm", None, None, None, "working", 8),
    ("地铁明湖站", "安检与视频监控", "cctv", 42, 98, None, "working", 2),
    ("清泉加油站", "油罐区视频监控", "cctv", 8, 100, None, "working", 4),
    ("清泉加油站", "防撞护栏", "barrier", None, None, None, "working", 36),
    ("枫林110千伏变电站", "周界电子围栏", "alarm", None, None, None, "faulty", 50),
    ("枫林110千伏变电站", "站区视频监控", "cctv", 12, 80, None, "working", 50),
    ("柳岸农贸市场", "市场视频监控", "cctv", 18, 70, None, "working", 12),
    ("望川会展中心", "入口门禁与安检", "access_control", None, None, None, "working", 9),
    ("望川会展中心", "驻场保安", "guard", None, None, 12, "working", 9),
    ("明湖广场", "广场视频监控", "cctv", 20, 75, None, "working", 1),
    ("明湖广场", "防冲撞石墩", "barrier", None, None, None, "working", 14),
    ("望川农商银行网点", "金库报警系统", "alarm", None, None, None, "working", 5),
    ("桂香大酒店", "大堂视频监控", "cctv", 10, 60, None, "out_of_order", 38),
    ("明湖地下通道", "通道视频监控", "cctv", 6, 50, None, "working", 65),
]
STOCK = [
    ("92号汽油", HazardClass.FLAMMABLE_LIQUIDS, "25.000", "t", "1号埋地油罐"),
    ("95号汽油", HazardClass.FLAMMABLE_LIQUIDS, "18.000", "t", "2号埋地油罐"),
    ("0号柴油", HazardClass.FLAMMABLE_LIQUIDS, "20.000", "t", "3号埋地油罐"),
]
# a week of colours, oldest first, per place (others follow the rules)
WEEK = {
    "地铁明湖站": ["orange", "orange", "blue", "blue", "orange", "orange", "orange"],
    "望川会展中心": ["blue", "blue", "orange", "orange", "orange", "orange", "red"],
    "明湖广场": ["blue", "blue", "blue", "orange", "orange", "blue", "orange"],
    "清泉加油站": ["orange", "orange", "orange", "orange", "orange", "orange", "orange"],
    "望川中学": ["green", "green", "blue", "blue", "green", "green", "blue"],
    "柳岸农贸市场": ["blue", "blue", "blue", "blue", "blue", "orange", "blue"],
}
WEEK_REASONS = {
    "red": "会展中心大型展会开幕，预计客流超万人",
    "orange": "客流高峰与节假日前后，加强巡防",
    "blue": "运行平稳，常态防控",
    "green": "无异常情况",
}


def _node(suffix):
    return Jurisdiction.objects.filter(code=f"{STREET}-{suffix}" if suffix else STREET).first()


@transaction.atomic
def load(out=print):
    street = _node(None)
    if street is None:
        out("Demo registers: no demo street.")
        return
    if KeyPlace.objects.filter(jurisdiction__path__startswith=street.path).exists():
        out("Demo registers already loaded.")
        return
    now = timezone.now()
    today = timezone.localdate()
    places = {}
    for i, (name, category, suffix, unit_name, reviewed_ago, period) in enumerate(PLACES):
        node = _node(suffix) or street
        unit = Unit.objects.filter(name=unit_name).first() if unit_name else None
        lat = (unit.lat if unit and unit.lat else node.lat or 31.23) + (0 if unit else (i % 3 - 1) * 0.0012)
        lon = (unit.lon if unit and unit.lon else node.lon or 121.478) + (0 if unit else (i % 2) * 0.0015)
        contact = Person.objects.filter(unit=unit).first() if unit else Person.objects.filter(jurisdiction=node).first()
        polygon = {"type": "Polygon", "coordinates": [POLYGONS[name]]} if name in POLYGONS else None
        place = KeyPlace.objects.create(
            jurisdiction=node, name=name, kind=KIND_OF_CATEGORY[category], category=category, unit=unit,
            address=unit.address if unit else f"{node.name}辖区", lat=round(lat, 6), lon=round(lon, 6), polygon=polygon,
            responsible_unit=unit, responsible_person=contact,
            protective_forces="单位保安、社区平安志愿者、派出所巡逻警力",
            special_precautions="上下学、客流高峰时段加强巡逻；重大活动期间提升防控等级" if category in
            ("school", "kindergarten", "commercial_centre", "square") else "落实24小时值守与每日巡查",
            review_period_days=period, last_reviewed_at=now - datetime.timedelta(days=reviewed_ago),
        )
        places[name] = place
    for place_name, name, dtype, cameras, coverage, guards, state, checked_ago in DEFENCES:
        place = places[place_name]
        Defence.objects.create(
            jurisdiction=place.jurisdiction, place=place, name=name, kind=KIND_OF_DEFENCE_TYPE[dtype], type=dtype,
            cctv_count=cameras, coverage_percent=coverage, guard_count=guards, state=WorkingState(state),
            last_checked_on=today - datetime.timedelta(days=checked_ago),
        )
    station = places["清泉加油站"]
    keeper = Person.objects.filter(unit=station.unit).first()
    for substance, hclass, qty, unit_of_measure, storage in STOCK:
        stock = HazardousStock.objects.create(
            jurisdiction=station.jurisdiction, place=station, substance=substance, hazard_class=hclass,
            quantity=Decimal("0"), unit_of_measure=unit_of_measure, storage_place=storage, keeper=keeper,
            last_checked_on=today - datetime.timedelta(days=2),
        )
        services.record_movement(stock, kind="in", quantity=Decimal(qty) + 6, at=now - datetime.timedelta(days=5),
                                 description="油罐车卸油")
        services.record_movement(stock, kind="out", quantity=Decimal("6"), at=now - datetime.timedelta(days=1),
                                 description="当日销售")
    for days_ago in range(6, -1, -1):
        day = today - datetime.timedelta(days=days_ago)
        for name, place in places.items():
            rule, reasons = _rule(place, day)
            colour = WEEK[name][6 - days_ago] if name in WEEK else rule
            reason = WEEK_REASONS[colour] if colour != rule else ""
            services.set_colour(place, colour=colour, reason=reason, day=day)
    out(f"Demo registers: {len(places)} key places, {len(DEFENCES)} defences, {len(STOCK)} stocks, a week of colours.")


def _rule(place, day):

    return suggest(place, day)
