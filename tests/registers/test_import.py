"""Excel import of key places from sheets as offices keep them; preview first, re-import updates."""

import io
import re

import pytest
from django.core.exceptions import ValidationError
from openpyxl import Workbook, load_workbook

from shouwang.core.geo import distance_m, wgs84_to_gcj02
from shouwang.core.models import Unit
from shouwang.registers import importing
from shouwang.registers.models import KeyPlace
from tests.crud import log_rows

HEADER_TOP = ["节点编码", "名　称", "类别", "位置", None, "复核周期（天）", "上次复核日期", "责任单位"]
HEADER_SUB = [None, None, None, "纬度", "经度", None, None, None]


def awkward_sheet(rows, title="望川街道重点场所台账（2026年）", note="填报单位：平安办　　填报日期：2026年3月5日"):
    """Title row, a note row, a two-level merged header, then `rows` (None = a blank row)."""
    wb = Workbook()
    ws = wb.active
    ws.title = "台账"
    ws.append([title])
    ws.merge_cells("A1:H1")
    ws.append([note])
    ws.merge_cells("A2:H2")
    ws.append(HEADER_TOP)
    ws.append(HEADER_SUB)
    for col in "ABCFGH":
        ws.merge_cells(f"{col}3:{col}4")
    ws.merge_cells("D3:E3")
    for row in rows:
        ws.append(row if row is not None else [])
    buf = io.BytesIO()
    wb.save(buf)
    buf.seek(0)
    return buf


GOOD = [
    ["C1", "一社区中学", "学校", "３１．２３１", "１２１．４７", "30", "2026年3月5日", "一社区学校"],
    None,
    ["Ｃ１", "一社区加油站", "加油站", 31.2255, 121.4741, "１５", "2026.3.5", ""],
    [" C2 ", "二社区　农贸市场", "农贸市场", "", "", None, "2026-02-28", "二社区学校"],
]
BAD = [
    ["C1", "未知类别的地方", "飞船基地", "", "", "", "", ""],
    ["C1", "坐标越界", "学校", "95", "121.4", "", "", ""],
    ["C1", "日期不对", "学校", "", "", "", "2026年2月30日", ""],
    ["C9", "不存在的节点", "学校", "", "", "", "", ""],
    ["C1", "", "学校", "", "", "", "", ""],
]


@pytest.fixture
def office(org, units):
    return org.user("office")


def test_preview_finds_the_header_below_titles_and_reads_awkward_cells(office):
    before = KeyPlace.objects.count()
    sheet = importing.parse(awkward_sheet(GOOD), office)
    assert KeyPlace.objects.count() == before  # a preview writes nothing
    assert sheet.header_row == 4 and not sheet.gcj02
    assert [r.number for r in sheet.rows] == [5, 7, 8]  # the blank row 6 is skipped
    assert all(r.outcome == "create" for r in sheet.rows), [r.errors for r in sheet.rows]
    school, station, market = (r.data for r in sheet.rows)
    assert (school["lat"], school["lon"]) == (31.231, 121.47)  # full-width digits
    assert school["category"] == "school" and school["kind"] == "unit"
    assert school["responsible_unit"] == Unit.objects.get(name="一社区学校")
    assert school["last_reviewed_at"].date().isoformat() == "2026-03-05"
    assert station["jurisdiction"].code == "C1" and station["review_period_days"] == 15
    assert station["last_reviewed_at"].date().isoformat() == "2026-03-05"
    assert market["name"] == "二社区 农贸市场" and market["jurisdiction"].code == "C2"


