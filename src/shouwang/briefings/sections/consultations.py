"""会商事项落实: the daily consultations of the period and how their decisions are carried out."""

from ..choices import KIND_DECISION
from ..models import Consultation
from . import cell, joined, obligation_states, zh_day


def build(period):
    held = list(Consultation.objects.filter(jurisdiction__path__startswith=period.node.path, date__gte=period.start,
                                            date__lte=period.end).order_by("date"))
    s = obligation_states(period.counts(f"ob:{KIND_DECISION}:"), KIND_DECISION)
    if not (held or s["ended"] or s["pending"]):
        return None
    board = period.link("obligations:board", kind=KIND_DECISION, **period.dates())
    text = []
    if held:
        decided = sum(c.decisions.count() for c in held)
        text.append(f"本期召开每日情报信息会商{len(held)}次（{joined(zh_day(c.date) for c in held)}），形成决定事项{decided}项。")
    if s["ended"]:
        text.append(f"决定事项到期{s['ended']}项，按期落实{s['met']}项，逾期落实{s['met_late']}项，逾期未落实{s['missed']}项"
                    + (f"；另有{s['pending']}项尚未到期" if s["pending"] else "") + "。")
    elif s["pending"]:
        text.append(f"决定事项{s['pending']}项正在落实，尚未到期。")
    tables = []
    if s["ended"] or s["pending"]:
        tables.append({"title": "会商决定事项落实情况", "header": ["到期", "按期落实", "逾期落实", "逾期未落实", "尚未到期"],
                       "rows": [[cell(s["ended"], board), cell(s["met"], board and f"{board}&state=met"),
                                 cell(s["met_late"], board and f"{board}&state=met_late"),
                                 cell(s["missed"], board and f"{board}&state=missed"), s["pending"]]]})
    return {"text": text, "tables": tables, "charts": []}
