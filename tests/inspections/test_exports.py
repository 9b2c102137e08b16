"""The Excel export of findings and orders: Chinese headers, local times, the order list's filters,
scope, and a sheet that reads back into the import."""

import io
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from openpyxl import load_workbook

from shouwang.inspections import exports, importing
from shouwang.inspections.models import RectificationOrder

from .conftest import inspect

NOW = "2026-12-07 10:00:00+08:00"
LOCAL = ZoneInfo("Asia/Shanghai")


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(NOW, tick=False):
        yield


def _sheet(content):
    return load_workbook(io.BytesIO(content)).worksheets[0]


def _two_orders(org, station, template):
    inspect(org.user("inspector1"), station, template.current, **{"灭火器在有效期内": "no", "消防通道畅通": "no"})
    return list(RectificationOrder.objects.order_by("deadline"))


def test_headers_are_chinese_and_times_local(org, station, template):
    serious, general = _two_orders(org, station, template)
    ws = _sheet(exports.workbook(RectificationOrder.objects.order_by("deadline")))
    header = [c.value for c in ws[1]]
    assert header == exports.HEADERS and header[:3] == ["序号", "整改单号", "检查日期"]
    assert ws.title == "隐患整改台账"
    first = {h: c.value for h, c in zip(header, ws[2], strict=True)}
    assert first["整改单号"] == serious.number
    assert first["隐患等级"] == "较大隐患" and first["状态"] == "已下达" and first["整改情况"] == "未整改"
    # 2026-12-07 10:00 +08:00 plus 7 days: the wall clock of the office, not UTC
    assert first["整改期限"] == datetime(2026, 12, 14, 10, 0, tzinfo=LOCAL).replace(tzinfo=None)
    assert first["检查日期"] == datetime(2026, 12, 7, 10, 0, tzinfo=LOCAL).replace(tzinfo=None)
    assert first["单位名称/场所"] == "东湖加油站" and first["整改责任人"] == "钱晓东"
    assert ws.max_row == 3


def test_the_page_exports_what_the_list_filter_shows_and_only_in_scope(org, station, template, client):
    _two_orders(org, station, template)
    client.force_login(org.user("office"))
    response = client.get(reverse("inspections:rectificationorder_export"), {"severity": "serious"})
    assert response.status_code == 200 and response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml")
    ws = _sheet(response.content)
    assert ws.max_row == 2 and ws.cell(row=2, column=7).value == "较大隐患"
    client.force_login(org.user("grid2"))  # community 2 sees nothing of community 1
    assert _sheet(client.get(reverse("inspections:rectificationorder_export")).content).max_row == 1


def test_an_exported_sheet_reads_back_into_the_import(org, station, template):
    _two_orders(org, station, template)
    content = exports.workbook(RectificationOrder.objects.all())
    sheet = importing.parse(io.BytesIO(content), org.user("office"))
    # every column of the ledger is read; the orders are known by their numbers: nothing to create
    assert [r.outcome for r in sheet.rows] == ["exists", "exists"], [r.errors for r in sheet.rows]
    assert {r.existing.number for r in sheet.rows} == set(RectificationOrder.objects.values_list("number", flat=True))
    assert {r.data["severity"] for r in sheet.rows} == {"serious", "general"}
    assert "整改单号" not in sheet.ignored and "状态" in sheet.ignored