def test_each_bad_row_says_why_and_nothing_is_written_unless_only_valid_rows(office):
    sheet = importing.parse(awkward_sheet(GOOD + BAD), office)
    errors = {r.values["name"] or "(empty)": " ".join(r.errors) for r in sheet.rows if not r.ok}
    assert "飞船基地" in errors["未知类别的地方"]
    assert "95" in errors["坐标越界"]
    assert "2026年2月30日" in errors["日期不对"]
    assert "C9" in errors["不存在的节点"]
    assert errors["(empty)"]
    assert sheet.counts() == {"create": 3, "update": 0, "unchanged": 0, "error": 5}
    with pytest.raises(ValidationError):
        importing.apply(sheet)
    assert KeyPlace.objects.count() == 0
    result = importing.apply(sheet, only_valid=True)
    assert result == {"created": 3, "updated": 0, "unchanged": 0, "skipped": 5}
    assert set(KeyPlace.objects.values_list("name", flat=True)) == {"一社区中学", "一社区加油站", "二社区 农贸市场"}


def test_reimport_updates_instead_of_duplicating(office):
    importing.apply(importing.parse(awkward_sheet(GOOD), office))
    station = KeyPlace.objects.get(name="一社区加油站")
    changed = [list(r) if r else r for r in GOOD]
    changed[2][5] = "７"
    sheet = importing.parse(awkward_sheet(changed), office)
    # only the changed row is written; the others are reported unchanged and left alone
    assert [r.outcome for r in sheet.rows] == ["unchanged", "update", "unchanged"]
    school = KeyPlace.objects.get(name="一社区中学")
    assert importing.apply(sheet) == {"created": 0, "updated": 1, "unchanged": 2, "skipped": 0}
    assert not log_rows(school, "update").exists()
    assert KeyPlace.objects.count() == 3
    station.refresh_from_db()
    assert station.review_period_days == 7
    assert log_rows(station, "update").get().after["review_period_days"] == 7


def test_a_sheet_marked_gcj02_is_converted_to_wgs84(office):
    lat, lon = 31.2310, 121.4705
    glat, glon = wgs84_to_gcj02(lat, lon)
    rows = [["C1", "一社区中学", "学校", glat, glon, "", "", ""]]
    sheet = importing.parse(awkward_sheet(rows, title="重点场所台账（坐标系：GCJ-02）"), office)
    assert sheet.gcj02
    data = sheet.rows[0].data
    assert distance_m(lat, lon, data["lat"], data["lon"]) < 1
    plain = importing.parse(awkward_sheet(rows), office).rows[0].data
    assert distance_m(lat, lon, plain["lat"], plain["lon"]) > 100
    flagged = importing.parse(awkward_sheet(rows), office, gcj02=True).rows[0].data
    assert distance_m(lat, lon, flagged["lat"], flagged["lon"]) < 1


def test_out_of_scope_rows_are_refused(org, units):
    sheet = importing.parse(awkward_sheet(GOOD), org.user("office1"))
    outcomes = {r.values["name"]: r.outcome for r in sheet.rows}
    assert outcomes["二社区　农贸市场"] == "error" and outcomes["一社区中学"] == "create"


def test_dates_in_every_spelling():
    import datetime

    expected = datetime.date(2026, 3, 5)
    for value in ["2026年3月5日", "2026年03月05日", "２０２６年３月５日", "2026.3.5", "2026/3/5", "2026-03-05",
                  "20260305", datetime.datetime(2026, 3, 5, 8, 0),  # noqa: DTZ001 (Excel cells are naive)
                  46086]:
        assert importing.parse_date(importing.norm(value) if isinstance(value, str) else value) == expected, value


def test_export_then_import_round_trips_as_updates(office, login, org, place_factory):
    place_factory(name="一社区加油站", address="一社区路1号", review_period_days=20,
                  polygon=None)
    place_factory(node=org.c2, name="二社区广场", kind="area", category="square", lat=None, lon=None,
                  polygon={"type": "Polygon", "coordinates": [[[121.4, 31.2], [121.41, 31.2], [121.41, 31.21],
                                                               [121.4, 31.2]]]})
    response = login(office).get("/registers/export.xlsx")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    wb = load_workbook(io.BytesIO(response.content))
    assert wb.sheetnames == ["重点场所", "防范设施", "危险品", "出入库记录", "风险颜色"]
    assert wb["重点场所"]["C1"].value == "名称" and wb["重点场所"]["A1"].value == "节点编码"
    assert all(re.search(r"[\u4e00-\u9fff]", str(c.value)) for c in wb["防范设施"][1])
    sheet = importing.parse(io.BytesIO(response.content), office)
    assert [r.outcome for r in sheet.rows] == ["unchanged", "unchanged"], [r.errors for r in sheet.rows]
    importing.apply(sheet)
    assert KeyPlace.objects.count() == 2
    assert KeyPlace.objects.get(name="二社区广场").polygon["coordinates"][0][0] == [121.4, 31.2]


