"""The plans part of the office's briefings (core.registry.BRIEFING_SECTIONS): drills held and
missed, corrective actions, training and awareness campaigns of the period, over the issuing
node's subtree, with a line per child node. Drills' exercise incidents and duties are never in
the real figures of any section; here drills are counted as drills."""

from datetime import timedelta

from django.db.models import Count, Sum

from shouwang.core.clock import local_datetime
from shouwang.obligations.choices import State
from shouwang.obligations.models import Obligation

from .choices import KIND_CORRECTIVE, KIND_DRILL, DrillState, ImprovementState
from .models import Attendance, Campaign, Drill, Improvement


def _span(period):
    return local_datetime(period.start), local_datetime(period.end + timedelta(days=1))


def figures(node, start, end, as_of):
    """The period's figures over `node`'s subtree (plain numbers)."""
    under = {"jurisdiction__path__startswith": node.path}
    held = Drill.objects.filter(**under, state=DrillState.ENDED, ended_at__gte=start, ended_at__lt=end)
    owed = Obligation.objects.real().under(node).of_kind(KIND_DRILL).due_between(start, end)
    campaigns = Campaign.objects.filter(**under, held_on__gte=start.date(), held_on__lt=end.date())
    agg = campaigns.aggregate(n=Count("pk"), people=Sum("audience"))
    return {
        "drills_held": held.count(),
        "drill_participants": held.aggregate(n=Sum("participants"))["n"] or 0,
        "drills_missed": owed.in_state(State.MISSED, as_of).count(),
        "corrective_open": Improvement.objects.filter(**under).exclude(state=ImprovementState.VERIFIED).count(),
        "corrective_overdue": Obligation.objects.real().under(node).of_kind(KIND_CORRECTIVE)
        .in_state(State.MISSED, as_of).count(),
        "attendances": Attendance.objects.filter(**under, signed_at__gte=start, signed_at__lt=end).count(),
        "campaigns": agg["n"] or 0,
        "audience": agg["people"] or 0,
    }


def section(period):
    """`BriefingSection.build`: Chinese sentences and a table per child node (None when the period
    had nothing of plans)."""
    start, end = _span(period)
    total = figures(period.node, start, end, period.as_of)
    if not any(total.values()):
        return None
    text = [f"本期开展应急演练{total['drills_held']}次，参演{total['drill_participants']}人次；"
            f"应开展未开展的演练{total['drills_missed']}项。",
            f"演练发现问题整改中{total['corrective_open']}项，其中逾期{total['corrective_overdue']}项。",
            f"参加培训{total['attendances']}人次；开展宣传活动{total['campaigns']}次，受众{total['audience']}人次。"]
    rows = []
    for child in period.children:
        got = figures(child, start, end, period.as_of)
        rows.append([child.name, got["drills_held"],
                     {"text": got["drills_missed"], "url": period.link("obligations:board", node=child, kind=KIND_DRILL,
                                                                       state=State.MISSED.value)},
                     got["corrective_open"], got["campaigns"], got["audience"]])
    tables = [{"title": "各辖区演练和宣传情况",
               "header": ["辖区", "开展演练", "未按时演练", "整改中", "宣传活动", "受众人次"], "rows": rows}] if rows else []
    return {"text": text, "tables": tables, "charts": []}
