"""突发事件: incidents received by class, category and level, and their clocks met and missed.

Incidents are read through `incidents.queries.counted_incidents` (the rollups too): a drill or an
unconfirmed draft never counts."""

from collections import defaultdict

from shouwang.incidents import queries as incident_queries
from shouwang.incidents.choices import CATEGORY_MAP, Category, IncidentClass, IncidentLevel, Status
from shouwang.obligations import kinds as obligation_kinds

from . import cell, joined, obligation_states, pct

LEVELS = [level.value for level in IncidentLevel]
LEVEL_WORD = {"I": "特别重大", "II": "重大", "III": "较大", "IV": "一般"}


def _received(period):
    """{(category, level): n} over the period."""
    out = defaultdict(int)
    for kind, n in period.counts("incident:").items():
        _head, category, level = kind.split(":", 2)
        out[(category, level)] += n
    return out


def _list(period, node=None, **filters):
    return period.link("incidents:incident_list", node=node, received_after=period.start.isoformat(),
                       received_before=period.end.isoformat(), **filters)


def _board(period, kind, state=None, node=None):
    return period.link("obligations:board", node=node, kind=kind, state=state, **period.dates())


def build(period):
    received = _received(period)
    total = sum(received.values())
    by_level = {level: sum(n for (_c, lv), n in received.items() if lv == level) for level in LEVELS}
    by_class = defaultdict(int)
    for (category, _level), n in received.items():
        by_class[CATEGORY_MAP[category][0] if category in CATEGORY_MAP else ""] += n
    text = []
    if total:
        levels = "、".join(f"{LEVEL_WORD[lv]}{n}起" for lv, n in by_level.items() if n)
        classes = "、".join(f"{IncidentClass(c).label}{n}起" for c, n in sorted(by_class.items(), key=lambda kv: -kv[1])
                           if c in IncidentClass.values and n)
        text.append(f"本期共接报突发事件{total}起，其中{levels}；按类别分，{classes}。")
    else:
        text.append("本期未接报突发事件。")
    still_open = incident_queries.counted_incidents().filter(jurisdiction__path__startswith=period.node.path, status=Status.OPEN,
                                            received_at__lt=period.end_at)
    open_now = list(still_open.order_by("level", "received_at").values_list("number", "title")[:6])
    if open_now:
        count = still_open.count()
        text.append(f"截至数据时间，仍在处置的事件{count}起：{joined((f'{t}（{n}）' for n, t in open_now), 5)}。")

    clock_counts = period.counts("ob:incidents.")
    clock_kinds = sorted({key.split(":")[1] for key in clock_counts})
    clocks = obligation_states(clock_counts, clock_kinds)
    if clocks["ended"] or clocks["pending"]:
        sentence = (f"报告、到场等时限要求到期{clocks['ended']}项，按时完成{clocks['met']}项，"
                    f"超时完成{clocks['met_late']}项，超时未完成{clocks['missed']}项")
        if clocks["waived"]:
            sentence += f"，免除{clocks['waived']}项"
        sentence += f"，按时率{pct(clocks['met'], clocks['ended'] - clocks['waived'])}"
        if clocks["pending"]:
            sentence += f"；另有{clocks['pending']}项尚未到期"
        text.append(sentence + "。")

    tables, charts = [], []
    if total:
        rows = []
        for category in Category.values:
            counts = [received.get((category, lv), 0) for lv in LEVELS]
            if not sum(counts):
                continue
            klass = CATEGORY_MAP[category][0]
            rows.append([str(IncidentClass(klass).label), str(Category(category).label),
                         *[cell(n, _list(period, category=category, level=lv)) for n, lv in zip(counts, LEVELS, strict=True)],
                         cell(sum(counts), _list(period, category=category))])
        rows.append(["合计", "", *[cell(by_level[lv], _list(period, level=lv)) for lv in LEVELS],
                     cell(total, _list(period))])
        tables.append({"title": "接报突发事件（按类别和等级）",
                       "header": ["类别", "类型", *[f"{LEVEL_WORD[lv]}（{lv}级）" for lv in LEVELS], "合计"],
                       "rows": rows})
    if clock_kinds:
        rows = []
        for kind in clock_kinds:
            s = obligation_states(clock_counts, kind)
            rows.append([str(obligation_kinds.label(kind)), cell(s["ended"] + s["pending"], _board(period, kind)),
                         cell(s["met"], _board(period, kind, "met")), cell(s["met_late"], _board(period, kind, "met_late")),
                         cell(s["missed"], _board(period, kind, "missed")), s["pending"]])
        tables.append({"title": "事件处置时限", "header": ["时限要求", "合计", "按时", "超时完成", "超时未完成", "尚未到期"],
                       "rows": rows})
    if total and period.children:
        per_child = period.per_child("incident:")
        labels = [child.name for child in period.children]
        series = []
        for lv in LEVELS:
            data = [sum(n for k, n in per_child.get(child.pk, {}).items() if k.endswith(f":{lv}")) for child in period.children]
            if any(data):
                series.append({"name": f"{LEVEL_WORD[lv]}", "data": data, "state": f"level-{lv}"})
        if series:
            charts.append({"title": "各地接报突发事件", "kind": "bar", "labels": labels, "series": series, "stacked": True})
    if total and period.length > 1:
        per_day = period.per_day("incident:")
        data = [sum(values[i] for values in per_day.values()) for i in range(period.length)]
        charts.append({"title": "每日接报突发事件", "kind": "bar", "labels": [d.strftime("%m-%d") for d in period.days],
                       "series": [{"name": "接报", "data": data, "state": "open"}]})
    return {"text": text, "tables": tables, "charts": charts}
