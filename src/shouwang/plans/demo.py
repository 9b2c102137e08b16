"""Demo plans, drills, training and campaigns of 望川街道, made through the services (invented names).

- the street's emergency plans, one per working category, approved (the public-order plan in its
  second version, the natural-disaster plan's expert review overdue, the accidents plan with a draft);
- preset E for the street's schools (a drill a month, a kindergarten's a quarter) and the drills owed;
- 柳岸小学's evacuation drill last month, run and reported (its corrective actions followed), its next
  one due this month, 望川中学's missed last month; a street drill of the public-order plan with three
  injects planned for next week;
- courses, sessions, attendance and certificates (one expiring soon, one expired); campaigns with
  their targets.
A second run adds nothing.
"""

import io
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from PIL import Image

from shouwang.core.choices import GroupKind, PersonKind, Position, TeamKind, WorkingKind
from shouwang.core.clock import local_datetime
from shouwang.core.models import Contact, Group, Jurisdiction, Person, Team, Unit
from shouwang.policies.models import Policy
from shouwang.policies.services import assign

from . import rules, services
from .choices import CampaignKind, DrillKind, Rating, ReviewConclusion
from .models import Drill, Plan

STREET = "QL-WC"

# working kind -> (title, categories, levels (from, up to), scope, checklist [(minutes, action, position, group kind)],
#                  supplies)
PLANS = {
    WorkingKind.PUBLIC_ORDER: (
        "望川街道涉恐涉暴事件应急预案", ["public_order_criminal", "violent_attack"], ("IV", "I"),
        "辖区内发生的暴力恐怖袭击、个人极端暴力事件及重大刑事案件的先期处置与协同应对。",
        [(5, "派出所先期处置，封控现场，控制嫌疑人", Position.LEADER, None),
         (15, "街道分管平安副主任赶赴现场，设立现场指挥部", Position.DEPUTY, None),
         (20, "组织周边群众疏散，启用柳岸小学分流点", Position.LEADER, WorkingKind.SOCIAL_SAFETY),
         (30, "联系望川医院开通绿色通道，转运伤员", Position.LEADER, WorkingKind.PUBLIC_HEALTH),
         (60, "口头报告综治（城运）指挥平台并核实情况", Position.LEADER, WorkingKind.INFORMATION),
         (120, "形成书面报告报区综治中心", Position.DEPUTY, WorkingKind.INFORMATION)],
        [{"name": "防刺背心", "quantity": 20, "unit": "件"}, {"name": "钢叉", "quantity": 10, "unit": "把"},
         {"name": "防暴盾牌", "quantity": 10, "unit": "面"}]),
    WorkingKind.SOCIAL_SAFETY: (
        "大型活动及大客流应急预案", ["crowd_crush", "large_event", "dispute", "social_safety"], ("IV", "II"),
        "大型活动、地铁站及商圈大客流拥挤踩踏风险的预防与处置，以及可能激化的矛盾纠纷现场处置。",
        [(10, "现场设置单向通道和隔离护栏，分流人群", Position.LEADER, None),
         (15, "启动地铁明湖站限流措施", Position.DEPUTY, None),
         (30, "调派平安志愿者到各出入口引导", Position.MEMBER, None),
         (60, "向领导小组报告客流变化和处置进展", Position.LEADER, WorkingKind.INFORMATION)],
        [{"name": "隔离护栏", "quantity": 50, "unit": "组"}, {"name": "手持扩音器", "quantity": 10, "unit": "个"}]),
    WorkingKind.ACCIDENTS: (
        "望川街道安全生产及火灾事故应急预案", ["fire", "gas_leak", "building_collapse", "work_safety", "traffic"],
        ("IV", "II"), "火灾、燃气及危化品泄漏、建筑物坍塌、生产安全和道路交通事故的先期处置。",
        [(5, "通知望川消防救援站和燃气公司到场", Position.LEADER, None),
         (15, "划定警戒区，疏散周边居民", Position.DEPUTY, None),
         (30, "排查周边危险源，关闭燃气阀门", Position.MEMBER, None),
         (60, "统计伤亡和受损情况并报告领导小组", Position.LEADER, WorkingKind.INFORMATION)],
        [{"name": "灭火器", "quantity": 40, "unit": "具"}, {"name": "警戒带", "quantity": 20, "unit": "卷"}]),
    WorkingKind.PUBLIC_HEALTH: (
        "望川街道公共卫生事件应急预案", ["epidemic", "food_poisoning", "pollution"], ("IV", "I"),
        "传染病疫情、群体性食物中毒和环境污染事件的报告、隔离和救治协调。",
        [(15, "联系桂香社区卫生服务中心派员到场", Position.LEADER, None),
         (30, "封存可疑食品及留样，配合疾控采样", Position.DEPUTY, None),
         (60, "排查密切接触者，落实健康监测", Position.MEMBER, None)],
        [{"name": "医用口罩", "quantity": 2000, "unit": "只"}, {"name": "消毒液", "quantity": 50, "unit": "桶"}]),
    WorkingKind.NATURAL_DISASTERS: (
        "望川街道自然灾害应急预案", ["earthquake", "rainstorm", "flood", "landslide", "debris_flow"], ("IV", "I"),
        "暴雨、洪涝、地震等自然灾害的预警响应、人员转移和灾后恢复。",
        [(30, "巡查低洼地段和地下空间，设置警示", Position.LEADER, None),
         (60, "转移危险区域群众至临时安置点", Position.DEPUTY, None),
         (120, "启用应急物资，保障安置点生活", Position.MEMBER, None)],
        [{"name": "沙袋", "quantity": 500, "unit": "个"}, {"name": "抽水泵", "quantity": 4, "unit": "台"}]),
    WorkingKind.NETWORK_SECURITY: (
        "网络与信息安全事件应急预案", ["network_attack", "data_theft"], ("IV", "II"),
        "视频监控、门禁等技防系统遭受攻击和数据泄露事件的处置。",
        [(15, "隔离受影响的视频监控及门禁系统", Position.LEADER, None),
         (60, "联系网安部门，保全日志证据", Position.DEPUTY, None)],
        []),
    WorkingKind.EXAM_SECURITY: (
        "考试安全保障应急预案", ["exam_security"], ("IV", "II"),
        "辖区考点周边秩序、交通和突发情况的保障与处置。",
        [(10, "考点周边加派巡逻力量，维护秩序", Position.LEADER, None),
         (30, "协调交警疏导考点周边交通", Position.DEPUTY, None)],
        []),
    WorkingKind.INFORMATION: (
        "突发事件信息报送预案", [], ("IV", "I"),
        "各类突发事件信息的接报、核实、首报、续报和终报，以及对外信息发布。",
        [(20, "接报后核实事件基本情况", Position.LEADER, None),
         (60, "按九要素形成首报并报送", Position.DEPUTY, None)],
        []),
}


