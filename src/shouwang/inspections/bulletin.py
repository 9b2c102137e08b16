"""The supervision bulletin (督查通报) as a Chinese Word document on A4, made with core's document
helpers: a red header with the issuing office and the number, the title, the date in Chinese, the
body, the findings table (place, hazard, severity, responsible unit and person, deadline, state)
with the findings' photos, and the distribution list (报 / 送 / 发) at the foot.

The document is official text in Chinese whatever the reader's language (as the incidents' reports).
"""

import io

from django.db.models import Q

from shouwang.core.documents import (
    DISTRIBUTION,
    add_distribution,
    add_signature,
    add_table,
    add_title,
    docx_bytes,
    join_distribution,
    new_document,
    red_rule,
    split_distribution,
    zh_date,
    zh_datetime,
)
from shouwang.core.documents import red as _red

from .models import Photo

HEADINGS = ("序号", "场所", "隐患", "等级", "责任单位", "责任人", "整改期限", "状态", "照片")
SEVERITY = {"note": "观察项", "general": "一般隐患", "serious": "较大隐患", "urgent": "紧急隐患", "major": "重大隐患"}
STATE = {"ordered": "待整改", "in_progress": "整改中", "reported": "已报整改完成，待复查", "closed": "已验收销号"}
PHOTO_CM = 2.2
PHOTOS_PER_FINDING = 2


def findings_of(bulletin):
    return list(bulletin.visit.findings.select_related("place", "unit", "order__responsible_unit",
                                                      "order__responsible_person").order_by("pk"))


def photos_of(finding):
    """The photos of the hazard itself (an inspection item's, or taken when the visit found it), not
    the unit's evidence of the repair."""
    order = getattr(finding, "order", None)
    query = Q(answer_id=finding.answer_id) if finding.answer_id else Q(pk__in=[])
    if order is not None:
        query |= Q(order=order, received_at__lte=finding.found_at)
    return list(Photo.objects.filter(query).order_by("received_at", "pk")[:PHOTOS_PER_FINDING])


def _picture(cell, photo):
    from docx.shared import Cm

    try:
        with photo.file.open("rb") as f:
            data = io.BytesIO(f.read())
        cell.paragraphs[0].add_run().add_picture(data, width=Cm(PHOTO_CM))
        return True
    except Exception:  # noqa: BLE001 - a format Word cannot embed (WebP) or a missing file: said in words
        cell.paragraphs[0].add_run("（照片无法嵌入）")
        return False


def _row(n, finding):
    order = getattr(finding, "order", None)
    unit = (order.responsible_unit if order else None) or finding.unit
    person = order.responsible_person if order else None
    return (str(n), finding.place.name if finding.place else (finding.unit.name if finding.unit else ""),
            finding.description, SEVERITY.get(finding.severity, finding.severity), unit.name if unit else "",
            person.name if person else "", zh_datetime(order.deadline) if order else "",
            STATE.get(order.state, order.state) if order else "", "")


def bulletin_docx(bulletin) -> bytes:
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    visit = bulletin.visit
    doc = new_document(size_pt=12, margin_cm=2.2)
    header = doc.add_paragraph()
    header.alignment = WD_ALIGN_PARAGRAPH.CENTER
    header.add_run(f"{bulletin.issuer}督查通报")
    _red(header, size_pt=26)
    number = doc.add_paragraph(bulletin.number_text or "（草稿，未编号）")
    number.alignment = WD_ALIGN_PARAGRAPH.CENTER
    red_rule(number)
    add_title(doc, bulletin.title, size_pt=18)
    issued = doc.add_paragraph(zh_date(bulletin.issued_at) if bulletin.issued_at else "")
    issued.alignment = WD_ALIGN_PARAGRAPH.CENTER

    doc.add_paragraph(f"督查对象：{visit.jurisdiction.name}　督查日期：{zh_date(visit.visited_on)}　"
                      f"督查方式：{visit.get_method_display()}　督查人员：{visit.inspectors}")
    for text in (bulletin.body or "").splitlines():
        if text.strip():
            doc.add_paragraph(text.strip())

    findings = findings_of(bulletin)
    heading = doc.add_paragraph()
    heading.add_run(f"发现问题及整改要求（共{len(findings)}项）").bold = True
    if findings:
        table = add_table(doc, HEADINGS, [_row(n, f) for n, f in enumerate(findings, 1)],
                          widths_cm=(1.0, 2.4, 3.6, 1.6, 2.4, 1.6, 2.6, 1.8, 2.6), size_pt=10)
        for row, finding in zip(table.rows[1:], findings, strict=True):
            for photo in photos_of(finding):
                _picture(row.cells[-1], photo)
    else:
        doc.add_paragraph("本次督查未发现需整改的问题。")

    doc.add_paragraph()
    add_signature(doc, bulletin.issuer)
    add_signature(doc, zh_date(bulletin.issued_at) if bulletin.issued_at else "")
    add_distribution(doc, bulletin.distribution)
    return docx_bytes(doc)

__all__ = ["DISTRIBUTION", "bulletin_docx", "findings_of", "join_distribution", "photos_of", "split_distribution"]
