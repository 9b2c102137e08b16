"""The audit as a Chinese Word document an office prints (python-docx).

Title 责任倒查报告, the node, the period and the time it was made, a summary table by kind,
responsible unit and finding, the detail table, and lines for the reviewer's signature.
Every label goes through gettext and is rendered in Chinese whatever the page language.
"""

import io

from django.utils import timezone, translation
from django.utils.translation import gettext as _
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from .choices import Finding

FONT = "宋体"
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _chinese_font(style, size=None):
    style.font.name = FONT
    rpr = style.element.get_or_add_rPr()
    rpr.get_or_add_rFonts().set(qn("w:eastAsia"), FONT)
    if size:
        style.font.size = Pt(size)


def _fmt(dt):
    return timezone.localtime(dt).strftime("%Y-%m-%d %H:%M") if dt else ""


def _table(doc, header, rows, widths=None):
    table = doc.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        cell.text = ""
        cell.paragraphs[0].add_run(str(text)).bold = True
    for values in rows:
        cells = table.add_row().cells
        for cell, value in zip(cells, values, strict=True):
            cell.text = str(value)
    if widths:
        for row in table.rows:
            for cell, width in zip(row.cells, widths, strict=False):
                cell.width = Cm(width)
    return table


def detail_header():
    return [_("No."), _("Matter"), _("Category"), _("Responsible unit"), _("Responsible person"), _("Time limit"),
            _("Completed at"), _("Overdue by"), _("Finding"), _("Basis"), _("Change records")]


def detail_values(number, row):
    ob = row.obligation
    if row.finding == Finding.MISSED:
        completed = _("not done")
    elif row.finding == Finding.WAIVED:
        completed = ""
    else:
        completed = _fmt(ob.met_at)
    finding = str(row.finding_label)
    if row.finding == Finding.WAIVED:
        finding = _("waived (reason: %(reason)s; by %(who)s, %(when)s)") % {
            "reason": ob.waive_reason, "who": row.waived_by_name or "—", "when": _fmt(ob.waived_at)}
    changes = _("%(n)s entries") % {"n": len(row.changes)}
    if row.changes:
        changes += " (" + ", ".join(f"#{e.pk}" for e in row.changes[-5:]) + ")"
    return [number, ob.title, row.kind_label, row.unit_name or "—", row.person_name or "—", _fmt(ob.due_at),
            completed, row.lateness_text or "—", finding, row.basis or "—", changes]


def render(report) -> bytes:
    with translation.override("zh-hans"):
        return _render(report)


def _render(report) -> bytes:
    doc = Document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Cm(29.7), Cm(21.0)
    for side in ("left_margin", "right_margin"):
        setattr(section, side, Cm(1.8))
    _chinese_font(doc.styles["Normal"], 10.5)
    for name in ("Title", "Heading 1", "Heading 2"):
        _chinese_font(doc.styles[name])

    title = doc.add_paragraph(style="Title")
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.add_run(_("Accountability audit report"))
    meta = [
        (_("Node"), f"{report.node.name}（{report.node.code}）"),
        (_("Period"), _("%(since)s to %(until)s") % {"since": report.since.isoformat(), "until": report.until.isoformat()}),
        (_("Generated at"), _fmt(report.generated_at)),
    ]
    for label, value in meta:
        p = doc.add_paragraph()
        p.add_run(f"{label}：").bold = True
        p.add_run(value)
    totals = report.totals
    doc.add_paragraph(_("In this period %(total)s obligations were not met in time: %(late)s done late, %(missed)s not done, %(waived)s waived.") % {
        "total": len(report.rows), "late": totals[Finding.MET_LATE], "missed": totals[Finding.MISSED],
        "waived": totals[Finding.WAIVED]})

    doc.add_heading(_("Summary"), level=1)
    summary = [[line["kind"], line["unit"] or "—", line[Finding.MET_LATE], line[Finding.MISSED], line[Finding.WAIVED], line["total"]]
               for line in report.summary]
    summary.append([_("Total"), "", totals[Finding.MET_LATE], totals[Finding.MISSED], totals[Finding.WAIVED], len(report.rows)])
    _table(doc, [_("Category"), _("Responsible unit"), Finding.MET_LATE.label, Finding.MISSED.label, Finding.WAIVED.label, _("Total")], summary)

    doc.add_heading(_("Details"), level=1)
    if report.rows:
        _table(doc, detail_header(), [detail_values(i, row) for i, row in enumerate(report.rows, 1)],
               widths=[1.0, 4.2, 2.6, 2.6, 1.6, 2.3, 2.3, 1.8, 2.2, 3.2, 2.2])
    else:
        doc.add_paragraph(_("No late, missed or waived obligations in this period."))
    doc.add_paragraph(_("Change records: entries of the change log for the obligation and its subject; numbers are change-log entry ids."))

    doc.add_paragraph()
    sign = doc.add_paragraph()
    sign.add_run(_("Reviewer") + "：" + "_" * 16 + "　　　　" + _("Date") + "：" + "_" * 16)
    sign = doc.add_paragraph()
    sign.add_run(_("Prepared by") + "：" + "_" * 16 + "　　　　" + _("Date") + "：" + "_" * 16)

    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
