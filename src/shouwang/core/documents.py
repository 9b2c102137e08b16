"""Official documents: Word on A4 with the Chinese font on every run, Chinese dates, Excel sheets,
and the HTTP responses that carry them. Every export of every app is made with these.

python-docx and openpyxl are imported inside the functions: they are heavy and only exports
need them (the import allow-list in pyproject.toml).
"""

import datetime
import io
from urllib.parse import quote

from django.http import HttpResponse
from django.utils import timezone
from django.utils.functional import Promise

FONT = "宋体"
A4 = (21.0, 29.7)  # cm, portrait
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def zh_date(day) -> str:
    """A date as official Chinese documents write it: 2026年1月5日."""
    if day is None:
        return ""
    if hasattr(day, "hour"):
        day = timezone.localtime(day).date()
    return f"{day.year}年{day.month}月{day.day}日"


def zh_datetime(moment) -> str:
    """A moment in local time (+08:00): 2026年1月5日 09:10."""
    if moment is None:
        return ""
    local = timezone.localtime(moment)
    return f"{zh_date(local.date())} {local:%H:%M}"


def _east_asian(element, font=FONT):
    """Word picks the Chinese font from w:eastAsia; without it Chinese text falls back to a Latin face."""
    from docx.oxml.ns import qn

    rpr = element.get_or_add_rPr()
    rpr.get_or_add_rFonts().set(qn("w:eastAsia"), font)


def new_document(*, landscape=False, margin_cm=2.0, size_pt=12, font=FONT):
    """A Word document on A4 (portrait or landscape) whose styles use the Chinese font."""
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.shared import Cm, Pt

    doc = Document()
    section = doc.sections[0]
    width, height = A4
    if landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        width, height = height, width
    section.page_width, section.page_height = Cm(width), Cm(height)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(margin_cm))
    for name in ("Normal", "Title", "Heading 1", "Heading 2", "Table Grid"):
        style = doc.styles[name]
        style.font.name = font
        _east_asian(style.element, font)
    doc.styles["Normal"].font.size = Pt(size_pt)
    return doc


def add_title(doc, text, *, size_pt=22):
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    p = doc.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = p.add_run(text)
    run.bold = True
    run.font.size = Pt(size_pt)
    return p


def add_signature(doc, text):
    """A line at the right, as signatures stand on official documents."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    p = doc.add_paragraph(text)
    p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    return p


def add_table(doc, header, rows, *, widths_cm=None, size_pt=None):
    """A grid table: a bold header row (if any), then one row per item, text as given."""
    from docx.shared import Cm, Pt

    table = doc.add_table(rows=0, cols=len(header) if header else len(rows[0]))
    table.style = "Table Grid"
    if header:
        cells = table.add_row().cells
        for cell, text in zip(cells, header, strict=True):
            cell.paragraphs[0].add_run(str(text)).bold = True
    for values in rows:
        for cell, value in zip(table.add_row().cells, values, strict=True):
            cell.text = "" if value is None else str(value)
    if widths_cm:
        for row in table.rows:
            for cell, width in zip(row.cells, widths_cm, strict=False):
                cell.width = Cm(width)
    if size_pt:
        for run in _runs_of(table):
            run.font.size = Pt(size_pt)
    return table


RED = (0xC0, 0x00, 0x00)  # the red of an official document's masthead and rules
# The distribution of an official document (报 up the hierarchy, 送 to peers, 发 down), stored as
# lines "报：…", "送：…", "发：…".
DISTRIBUTION = (("报", "report_to"), ("送", "copy_to"), ("发", "send_to"))


def split_distribution(text) -> dict:
    """{"report_to", "copy_to", "send_to"} from the stored lines “报：…”, “送：…”, “发：…”."""
    out = {name: "" for _word, name in DISTRIBUTION}
    for line in (text or "").splitlines():
        line = line.strip()
        for word, name in DISTRIBUTION:
            if line.startswith((f"{word}：", f"{word}:")):
                out[name] = line[2:].strip()
    return out


def join_distribution(report_to="", copy_to="", send_to="") -> str:
    given = {"report_to": report_to, "copy_to": copy_to, "send_to": send_to}
    return "\n".join(f"{word}：{given[name].strip()}" for word, name in DISTRIBUTION if (given[name] or "").strip())


def red(paragraph, size_pt=None, bold=True):
    """The paragraph's runs in the masthead's red (bold unless told), at `size_pt` if given."""
    from docx.shared import Pt, RGBColor

    for run in paragraph.runs:
        run.font.color.rgb = RGBColor(*RED)
        run.bold = bold
        if size_pt:
            run.font.size = Pt(size_pt)
    return paragraph


def red_rule(paragraph):
    """The red line under an official document's masthead (a bottom border of the paragraph)."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "single"), ("w:sz", "18"), ("w:space", "4"), ("w:color", "C00000")):
        bottom.set(qn(key), value)
    borders.append(bottom)
    paragraph._p.get_or_add_pPr().append(borders)
    return paragraph