def _group(street, kind):
    return Group.objects.filter(jurisdiction=street, kind=GroupKind.WORKING, working_kind=kind).first()


def _png(colour):
    buf = io.BytesIO()
    Image.new("RGB", (64, 48), colour).save(buf, "PNG")
    return SimpleUploadedFile("photo.png", buf.getvalue(), content_type="image/png")


def _load_plans(street, leader, office, now):
    contacts = list(Contact.objects.filter(jurisdiction=street).order_by("call_order")[:3])
    teams = list(Team.objects.filter(jurisdiction__path__startswith=street.path,
                                     kind__in=[TeamKind.RESERVE, TeamKind.FULL_TIME, TeamKind.POLICE]))
    plans = {}
    for kind, (title, categories, (low, high), scope, checklist, supplies) in PLANS.items():
        lead = _group(street, kind)
        actions = [{"text": text, "offset_minutes": minutes, "position": position,
                    "group": _group(street, group_kind) if group_kind else None}
                   for minutes, text, position, group_kind in checklist]
        plan = services.create_plan(node=street, title=title, working_kind=kind, user=office, actions=actions,
                                    scope=scope, categories=categories, level_min=low, level_max=high,
                                    lead_group=lead, supplies=supplies, contacts=contacts,
                                    teams=teams if kind in (WorkingKind.PUBLIC_ORDER, WorkingKind.SOCIAL_SAFETY) else [],
                                    note="首次发布")
        approved_at = now - timedelta(days=395) if kind == WorkingKind.NATURAL_DISASTERS else now - timedelta(days=60)
        services.approve(plan.versions.get(), user=leader, approver="周振华", at=approved_at)
        plan.refresh_from_db()
        plans[kind] = plan
    # The public-order plan revised after its expert review: a second version, approved.
    public_order = plans[WorkingKind.PUBLIC_ORDER]
    services.record_review(public_order, user=leader, reviewed_on=timezone.localdate(now) - timedelta(days=30),
                           experts="区应急管理局 何建国、望川派出所 施晓东、区消防救援支队 蒋雪梅",
                           conclusion=ReviewConclusion.REVISE,
                           opinion="建议增加与学校的联动，明确分流点启用时限。")
    v1 = public_order.current
    rows = [{"text": a.text, "offset_minutes": a.offset_minutes, "position": a.position, "group": a.group}
            for a in v1.actions.order_by("order")]
    rows.insert(3, {"text": "通知辖区学校启动校园封闭管理", "offset_minutes": 20, "position": Position.DEPUTY,
                    "group": _group(street, WorkingKind.SOCIAL_SAFETY)})
    services.save_draft(public_order, user=office, actions=rows, note="按专家评审意见增加校园联动，明确分流点20分钟内启用")
    services.approve(services.draft_of(public_order), user=leader, approver="周振华", at=now - timedelta(days=20))
    public_order.refresh_from_db()
    # The accidents plan: a draft of its next version in progress.
    accidents = plans[WorkingKind.ACCIDENTS]
    rows = [{"text": a.text, "offset_minutes": a.offset_minutes, "position": a.position, "group": a.group}
            for a in accidents.current.actions.order_by("order")]
    rows.append({"text": "组织燃气安全入户排查", "offset_minutes": 240, "position": Position.MEMBER, "group": None})
    services.save_draft(accidents, user=office, actions=rows, note="增加燃气安全入户排查（草稿）")
    return plans


