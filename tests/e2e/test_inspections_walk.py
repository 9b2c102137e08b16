"""Issue 13's walk in Chromium: an inspector inspects a fuel station on his phone with no network
(two items fail, signatures, a photo), the inspection waits on the phone and is sent once when the
network is back: one inspection, two rectification orders. The station's liaison reports one done
with a photo (desk and phone) and may not verify it himself; the ordering inspector verifies it and
the order is closed. The other order passes its deadline: the sweep escalates it once, however often
it runs, and the audit lists it. A supervision bulletin with both findings is issued and its Word
document read back.

Screenshots land in var/walk/inspections-<step>-<desk|phone>.png for a person to look at."""

import io
from datetime import timedelta
from pathlib import Path

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from shouwang.core.choices import PersonKind, Role, UnitKind
from shouwang.core.models import Person, Unit
from shouwang.inspections import services
from shouwang.inspections.choices import KIND_RECTIFY, OrderState
from shouwang.inspections.models import Inspection, RectificationOrder
from shouwang.obligations.escalation import sweep
from shouwang.obligations.models import Notification, Obligation
from shouwang.registers.models import KeyPlace
from tests.conftest import make_user
from tests.e2e.conftest import Cable, log_in_page

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
SHOTS = Path(__file__).resolve().parents[2] / "var" / "walk"
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
DESK = {"viewport": {"width": 1366, "height": 900}}
ITEMS = [
    {"section": "消防安全", "text": "灭火器配置齐全且在有效期内", "answer_type": "yes_no", "severity": "general"},
    {"section": "消防安全", "text": "消防通道畅通无堵塞", "answer_type": "yes_no", "severity": "serious"},
    {"section": "消防安全", "text": "消防沙、灭火毯按规定放置", "answer_type": "yes_no", "severity": "general"},
    {"section": "油罐区", "text": "油罐区可燃气体浓度", "answer_type": "number", "max_value": 20, "unit_label": "%LEL",
     "severity": "serious", "guidance": "用便携式检测仪在人孔井处测量"},
    {"section": "油罐区", "text": "卸油作业有专人监护", "answer_type": "yes_no", "severity": "general"},
    {"section": "管理制度", "text": "值班记录", "answer_type": "choice", "options": ["完整", "不完整", "缺失"],
     "failing_options": ["缺失"], "severity": "general"},
    {"section": "管理制度", "text": "其他情况", "answer_type": "text", "severity": "note"},
]
FAILING = ("消防通道畅通无堵塞", "卸油作业有专人监护")
ALL_OK = {c: {"ok": True, "note": ""} for c in ("ledgers", "forces", "measures", "hazards")}


def shot(page, step, where):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"inspections-{step}-{where}.png"), full_page=True)


def _photo(tmp_path, name, colour):
    path = tmp_path / name
    Image.new("RGB", (1600, 1200), colour).save(path, "JPEG")  # a camera-sized picture: the page shrinks it
    return str(path)


def _context(browser, base_url, kind):
    context = browser.new_context(base_url=base_url, locale="zh-CN", **kind)
    page = context.new_page()
    page.set_default_timeout(15000)
    return context, page


def _sign(page, selector):
    page.locator(selector).scroll_into_view_if_needed()
    box = page.locator(selector).bounding_box()
    x, y = box["x"], box["y"]
    page.mouse.move(x + 30, y + 90)
    assert 0 < y + 90 < 844, box
    page.mouse.down()
    for dx, dy in ((60, -50), (110, 20), (160, -40), (220, 30), (280, -20)):
        page.mouse.move(x + dx, y + 90 + dy, steps=4)
    page.mouse.up()