def add_distribution(doc, text):
    """The foot of an official document: a rule, then the lines 报：… 送：… 发：… (as stored, when
    they are not in that form)."""
    foot = split_distribution(text)
    lines = [f"{word}：{foot[name]}" for word, name in DISTRIBUTION if foot[name]]
    if not lines and (text or "").strip():
        lines = [text.strip()]
    if lines:
        red_rule(doc.add_paragraph())
        for line in lines:
            doc.add_paragraph(line)
    return lines


def _runs_of(container):
    for p in getattr(container, "paragraphs", []):
        yield from p.runs
    for table in getattr(container, "tables", []):
        for row in table.rows:
            for cell in row.cells:
                yield from _runs_of(cell)
    if hasattr(container, "rows"):
        for row in container.rows:
            for cell in row.cells:
                yield from _runs_of(cell)


def docx_bytes(doc) -> bytes:
    """The document's bytes, the Chinese font set on every run first (a run's own font wins over
    its style in Word, and WPS shows Latin faces for Chinese text without it)."""
    for run in _runs_of(doc):
        _east_asian(run._element)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def docx_response(content: bytes, filename: str) -> HttpResponse:
    return _download(content, DOCX_TYPE, f"{filename}.docx")


DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm:ss"


def _cell_value(value):
    """What Excel should hold: local wall-clock datetimes (Excel has no zones) and dates as real values,
    so an office can filter and sort them; lazy labels as text."""
    if isinstance(value, datetime.datetime):
        return (timezone.localtime(value) if timezone.is_aware(value) else value).replace(tzinfo=None), DATETIME_FORMAT
    if isinstance(value, datetime.date):
        return value, DATE_FORMAT
    if isinstance(value, Promise):
        return str(value), None
    return value, None


def workbook_bytes(sheets) -> bytes:
    """An Excel workbook from `(title, headers, rows)` or `(title, headers, rows, widths)`: a bold,
    frozen header row with an auto-filter, real dates and times, columns wide enough for their
    heading unless widths are given."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    wb.remove(wb.active)
    for title, headers, rows, *widths in sheets:
        ws = wb.create_sheet(title)
        ws.append([str(h) for h in headers])
        for cell in ws[1]:
            cell.font = Font(bold=True)
        for r, row in enumerate(rows, 2):
            for c, raw in enumerate(row, 1):
                value, number_format = _cell_value(raw)
                cell = ws.cell(row=r, column=c, value=value)
                if number_format:
                    cell.number_format = number_format
        sizes = widths[0] if widths else [max(10, min(40, len(str(h)) * 2 + 4)) for h in headers]
        for i, width in enumerate(sizes, 1):
            ws.column_dimensions[get_column_letter(i)].width = width
        ws.freeze_panes = "A2"
        ws.auto_filter.ref = f"A1:{get_column_letter(max(1, len(headers)))}{max(1, ws.max_row)}"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def xlsx_response(content: bytes, filename: str) -> HttpResponse:
    return _download(content, XLSX_TYPE, f"{filename}.xlsx")


def _download(content, content_type, filename):
    response = HttpResponse(content, content_type=content_type)
    # RFC 6266: an ASCII fallback and the UTF-8 name (Chinese file names survive every browser)
    response.headers["Content-Disposition"] = _disposition(filename)
    return response


def _disposition(filename):
    ascii_name = filename.encode("ascii", "replace").decode().replace("?", "_").replace('"', "")
    return f"attachment; filename*=UTF-8''{quote(filename)}; filename=\"{ascii_name}\""