def _person(username):
    return Person.objects.filter(user__username=username).first()


def _school_drill(street, la, office, leader, now):
    """柳岸小学's evacuation drill of last month: run, timed, rated and reported."""
    school = Unit.objects.get(name="柳岸小学")
    liaison = _person("liaison")  # the school's liaison leads its evacuation
    first = timezone.localdate(now).replace(day=1)
    day = first - timedelta(days=18)
    start = local_datetime(day, "10:00")
    inspector = _person("inspector")
    drill = services.create_drill(
        node=la, user=office, title="柳岸小学应急疏散演练", kind=DrillKind.EVACUATION, unit=school, scheduled_at=start,
        category="fire", level="IV", address="柳岸路12号柳岸小学教学楼", storeys=4, participants=620,
        objectives="检验火灾情况下全校师生按路线在2分钟内疏散至操场的能力，检验人数清点和报告流程。",
        scenario="上午10时，教学楼二楼科学实验室因电线短路起火，烟雾蔓延至走廊。",
        evaluators=[inspector] if inspector else [],
        injects=[
            {"offset_minutes": 0, "title": "火警：二楼科学实验室起火", "recipient_person": liaison,
             "message": "二楼科学实验室冒出浓烟，火势蔓延至走廊，请立即启动疏散。",
             "actions": [{"text": "拉响警报并广播疏散指令", "person": liaison, "points": 20, "window_minutes": 2},
                         {"text": "各班按疏散路线撤离至操场", "points": 30, "window_minutes": 5}]},
            {"offset_minutes": 6, "title": "清点人数", "recipient_person": liaison,
             "message": "全体师生已到达操场，请各班主任清点人数并上报。",
             "actions": [{"text": "清点人数并向校长报告", "person": liaison, "points": 20, "window_minutes": 4}]},
        ])
    services.start_drill(drill, user=office, at=start)
    services.time_evacuation(drill, user=office, what="signal", at=start + timedelta(seconds=40))
    user = liaison.user if liaison and liaison.user_id else office
    first_inject, second_inject = list(drill.injects.order_by("offset_minutes"))
    alarm, evacuate = list(first_inject.actions.order_by("order"))
    services.log_action(alarm, user=user, at=start + timedelta(seconds=50))
    services.log_action(evacuate, user=user, at=start + timedelta(minutes=3, seconds=10))
    services.time_evacuation(drill, user=office, what="all_clear", at=start + timedelta(minutes=2, seconds=52))
    services.deliver_due(drill, now=start + timedelta(minutes=6))
    count = second_inject.actions.get()
    services.log_action(count, user=user, at=start + timedelta(minutes=11))
    evaluator = inspector.user if inspector and inspector.user_id else office
    services.evaluate(alarm, user=evaluator, rating=Rating.P, observation="警报及时，广播清楚。")
    services.evaluate(evacuate, user=evaluator, rating=Rating.S, observation="东侧楼梯拥堵约30秒，个别班级未走指定路线。")
    services.evaluate(count, user=evaluator, rating=Rating.M, observation="三年级两个班清点超时，报告口径不统一。")
    services.end_drill(drill, user=office, at=start + timedelta(minutes=25))
    made = services.record_after_action(
        drill, user=office, strengths="警报和广播及时，师生熟悉疏散路线，低年级教师引导到位。",
        improvements=[
            {"area": "东侧楼梯疏散拥堵，用时超过2分钟目标", "action": "东侧楼梯增设两名疏散引导员并调整班级分流",
             "owner": liaison, "deadline": now + timedelta(days=20)},
            {"area": "人数清点和报告超时", "action": "统一清点报告表，每班指定一名清点员",
             "owner": liaison, "deadline": now + timedelta(days=10)},
        ])
    services.report_improvement_done(made[1], user=user, text="已印发统一清点报告表，每班指定一名清点员。")
    return drill