@pytest.fixture
def scene(org, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    unit = Unit.objects.create(jurisdiction=org.c1, name="东湖加油站有限公司", kind=UnitKind.BUSINESS)
    liaison = make_user("liaison1", Role.UNIT_LIAISON, org.c1)
    person = Person.objects.create(jurisdiction=org.c1, name="钱晓东", kind=PersonKind.CONTACT, unit=unit, user=liaison)
    unit.responsible_person = person
    unit.save()
    inspectors = []
    for username, name in (("inspector1", "冯立新"), ("inspector2", "孙海燕")):
        user = make_user(username, Role.INSPECTOR, org.street)
        Person.objects.create(jurisdiction=org.street, name=name, kind=PersonKind.STAFF, user=user)
        inspectors.append(user)
    station = KeyPlace.objects.create(jurisdiction=org.c1, name="东湖加油站", kind="unit", category="petroleum",
                                      unit=unit, responsible_unit=unit, responsible_person=person,
                                      address="东湖路88号", lat=31.2301, lon=121.4702)
    KeyPlace.objects.create(jurisdiction=org.c1, name="一社区菜市场", kind="unit", category="market",
                            lat=31.26, lon=121.52)
    template = services.create_template(node=org.street, name="加油站安全检查表", category="petroleum", items=ITEMS)
    return {"station": station, "template": template, "inspector": inspectors[0], "liaison": liaison}


def test_the_inspections_walk(org, scene, browser, live_server, tmp_path):
    cable = Cable(int(live_server.url.rsplit(":", 1)[1]))
    try:
        _walk(org, scene, browser, live_server, cable, tmp_path)
    finally:
        cable.close()


def _walk(org, scene, browser, live_server, cable, tmp_path):
    station = scene["station"]
    # --- the inspector on his phone, at the station
    phone_ctx, phone = _context(browser, cable.url, PHONE)
    phone_ctx.grant_permissions(["geolocation"])
    phone_ctx.set_geolocation({"latitude": 31.2302, "longitude": 121.4703, "accuracy": 10})
    log_in_page(phone, "inspector1", "pw-inspector1")
    phone.goto("/inspections/m/")
    phone.wait_for_selector(f"button.place[data-place='{station.pk}']")
    phone.wait_for_function("navigator.serviceWorker.controller !== null")
    phone.wait_for_function("caches.match('/inspections/m/').then(r => !!r)")
    # nearest first: the station he stands at, then the market 4 km away
    assert phone.locator("button.place").first.get_attribute("data-place") == str(station.pk)
    assert "公里" in phone.locator("button.place").first.inner_text()
    shot(phone, "01-places", "phone")

    # No network: the cable to the server is cut and the browser is told it is offline.
    cable.unplug()
    phone_ctx.set_offline(True)
    phone.reload()  # the shell from the service worker, the places from the phone's copy
    phone.wait_for_selector(f"button.place[data-place='{station.pk}']")
    phone.wait_for_selector("#net.off")
    phone.fill("#search", "加油")
    assert phone.locator("button.place").count() == 1
    phone.click(f"button.place[data-place='{station.pk}']")
    phone.wait_for_selector("#checklist:not([hidden])")
    assert phone.locator("#place-name").inner_text() == "东湖加油站"
    assert "合格范围：不高于 20 %LEL" in phone.locator("#sections").inner_text()

    items = {i.text: i for i in scene["template"].current.items.all()}
    card = lambda text: f".item[data-item='{items[text].pk}']"  # noqa: E731
    for text, item in items.items():
        if item.answer_type == "yes_no":
            phone.click(f"{card(text)} button[data-value='{'no' if text in FAILING else 'yes'}']")
    phone.fill(f"{card('油罐区可燃气体浓度')} input.number", "8")
    phone.click(f"{card('值班记录')} button[data-value='完整']")
    phone.fill(f"{card('其他情况')} textarea", "无")
    phone.fill(f"{card('消防通道畅通无堵塞')} input.note", "通道口堆放两排空油桶")
    phone.set_input_files(f"{card('消防通道畅通无堵塞')} input.photo", _photo(tmp_path, "aisle.jpg", "orange"))
    phone.wait_for_selector(f"{card('消防通道畅通无堵塞')} .thumb img")
    # the live score: 7 points possible, less the two failed
    assert phone.locator("#score").inner_text() == "得分 5/7"
    assert phone.locator("#failed-count").inner_text() == "2 项不合格"
    assert phone.locator(f"{card('消防通道畅通无堵塞')}.fail").count() == 1
    _sign(phone, "#sig-inspector")
    assert phone.locator("#present-person").input_value() == "钱晓东"  # the place's responsible person
    _sign(phone, "#sig-present")
    shot(phone, "02-checklist", "phone")
    phone.click("#submit")
    phone.wait_for_selector("#queue li.waiting")
    assert "等待网络" in phone.locator("#queue li.waiting").inner_text()
    assert phone.locator("#queue-count").inner_text() == "1"
    phone.reload()  # the queue survives a reload with no network
    phone.wait_for_selector("#queue li.waiting")
    shot(phone, "03-queued", "phone")
    assert Inspection.objects.count() == 0

    # The network is back: it goes once.
    cable.plug()
    phone_ctx.set_offline(False)
    phone.wait_for_selector("#queue li.synced", timeout=20000)
    sent = phone.locator("#queue li.synced").inner_text()
    assert "已发送" in sent and "得分 5/7" in sent and "2 项隐患待整改" in sent
    phone.evaluate("window.shouwangInspection.sync()")
    phone.reload()
    phone.wait_for_selector("#queue li.synced")
    shot(phone, "04-sent", "phone")
    inspection = Inspection.objects.get()
    assert inspection.inspector == scene["inspector"] and inspection.failed_count == 2
    assert inspection.inspector_signature and inspection.present_signature and inspection.present_person == "钱晓东"
    assert inspection.answers.get(item=items["消防通道畅通无堵塞"]).photos.count() == 1
    orders = list(RectificationOrder.objects.select_related("finding").order_by("deadline", "pk"))
    assert len(orders) == 2
    aisle = next(o for o in orders if "消防通道" in o.finding.description)
    other = next(o for o in orders if o is not aisle)
    phone_ctx.close()

    # --- the station's liaison reports the aisle cleared, at his desk
    desk_ctx, desk = _context(browser, live_server.url, DESK)
    log_in_page(desk, "liaison1", "pw-liaison1")
    desk.goto(reverse("inspections:rectificationorder_detail", args=[aisle.pk]))
    desk.wait_for_selector("#report-form")
    shot(desk, "05-order-liaison", "desk")
    desk.fill("#report-form textarea[name=report_text]", "空油桶已全部清走，通道恢复畅通。")
    desk.set_input_files("#report-form input[name=photos]", _photo(tmp_path, "cleared.jpg", "green"))
    desk.click("#report-form button:has-text('报告整改完成')")
    desk.wait_for_selector(".verify-refusal")
    aisle.refresh_from_db()
    assert aisle.state == OrderState.REPORTED and aisle.reported_by == scene["liaison"]
    assert desk.locator("#verify-form").count() == 0  # he may not verify his own work
    assert desk.locator(".verify-refusal").inner_text().strip()
    shot(desk, "06-reported-liaison", "desk")
    desk_ctx.close()
    # ... and on his phone the same page reads
    lp_ctx, liaison_phone = _context(browser, live_server.url, PHONE)
    log_in_page(liaison_phone, "liaison1", "pw-liaison1")
    liaison_phone.goto(reverse("inspections:rectificationorder_detail", args=[other.pk]))
    liaison_phone.wait_for_selector("#report-form")
    shot(liaison_phone, "07-order-liaison", "phone")
    liaison_phone.goto(reverse("inspections:rectificationorder_detail", args=[aisle.pk]))
    liaison_phone.wait_for_selector(".verify-refusal")
    shot(liaison_phone, "08-reported-liaison", "phone")
    lp_ctx.close()

    # --- the inspector who ordered it verifies it
    desk_ctx, desk = _context(browser, live_server.url, DESK)
    log_in_page(desk, "inspector1", "pw-inspector1")
    desk.goto(reverse("inspections:rectificationorder_detail", args=[aisle.pk]))
    desk.wait_for_selector("#verify-form")
    desk.check("#verify-form input[name=result][value=pass]")
    desk.fill("#verify-form textarea[name=note]", "现场复查，通道畅通。")
    desk.check("#verify-form input[name=on_site]")
    desk.fill("#verify-form input[name=acceptance_members]", "冯立新、钱晓东")
    desk.click("#verify-form button:has-text('提交复查')")
    desk.wait_for_selector("text=复查通过，已销号")
    aisle.refresh_from_db()
    assert aisle.state == OrderState.CLOSED
    shot(desk, "09-verified", "desk")
    desk_ctx.close()

    # --- the other order passes its deadline: the sweep escalates it once
    duty = next(o for o in Obligation.objects.for_subject(other) if o.kind == KIND_RECTIFY)
    late = other.deadline + timedelta(hours=3)
    with time_machine.travel(late, tick=True):
        sweep(now=late)
        first = Notification.objects.filter(obligation=duty).count()
        step = Obligation.objects.get(pk=duty.pk).escalation_step
        sweep(now=late + timedelta(minutes=5))
        assert first > 0 and Notification.objects.filter(obligation=duty).count() == first
        assert Obligation.objects.get(pk=duty.pk).escalation_step == step
        desk_ctx, desk = _context(browser, live_server.url, DESK)
        log_in_page(desk, "office", "pw-office")
        today = timezone.localdate()
        desk.goto(f"/audit/?node={org.street.pk}&since={today - timedelta(days=6)}&until={today}")
        row = desk.locator(f"table.audit-rows tr[data-obligation='{duty.pk}']")
        assert row.count() == 1 and row.get_attribute("data-finding") == "missed"
        assert other.number in row.inner_text() and "钱晓东" in row.inner_text()
        shot(desk, "10-audit", "desk")
        desk_ctx.close()

    # --- the supervision bulletin with both findings, downloaded and read back
    findings = [o.finding for o in orders]
    visit = services.record_visit(scene["inspector"], node=org.c1, visited_on=timezone.localdate(), method="site",
                                  inspectors="冯立新、孙海燕", judgements=ALL_OK, findings=[
                                      {"description": f.description, "severity": f.severity, "place": station.pk}
                                      for f in findings])
    bulletin = services.create_bulletin(visit, user=org.user("office"), title="关于一社区加油站安全检查情况的通报",
                                        issuer="测试街道平安建设办公室", body="督查组对东湖加油站进行了检查。")
    bulletin = services.issue_bulletin(bulletin, user=org.user("office"))
    desk_ctx, desk = _context(browser, live_server.url, DESK)
    log_in_page(desk, "office", "pw-office")
    desk.goto(bulletin.get_absolute_url())
    shot(desk, "11-bulletin", "desk")
    response = desk.request.get(reverse("inspections:bulletin_download", args=[bulletin.pk]))
    assert response.ok
    from docx import Document

    document = Document(io.BytesIO(response.body()))
    table = "\n".join(cell.text for row in document.tables[0].rows for cell in row.cells)
    for finding in findings:
        assert finding.description in table
    desk_ctx.close()


def test_a_sent_back_inspection_shows_its_reasons_by_item_and_is_corrected(org, scene, browser, live_server, tmp_path):
    station = scene["station"]
    items = {i.text: i for i in scene["template"].current.items.all()}
    cable = Cable(int(live_server.url.rsplit(":", 1)[1]))
    context, phone = _context(browser, cable.url, PHONE)
    try:
        log_in_page(phone, "inspector1", "pw-inspector1")
        phone.goto(f"/inspections/m/?place={station.pk}")  # opened for the place: its checklist at once
        phone.wait_for_selector("#checklist:not([hidden])")
        cable.unplug()
        for item in items.values():
            if item.answer_type == "yes_no":
                phone.click(f".item[data-item='{item.pk}'] button[data-value='yes']")
        phone.fill(f".item[data-item='{items['油罐区可燃气体浓度'].pk}'] input.number", "35")  # over the limit
        assert phone.locator(f".item[data-item='{items['油罐区可燃气体浓度'].pk}'] .verdict").inner_text() == "超出合格范围"
        phone.click(f".item[data-item='{items['值班记录'].pk}'] button[data-value='缺失']")
        _sign(phone, "#sig-inspector")
        phone.click("#submit")
        phone.wait_for_selector("#queue li.waiting")
        # Meanwhile the office makes a photo compulsory on the gas reading: the phone did not know.
        type(items["油罐区可燃气体浓度"]).objects.filter(pk=items["油罐区可燃气体浓度"].pk).update(photo_required=True)
        cable.plug()
        phone.wait_for_selector("#queue li.refused", timeout=20000)
        refused = phone.locator("#queue li.refused").inner_text()
        assert "被退回" in refused and "第 4 项 · 油罐区可燃气体浓度：该项须拍照" in refused, refused
        assert phone.locator("#message").inner_text().startswith("被退回")
        shot(phone, "12-sent-back", "phone")
        assert Inspection.objects.count() == 0
        phone.click("#queue li.refused button:has-text('修改后重新发送')")
        card = f".item[data-item='{items['油罐区可燃气体浓度'].pk}']"
        phone.wait_for_selector(f"{card}.error")
        assert phone.locator(f"{card} input.number").input_value() == "35"  # the answers came back
        phone.set_input_files(f"{card} input.photo", _photo(tmp_path, "meter.jpg", "grey"))
        phone.wait_for_selector(f"{card} .thumb img")
        phone.click("#submit")
        phone.wait_for_selector("#queue li.synced", timeout=20000)
        assert phone.locator("#queue li.refused").count() == 0
        inspection = Inspection.objects.get()
        assert inspection.failed_count == 2 and RectificationOrder.objects.count() == 2
    finally:
        context.close()
        cable.close()
