"""The audit as a Chinese Word document an office prints (python-docx).

Title 责任倒查报告, the node, the period and the time it was made, a summary table by kind,
responsible unit and finding, the detail table, and lines for the reviewer's signature.
Every label goes through gettext and is rendered in Chinese whatever the page language.
"""

from django.utils import translation
from django.utils.translation import gettext as _

from shouwang.core.documents import add_table, add_title, docx_bytes, new_document, zh_datetime

from .choices import Finding


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
        completed = zh_datetime(ob.met_at)
    finding = str(row.finding_label)
    if row.finding == Finding.WAIVED:
        finding = _("waived (reason: %(reason)s; by %(who)s, %(when)s)") % {
            "reason": ob.waive_reason, "who": row.waived_by_name or "—", "when": zh_datetime(ob.waived_at)}
    changes = _("%(n)s entries") % {"n": len(row.changes)}
    if row.changes:
        changes += " (" + ", ".join(f"#{e.pk}" for e in row.changes[-5:]) + ")"
    return [number, ob.title, row.kind_label, row.unit_name or "—", row.person_name or "—", zh_datetime(ob.due_at),
            completed, row.lateness_text or "—", finding, row.basis or "—", changes]


def render(report) -> bytes:
    with translation.override("zh-hans"):
        return _render(report)


def _render(report) -> bytes:
    doc = new_document(landscape=True, margin_cm=1.8, size_pt=10.5)
    add_title(doc, _("Accountability audit report"))
    meta = [
        (_("Node"), f"{report.node.name}（{report.node.code}）"),
        (_("Period"), _("%(since)s to %(until)s") % {"since": report.since.isoformat(), "until": report.until.isoformat()}),
        (_("Generated at"), zh_datetime(report.generated_at)),
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
    add_table(doc, [_("Category"), _("Responsible unit"), Finding.MET_LATE.label, Finding.MISSED.label, Finding.WAIVED.label, _("Total")], summary)

    doc.add_heading(_("Details"), level=1)
    if report.rows:
        add_table(doc, detail_header(), [detail_values(i, row) for i, row in enumerate(report.rows, 1)],
                  widths_cm=[1.0, 4.2, 2.6, 2.6, 1.6, 2.3, 2.3, 1.8, 2.2, 3.2, 2.2])
    else:
        doc.add_paragraph(_("No late, missed or waived obligations in this period."))
    doc.add_paragraph(_("Change records: entries of the change log for the obligation and its subject; numbers are change-log entry ids."))

    doc.add_paragraph()
    sign = doc.add_paragraph()
    sign.add_run(_("Reviewer") + "：" + "_" * 16 + "　　　　" + _("Date") + "：" + "_" * 16)
    sign = doc.add_paragraph()
    sign.add_run(_("Prepared by") + "：" + "_" * 16 + "　　　　" + _("Date") + "：" + "_" * 16)

    return docx_bytes(doc)
