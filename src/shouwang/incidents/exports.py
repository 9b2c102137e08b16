"""Word exports (Chinese official layout) and the incident status summary (ICS 209 required blocks)."""

from django.utils import timezone

from shouwang.core.documents import (
    add_signature,
    add_table,
    add_title,
    docx_bytes,
    new_document,
    zh_datetime,
)

from .choices import LogKind, ReportKind

# The nine elements with their Chinese headings as used in official reports.
ELEMENT_HEADINGS = [
    ("time", "一、时间"), ("place", "二、地点"), ("scale", "三、规模"), ("casualties", "四、伤亡情况"),
    ("cause", "五、原因"), ("assessment", "六、态势研判"), ("measures", "七、已采取的措施"),
    ("progress", "八、处置进展"), ("other", "九、其他"),
]
KIND_TITLES = {ReportKind.FIRST: "首报", ReportKind.WRITTEN: "书面报告", ReportKind.FOLLOW_UP: "续报",
               ReportKind.FINAL: "终报"}
LEVEL_NAMES = {"I": "Ⅰ级（特别重大）", "II": "Ⅱ级（重大）", "III": "Ⅲ级（较大）", "IV": "Ⅳ级（一般）"}


def element_text(report, key):
    if key == "time":
        return zh_datetime(report.event_time)
    if key == "casualties":
        if not report.has_element("casualties"):
            return ""
        return f"死亡{report.dead}人，重伤{report.seriously_injured}人，轻伤{report.lightly_injured}人"
    return getattr(report, key) or ""


def _document():
    return new_document(size_pt=14)


def report_docx(report) -> bytes:
    """A written, follow-up or final report as a Chinese Word document."""
    incident = report.incident
    doc = _document()
    add_title(doc, f"关于{incident.title}的{KIND_TITLES.get(report.kind, '报告')}")
    doc.add_paragraph(f"编号：{incident.number}")
    doc.add_paragraph(f"报送单位：{incident.jurisdiction.name}")
    doc.add_paragraph(f"报送对象：{report.reported_to}")
    doc.add_paragraph(f"报送时间：{zh_datetime(report.reported_at)}")
    doc.add_paragraph(f"事件类别：{incident.get_category_display()}　事件级别：{LEVEL_NAMES.get(incident.level, '')}")
    for key, heading in ELEMENT_HEADINGS:
        p = doc.add_paragraph()
        p.add_run(heading).bold = True
        doc.add_paragraph(element_text(report, key) or "（待续报）")
    if report.content:
        doc.add_paragraph(report.content)
    doc.add_paragraph()
    add_signature(doc, f"签发人：{report.issuer}")
    add_signature(doc, f"报告人：{report.reported_by}")
    return docx_bytes(doc)


def summary(incident, now=None):
    """The ICS 209 required blocks, filled from the incident."""
    now = now or timezone.now()
    reports = list(incident.reports.all())
    if any(r.kind == ReportKind.FINAL for r in reports) or incident.closed_at:
        version = "final"
    elif any(r.kind in (ReportKind.WRITTEN, ReportKind.FOLLOW_UP) for r in reports):
        version = "update"
    else:
        version = "initial"
    latest = reports[-1] if reports else None
    events = [e for e in incident.log.all() if e.kind != LogKind.NOTIFICATION]
    return {
        "name": incident.title,
        "number": incident.number,
        "version": version,
        "version_number": len(reports) + 1 if version != "final" else len(reports),
        "commander": incident.commander or (incident.handovers.last().to_commander if incident.handovers.exists() else ""),
        "start": incident.happened_at or incident.received_at,
        "definition": f"{incident.get_incident_class_display()} · {incident.get_category_display()} · "
                      f"{incident.get_level_display()}" + (f" · {incident.description}" if incident.description else ""),
        "period_from": incident.received_at,
        "period_to": incident.closed_at or now,
        "location": incident.place,
        "lat": incident.lat, "lon": incident.lon,
        "node": incident.jurisdiction.name,
        "casualties": element_text(latest, "casualties") if latest else "",
        "events": events,
    }


VERSION_NAMES = {"initial": "首次", "update": "更新", "final": "最终"}


def summary_docx(incident) -> bytes:
    data = summary(incident)
    doc = _document()
    add_title(doc, ("【演练】" if incident.is_drill else "") + "突发事件情况汇总表")
    rows = [
        ("1. 事件名称", data["name"]), ("2. 事件编号", data["number"]),
        ("3. 报告版本", f"{VERSION_NAMES[data['version']]}（第{data['version_number']}版）"),
        ("4. 现场指挥", data["commander"]), ("5. 开始时间", zh_datetime(data["start"])),
        ("6. 事件定性", data["definition"]),
        ("7. 报告时段", f"{zh_datetime(data['period_from'])} 至 {zh_datetime(data['period_to'])}"),
        ("8. 地点", f"{data['node']} {data['location']}"), ("伤亡", data["casualties"]),
    ]
    add_table(doc, None, [(label, value or "") for label, value in rows])
    doc.add_paragraph()
    doc.add_paragraph().add_run("9. 重要事项").bold = True
    for e in data["events"]:
        doc.add_paragraph(f"{zh_datetime(e.at)}　{e.text}")
    return docx_bytes(doc)
