"""Issue 15's walk in Chromium: the office starts a drill from its console; the exercise incident opens
and the first inject arrives on the incident board (in its drill section, apart from real incidents);
a responder logs the expected action on his phone; the clock moves on, the sweep delivers the next
inject at its minute and it arrives on the board too; the office ends the drill, writes the
after-action report with an area for improvement, downloads the report .docx and reads it back; the
area for improvement is an open corrective action (a real duty).

Screenshots land in var/walk/plans-<step>-<desk|phone>.png for a person to look at."""

import io
from datetime import timedelta
from pathlib import Path

import pytest
import time_machine
from django.utils import timezone

from shouwang.core import scheduler
from shouwang.incidents.models import Incident
from shouwang.obligations.models import Obligation
from shouwang.plans import services
from shouwang.plans.choices import KIND_CORRECTIVE, DrillState
from shouwang.plans.models import Drill, ExpectedAction, Improvement
from tests.e2e.conftest import log_in_page
from tests.plans.conftest import groups, injects, people, plan, presets  # noqa: F401 - fixtures

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
SHOTS = Path(__file__).resolve().parents[2] / "var" / "walk"
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
DESK = {"viewport": {"width": 1366, "height": 900}}


def shot(page, step, where):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"plans-{step}-{where}.png"), full_page=True)


def _context(browser, base_url, kind):
    context = browser.new_context(base_url=base_url, locale="zh-CN", **kind)
    page = context.new_page()
    page.set_default_timeout(15000)
    return context, page


@pytest.fixture
def drill(org, plan, groups, people, settings, tmp_path):  # noqa: F811
    settings.MEDIA_ROOT = tmp_path / "media"
    return services.create_drill(
        node=org.street, user=org.user("office"), title="农贸市场涉恐涉暴事件处置演练", kind="full_scale", plan=plan,
        scheduled_at=timezone.now(), category="violent_attack", level="III", address="一社区农贸市场东门",
        participants=40, objectives="检验先期处置、信息报送和分流点启用。", evaluators=[people["inspector1"]],
        scenario="上午，一社区农贸市场东门有人持刀伤人，群众恐慌。", injects=injects(org, groups, people))


