"""Importing an office's supplies ledger (物资台账) as offices keep it: a title row, merged headers,
序号 and a 合计 row, full-width digits, dates typed as text; every row previewed with its outcome
and reasons, nothing written until confirmed, the valid rows received through the ledger, new
items added to the catalogue, and the same file imported twice adding nothing."""

from datetime import date, timedelta
from io import BytesIO

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from shouwang.resources import importing
from shouwang.resources.models import Lot, StockMovement, SupplyItem

HEADER = ["序号", "物资名称", "规格型号", "计量单位", "数量", "批号", "有效期至", "仓库", "备注"]


def _sheet(rows):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["一社区应急物资台账（2026年12月）"])
    ws.merge_cells("A1:I1")
    ws.append([])
    ws.append(HEADER)
    for row in rows:
        ws.append(row)
    out = BytesIO()
    wb.save(out)
    out.seek(0)
    return out


ROWS = [
    [1, "棉被", "1.5×2米", "床", "１２０", "B-01", None, "一社区储备点", "年度采购"],
    [2, "瓶装饮用水", "550毫升×24瓶", "箱", 30, "SW-7", "2027年3月5日", "一社区储备点", ""],
    [3, "救生衣", "成人", "件", 20, "", "", "一社区储备点", "新购"],
    [4, "棉被", "", "条", 5, "", "", "一社区储备点", ""],
    [5, "雨衣", "", "件", 8, "", "", "三社区仓库", ""],
    [None, "合计", None, None, 183, None, None, None, None],
]


def test_the_preview_reads_every_row_with_its_outcome_and_writes_nothing(org, items, stores):
    sheet = importing.parse(_sheet(ROWS), org.user("office1"))
    assert sheet.header_row == 3 and [r.number for r in sheet.rows] == [4, 5, 6, 7, 8]  # 合计 left out
    outcome = {r.number: (r.outcome, r.errors, r.warnings) for r in sheet.rows}
    assert outcome[4][0] == "receive" and sheet.rows[0].data["quantity"] == 120  # full-width digits
    assert sheet.rows[1].data["expires_on"] == date(2027, 3, 5)
    assert outcome[6][0] == "receive" and "救生衣将新增到物资目录" in outcome[6][2][0]
    assert outcome[7] == ("error", ["计量单位“条”与物资目录中棉被的“床”不一致。"], [])
    assert outcome[8][0] == "error" and "三社区仓库" in outcome[8][1][0]
    assert not StockMovement.objects.exists() and not SupplyItem.objects.filter(name="救生衣").exists()


def test_the_valid_rows_go_in_through_the_ledger_and_a_second_import_adds_nothing(org, items, stores):
    user = org.user("office1")
    sheet = importing.parse(_sheet(ROWS), user)
    result = importing.apply(sheet, user, only_valid=True)
    assert result == {"received": 3, "imported": 0, "items": 1, "skipped": 2}
    jacket = SupplyItem.objects.get(name="救生衣")
    assert jacket.jurisdiction == org.c1 and jacket.category == "other" and jacket.unit == "件"
    water = Lot.objects.get(lot_number="SW-7")
    assert (water.quantity, water.expires_on, water.store) == (30, date(2027, 3, 5), stores["c1"])
    assert StockMovement.objects.filter(kind="in").count() == 3
    import time_machine
    from django.utils import timezone

    with time_machine.travel(timezone.now() + timedelta(hours=1), tick=False):
        again_file = _sheet(ROWS)  # saved again later: the workbook's timestamp differs, its cells do not
    assert again_file.getvalue() != _sheet(ROWS).getvalue()
    again = importing.parse(again_file, user)
    assert [r.outcome for r in again.rows] == ["imported", "imported", "imported", "error", "error"]
    assert importing.apply(again, user, only_valid=True)["received"] == 0
    assert StockMovement.objects.count() == 3


def test_all_or_nothing_unless_the_valid_rows_are_chosen(org, items, stores):
    import pytest
    from django.core.exceptions import ValidationError

    sheet = importing.parse(_sheet(ROWS), org.user("office1"))
    with pytest.raises(ValidationError):
        importing.apply(sheet, org.user("office1"))
    assert not StockMovement.objects.exists()


def test_a_sheet_without_store_column_goes_to_the_chosen_store(org, items, stores):
    from openpyxl import Workbook

    wb = Workbook()
    wb.active.append(["物资名称", "单位", "库存数量"])
    wb.active.append(["棉被", "床", 6])
    out = BytesIO()
    wb.save(out)
    out.seek(0)
    sheet = importing.parse(out, org.user("office1"), store=stores["c1b"])
    assert sheet.rows[0].ok and sheet.rows[0].data["store"] == stores["c1b"]


def test_the_import_pages_preview_then_import(client, org, items, stores):
    client.force_login(org.user("office1"))
    upload = SimpleUploadedFile("台账.xlsx", _sheet(ROWS[:2]).read())
    response = client.post(reverse("resources:import"), {"file": upload})
    assert response.status_code == 302
    preview = client.get(response["Location"])
    html = preview.content.decode()
    assert "2行待入库" in html and "棉被" in html and not StockMovement.objects.exists()
    done = client.post(response["Location"], {})
    assert done.status_code == 302 and StockMovement.objects.count() == 2
    bad = client.post(reverse("resources:import"), {"file": SimpleUploadedFile("x.xlsx", b"not a workbook")})
    follow = client.get(bad["Location"], follow=True)
    assert "“x.xlsx”无法作为 Excel 工作簿（.xlsx）读取" in follow.content.decode()


def test_a_viewer_may_not_import(client, org):
    client.force_login(org.user("viewer"))
    assert client.get(reverse("resources:import")).status_code == 403
