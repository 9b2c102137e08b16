"""Demo incidents in 望川街道: two past ones (closed and reviewed) and three open ones with running clocks.

Times are relative to now, so the board always shows live clocks. Invented events only.
"""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from shouwang.core.choices import GroupKind, Position
from shouwang.core.models import Group, Jurisdiction, Membership, Person

from . import services
from .models import Incident, Responder

STREET = "QL-WC"


def _report(incident, user, kind, means, at, **fields):
    return services.submit_report(incident, user=user, kind=kind, means=means, reported_at=at,
                                  reported_by="望川街道城运中心", reported_to="区综治（城运）指挥平台",
                                  issuer="周振华" if means == "written" else "", **fields)[0]


def _elements(when, place, progress, **kw):
    return {"event_time": when, "place": place, "scale": kw.get("scale", "局部区域"), "dead": kw.get("dead", 0),
            "seriously_injured": kw.get("serious", 0), "lightly_injured": kw.get("light", 0),
            "cause": kw.get("cause", "正在调查"), "assessment": kw.get("assessment", "态势可控"),
            "measures": kw.get("measures", "派出所先期处置，街道工作组到场"), "progress": progress, "other": "无"}


def _group(street, working_kind, people):
    group = Group.objects.filter(jurisdiction=street, kind=GroupKind.WORKING, working_kind=working_kind).first()
    for person in people:
        if group and person and not Membership.objects.filter(group=group, person=person).exists():
            Membership.objects.create(group=group, person=person, position=Position.MEMBER, order=9)
    return group


