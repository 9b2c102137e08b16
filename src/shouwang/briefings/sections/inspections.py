"""隐患排查整改: hazards found and rectified in the period, and those open and overdue at the data time."""

from shouwang.inspections.choices import KIND_RECTIFY
from shouwang.inspections.models import RectificationOrder
from shouwang.inspections.queries import open_counts

from . import cell, obligation_states

SEVERITY_WORD = {"general": "一般", "serious": "较大", "urgent": "紧急", "major": "重大", "note": "观察项"}
SHOWN = ("major", "urgent", "serious", "general")


def _orders(period, node=None, **filters):
    return period.link("inspections:rectificationorder_list", node=node, **filters)


def _found(period, node=None, **filters):
    return _orders(period, node, found_after=period.start.isoformat(), found_before=period.end.isoformat(), **filters)


def build(period):
    found = {key.split(":", 1)[1]: n for key, n in period.counts("finding:").items()}
    closed = period.counts("order:closed").get("order:closed", 0)
    found_total = sum(n for severity, n in found.items() if severity != "note")
    now = open_counts(RectificationOrder.objects.filter(jurisdiction__path__startswith=period.node.path), now=period.as_of)
    deadlines = obligation_states(period.counts(f"ob:{KIND_RECTIFY}:"), KIND_RECTIFY)
    if not (found_total or closed or now["total"] or deadlines["ended"]):
        return None
    text = []
    if found_total:
        parts = "、".join(f"{SEVERITY_WORD[s]}{found[s]}处" for s in SHOWN if found.get(s))
        text.append(f"本期排查发现隐患{found_total}处，其中{parts}；整改验收销号{closed}处。")
    else:
        text.append(f"本期未发现新的隐患；整改验收销号{closed}处。")
    if deadlines["ended"]:
        text.append(f"整改期限到期{deadlines['ended']}项，按期整改{deadlines['met']}项，逾期整改{deadlines['met_late']}项，"
                    f"逾期未整改{deadlines['missed']}项。")
    text.append(f"截至数据时间，未销号隐患{now['total']}处，其中逾期{now['overdue']}处、挂牌督办{now['supervised']}处、"
                f"待复查{now['reported']}处。")
    tables, charts = [], []
    per_child = period.per_child("finding:", "order:closed")
    open_by_child = {}
    for child in period.children:
        row = open_counts(RectificationOrder.objects.filter(jurisdiction__path__startswith=child.path), now=period.as_of)
        if row["total"]:
            open_by_child[child.pk] = row
    children = [c for c in period.children if per_child.get(c.pk) or c.pk in open_by_child]
    if children:
        rows = []
        for child in children:
            counts = per_child.get(child.pk, {})
            new = sum(n for k, n in counts.items() if k.startswith("finding:") and k != "finding:note")
            row = open_by_child.get(child.pk, {"total": 0, "overdue": 0})
            rows.append([child.name, cell(new, _found(period, child)),
                         cell(counts.get("order:closed", 0), _orders(period, child, closed_after=period.start.isoformat(),
                                                                     closed_before=period.end.isoformat())),
                         cell(row["total"], _orders(period, child, open="true")), row["overdue"]])
        rows.append(["合计", cell(found_total, _found(period)),
                     cell(closed, _orders(period, closed_after=period.start.isoformat(), closed_before=period.end.isoformat())),
                     cell(now["total"], _orders(period, open="true")), now["overdue"]])
        tables.append({"title": "各社区隐患排查整改情况", "header": ["社区", "新发现", "销号", "未销号", "其中逾期"], "rows": rows})
        charts.append({"title": "各社区隐患排查整改情况", "kind": "bar", "labels": [c.name for c in children],
                       "series": [{"name": "新发现", "data": [r[1]["text"] if isinstance(r[1], dict) else r[1] for r in rows[:-1]],
                                   "state": "open"},
                                  {"name": "销号", "data": [r[2]["text"] if isinstance(r[2], dict) else r[2] for r in rows[:-1]],
                                   "state": "met"},
                                  {"name": "逾期未销号", "data": [r[4] for r in rows[:-1]], "state": "missed"}]})
    return {"text": text, "tables": tables, "charts": charts}

