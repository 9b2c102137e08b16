"""Demo inspections of the 望川 street, all made through the services: the standard checklists,
the 2027 New Year's pre-holiday inspection plan, five inspections by the demo inspector 冯立新,
their findings and orders (a major hazard at the fuel station with its six-element plan; a school
order failed at verification and reopened; one verified and closed), inspectors assigned to
communities, and a supervision visit with its issued bulletin. Invented names only.

The demo liaison 陈文静 (柳岸小学) is made the responsible person of the key place 柳岸小学, so she
reports its rectifications done and another inspector verifies them. Idempotent: a second run
adds nothing.
"""

import base64
import io
import uuid
from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from PIL import Image

from shouwang.core.choices import HolidayKind
from shouwang.core.models import Holiday, Jurisdiction, Person
from shouwang.registers.models import KeyPlace

from . import services
from .choices import AnswerType, PlanKind
from .models import Inspection, InspectorAssignment, RectificationOrder

NAMESPACE = uuid.UUID("6f1d3c2e-5a4b-4c7d-9e8f-1a2b3c4d5e6f")
STREET = "QL-WC"
ASSIGNED = ["QL-WC-LA", "QL-WC-QQ", "QL-WC-GX"]  # 云杉, 明湖, 枫林 left without one: the coverage view shows them
# place, days ago, {item text: answer}, remarks
INSPECTIONS = [
    ("清泉加油站", 6, {"油罐区可燃气体浓度": "28", "防雷防静电检测报告": "已过期"}, "油罐区检测仪报警，已责令停止卸油作业。"),
    ("柳岸小学", 5, {"视频监控运行情况（随机调看）": "个别故障",
                  "校门、围墙、宿舍等重点部位巡查记录": "缺失"}, "东侧围墙2路摄像机无图像；11月下旬巡查记录缺页。"),
    ("柳岸农贸市场", 4, {"安全出口、疏散通道畅通，未堵塞、锁闭": "no"}, "北侧安全出口被货物堵塞。"),
    ("清泉燃气调压站", 3, {}, "设备运行正常。"),
    ("望川中学", 2, {"外来人员进出登记记录完整": "no"}, "12月以来访客登记不全。"),
]


def _uuid(name):
    return uuid.uuid5(NAMESPACE, name)


def _png(colour=(200, 60, 40)):
    buf = io.BytesIO()
    Image.new("RGB", (32, 24), colour).save(buf, "PNG")
    return "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode()


def _passing(item):
    if item.answer_type == AnswerType.YES_NO:
        return "yes"
    if item.answer_type == AnswerType.NUMBER:
        low, high = item.min_value, item.max_value
        if low is not None and high is not None:
            return f"{(low + high) / 2:g}"
        return f"{high * 0.25:g}" if high is not None else f"{low * 1.5:g}"
    if item.answer_type == AnswerType.CHOICE:
        return next(o for o in item.options if o not in item.failing_options)
    return "无异常" if item.answer_type == AnswerType.TEXT else ""


def _answers(version, overrides):
    out = []
    for item in version.items.all():
        entry = {"item": item.pk, "value": overrides.get(item.text, _passing(item))}
        if item.photo_required:
            entry["photos"] = [_png()]
        out.append(entry)
    unknown = set(overrides) - {i.text for i in version.items.all()}
    assert not unknown, unknown  # the demo's words must be the checklist's
    return out


def _user(name):
    return get_user_model().objects.filter(username=name).first()


