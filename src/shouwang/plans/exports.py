"""The drill's after-action report (演练总结评估报告) as a Chinese Word document on A4, marked 【演练】:
objectives, the timeline of injects and responses, the reporting clocks met and missed, the
scores, the evacuation time against its target, strengths and areas for improvement with their
corrective actions."""

from datetime import datetime

from django.utils import timezone
from django.utils.translation import override

from shouwang.core.documents import (
    add_signature,
    add_table,
    add_title,
    docx_bytes,
    new_document,
    zh_datetime,
)

from . import queries
from .choices import DRILL_MARK

STATES_ZH = {"met": "按时完成", "met_late": "超时完成", "missed": "未完成", "waived": "已免除", "open": "进行中",
             "unfinished": "演练结束时未完成",
             "due_soon": "即将到期", "upcoming": "未开始"}
RATINGS_ZH = {"P": "P 顺利完成", "S": "S 基本完成（存在一些问题）", "M": "M 勉强完成（存在重大问题）", "U": "U 未能完成"}


def _minutes(seconds):
    minutes, rest = divmod(int(seconds), 60)
    return f"{minutes}分{rest:02d}秒"


def report_filename(drill):
    day = timezone.localtime(drill.started_at or drill.scheduled_at)
    return f"演练评估报告-{day:%Y%m%d}-{drill.pk}"


def after_action_docx(drill) -> bytes:
    with override("zh-hans"):  # an official export: Chinese whoever asks
        return _after_action_docx(drill)


def _after_action_docx(drill) -> bytes:
    rows = queries.timeline(drill)
    totals = queries.scores(rows)
    doc = new_document(size_pt=12)
    add_title(doc, f"{DRILL_MARK}{drill.title}")
    add_title(doc, "演练总结评估报告", size_pt=16)
    facts = [
        ("演练类型", drill.get_kind_display()), ("组织单位", drill.jurisdiction.name),
        ("参演单位", drill.unit.name if drill.unit_id else ""),
        ("检验预案", str(drill.plan_version) if drill.plan_version_id else (str(drill.plan) if drill.plan_id else "")),
        ("开始时间", zh_datetime(drill.started_at) if drill.started_at else "未开始"),
        ("结束时间", zh_datetime(drill.ended_at) if drill.ended_at else "未结束"),
        ("模拟事件", f"{queries.category_terms().get(drill.category, drill.category)}　{drill.get_level_display()}　"
                     f"{drill.address}"),
        ("参演人数", f"{drill.participants}人" if drill.participants else ""),
    ]
    add_table(doc, None, [(k, v) for k, v in facts if v])
    doc.add_paragraph().add_run("一、演练目标").bold = True
    doc.add_paragraph(drill.objectives or "（未填写）")
    if drill.scenario:
        doc.add_paragraph().add_run("二、情景设置").bold = True
        doc.add_paragraph(drill.scenario)
    doc.add_paragraph().add_run("三、注入事件与处置过程").bold = True
    timeline = []
    for row in rows:
        inject = row.inject
        when = zh_datetime(inject.delivered_at) if inject.delivered_at else inject.get_state_display()
        timeline.append((f"+{inject.offset_minutes}分", inject.title, when, "", ""))
        for item in row.actions:
            action = item.action
            done = zh_datetime(action.done_at) if action.done_at else "未完成"
            judged = "时限内" if item.scored.in_window else ("超时" if item.scored.done else "未完成")
            timeline.append(("", f"预期行动：{action.text}", done, judged, f"{item.scored.earned:g}/{item.scored.points}"))
    if timeline:
        add_table(doc, ["时间点", "注入事件／预期行动", "下达／完成时间", "时限", "得分"], timeline, size_pt=10)
    else:
        doc.add_paragraph("（无注入事件）")
    doc.add_paragraph().add_run("四、报告时限执行情况").bold = True
    if drill.clocks:
        add_table(doc, ["时限", "应完成时间", "完成时间", "结果"],
                  [(c["label"], zh_datetime(_parse(c["due_at"])), zh_datetime(_parse(c["met_at"])) if c["met_at"] else "",
                    STATES_ZH.get(c["state"], c["state"])) for c in drill.clocks], size_pt=10)
        summary = queries.clock_summary(drill.clocks)
        doc.add_paragraph(f"共{summary['total']}项时限，按时完成{summary['met']}项，超时完成{summary['late']}项，"
                          f"未完成{summary['missed']}项。")
    else:
        doc.add_paragraph("（演练结束时无已开始的报告时限）")
    doc.add_paragraph().add_run("五、评分").bold = True
    if totals["possible"]:
        doc.add_paragraph(f"预期行动{totals['count']}项，完成{totals['done']}项（时限内{totals['in_window']}项）；"
                          f"得分{totals['earned']:g}分，满分{totals['possible']}分（{totals['percent']}%）。")
    evaluations = [(item.action.text, RATINGS_ZH.get(e.rating, e.rating), e.observation)
                   for row in rows for item in row.actions for e in item.evaluations]
    if evaluations:
        add_table(doc, ["预期行动", "评估等级", "观察记录"], evaluations, size_pt=10)
    if drill.evacuation_signal_at:
        doc.add_paragraph().add_run("六、疏散用时").bold = True
        seconds = drill.evacuation_seconds
        text = f"发出疏散信号：{zh_datetime(drill.evacuation_signal_at)}；"
        text += f"全部到达安全区域：{zh_datetime(drill.all_clear_at)}；用时{_minutes(seconds)}。" if seconds is not None \
            else "未记录疏散完毕时间。"
        if drill.target_seconds:
            verdict = "达到" if drill.evacuation_met else "未达到"
            text += f"目标{_minutes(drill.target_seconds)}（{drill.target_basis}），{verdict}要求。"
        doc.add_paragraph(text)
    doc.add_paragraph().add_run("七、经验与做法").bold = True
    doc.add_paragraph(drill.strengths or "（未填写）")
    doc.add_paragraph().add_run("八、存在问题及整改措施").bold = True
    improvements = list(drill.improvements.select_related("owner").order_by("deadline", "pk"))
    if improvements:
        add_table(doc, ["存在问题", "整改措施", "责任人", "完成时限", "状态"],
                  [(i.area, i.action, i.owner.name, zh_datetime(i.deadline), i.get_state_display())
                   for i in improvements], size_pt=10)
    else:
        doc.add_paragraph("（无）")
    doc.add_paragraph()
    add_signature(doc, f"{drill.jurisdiction.name}")
    add_signature(doc, zh_datetime(drill.reported_at or timezone.now()).split(" ")[0])
    return docx_bytes(doc)


def _parse(value):
    return datetime.fromisoformat(value) if isinstance(value, str) else value
