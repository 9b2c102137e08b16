"""巡逻防控: patrol check-in windows met and missed, check-ins, and the coverage gaps of the node."""

from shouwang.patrols.choices import KIND_CHECKIN
from shouwang.patrols.queries import coverage

from . import cell, joined, obligation_states, pct

PREFIX = f"ob:{KIND_CHECKIN}:"


def _board(period, state=None, node=None):
    return period.link("obligations:board", node=node, kind=KIND_CHECKIN, state=state, **period.dates())


def _checkins(period, node=None, status=None):
    return period.link("patrols:checkin_list", node=node, status=status, since=period.start_at.isoformat(),
                       until=period.end_at.isoformat())


def build(period):
    s = obligation_states(period.counts(PREFIX), KIND_CHECKIN)
    checkins = period.counts("checkin")
    gaps = coverage(period.node, now=period.as_of)
    if not (s["ended"] or s["pending"] or checkins or gaps.problems):
        return None
    text = []
    if s["ended"] or s["pending"]:
        text.append(f"本期巡逻点位打卡任务到期{s['ended']}个，按时完成{s['met']}个，超时完成{s['met_late']}个，"
                    f"未完成{s['missed']}个，完成率{pct(s['met'] + s['met_late'], s['ended'] - s['waived'])}；"
                    f"巡逻队员共打卡{checkins.get('checkin', 0)}次"
                    + (f"，其中存疑待核实{checkins['checkin:flagged']}次" if checkins.get("checkin:flagged") else "") + "。")
    gap_text = []
    if gaps.few_routes:
        gap_text.append(f"巡逻路线不足{gaps.min_routes}条的重点部位{len(gaps.few_routes)}处"
                        f"（{joined((p.name for p, _n in gaps.few_routes), 5)}）")
    if gaps.no_night:
        gap_text.append(f"夜间无交叉巡逻的基础设施{len(gaps.no_night)}处（{joined((p.name for p in gaps.no_night), 5)}）")
    if gaps.missed_must_visit:
        gap_text.append(f"本周必到点位漏巡{sum(n for _c, n in gaps.missed_must_visit)}点次"
                        f"（{joined((c.name for c, _n in gaps.missed_must_visit), 5)}）")
    text.append(("截至数据时间，巡逻覆盖缺口：" + "；".join(gap_text) + "。") if gap_text else "截至数据时间，巡逻覆盖无缺口。")

    tables, charts = [], []
    per_child = period.per_child(PREFIX, "checkin")
    children = [child for child in period.children if per_child.get(child.pk)]
    if children:
        rows = []
        for child in children:
            c = obligation_states(per_child[child.pk], KIND_CHECKIN)
            rows.append([child.name, cell(c["ended"] + c["pending"], _board(period, node=child)),
                         cell(c["met"], _board(period, "met", child)), cell(c["met_late"], _board(period, "met_late", child)),
                         cell(c["missed"], _board(period, "missed", child)), c["pending"],
                         pct(c["met"] + c["met_late"], c["ended"] - c["waived"]),
                         cell(per_child[child.pk].get("checkin", 0), _checkins(period, child))])
        rows.append(["合计", cell(s["ended"] + s["pending"], _board(period)), cell(s["met"], _board(period, "met")),
                     cell(s["met_late"], _board(period, "met_late")), cell(s["missed"], _board(period, "missed")),
                     s["pending"], pct(s["met"] + s["met_late"], s["ended"] - s["waived"]),
                     cell(checkins.get("checkin", 0), _checkins(period))])
        tables.append({"title": "各社区巡逻打卡情况",
                       "header": ["社区", "打卡任务", "按时", "超时完成", "未完成", "未到期", "完成率", "打卡次数"], "rows": rows})
    if s["ended"] and period.length > 1:
        per_day = period.per_day(PREFIX)
        rate = []
        for i in range(period.length):
            done = per_day.get(f"{PREFIX}met", [0] * period.length)[i] + per_day.get(f"{PREFIX}met_late", [0] * period.length)[i]
            due = done + per_day.get(f"{PREFIX}missed", [0] * period.length)[i]
            rate.append(round(done * 100 / due, 1) if due else 0)
        charts.append({"title": "每日巡逻打卡完成率（%）", "kind": "line", "labels": [d.strftime("%m-%d") for d in period.days],
                       "series": [{"name": "完成率", "data": rate, "state": "met"}]})
    elif children:
        charts.append({"title": "各社区巡逻打卡情况", "kind": "bar", "labels": [c.name for c in children], "stacked": True,
                       "series": [{"name": name, "data": [obligation_states(per_child[c.pk], KIND_CHECKIN)[state]
                                                          for c in children], "state": colour}
                                  for name, state, colour in (("按时", "met", "met"), ("超时完成", "met_late", "late"),
                                                              ("未完成", "missed", "missed"))]})
    return {"text": text, "tables": tables, "charts": charts}

