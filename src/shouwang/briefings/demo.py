"""Demo daily reports: a week for the six communities, ending yesterday, and today's obligations.

Today's obligations are opened and what is due by now has come in.
Seeded lapses for the accountability audit: 云杉社区 sent its evening report late twice and
枫林社区 missed one morning report. Past days are written with explicit times (no clock tricks).
"""

import random
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from shouwang.core.models import Jurisdiction

from .choices import SLOT_OF_KIND
from .models import DailyReport
from .services import open_daily_obligations, submit_report

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


@transaction.atomic
def load(out=print):
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
