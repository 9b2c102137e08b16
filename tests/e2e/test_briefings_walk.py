"""Issue 17's walk in Chromium, on the demo district: the street office makes yesterday's daily
briefing from the data, writes the remark (按语), has it reviewed, issues it (numbered 第1期, the
scheduled briefing met) and downloads its Word document, which reads back; the day's consultation
reviews it and a decision becomes a duty with a time limit; the dashboard compares the communities; the command centre's screen opens its wall link once and shows the street's
communities in their colours, in large type, refreshing by itself, without a login.

Screenshots land in var/walk/briefings-<step>-<desk|wall|phone>.png for a person to look at."""

import io
from datetime import timedelta
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone
from docx import Document

from shouwang.briefings import dashboard, services
from shouwang.briefings import demo as briefings_demo
from shouwang.briefings.choices import KIND_BRIEFING
from shouwang.briefings.models import Briefing
from shouwang.core import demo as core_demo
from shouwang.core.models import Jurisdiction
from shouwang.incidents import demo as incidents_demo
from shouwang.inspections import demo as inspections_demo
from shouwang.obligations import demo as obligations_demo
from shouwang.obligations.models import Obligation
from shouwang.patrols import demo as patrols_demo
from shouwang.policies import demo as policies_demo
from shouwang.registers import demo as registers_demo
from tests.e2e.conftest import log_in_page

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
SHOTS = Path(__file__).resolve().parents[2] / "var" / "walk"
DESK = {"viewport": {"width": 1366, "height": 900}}
WALL = {"viewport": {"width": 1920, "height": 1080}}
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
PASSWORD = core_demo.DEMO_PASSWORD


def shot(page, step, where):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"briefings-{step}-{where}.png"), full_page=where != "wall")


def _context(browser, base_url, kind):
    context = browser.new_context(base_url=base_url, locale="zh-CN", **kind)
    page = context.new_page()
    page.set_default_timeout(20000)
    return context, page


@pytest.fixture
def district(settings, tmp_path):
    """The demo district as the office finds it in the morning: its registers, patrols, inspections,
    incidents and a week of daily reports, but no briefing yet; today's scheduled briefing opened."""
    settings.MEDIA_ROOT = tmp_path / "media"
    quiet = lambda *_: None  # noqa: E731
    for loader in (core_demo.load, policies_demo.load, obligations_demo.load, registers_demo.load, patrols_demo.load,
                   inspections_demo.load, incidents_demo.load, briefings_demo.load_reports):
        loader(out=quiet)
    street = Jurisdiction.objects.get(code="QL-WC")
    services.open_upcoming_briefing_obligations()
    return street


