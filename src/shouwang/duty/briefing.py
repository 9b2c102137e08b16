"""Duty's part of the office's briefings (core.registry.BRIEFING_SECTIONS): the posture levels in
force during the period, the duty slots left unstaffed and the on-duty confirmations missed, the
handovers acknowledged late, and the swaps asked and refused. Chinese sentences and one table, as
plain JSON (frozen in the briefing); the figures link to their lists."""

from collections import Counter
from datetime import timedelta

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import override

from shouwang.core.clock import local_datetime
from shouwang.obligations.models import Obligation

from .choices import KIND_CONFIRM, KIND_HANDOVER, KIND_UNSTAFFED, SwapState
from .models import Posture, SwapRequest


def _day(moment):
    local = timezone.localtime(moment)
    return f"{local.month}月{local.day}日"


def section(period):
    """The part for `period` (briefings.period.Period: node, start, end, as_of, link, dates)."""
    node, start, end = period.node, period.start, period.end
    since, until = local_datetime(start), local_datetime(end + timedelta(days=1))
    with override("zh-hans"):
        postures = list(Posture.objects.filter(Q(jurisdiction__path__startswith=node.path) |
                                               Q(jurisdiction__in=node.ancestors()),
                                               starts_at__lt=until, ends_at__gt=since)
                        .select_related("jurisdiction").order_by("starts_at", "pk"))
        duties = (Obligation.objects.under(node).of_kind(KIND_UNSTAFFED, KIND_CONFIRM, KIND_HANDOVER)
                  .due_between(since, until).with_state(period.as_of).values_list("kind", "state_db"))
        states = Counter(duties)
        swaps = SwapRequest.objects.filter(jurisdiction__path__startswith=node.path, created_at__gte=since,
                                           created_at__lt=until)
        asked, refused = swaps.count(), swaps.filter(state=SwapState.REFUSED).count()
        if not postures and not sum(states.values()) and not asked:
            return None
        text = []
        if postures:
            text.append("本期防控等级调整：" + "；".join(
                f"{p.jurisdiction.name}{_day(p.starts_at)}至{_day(p.ends_at - timedelta(seconds=1))}"
                f"{p.get_level_display()}（{p.reason}）" for p in postures) + "。")
        unstaffed = sum(n for (kind, state), n in states.items() if kind == KIND_UNSTAFFED)
        missed_unstaffed = states[(KIND_UNSTAFFED, "missed")]
        confirm_missed = states[(KIND_CONFIRM, "missed")]
        confirm_total = sum(n for (kind, _s), n in states.items() if kind == KIND_CONFIRM)
        text.append(f"值班到岗确认{confirm_total}次，未确认{confirm_missed}次；班次开始前24小时仍缺人{unstaffed}次，"
                    f"开班时仍未补齐{missed_unstaffed}次。")
        if asked:
            text.append(f"调班申请{asked}件，因违反休息、班次等规则未准{refused}件。")
        def missed(kind, n):
            return {"text": n, "url": period.link("obligations:board", kind=kind, state="missed", **period.dates())}

        rows = [
            ["到岗确认", confirm_total, missed(KIND_CONFIRM, confirm_missed)],
            ["缺岗（开班前24小时）", unstaffed, missed(KIND_UNSTAFFED, missed_unstaffed)],
            ["交接班确认", sum(n for (kind, _s), n in states.items() if kind == KIND_HANDOVER),
             missed(KIND_HANDOVER, states[(KIND_HANDOVER, "missed")])],
        ]
        return {"text": text, "tables": [{"title": "值班履职情况", "header": ["事项", "次数", "未按时"], "rows": rows}],
                "charts": []}