@transaction.atomic
def load(out=print):
    street = Jurisdiction.objects.filter(code=STREET).first()
    if street is None:
        out("Demo incidents need the demo organisation.")
        return
    if Incident.objects.real().filter(jurisdiction__path__startswith=street.path).exists():
        out("Demo incidents already loaded.")
        return
    users = {u.username: u for u in get_user_model().objects.filter(username__in=["leader", "office", "grid", "patrol"])}
    leader, office = users["leader"], users["office"]
    nodes = {n.code: n for n in Jurisdiction.objects.filter(code__startswith=STREET)}
    responders = [Person.objects.filter(user=users.get(name)).first() for name in ("grid", "patrol")]
    public_order = _group(street, "public_order_criminal", responders)
    social = _group(street, "social_safety", responders)
    now = timezone.now().replace(second=0, microsecond=0)

    # 1. Past: knife attack at the market, written report late, one responder late; closed and reviewed.
    t = now - timedelta(days=5)
    t = t.replace(hour=9, minute=20) if t.hour >= 9 else t
    market, _ = services.intake(user=office, jurisdiction=nodes["QL-WC-LA"], title="柳岸农贸市场持刀伤人",
                                category="violent_attack", level="III", address="柳岸路30号柳岸农贸市场",
                                building="东门", received_at=t, happened_at=t - timedelta(minutes=8),
                                lat=31.2301, lon=121.4712, reporter_name="市场管理员", reporter_phone="13900000001")
    _report(market, office, "first", "phone", t + timedelta(minutes=30))
    _report(market, office, "written", "written", t + timedelta(minutes=135),
            **_elements(t - timedelta(minutes=8), "柳岸农贸市场东门", "嫌疑人已被控制，伤者送望川医院", serious=1, light=1,
                        cause="摊位纠纷引发"))
    services.activate(market, user=leader, plan_name="望川街道涉恐涉暴事件应急预案", lead_group=public_order,
                      at=t + timedelta(minutes=140))
    for i, responder in enumerate(Responder.objects.filter(incident=market)):
        services.mark_arrival(responder, user=leader, at=t + timedelta(minutes=160 + i * 25))
    services.hand_over(market, user=office, from_commander="望川派出所值班所长", to_commander="街道现场指挥部指挥长",
                       situation="嫌疑人已控制，现场已封控，伤者已送医", at=t + timedelta(minutes=175))
    services.add_log(market, user=office, kind="evacuation", text="启用柳岸小学分流点疏散顾客", point="柳岸小学",
                     people=120, vehicles=2, at=t + timedelta(minutes=180))
    _report(market, office, "follow_up", "written", t + timedelta(hours=4),
            **_elements(t - timedelta(minutes=8), "柳岸农贸市场东门", "两名伤者情况稳定", serious=1, light=1))
    _report(market, office, "final", "written", t + timedelta(hours=6),
            **_elements(t - timedelta(minutes=8), "柳岸农贸市场东门", "处置完毕，市场恢复营业", serious=1, light=1,
                        cause="摊位纠纷引发"))
    services.close(market, user=office, at=t + timedelta(hours=6, minutes=10))
    services.review(market, user=leader, what_happened="摊位纠纷升级为持刀伤人，派出所先期处置后移交街道指挥部。",
                    what_worked="首报及时，分流点启用顺利。", what_did_not="书面报告超时；一名负责人到场超时。",
                    actions=[{"text": "市场东门加装监控并纳入重点部位", "due_at": now + timedelta(days=14),
                              "person": responders[0]}])

    # 2. Past: gas smell in a residential building; closed and reviewed.
    t2 = now - timedelta(days=12, hours=3)
    gas, _ = services.intake(user=office, jurisdiction=nodes["QL-WC-GX"], title="桂香大道居民楼燃气泄漏",
                             category="gas_leak", level="IV", address="桂香大道60号", building="3号楼", floor="5",
                             room="502", received_at=t2, lat=31.2284, lon=121.4826)
    _report(gas, office, "first", "phone", t2 + timedelta(minutes=20))
    _report(gas, office, "final", "written", t2 + timedelta(hours=3),
            **_elements(t2, "桂香大道60号3号楼502室", "燃气公司已关阀维修，无人员伤亡", cause="软管老化"))
    services.close(gas, user=office, at=t2 + timedelta(hours=3, minutes=5))
    services.review(gas, user=office, what_happened="居民报燃气味，物业与燃气公司处置。", what_worked="物业响应快。",
                    what_did_not="楼内住户名单联系方式不全。",
                    actions=[{"text": "组织桂香社区燃气安全宣传", "due_at": now + timedelta(days=30)}])

    # 3. Open: crowding at the metro station, activated, one responder on scene.
    t3 = now - timedelta(minutes=50)
    metro, _ = services.intake(user=office, jurisdiction=nodes["QL-WC-MH"], title="地铁明湖站大客流拥挤",
                               category="crowd_crush", level="III", address="明湖路与望川路交叉口 地铁明湖站",
                               received_at=t3, lat=31.2391, lon=121.4712)
    _report(metro, office, "first", "phone", t3 + timedelta(minutes=15))
    services.activate(metro, user=leader, plan_name="大型活动及大客流应急预案", lead_group=social,
                      at=t3 + timedelta(minutes=20))
    first = Responder.objects.filter(incident=metro).first()
    if first:
        services.mark_arrival(first, user=leader, at=t3 + timedelta(minutes=35))
    services.add_task(metro, user=office, title="明湖站B口设置单向通道", due_at=now + timedelta(minutes=40),
                      person=responders[1], group=social)

    # 4. Open: suspicious package at the exhibition centre; written report overdue.
    t4 = now - timedelta(hours=2, minutes=10)
    package, _ = services.intake(user=office, jurisdiction=nodes["QL-WC-MH"], title="望川会展中心发现可疑包裹",
                                 category="public_order_criminal", level="II", address="明湖路500号望川会展中心",
                                 building="2号馆", received_at=t4, lat=31.2402, lon=121.4688)
    _report(package, office, "first", "oral", t4 + timedelta(minutes=25))
    services.issue_alert(package, user=office, headline="望川会展中心2号馆临时封闭", instruction="请勿靠近，听从现场人员指挥")

    # 5. Open: a dispute at risk of escalation, just received: first report clock running.
    t5 = now - timedelta(minutes=12)
    services.intake(user=office, jurisdiction=nodes["QL-WC-QQ"], title="清泉路沿街商铺纠纷有激化风险",
                    category="dispute", level="IV", address="清泉路101号附近", received_at=t5,
                    reporter_name="网格员", reporter_phone="13900000005")
    out("Demo incidents loaded.")
