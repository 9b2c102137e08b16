"""Demo daily reports: a week for the six communities, ending yesterday, and today's obligations;
then the office's briefings (yesterday's daily briefing issued, a 3-day one in draft), today's
consultation with its decisions, the street's wall screen, and the rollups brought up to date.

Today's obligations are opened and what is due by now has come in.
Seeded lapses for the accountability audit: 云杉社区 sent its evening report late twice and
枫林社区 missed one morning report. Past days are written with explicit times (no clock tricks).
"""

import random
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from shouwang.core.choices import UnitKind
from shouwang.core.clock import local_datetime
from shouwang.core.models import Jurisdiction, Person, Unit

from .choices import SLOT_OF_KIND
from .models import Briefing, DailyReport, WallScreen
from .services import (
    complete_decision,
    create_wall_screen,
    edit_briefing,
    generate_briefing,
    issue_briefing,
    open_briefing_obligations,
    open_daily_obligations,
    record_consultation,
    refresh_rollups,
    review_briefing,
    submit_report,
)

STREET_CODE = "QL-WC"
DAYS = 7
# (community code, days before today, slot) -> minutes after the deadline it came in
LATE = {("QL-WC-YS", 5, "evening"): 40, ("QL-WC-YS", 3, "evening"): 85}
MISSED = {("QL-WC-FL", 4, "morning")}
TODAY_MISSING = "QL-WC-YS"  # its reports due before the demo was loaded today are missing

SITUATIONS = [
    "辖区治安秩序平稳，重点部位巡查正常，未发现异常情况。",
    "辖区总体平稳；学校上下学时段门口值守到位。",
    "各网格巡查正常，农贸市场及周边秩序良好。",
    "辖区平稳，地铁站口及广场人流正常，巡防力量在岗。",
]
EVENTS = ["无", "无", "处置邻里纠纷1起，已调解。", "电动车违规充电隐患1处，已督促整改。"]
PROBLEMS = ["", "", "部分楼道堆物需物业清理。", "夜间巡逻志愿者人手偏紧。"]


def load(out=print):
    load_reports(out)
    load_office(out)


