"""Importing an office's hazard ledger (隐患台账): a preview with each bad row's reasons, findings
with their orders on confirm, the state the sheet says (a verified row closed, honestly), and a
re-import that adds nothing."""

import io
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation
from openpyxl import Workbook

from shouwang.inspections import importing
from shouwang.inspections.choices import KIND_RECTIFY, KIND_VERIFY, FindingSource, OrderState
from shouwang.inspections.models import Finding, RectificationOrder, Verification
from shouwang.obligations.models import Notification, Obligation

NOW = "2026-12-07 10:00:00+08:00"
LOCAL = ZoneInfo("Asia/Shanghai")
HEADER = ["序 号", "检查日期", "单位名称/场所", "隐患描述", "隐患等级", "整改责任人", "整改期限", "整改情况", "复查情况",
          "复查日期", "备注"]
GOOD = [
    [1, "2026-11-20", "东湖加油站", "消防通道堆放杂物", "较大", "钱晓东", "2026-11-27", "已整改", "复查合格", "2026-11-26", ""],
    [2, "2026年11月25日", "东湖加油站", "油罐区可燃气体浓度超标", "重大隐患", "", "2026-12-20", "未整改", "", "", "挂牌督办"],
    [3, "2026.12.01", "东湖加油站有限公司", "值班记录缺失", "一般", "钱晓东", "2026-12-31", "已整改", "", "", ""],
    [4, "２０２６-11-10", "东湖加油站", "灭火器过期", "一般", "", "2026-11-30", "整改中", "", "", ""],
    [5, "2026-12-02", "东湖加油站", "配电间私拉乱接电线", "紧急", "", "", "", "复查不合格", "", ""],
]
BAD = [
    [6, "2026-12-01", "不存在的单位", "门口堆物", "一般", "", "", "", "", "", ""],
    [7, "2026-13-45", "东湖加油站", "照明损坏", "特别大", "", "", "", "", "", ""],
    [8, "2026-12-01", "东湖加油站", "", "一般", "", "", "", "", "", ""],
    [9, "2026-12-20", "东湖加油站", "明天的隐患", "一般", "", "", "", "", "", ""],
]


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(NOW, tick=False), translation.override("en"):
        yield


def ledger(rows):
    """A title row, the header, the rows, a total row: as offices keep them."""
    wb = Workbook()
    ws = wb.active
    ws.append(["望川街道隐患排查整改台账（2026年）"])
    ws.merge_cells("A1:K1")
    ws.append(HEADER)
    for row in rows:
        ws.append(row)
    ws.append(["合计", "", "", f"{len(rows)}条"])
    buf = io.BytesIO()
    wb.save(buf)
    buf.seek(0)
    return buf


def test_the_preview_names_each_bad_row_with_its_reasons_and_writes_nothing(org, station):
    sheet = importing.parse(ledger(GOOD + BAD), org.user("office"))
    assert sheet.header_row == 2 and sheet.ignored == ["备注"]
    by_row = {r.number: r for r in sheet.rows}
    assert len(by_row) == 9  # the total row is left out
    assert [by_row[n].outcome for n in range(3, 8)] == ["create"] * 5
    assert [by_row[n].outcome for n in range(8, 12)] == ["error"] * 4
    assert by_row[8].errors == ["“不存在的单位” is neither a key place nor a unit in your area."]
    bad_date, bad_level = by_row[9].errors
    assert "2026-13-45" in bad_date and "特别大" in bad_level
    assert by_row[10].errors == ["The hazard description is empty."]
    assert "in the future" in by_row[11].errors[0]
    assert by_row[3].data["state"] == OrderState.CLOSED and by_row[4].data["severity"] == "major"
    assert by_row[5].data["place"] is None and by_row[5].data["unit"] == station.unit
    assert any("overdue" in w for w in by_row[6].warnings)
    assert Finding.objects.count() == 0 and RectificationOrder.objects.count() == 0


def test_rows_with_errors_stop_the_import_unless_only_the_valid_ones_are_chosen(org, station):
    sheet = importing.parse(ledger(GOOD + BAD), org.user("office"))
    with pytest.raises(ValidationError):
        importing.apply(sheet, user=org.user("office"))
    assert Finding.objects.count() == 0
    result = importing.apply(sheet, user=org.user("office"), only_valid=True)
    assert result == {"created": 5, "existing": 0, "skipped": 4}