def test_the_drill_walk(org, drill, people, browser, live_server):  # noqa: F811
    desk_ctx, desk = _context(browser, live_server.url, DESK)
    log_in_page(desk, "office", "pw-office")
    desk.goto(drill.get_absolute_url())
    desk.wait_for_selector("text=开始演练")
    assert "【演练】这是演练" in desk.locator(".drill-banner").inner_text()
    shot(desk, "01-planned", "desk")

    # --- the office starts the drill: the exercise incident opens, the first inject goes out
    desk.click("button[data-action=start]")
    desk.wait_for_selector(".messages li")
    assert "演练已开始" in desk.locator(".messages").inner_text()
    drill.refresh_from_db()
    assert drill.state == DrillState.RUNNING
    exercise = Incident.objects.get(drill=drill)
    assert exercise.number.startswith("S-YL-") and exercise.title.startswith("【演练】")
    assert "接警：市场有人持刀伤人" in desk.locator("#console").inner_text()
    shot(desk, "02-console-started", "desk")
    desk.goto("/incidents/")
    desk.wait_for_selector("#board-drills")
    board = desk.locator("#board-drills").inner_text()
    assert "接警：市场有人持刀伤人" in board and exercise.number in board
    assert exercise.number not in desk.locator("#board-table").inner_text()  # not among the real incidents
    shot(desk, "03-board-first-inject", "desk")

    # --- the responder logs the expected action on his phone
    phone_ctx, phone = _context(browser, live_server.url, PHONE)
    log_in_page(phone, "grid1", "pw-grid1")
    phone.goto("/plans/m/")
    phone.click(f"a[href='/plans/m/drills/{drill.pk}/']")
    phone.wait_for_selector("section.phone-inject")
    assert "东门有人持刀伤人。" in phone.locator("section.phone-inject").first.inner_text()
    shot(phone, "04-phone-inject", "phone")
    action = ExpectedAction.objects.get(inject__drill=drill, inject__offset_minutes=0)
    phone.fill(f".phone-action[data-action='{action.pk}'] input[name=note]", "已电话报告城运中心")
    phone.click(f".phone-action[data-action='{action.pk}'] button:has-text('已完成')")
    phone.wait_for_selector(".messages li")
    assert "已记录" in phone.locator(".messages").inner_text()
    action.refresh_from_db()
    assert action.done_at is not None and action.done_by == org.user("grid1")
    shot(phone, "05-phone-logged", "phone")

    # --- five minutes on: the sweep delivers the next inject at its minute, once
    with time_machine.travel(timezone.now() + timedelta(minutes=5, seconds=5), tick=True):
        assert scheduler.run_job("plans.sweep_drills")["delivered"] == 1
        assert scheduler.run_job("plans.sweep_drills")["delivered"] == 0
        desk.goto("/incidents/")
        desk.wait_for_selector("#board-drills >> text=嫌疑人逃入市场内部")
        shot(desk, "06-board-second-inject", "desk")
        phone.reload()
        phone.wait_for_selector("section.phone-inject")
        # the second inject is the public-order group's: a player is told only what is meant for him
        assert "嫌疑人逃入市场内部" not in phone.locator("main").inner_text()
        assert "电话报告城运中心" in phone.locator("main").inner_text()
        shot(phone, "07-phone-after-sweep", "phone")
        desk.goto(drill.get_absolute_url())
        console = desk.locator("#console").inner_text()
        assert "嫌疑人逃入市场内部" in console and "得分" in console
        shot(desk, "08-console-running", "desk")

        # --- the office ends the drill and writes the after-action report
        desk.once("dialog", lambda dialog: dialog.accept())
        desk.click("button[data-action=end]")
        desk.wait_for_selector("text=填写演练总结评估")
        drill.refresh_from_db()
        assert drill.state == DrillState.ENDED
        exercise.refresh_from_db()
        assert exercise.status == "closed"
        desk.fill("textarea[name=strengths]", "接警后网格员报告及时，现场封控迅速。")
        desk.fill("input[name=area_1]", "分流点启用超时，群众疏导不够")
        desk.fill("input[name=action_1]", "修订分流点启用流程并组织专项演练")
        desk.select_option("select[name=owner_1]", str(people["grid1"].pk))
        deadline = timezone.localtime(timezone.now() + timedelta(days=14)).strftime("%Y-%m-%dT%H:%M")
        desk.fill("input[name=deadline_1]", deadline)
        shot(desk, "09-after-action-form", "desk")
        desk.click("button:has-text('保存评估报告')")
        desk.wait_for_selector("text=存在问题及整改措施")
        shot(desk, "10-ended", "desk")

        # --- the report .docx opens and reads back
        with desk.expect_download() as download_info:
            desk.click("a:has-text('演练评估报告（Word）')")
        path = download_info.value.path()
    from docx import Document

    doc = Document(io.BytesIO(Path(path).read_bytes()))
    text = "\n".join([p.text for p in doc.paragraphs] + [c.text for t in doc.tables for r in t.rows for c in r.cells])
    assert "【演练】农贸市场涉恐涉暴事件处置演练" in text and "演练总结评估报告" in text
    assert "预期行动：电话报告城运中心" in text and "嫌疑人逃入市场内部" in text
    assert "分流点启用超时，群众疏导不够" in text and "修订分流点启用流程并组织专项演练" in text
    assert "1小时内口头报告综治（城运）指挥平台" in text

    # --- the area for improvement is an open corrective action
    item = Improvement.objects.get(drill=drill)
    assert item.is_open and item.owner == people["grid1"]
    duty = Obligation.objects.for_subject(item).of_kind(KIND_CORRECTIVE).real().pending().get()
    assert duty.responsible_person == people["grid1"]
    desk.goto(item.get_absolute_url())
    assert "整改中" in desk.locator("main").inner_text()
    shot(desk, "11-corrective-action", "desk")
    phone.goto(item.get_absolute_url())
    phone.wait_for_selector("text=报告整改完成")
    shot(phone, "12-corrective-action", "phone")
    phone.goto(drill.get_absolute_url())
    shot(phone, "13-console-ended", "phone")
    assert Drill.objects.get(pk=drill.pk).reported_at is not None
    desk_ctx.close()
    phone_ctx.close()