def test_the_briefings_walk(district, browser, live_server, tmp_path):
    street = district
    yesterday = timezone.localdate() - timedelta(days=1)
    desk_ctx, desk = _context(browser, live_server.url, DESK)
    log_in_page(desk, "office", PASSWORD)

    # --- the office makes yesterday's daily briefing from the data
    desk.goto("/briefings/")
    desk.click("nav.briefings-nav >> text=简报")
    desk.wait_for_url("**/briefings/briefings/")
    desk.click("[data-make]")
    assert desk.locator("#id_jurisdiction option:checked").inner_text() == "望川街道"
    assert desk.locator("#id_days").input_value() == "1"
    assert desk.locator("#id_end").input_value() == yesterday.isoformat()
    shot(desk, "01-make", "desk")
    desk.click("main button[type=submit]")
    desk.wait_for_selector("article.briefing[data-state=draft]")
    briefing = Briefing.objects.get()
    assert desk.locator("h1.masthead").inner_text() == "望川街道每日综合简报"
    assert desk.locator("section[data-section=daily_reports] p.sentence").first.inner_text().startswith(
        "本期各社区应报送每日早晚报12份")
    # a figure opens the list behind it
    first_link = desk.locator("section[data-section=daily_reports] table.briefing-table a").first
    href = first_link.get_attribute("href")
    assert href.startswith("/obligations/board/?") and "period_after=" + yesterday.isoformat() in href
    desk.wait_for_selector("section[data-section=daily_reports] [data-chart] canvas")  # the chart drawn
    shot(desk, "02-draft", "desk")

    # --- the remark, a note under the patrols, the distribution
    desk.click("text=编辑按语和编者注")
    desk.fill("#id_remark", "昨日辖区总体平稳，请各社区严格落实早晚报时限。")
    desk.fill("#id_note_patrols", "地铁明湖站A口为必到点位，明湖社区要说明漏巡原因。")
    desk.fill("#id_report_to", "望川区委政法委")
    desk.fill("#id_send_to", "各社区居委会")
    shot(desk, "03-remark", "desk")
    desk.click("main button[type=submit] >> text=保存")
    desk.wait_for_selector("section.remark")
    assert "请各社区严格落实早晚报时限" in desk.locator("section.remark").inner_text()
    assert "明湖社区要说明漏巡原因" in desk.locator("section[data-section=patrols] p.note").inner_text()

    # --- reviewed, then issued (the confirmation accepted): numbered, frozen
    desk.click("button >> text=审核通过")
    desk.wait_for_selector("article.briefing[data-state=reviewed]")
    desk.once("dialog", lambda dialog: dialog.accept())
    desk.click("button >> text=印发")
    desk.wait_for_selector("article.briefing[data-state=issued]")
    number = f"{timezone.localdate().year}年第1期"
    assert desk.locator("[data-number]").inner_text() == number
    assert desk.locator("text=编辑按语和编者注").count() == 0  # nothing to change any more
    assert "已印发" in desk.locator("ul.messages").inner_text()
    shot(desk, "04-issued", "desk")
    scheduled = Obligation.objects.of_kind(KIND_BRIEFING).get(key=services.briefing_key(street, 1, yesterday))
    assert scheduled.met_at is not None

    # --- downloaded: the Word file reads back
    with desk.expect_download() as info:
        desk.click("[data-download]")
    path = tmp_path / "briefing.docx"
    info.value.save_as(path)
    assert info.value.suggested_filename == f"望川街道每日综合简报-{timezone.localdate().year}-001.docx"
    doc = Document(io.BytesIO(path.read_bytes()))
    texts = [p.text for p in doc.paragraphs]
    assert texts[0] == "望川街道每日综合简报" and texts[1] == number
    assert "按语：昨日辖区总体平稳，请各社区严格落实早晚报时限。" in texts
    assert texts[-2:] == ["报：望川区委政法委", "发：各社区居委会"]
    assert len(doc.inline_shapes) == sum(len(s["charts"]) for s in Briefing.objects.get().sections) > 0

    # --- the day's consultation reviews the briefing and decides; a decision is a duty with a time limit
    desk.click("nav.briefings-nav >> text=每日会商")
    desk.click("a.btn >> text=新增")
    desk.select_option("#id_jurisdiction", label="望川街道")
    desk.fill("#id_chaired_by", "周振华")
    desk.fill("#id_attendees", "周振华（分管领导）\n望川派出所值班民警\n各社区书记")
    desk.fill("#id_items", "昨日每日综合简报\n地铁明湖站客流")
    desk.select_option("#id_briefing", index=1)
    desk.click("main button[type=submit]")
    desk.wait_for_selector("#decisions")
    desk.fill("#id_text", "明湖社区早晚高峰在地铁站口增派2名巡防队员")
    desk.select_option("#id_responsible_unit", label="明湖社区居委会")
    desk.click("button >> text=添加")
    desk.wait_for_selector("tr[data-decision] .badge")
    assert "明湖社区早晚高峰" in desk.locator("tr[data-decision]").inner_text()
    shot(desk, "05-consultation", "desk")

    # --- the dashboard: today, the trends, the communities compared
    desk.goto(f"/briefings/dashboard/?node={street.pk}&days=7")
    desk.wait_for_selector("#trends [data-chart] canvas")
    assert desk.locator("table.children-table tbody tr").count() == 6
    shot(desk, "06-dashboard", "desk")

    # --- the leader sets up the command centre's screen; the screen opens its link once
    log_in_page(desk, "leader", PASSWORD)
    desk.goto("/briefings/wall/screens/new/")
    desk.select_option("#id_jurisdiction", label="望川街道")
    desk.fill("#id_name", "城运中心大屏")
    desk.click("main button[type=submit]")
    link = desk.locator("input.wall-link").input_value()
    assert "/briefings/wall/open/" in link
    shot(desk, "07-screen", "desk")
    wall_ctx, wall = _context(browser, live_server.url, WALL)
    wall.goto(link.replace("http://testserver", live_server.url))
    wall.wait_for_selector("section.wall-children article.wall-child")
    expected = dashboard.worst_colours(street, timezone.localdate())
    children = wall.locator("article.wall-child")
    assert children.count() == 6
    seen = {}
    for i in range(children.count()):
        child = children.nth(i)
        seen[child.get_attribute("data-child")] = child.get_attribute("data-colour")
    by_code = {n.code: expected[n.pk]["colour"] or "none" for n in Jurisdiction.objects.filter(pk__in=expected)}
    assert seen == by_code and {"orange", "green"} <= set(seen.values())
    big = wall.evaluate("parseFloat(getComputedStyle(document.querySelector('.wall-child h2')).fontSize)")
    assert big >= 40  # read from across the room
    assert wall.locator("#wall-body").get_attribute("hx-trigger") == "every 60s"
    wall.evaluate("htmx.trigger('#wall-body', 'every 60s')")  # a refresh: the partial, not the login page
    wall.wait_for_timeout(500)
    assert wall.locator("article.wall-child").count() == 6 and "/login/" not in wall.url
    shot(wall, "08-wall", "wall")
    assert get_user_model().objects.get(username="wall-ql-wc").role_assignments.get().role == "viewer"

    # the wall on a phone still reads
    phone_ctx, phone = _context(browser, live_server.url, PHONE)
    log_in_page(phone, "office", PASSWORD)
    phone.goto(f"/briefings/wall/?node={street.pk}")
    phone.wait_for_selector("article.wall-child")
    shot(phone, "09-wall", "phone")
    phone.goto(f"/briefings/briefings/{briefing.pk}/")
    shot(phone, "10-briefing", "phone")
    for context in (desk_ctx, wall_ctx, phone_ctx):
        context.close()