def _next_school_drill(la, office, now):
    school = Unit.objects.get(name="柳岸小学")
    first = timezone.localdate(now).replace(day=1)
    last = rules.add_months(first, 1) - timedelta(days=1)
    when = local_datetime(min(timezone.localdate(now) + timedelta(days=3), last), "10:00")
    when = max(when, now + timedelta(hours=1))
    return services.create_drill(
        node=la, user=office, title="柳岸小学地震应急疏散演练", kind=DrillKind.EVACUATION, unit=school,
        scheduled_at=when, category="earthquake", level="IV", address="柳岸路12号柳岸小学", storeys=4,
        participants=620, objectives="检验地震情况下“伏地、遮挡、手抓牢”避险和有序疏散。",
        scenario="课间发生有感地震，震感强烈。",
        injects=[{"offset_minutes": 0, "title": "地震预警", "recipient_person": _person("liaison"),
                  "message": "发生有感地震，请立即组织就地避险，震动停止后疏散。",
                  "actions": [{"text": "广播就地避险指令", "points": 20, "window_minutes": 1}]}])


def _street_drill(street, office, now):
    """The street's drill of the public-order plan with three injects, planned for next week."""
    plan = Plan.objects.get(jurisdiction=street, working_kind=WorkingKind.PUBLIC_ORDER)
    public_order = _group(street, WorkingKind.PUBLIC_ORDER)
    information = _group(street, WorkingKind.INFORMATION)
    grid, patrol, inspector = _person("grid"), _person("patrol"), _person("inspector")
    when = local_datetime(timezone.localdate(now) + timedelta(days=7), "09:30")
    return services.create_drill(
        node=street, user=office, title="望川街道涉恐涉暴事件处置综合演练", kind=DrillKind.FULL_SCALE, plan=plan,
        scheduled_at=when, category="violent_attack", level="III", address="柳岸路30号柳岸农贸市场",
        participants=80, evaluators=[inspector] if inspector else [],
        objectives="检验预案启动、先期处置、指挥权移交和信息报送时限；检验分流点启用。",
        scenario="上午9时30分，柳岸农贸市场东门有人持刀伤人，现场人员恐慌。",
        injects=[
            {"offset_minutes": 0, "title": "接警：农贸市场有人持刀伤人", "recipient_person": grid,
             "message": "网格员报告：柳岸农贸市场东门有一男子持刀伤人，已有一人受伤，现场群众恐慌。",
             "actions": [{"text": "向城运中心电话报告现场情况", "person": grid, "points": 20, "window_minutes": 3,
                          "contingencies": [{"title": "追问：现场情况未报", "recipient_group": information,
                                             "message": "城运中心尚未收到现场报告，请立即核实并电话报告。"}]},
                         {"text": "疏导群众远离东门", "person": patrol, "points": 10, "window_minutes": 5}]},
            {"offset_minutes": 5, "title": "嫌疑人逃入市场内部", "recipient_group": public_order,
             "message": "嫌疑人逃入市场内部水产区，派出所民警已到场。",
             "actions": [{"text": "封控市场出入口", "points": 20, "window_minutes": 10},
                         {"text": "启用柳岸小学分流点", "points": 10, "window_minutes": 15}]},
            {"offset_minutes": 12, "title": "伤员转运", "recipient_group": public_order,
             "message": "两名伤员需转运，望川医院已开通绿色通道。",
             "actions": [{"text": "引导救护车进出通道", "points": 10, "window_minutes": 10}]},
        ])