def test_the_pages_preview_then_confirm(office, login):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = login(office)
    upload = SimpleUploadedFile("台账.xlsx", awkward_sheet(GOOD + BAD[:1]).getvalue())
    response = client.post("/registers/import/", {"file": upload})
    assert response.status_code == 302
    preview_url = response["Location"]
    page = client.get(preview_url).content.decode()
    assert 'data-outcome="error"' in page and "飞船基地" in page and page.count('data-outcome="create"') == 3
    assert KeyPlace.objects.count() == 0
    response = client.post(preview_url, {"confirm": "1"})  # errors, not only valid: nothing written
    assert response.status_code == 200 and KeyPlace.objects.count() == 0
    response = client.post(preview_url, {"confirm": "1", "only_valid": "1"})
    assert response.status_code == 302 and KeyPlace.objects.count() == 3
    assert client.get(preview_url).status_code == 404  # used up


def test_a_non_excel_upload_is_refused(office, login):
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = login(office).post("/registers/import/", {"file": SimpleUploadedFile("x.csv", b"a,b")})
    assert response.status_code == 200 and response.context["form"].errors["file"]


def office_style_sheet(rows):
    """A community's own sheet as offices keep it: a title, no node column, their own category words."""
    wb = Workbook()
    ws = wb.active
    ws.append(["一社区重点场所登记表"])
    ws.append(["序号", "名称", "类别", "地址", "经度", "纬度"])
    for i, row in enumerate(rows, 1):
        ws.append([i, *row])
    buf = io.BytesIO()
    wb.save(buf)
    buf.seek(0)
    return buf


def test_an_office_sheet_goes_to_the_chosen_node_with_their_words_and_field_named_errors(office, login, org):
    from django.core.files.uploadedfile import SimpleUploadedFile

    rows = [["一社区水厂泵站", "自来水", "一社区路2号", 121.47, 31.23],
            ["一社区燃气调压站", "天然气", "一社区路3号", 121.471, 31.231],
            ["一社区河边仓库", "供水", "河边", 200.3, 31.2]]
    client = login(office)
    upload = SimpleUploadedFile("一社区.xlsx", office_style_sheet(rows).getvalue())
    response = client.post("/registers/import/", {"file": upload, "node": org.c1.pk})
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "经度 200.3 超出范围（-180 ~ 180）" in page  # the field and its range, in words
    assert "类别“自来水”按“供水”" in page and "类别“天然气”按“供气”" in page  # the category each word matched
    assert page.count('data-outcome="create"') == 2 and "一社区</td>" in page  # the chosen node
    client.post(response["Location"], {"confirm": "1", "only_valid": "1"})
    assert set(KeyPlace.objects.values_list("jurisdiction__code", "category")) == {("C1", "water"), ("C1", "gas")}
    # without a chosen node the same sheet says what is missing
    upload = SimpleUploadedFile("一社区.xlsx", office_style_sheet(rows).getvalue())
    page = client.post("/registers/import/", {"file": upload}, follow=True).content.decode()
    assert "没有节点列" in page or "节点编码" in page


def test_a_file_that_is_not_a_workbook_says_so_in_words(office, login):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = login(office)
    response = client.post("/registers/import/", {"file": SimpleUploadedFile("台账.xlsx", b"not really excel")})
    page = client.get(response["Location"], follow=True).content.decode()
    assert "无法作为 Excel 工作簿" in page and "zip" not in page.lower()
