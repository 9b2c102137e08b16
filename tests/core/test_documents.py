"""Official documents: A4, the Chinese font on every run, one Chinese date format, download names."""

import datetime
import io
from zoneinfo import ZoneInfo

from docx import Document
from docx.oxml.ns import qn
from docx.shared import Cm
from openpyxl import load_workbook

from shouwang.core import documents

SH = ZoneInfo("Asia/Shanghai")


def assert_official(content, landscape=False):
    doc = Document(io.BytesIO(content))
    section = doc.sections[0]
    width, height = (Cm(29.7), Cm(21.0)) if landscape else (Cm(21.0), Cm(29.7))
    assert abs(section.page_width - width) < Cm(0.05) and abs(section.page_height - height) < Cm(0.05)
    runs = list(documents._runs_of(doc))
    assert runs and all(r._element.rPr is not None and r._element.rPr.rFonts.get(qn("w:eastAsia")) == "宋体"
                        for r in runs)
    return doc


def test_a_document_is_a4_with_the_chinese_font_on_every_run():
    doc = documents.new_document()
    documents.add_title(doc, "关于测试的报告")
    doc.add_paragraph("正文").add_run("，补充")
    documents.add_table(doc, ["序号", "事项"], [[1, "巡逻"], [2, None]], size_pt=9)
    read = assert_official(documents.docx_bytes(doc))
    assert [c.text for c in read.tables[0].rows[2].cells] == ["2", ""]
    land = documents.new_document(landscape=True)
    land.add_paragraph("横向")
    assert_official(documents.docx_bytes(land), landscape=True)


def test_one_chinese_date_format_in_local_time():
    moment = datetime.datetime(2026, 1, 4, 17, 5, tzinfo=datetime.UTC)  # 01:05 next day in Shanghai
    assert documents.zh_datetime(moment) == "2026年1月5日 01:05"
    assert documents.zh_date(moment) == "2026年1月5日"
    assert documents.zh_date(datetime.date(2026, 12, 3)) == "2026年12月3日"
    assert documents.zh_date(None) == documents.zh_datetime(None) == ""


def test_downloads_carry_the_chinese_name_and_an_ascii_fallback():
    response = documents.docx_response(b"x", "综合防控台账-枫林社区")
    disposition = response["Content-Disposition"]
    assert "filename*=UTF-8''%E7%BB%BC" in disposition and disposition.endswith('.docx"')
    assert response["Content-Type"] == documents.DOCX_TYPE
    book = load_workbook(io.BytesIO(documents.workbook_bytes([("表一", ["名称", "数量"], [["甲", 2]])])))
    sheet = book["表一"]
    assert [c.value for c in sheet[2]] == ["甲", 2] and sheet["A1"].font.bold and sheet.freeze_panes == "A2"


def test_workbook_holds_real_local_datetimes_with_filter_and_frozen_header():
    import datetime as dt
    from io import BytesIO

    from openpyxl import load_workbook

    from shouwang.core.documents import workbook_bytes

    moment = dt.datetime(2026, 12, 1, 16, 30, tzinfo=dt.UTC)  # 00:30 next day in Shanghai
    ws = load_workbook(BytesIO(workbook_bytes([("表", ["时间", "日期", "名称"],
                                                 [[moment, dt.date(2026, 12, 2), "甲"]])]))).active
    # Excel has no time zone: the cell holds the naive local wall time.
    assert ws["A2"].value == dt.datetime(2026, 12, 2, 0, 30, tzinfo=dt.UTC).replace(tzinfo=None) and ws["A2"].number_format == "yyyy-mm-dd hh:mm:ss"
    assert ws["B2"].is_date and ws["B2"].number_format == "yyyy-mm-dd"
    assert ws.auto_filter.ref == "A1:C2" and ws.freeze_panes == "A2"