@transaction.atomic
def load(out=print):
    street = Jurisdiction.objects.filter(code=STREET).first()
    inspector, liaison, office = _user("inspector"), _user("liaison"), _user("office")
    if street is None or None in (inspector, liaison, office):
        out("Demo inspections skipped: no demo street or users.")
        return False
    if Inspection.objects.filter(client_uuid=_uuid("inspection:1")).exists():
        out("Demo inspections already loaded.")
        return False
    places = {p.name: p for p in KeyPlace.objects.filter(name__in=[i[0] for i in INSPECTIONS])}
    if len(places) < len(INSPECTIONS):
        out("Demo inspections skipped: the registers demo's key places are missing.")
        return False
    now = timezone.now()
    services.install_standard_checklists(street)
    inspector_person = Person.objects.filter(user=inspector).first()
    for code in ASSIGNED:
        node = Jurisdiction.objects.get(code=code)
        if not InspectorAssignment.objects.filter(jurisdiction=node, inspector=inspector_person).exists():
            services.assign_inspector(node=node, inspector=inspector_person, since=date(2026, 1, 1))

    # The liaison is the school's responsible person: she reports its rectifications done.
    school = places["柳岸小学"]
    school.responsible_person = Person.objects.get(user=liaison)
    school.save()

    holiday = Holiday.objects.filter(jurisdiction__in=[*street.ancestors(), street], kind=HolidayKind.PUBLIC,
                                     starts_on=date(2027, 1, 1)).first() or Holiday.objects.create(jurisdiction=street, name="元旦", kind=HolidayKind.PUBLIC,
                                  starts_on=date(2027, 1, 1), ends_on=date(2027, 1, 3))
    plan = services.create_plan(
        node=street, kind=PlanKind.PRE_HOLIDAY, name="2027年元旦节前安全检查", holiday=holiday,
        starts_on=timezone.localdate(now) - timedelta(days=7), deadline=date(2026, 12, 31), inspector=inspector_person,
        categories=["petroleum", "gas", "school", "market"],
        description="元旦前对加油站、燃气调压站、学校、农贸市场开展全覆盖安全检查，发现隐患当场下达整改通知。",
    )
    inspections = []
    for n, (name, days_ago, overrides, remarks) in enumerate(INSPECTIONS, 1):
        place = places[name]
        version = services.template_for(place).current
        at = now - timedelta(days=days_ago, hours=2)
        inspection, _created = services.record_inspection(inspector, {
            "client_uuid": str(_uuid(f"inspection:{n}")), "place": place.pk, "version": version.pk, "plan": plan.pk,
            "started_at": (at - timedelta(minutes=40)).isoformat(), "finished_at": at.isoformat(),
            "answers": _answers(version, overrides), "lat": place.lat, "lon": place.lon,
            "present_person": str(place.responsible_person or ""), "remarks": remarks,
        }, received_at=at + timedelta(minutes=5))
        inspections.append(inspection)

    def order_of(inspection, text):
        return RectificationOrder.objects.get(finding__inspection=inspection, finding__answer__item__text=text)

    # The major hazard: its six-element plan, then the work starts.
    major = order_of(inspections[0], "油罐区可燃气体浓度")
    services.record_plan(
        major, user=inspector, goal="查明并消除油罐区可燃气体浓度超标原因，浓度稳定在20%LEL以下",
        method="停用2号埋地油罐，委托专业单位检测卸油口、量油孔及管线密封，更换失效密封件",
        funds="加油站自筹整改资金约3.5万元，密封件与检测仪器由公司统一采购",
        responsible="清泉加油站站长为第一责任人，安全员具体落实，街道平安办挂牌督办",
        time_limit=now + timedelta(days=10),
        safety_measures="整改期间油罐区设警戒区、禁止明火，配置便携式检测仪每2小时检测一次；编制泄漏应急处置方案并演练",
    )
    services.start_work(major, user=office)

    # A failed verification: the liaison reports the cameras repaired, the inspector finds two still dark.
    cameras = order_of(inspections[1], "视频监控运行情况（随机调看）")
    services.report_done(cameras, user=liaison, text="已更换东侧围墙2路摄像机电源", photos=[_png((40, 90, 160))],
                         client_uuid=str(_uuid("report:cameras")), at=now - timedelta(days=3))
    services.verify(cameras, user=inspector, passed=False, note="复查时东侧围墙仍有1路摄像机无图像，录像未恢复",
                    new_deadline=now + timedelta(days=5), at=now - timedelta(days=2))

    # Verified and closed: the patrol records are kept again.
    records = order_of(inspections[1], "校门、围墙、宿舍等重点部位巡查记录")
    services.report_done(records, user=liaison, text="补齐巡查记录，落实保卫干事每日签字", photos=[_png((60, 140, 60))],
                         client_uuid=str(_uuid("report:records")), at=now - timedelta(days=2))
    services.verify(records, user=inspector, passed=True, note="巡查记录完整，抽查三天均有签字", at=now - timedelta(days=1))

    # A supervision visit to 柳岸社区 and its bulletin.
    community = Jurisdiction.objects.get(code="QL-WC-LA")
    visit = services.record_visit(
        inspector, node=community, visited_on=timezone.localdate(now) - timedelta(days=1), method="site",
        inspectors="冯立新、吴丽华", summary="查阅台账并实地查看学校、农贸市场，总体落实较好，护校力量需加强。",
        judgements={"ledgers": {"ok": True}, "forces": {"ok": False, "note": "放学时段柳岸小学校门护校队员到岗2人，少于方案的4人"},
                    "measures": {"ok": True}, "hazards": {"ok": True}},
        findings=[{"description": "柳岸小学放学时段护校力量不足", "severity": "general", "place": school,
                   "requirement": "按方案落实放学时段4人护校"}],
        now=now,
    )
    bulletin = services.create_bulletin(
        visit, user=office, title="关于柳岸社区平安建设工作督查情况的通报", issuer="望川街道平安建设领导小组办公室",
        body="按照街道元旦前安全防范工作部署，督查组对柳岸社区开展了实地督查。现将有关情况通报如下。",
        distribution="报：街道党工委、办事处　送：望川派出所　发：各社区居委会", now=now,
    )
    services.issue_bulletin(bulletin, user=office, now=now)
    out(f"Demo inspections: {len(inspections)} inspections, {RectificationOrder.objects.count()} rectification "
        "orders, a pre-holiday plan, a supervision visit and its bulletin.")
    return True