@transaction.atomic
def load_reports(out=print):
    street = Jurisdiction.objects.filter(code=STREET_CODE).first()
    if street is None:
        out("No demo street; daily reports skipped.")
        return
    if DailyReport.objects.filter(jurisdiction__path__startswith=street.path).exists():
        out("Demo daily reports already loaded.")
        return
    rng = random.Random(23)
    grid_user = get_user_model().objects.filter(username="grid").first()
    today = timezone.localdate()
    written = 0
    for back in range(DAYS, 0, -1):
        day = today - timedelta(days=back)
        for obligation in open_daily_obligations(day, under=street):
            node, slot = obligation.jurisdiction, SLOT_OF_KIND[obligation.kind]
            if (node.code, back, slot) in MISSED:
                continue
            late = LATE.get((node.code, back, slot))
            if late is not None:
                at = obligation.due_at + timedelta(minutes=late)
            else:
                window = int((obligation.due_at - obligation.opens_at).total_seconds() // 60)
                at = obligation.due_at - timedelta(minutes=rng.randint(5, max(window - 30, 6)))
            submit_report(
                jurisdiction=node, date=day, slot=slot, submitted_at=at,
                user=grid_user if grid_user is not None and node.code == "QL-WC-LA" else None,
                situation=rng.choice(SITUATIONS), events=rng.choice(EVENTS), problems=rng.choice(PROBLEMS),
                police_on_duty=rng.randint(1, 3), patrol_team_on_duty=rng.randint(4, 8),
                volunteers_on_duty=rng.randint(6, 20),
            )
            written += 1
    # Today: what is already due came in on time; of a window open now, half the communities have reported.
    now = timezone.now()
    opened = open_daily_obligations(today, under=street)
    for obligation in opened:
        if obligation.opens_at >= now or (obligation.due_at > now and obligation.jurisdiction_id % 2):
            continue
        if obligation.due_at <= now and obligation.jurisdiction.code == TODAY_MISSING:
            continue  # one community has not reported a slot already due: the table shows it missing
        latest = min(obligation.due_at, now) - obligation.opens_at
        at = obligation.opens_at + timedelta(seconds=rng.randint(0, max(int(latest.total_seconds()) - 60, 0)))
        submit_report(
            jurisdiction=obligation.jurisdiction, date=today, slot=SLOT_OF_KIND[obligation.kind], submitted_at=at,
            situation=rng.choice(SITUATIONS), events="无", problems="",
            police_on_duty=rng.randint(1, 3), patrol_team_on_duty=rng.randint(4, 8), volunteers_on_duty=rng.randint(6, 20),
        )
        written += 1
    out(f"Demo daily reports: {written} over {DAYS} days and today; {len(opened)} obligations open for today.")


DISTRIBUTION = "报：望川区委政法委、区应急管理局\n送：望川派出所、望川消防救援站\n发：各社区居委会"
ISSUER = "望川街道平安建设办公室"


@transaction.atomic
def load_office(out=print):
    """Yesterday's daily briefing reviewed and issued (第1期 of the year), the last three days' briefing
    in draft with its remark, today's consultation with two decisions (one done), the wall screen."""
    street = Jurisdiction.objects.filter(code=STREET_CODE).first()
    if street is None:
        return
    if Briefing.objects.filter(jurisdiction=street).exists():
        out("Demo briefings already made.")
        return
    users = {u.username: u for u in get_user_model().objects.filter(username__in=["leader", "office", "grid"])}
    office, leader = users.get("office"), users.get("leader")
    if office is None or leader is None:
        out("No demo office; briefings skipped.")
        return
    now = timezone.now()
    today = timezone.localdate(now)
    morning = min(now, local_datetime(today, "09:30"))  # the office issues yesterday's briefing before 10:00
    open_briefing_obligations(today, under=street)
    daily = generate_briefing(node=street, days=1, end=today - timedelta(days=1), user=office, issuer=ISSUER,
                              distribution=DISTRIBUTION, now=morning)
    edit_briefing(daily, user=office, title=daily.title, issuer=ISSUER, distribution=DISTRIBUTION,
                  remark="昨日辖区总体平稳。云杉社区晚报仍有迟报，请各社区严格落实早晚报时限；"
                         "明湖社区地铁站口客流较大，巡防力量要向站口倾斜。",
                  notes={"patrols": "地铁明湖站A口为必到点位，本周已有漏巡，明湖社区要专门说明原因。"})
    review_briefing(daily, user=leader, now=morning)
    daily = issue_briefing(daily, user=leader, now=morning)
    three = generate_briefing(node=street, days=3, end=today - timedelta(days=1), user=office, issuer=ISSUER,
                              distribution=DISTRIBUTION, remark="近三日各类风险总体可控。", now=morning)
    unit = Unit.objects.filter(jurisdiction__code="QL-WC-MH", kind=UnitKind.RESIDENTS_COMMITTEE).first()
    person = Person.objects.filter(user=users.get("grid")).first()
    consultation = record_consultation(
        node=street, date=today, user=office, briefing=daily, chaired_by="周振华", now=morning,
        attendees="周振华（街道分管领导）\n吴丽华（平安办）\n望川派出所值班民警\n各社区书记",
        items="昨日每日综合简报\n地铁明湖站早高峰客流\n云杉社区晚报迟报",
        analysis="辖区总体平稳；地铁明湖站早晚高峰客流持续偏大，需加强站口巡防；云杉社区报送时效需改进。",
        decisions=[d for d in (
            {"text": "明湖社区早晚高峰在地铁站口增派2名巡防队员", "responsible_unit": unit,
             "due_at": local_datetime(today + timedelta(days=1), "07:00")},
            {"text": "柳岸社区核查农贸市场东门监控是否恢复", "responsible_person": person,
             "due_at": morning + timedelta(hours=8)},
        ) if d.get("responsible_unit") or d.get("responsible_person")])
    checked = consultation.decisions.filter(responsible_person=person).first() if person is not None else None
    if checked is not None:  # the grid worker reports his done
        complete_decision(checked, user=users["grid"], note="已核查，东门监控已恢复", now=max(morning, now))
    screen = WallScreen.objects.filter(jurisdiction=street).first() or create_wall_screen(
        node=street, name="望川街道城运中心大屏", user=leader)
    rolled = refresh_rollups(now)
    out(f"Demo briefings: {daily.number_text} issued, a 3-day draft ({three.pk}), today's consultation with "
        f"{consultation.decisions.count()} decisions, the wall screen at /briefings/wall/open/{screen.token}/; "
        f"{rolled.rows} daily counts rolled up.")
