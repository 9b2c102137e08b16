"""The pages people use: open hazards, an order with its lifecycle actions, inspections, a
place's history, the triage of patrol sightings, the home tiles."""

import io
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from shouwang.inspections.choices import OrderState
from shouwang.inspections.models import Finding, RectificationOrder
from shouwang.patrols.models import Sighting

from .conftest import inspect


def _jpeg(name="after.jpg"):
    buf = io.BytesIO()
    Image.new("RGB", (8, 8), "blue").save(buf, "JPEG")
    return SimpleUploadedFile(name, buf.getvalue(), content_type="image/jpeg")


@pytest.fixture
def two_orders(org, station, template):
    inspect(org.user("inspector1"), station, template.current, **{"灭火器在有效期内": "no", "消防通道畅通": "no"})
    return list(RectificationOrder.objects.order_by("pk"))


def test_the_open_hazard_list_counts_by_severity_and_stays_in_scope(login, org, two_orders):
    page = login(org.user("office")).get(reverse("inspections:rectificationorder_list")).content.decode()
    assert all(o.number in page for o in two_orders)
    assert "较大隐患 1" in page and "一般隐患 1" in page
    assert "消防通道畅通" in page
    other = login(org.user("grid2")).get(reverse("inspections:rectificationorder_list")).content.decode()
    assert not any(o.number in other for o in two_orders)
    assert login(org.user("grid2")).get(reverse("inspections:rectificationorder_detail",
                                                args=[two_orders[0].pk])).status_code == 404


def test_the_open_hazard_list_does_not_grow_its_queries_with_its_rows(login, org, station, template):
    client = login(org.user("office"))
    inspect(org.user("inspector1"), station, template.current, **{"消防通道畅通": "no"})
    with CaptureQueriesContext(connection) as few:
        assert client.get(reverse("inspections:rectificationorder_list")).status_code == 200
    for _n in range(8):
        inspect(org.user("inspector1"), station, template.current, **{"灭火器在有效期内": "no", "消防通道畅通": "no"})
    with CaptureQueriesContext(connection) as many:
        page = client.get(reverse("inspections:rectificationorder_list"))
    assert page.content.decode().count("ZG20") >= 17
    assert len(many) == len(few)


def test_the_liaison_reports_done_with_a_photo_and_may_not_verify(login, org, two_orders):
    order = two_orders[1]
    client = login(org.user("liaison1"))
    page = client.get(order.get_absolute_url()).content.decode()
    assert 'id="report-form"' in page and 'id="verify-form"' not in page
    missing = client.post(reverse("inspections:rectificationorder_report", args=[order.pk]), {"report_text": "已清理"},
                          follow=True)
    assert "请至少上传一张整改后的照片" in missing.content.decode()
    order.refresh_from_db()
    assert order.state == OrderState.ORDERED  # nothing written
    client.post(reverse("inspections:rectificationorder_report", args=[order.pk]),
                {"report_text": "已清理通道杂物", "photos": [_jpeg()]})
    order.refresh_from_db()
    assert order.state == OrderState.REPORTED and order.photos.count() == 1
    page = client.get(order.get_absolute_url()).content.decode()
    assert 'id="verify-form"' not in page and "verify-refusal" in page and "须由其他检查员复查" in page
    refused = client.post(reverse("inspections:rectificationorder_verify", args=[order.pk]), {"result": "pass"},
                          follow=True)
    assert "须由其他检查员复查" in refused.content.decode()
    order.refresh_from_db()
    assert order.state == OrderState.REPORTED


def test_the_ordering_inspector_verifies_and_a_failure_needs_a_new_deadline(login, org, two_orders):
    order = two_orders[1]
    login(org.user("liaison1")).post(reverse("inspections:rectificationorder_report", args=[order.pk]),
                                     {"report_text": "已清理", "photos": [_jpeg()]})
    client = login(org.user("inspector1"))
    assert 'id="verify-form"' in client.get(order.get_absolute_url()).content.decode()
    page = client.post(reverse("inspections:rectificationorder_verify", args=[order.pk]),
                       {"result": "fail", "note": "仍堆放杂物"}, follow=True).content.decode()
    assert "请填写新的整改期限" in page
    deadline = (timezone.localtime() + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    client.post(reverse("inspections:rectificationorder_verify", args=[order.pk]),
                {"result": "fail", "note": "仍堆放杂物", "new_deadline": deadline})
    order.refresh_from_db()
    assert (order.state, order.failed_count) == (OrderState.ORDERED, 1)
    page = client.get(order.get_absolute_url()).content.decode()
    assert "复查未通过 1 次" in page and "仍堆放杂物" in page


def test_a_major_hazard_page_asks_for_the_plan_first(login, org, station, template):
    inspect(org.user("inspector1"), station, template.current, **{"油罐区可燃气体浓度（%LEL）": "40"})
    order = RectificationOrder.objects.get()
    client = login(org.user("liaison1"))
    page = client.get(order.get_absolute_url()).content.decode()
    assert 'id="plan-form"' in page and 'id="report-form"' not in page
    page = client.post(reverse("inspections:rectificationorder_plan", args=[order.pk]),
                       {"goal": "消除泄漏", "method": "更换密封件"}, follow=True).content.decode()
    assert "经费和物资" in page
    assert not hasattr(RectificationOrder.objects.get(), "plan")


def test_inspection_detail_and_the_place_history(login, org, station, template, two_orders):
    inspection = two_orders[0].finding.inspection
    client = login(org.user("office"))
    page = client.get(inspection.get_absolute_url()).content.decode()
    assert "3 / 5" in page and "不合格" in page and two_orders[0].number in page
    history = client.get(reverse("inspections:place_history", args=[station.pk])).content.decode()
    assert inspection.get_absolute_url() in history


def test_the_office_triages_a_patrol_hazard_sighting(login, org, station):
    sighting = Sighting.objects.create(jurisdiction=org.c1, kind="hazard", text="加油站后门堆放纸箱",
                                       received_at=timezone.now(), client_uuid="3b8e0c5e-1111-4f2a-9d1e-2a7c5b3a9f01",
                                       reported_by=org.user("patrol1"))
    client = login(org.user("office"))
    assert sighting.text in client.get(reverse("inspections:triage_list")).content.decode()
    client.post(reverse("inspections:sighting_triage", args=[sighting.pk]),
                {"severity": "serious", "place": station.pk, "description": "后门堆放纸箱，堵塞疏散通道"})
    finding = Finding.objects.get(sighting=sighting)
    assert finding.order.deadline - timezone.now() > timedelta(days=6)
    assert sighting.text not in client.get(reverse("inspections:triage_list")).content.decode()
    assert login(org.user("patrol1")).get(reverse("inspections:triage_list")).status_code == 403


def test_home_tiles_for_the_inspector_and_the_liaison(login, org, two_orders):
    order = two_orders[0]
    login(org.user("liaison1")).post(reverse("inspections:rectificationorder_report", args=[order.pk]),
                                     {"report_text": "已更换灭火器", "photos": [_jpeg()]})
    liaison_home = login(org.user("liaison1")).get("/").content.decode()
    assert two_orders[1].number in liaison_home  # his open order
    inspector_home = login(org.user("inspector2")).get("/").content.decode()
    assert order.number in inspector_home  # to verify
