"""A briefing as the Chinese Word document offices print and send up: A4, the red masthead with
the briefing's name, the issue number (期号), the issuing office and the date, a red rule, the
editor's remark (按语), the body section by section (sentences, tables, charts as images), the
editor's notes, and the distribution (报 / 送 / 发) at the foot. Made with core's document helpers,
so every run carries the East Asian font; the charts are drawn by `charts.png` in a CJK font.
"""

import io

from shouwang.core.documents import (
    add_distribution,
    add_table,
    docx_bytes,
    new_document,
    red,
    red_rule,
    zh_date,
    zh_datetime,
)

from . import charts

NUMERALS = "一二三四五六七八九十"
CHART_CM = 15.0


def _numeral(n: int) -> str:
    return NUMERALS[n - 1] if 1 <= n <= len(NUMERALS) else str(n)


def _period_words(briefing) -> str:
    start, end = briefing.start, briefing.end
    if start == end:
        return zh_date(start)
    if start.year == end.year:
        return f"{zh_date(start)}至{end.month}月{end.day}日"
    return f"{zh_date(start)}至{zh_date(end)}"


def _text(value) -> str:
    if isinstance(value, dict):
        value = value.get("text")
    return "" if value is None else str(value)


def _indented(doc, text):
    from docx.shared import Pt

    p = doc.add_paragraph(text)
    p.paragraph_format.first_line_indent = Pt(24)  # two characters, as official text is set
    return p


def _masthead(doc, briefing):
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
    from docx.shared import Cm

    head = doc.add_paragraph()
    head.alignment = WD_ALIGN_PARAGRAPH.CENTER
    head.add_run(briefing.title)
    red(head, size_pt=26)
    number = doc.add_paragraph(briefing.number_text or "（草稿，未编号）")
    number.alignment = WD_ALIGN_PARAGRAPH.CENTER
    line = doc.add_paragraph()
    width = doc.sections[0].page_width - doc.sections[0].left_margin - doc.sections[0].right_margin
    line.paragraph_format.tab_stops.add_tab_stop(width or Cm(17), WD_TAB_ALIGNMENT.RIGHT)
    line.add_run(f"{briefing.issuer}编")
    line.add_run("\t" + (zh_date(briefing.issued_at) if briefing.issued_at else "（未印发）"))
    red_rule(line)


def briefing_docx(briefing) -> bytes:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Pt

    doc = new_document(size_pt=12, margin_cm=2.2)
    _masthead(doc, briefing)
    title = doc.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = title.add_run(f"{briefing.jurisdiction.name}{_period_words(briefing)}安全形势")
    run.bold, run.font.size = True, Pt(16)
    if briefing.remark.strip():
        p = doc.add_paragraph()
        p.add_run("按语：").bold = True
        p.add_run(briefing.remark.strip())
    meta = doc.add_paragraph(f"统计时段：{_period_words(briefing)}（{briefing.days}日）；数据截至：{zh_datetime(briefing.data_at)}。")
    meta.runs[0].font.size = Pt(10.5)
    notes = briefing.notes or {}
    sections = briefing.sections
    if not sections:
        _indented(doc, "本期各项工作数据平稳，无需要报告的事项。")
    for n, section in enumerate(sections, 1):
        heading = doc.add_paragraph()
        heading.add_run(f"{_numeral(n)}、{section['title']}").bold = True
        for sentence in section.get("text", []):
            _indented(doc, sentence)
        for table in section.get("tables", []):
            caption = doc.add_paragraph()
            caption.alignment = WD_ALIGN_PARAGRAPH.CENTER
            caption.add_run(table.get("title", "")).bold = True
            add_table(doc, table["header"], [[_text(v) for v in row] for row in table["rows"]], size_pt=10)
        for chart in section.get("charts", []):
            p = doc.add_paragraph()
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            p.add_run().add_picture(io.BytesIO(charts.png(chart)), width=Cm(CHART_CM))
        note = (notes.get(section["key"]) or "").strip()
        if note:
            p = doc.add_paragraph()
            p.add_run("编者注：").bold = True
            p.add_run(note)
    doc.add_paragraph()
    add_distribution(doc, briefing.distribution)
    return docx_bytes(doc)


def filename(briefing) -> str:
    number = f"{briefing.year}-{briefing.sequence:03d}" if briefing.sequence else "草稿"
    return f"{briefing.title}-{number}"