def test_confirm_creates_a_finding_and_an_order_per_row_in_the_state_the_sheet_says(org, station, django_capture_on_commit_callbacks):
    office = org.user("office")
    with django_capture_on_commit_callbacks(execute=True):
        result = importing.apply(importing.parse(ledger(GOOD), office), user=office)
    assert result == {"created": 5, "existing": 0, "skipped": 0}
    findings = Finding.objects.filter(source=FindingSource.IMPORT).order_by("found_at")
    assert findings.count() == 5 and RectificationOrder.objects.count() == 5
    orders = {o.finding.description: o for o in RectificationOrder.objects.select_related("finding")}

    closed = orders["消防通道堆放杂物"]
    assert closed.state == OrderState.CLOSED and closed.finding.severity == "serious"
    assert closed.closed_at == datetime(2026, 11, 26, 18, 0, tzinfo=LOCAL)
    assert not Verification.objects.filter(order=closed).exists()  # no verification invented
    assert "imported hazard ledger" in closed.report_text and "复查合格" in closed.report_text
    rectify = Obligation.objects.for_subject(closed).get(kind=KIND_RECTIFY)
    assert rectify.met_at == closed.closed_at

    major = orders["油罐区可燃气体浓度超标"]
    assert major.state == OrderState.ORDERED and major.supervised
    assert major.deadline == datetime(2026, 12, 20, 18, 0, tzinfo=LOCAL)
    assert major.finding.found_at == datetime(2026, 11, 25, 9, 0, tzinfo=LOCAL)
    assert major.responsible_person.name == "钱晓东"  # the place's, none given in the sheet

    reported = orders["值班记录缺失"]
    assert reported.state == OrderState.REPORTED and reported.finding.place is None
    assert reported.reported_by is None and reported.verify_by is not None
    assert Obligation.objects.for_subject(reported).filter(kind=KIND_VERIFY).pending().count() == 1

    assert orders["灭火器过期"].state == OrderState.IN_PROGRESS
    failed = orders["配电间私拉乱接电线"]
    assert failed.state == OrderState.ORDERED and failed.failed_count == 1
    assert Obligation.objects.for_subject(failed).get(kind=KIND_RECTIFY).met_at is None

    # the office hears of the import once, not per order
    message = Notification.objects.get()
    assert message.recipient == org.user("office1") and "5" in message.title


def test_importing_the_same_sheet_again_creates_nothing(org, station):
    office = org.user("office")
    importing.apply(importing.parse(ledger(GOOD), office), user=office)
    counts = (Finding.objects.count(), RectificationOrder.objects.count(), Obligation.objects.count())
    again = importing.parse(ledger(GOOD), office)
    assert [r.outcome for r in again.rows] == ["exists"] * 5
    assert again.rows[0].existing.finding.description == "消防通道堆放杂物"
    assert importing.apply(again, user=office) == {"created": 0, "existing": 5, "skipped": 0}
    assert counts == (Finding.objects.count(), RectificationOrder.objects.count(), Obligation.objects.count())


def test_duplicate_rows_in_one_sheet_are_refused_naming_the_first(org, station):
    sheet = importing.parse(ledger([GOOD[0], GOOD[0]]), org.user("office"))
    assert sheet.rows[1].errors == ["Same place, date and hazard as row 3."]


def test_a_sheet_without_a_description_column_says_so(org, station):
    wb = Workbook()
    wb.active.append(["序号", "单位名称", "检查日期"])
    wb.active.append([1, "东湖加油站", "2026-12-01"])
    buf = io.BytesIO()
    wb.save(buf)
    buf.seek(0)
    sheet = importing.parse(buf, org.user("office"))
    assert sheet.rows == [] and "隐患描述" in sheet.problems[0]


def test_outside_the_users_area_a_place_is_unknown(org, station):
    sheet = importing.parse(ledger(GOOD[:1]), org.user("grid2"))  # community 2 does not see community 1
    assert sheet.rows[0].outcome == "error" and "neither a key place nor a unit" in sheet.rows[0].errors[0]


def test_the_pages_preview_then_confirm(org, station, client):
    client.force_login(org.user("office"))
    upload = ledger(GOOD + BAD)
    upload.name = "台账.xlsx"
    response = client.post(reverse("inspections:hazard_import"), {"file": upload})
    assert response.status_code == 302
    preview = response["Location"]
    page = client.get(preview)
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-row="8" data-outcome="error"' in html and "不存在的单位" in html and "备注" in html
    assert Finding.objects.count() == 0
    done = client.post(preview, {"confirm": "1", "only_valid": "1"})
    assert done.status_code == 302 and RectificationOrder.objects.count() == 5


def test_a_file_that_is_not_a_workbook_is_said_so(org, station, client):
    client.force_login(org.user("office"))
    upload = io.BytesIO(b"not a workbook")
    upload.name = "台账.xlsx"
    response = client.post(reverse("inspections:hazard_import"), {"file": upload})
    page = client.get(response["Location"], follow=True)
    assert page.redirect_chain[-1][0] == reverse("inspections:hazard_import")
    assert "台账.xlsx" in page.content.decode()


def test_who_may_not_record_hazards_may_not_import(org, station, client):
    client.force_login(org.user("viewer"))
    assert client.get(reverse("inspections:hazard_import")).status_code == 403
