"""每日报送: the communities' morning and evening reports on time, late and missing."""

from django.utils import timezone

from shouwang.obligations.formats import format_duration
from shouwang.obligations.models import Obligation

from ..choices import KIND_OF_SLOT, SLOT_OF_KIND
from . import cell, joined, obligation_states, pct, zh_day

KINDS = tuple(KIND_OF_SLOT.values())
SLOT_WORD = {"morning": "早报", "evening": "晚报"}


def _board(period, state=None, node=None):
    return period.link("obligations:board", node=node, kind=",".join(KINDS), state=state, **period.dates())


def _named(period, state):
    """The reports of the period in this state, as "枫林社区11月19日早报" (a few dozen rows at most)."""
    rows = (Obligation.objects.under(period.node).of_kind(*KINDS).due_between(period.start_at, period.end_at)
            .in_state(state, now=period.as_of).select_related("jurisdiction").order_by("due_at", "jurisdiction__path"))
    out = []
    for ob in rows[:40]:
        name = f"{ob.jurisdiction.name}{zh_day(timezone.localdate(ob.due_at))}{SLOT_WORD.get(SLOT_OF_KIND[ob.kind], '')}"
        if state == "met_late" and ob.lateness(period.as_of):
            name += f"（迟{format_duration(ob.lateness(period.as_of)).replace(' ', '')}）"
        out.append(name)
    return out


def build(period):
    counts = period.counts(*(f"ob:{kind}:" for kind in KINDS))
    s = obligation_states(counts, KINDS)
    if not (s["ended"] or s["pending"]):
        return None
    counted = s["ended"] - s["waived"]
    text = [f"本期各社区应报送每日早晚报{s['ended']}份，按时{s['met']}份，迟报{s['met_late']}份，漏报{s['missed']}份"
            + (f"，免报{s['waived']}份" if s["waived"] else "") + f"，按时报送率{pct(s['met'], counted)}"
            + (f"；另有{s['pending']}份尚未到报送时限" if s["pending"] else "") + "。"]
    if s["missed"]:
        text.append(f"漏报：{joined(_named(period, 'missed'))}。")
    if s["met_late"]:
        text.append(f"迟报：{joined(_named(period, 'met_late'))}。")
    tables, charts = [], []
    per_child = period.per_child(*(f"ob:{kind}:" for kind in KINDS))
    children = [child for child in period.children if per_child.get(child.pk)]
    if children:
        rows, series = [], {"met": [], "met_late": [], "missed": []}
        for child in children:
            c = obligation_states(per_child[child.pk], KINDS)
            rows.append([child.name, cell(c["ended"] + c["pending"], _board(period, node=child)),
                         cell(c["met"], _board(period, "met", child)), cell(c["met_late"], _board(period, "met_late", child)),
                         cell(c["missed"], _board(period, "missed", child)), c["pending"],
                         pct(c["met"], c["ended"] - c["waived"])])
            for state in series:
                series[state].append(c[state])
        rows.append(["合计", cell(s["ended"] + s["pending"], _board(period)), cell(s["met"], _board(period, "met")),
                     cell(s["met_late"], _board(period, "met_late")), cell(s["missed"], _board(period, "missed")),
                     s["pending"], pct(s["met"], counted)])
        tables.append({"title": "各社区每日报送情况",
                       "header": ["社区", "应报", "按时", "迟报", "漏报", "未到时限", "按时率"],
                       "rows": rows})
        charts.append({"title": "各社区每日报送情况", "kind": "bar", "labels": [c.name for c in children], "stacked": True,
                       "series": [{"name": "按时", "data": series["met"], "state": "met"},
                                  {"name": "迟报", "data": series["met_late"], "state": "late"},
                                  {"name": "漏报", "data": series["missed"], "state": "missed"}]})
    return {"text": text, "tables": tables, "charts": charts}