def _load_training(street, office, now):
    today = timezone.localdate(now)
    safety = services.create_course(node=street, title="应急疏散与初期火灾处置", hours=4,
                                           posts=[PersonKind.SECURITY, PersonKind.VOLUNTEER], certificate_months=24,
                                           description="疏散引导、灭火器和消火栓使用、初期火灾扑救。", user=office)
    patrol = services.create_course(node=street, title="平安志愿者巡防技能培训", hours=3,
                                           posts=[PersonKind.VOLUNTEER], certificate_months=12,
                                           description="巡逻要点、可疑情况识别、报告流程和自我保护。", user=office)
    reporting = services.create_course(node=street, title="网格员突发事件信息报送", hours=2,
                                              posts=[PersonKind.GRID_WORKER], certificate_months=12,
                                              description="九要素、首报续报终报的时限和口径。", user=office)
    past = services.create_session(node=street, user=office, course=safety, place="望川街道办事处三楼会议室",
                                   trainer="区消防救援支队 蒋雪梅", starts_at=now - timedelta(days=40, hours=2),
                                   ends_at=now - timedelta(days=40) + timedelta(hours=2))
    services.create_session(node=street, user=office, course=patrol, place="柳岸社区党群服务中心",
                            trainer="望川派出所 施晓东", starts_at=local_datetime(today + timedelta(days=5), "14:00"),
                            ends_at=local_datetime(today + timedelta(days=5), "17:00"))
    volunteers = list(Person.objects.filter(jurisdiction__path__startswith=street.path, kind=PersonKind.VOLUNTEER,
                                            active=True).order_by("pk"))
    for n, person in enumerate(volunteers[:8]):
        services.sign_in(past, user=office, person=person, method="manual", at=past.starts_at + timedelta(minutes=5))
        services.issue_certificate(person=person, course=safety, number=f"WC-AQ-{today.year - 1}-{n + 1:03d}",
                                   issued_on=timezone.localdate(past.ends_at), user=office)
    # Patrol-skills certificates: most valid, one expiring in 25 days, one expired 10 days ago.
    for n, person in enumerate(volunteers[:6]):
        issued = today - timedelta(days=340 if n == 0 else (375 if n == 1 else 100 + n * 10))
        services.issue_certificate(person=person, course=patrol, number=f"WC-XF-{issued.year}-{n + 1:03d}",
                                   issued_on=issued, user=office)
    grid_workers = list(Person.objects.filter(jurisdiction__path__startswith=street.path,
                                              kind=PersonKind.GRID_WORKER, active=True).order_by("pk"))
    for n, person in enumerate(grid_workers[: len(grid_workers) // 2]):
        services.issue_certificate(person=person, course=reporting, number=f"WC-XX-{today.year}-{n + 1:03d}",
                                   issued_on=today - timedelta(days=60), user=office)
    services.remind_certificates(now)


def _load_campaigns(street, office, now):
    year = timezone.localdate(now).year
    nodes = {n.code: n for n in Jurisdiction.objects.filter(code__startswith=STREET)}
    units = {u.name: u for u in Unit.objects.filter(name__in=["望川中学", "柳岸小学", "柳岸农贸市场", "云杉幼儿园"])}
    rows = [
        ("QL-WC-LA", "望川中学", CampaignKind.ASSEMBLY, "“平安校园”主题集会", 900, 45),
        ("QL-WC-LA", "柳岸小学", CampaignKind.CLASS_MEETING, "防火防震主题班会", 620, 30),
        ("QL-WC", None, CampaignKind.EDUCATION_DAY, "全国中小学生安全教育日宣传活动", 1500, 80),
        ("QL-WC-LA", "柳岸农贸市场", CampaignKind.LEAFLETS, "反诈防骗宣传单发放", 400, 20),
        ("QL-WC-YS", "云杉幼儿园", CampaignKind.BLACKBOARD, "幼儿园安全知识宣传栏", 260, 60),
        ("QL-WC-GX", None, CampaignKind.ONLINE, "燃气安全线上知识问答", 1200, 15),
        ("QL-WC-MH", None, CampaignKind.EDUCATION_WEEK, "防灾减灾宣传周", 2000, 120),
    ]
    made = []
    for code, unit, kind, title, audience, days_ago in rows:
        held = timezone.localdate(now) - timedelta(days=days_ago)
        made.append(services.create_campaign(node=nodes[code], user=office, title=title, kind=kind, held_on=held,
                                             audience=audience, unit=units.get(unit) if unit else None,
                                             description=f"{title}，参与{audience}人。"))
    services.add_campaign_photo(made[0], user=office, photo=_png((40, 110, 180)), caption="主题集会现场")
    services.add_campaign_photo(made[2], user=office, photo=_png((200, 120, 40)), caption="安全教育日展板")
    services.set_campaign_target(node=street, year=year, campaigns=24, audience=10000, user=office)
    for code in ("QL-WC-LA", "QL-WC-YS", "QL-WC-GX"):
        services.set_campaign_target(node=nodes[code], year=year, campaigns=4, audience=1500, user=office)


@transaction.atomic
def load(out=print):
    street = Jurisdiction.objects.filter(code=STREET).first()
    if street is None:
        out("Demo plans skipped: no demo street.")
        return False
    if Plan.objects.filter(jurisdiction=street).exists():
        out("Demo plans already loaded.")
        return False
    users = {u.username: u for u in get_user_model().objects.filter(username__in=["leader", "office"])}
    leader, office = users["leader"], users["office"]
    la = Jurisdiction.objects.get(code="QL-WC-LA")
    now = timezone.now().replace(second=0, microsecond=0)
    preset = Policy.objects.filter(code="school-prevention-plan-e").first()
    if preset is not None:
        assign(street, preset, priority=0)  # below B, C, D and A: only its drills section is the street's
    _load_plans(street, leader, office, now)
    # What the policy asked of the schools last month, then the drill 柳岸小学 held.
    last_month = timezone.localdate(now).replace(day=1) - timedelta(days=10)
    services.open_planned_drills(now=local_datetime(last_month, "08:00"))
    _school_drill(street, la, office, leader, now)
    services.open_planned_drills(now=now)
    _next_school_drill(la, office, now)
    _street_drill(street, office, now)
    _load_training(street, office, now)
    _load_campaigns(street, office, now)
    out(f"Demo plans, drills, training and campaigns loaded ({Drill.objects.count()} drills).")
    return True

