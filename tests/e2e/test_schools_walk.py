"""Issue 18's walk in Chromium, on a 390×844 phone and the street office's desk. Tuesday 1 December
2026, 07:05 in Shanghai: the primary school's guard opens the gate phone page, loses the network and
registers a visitor (the visitor is inside on his phone at once, waiting to be sent); the network comes
back and the visitor is in the school's log once. The host confirms the visit on his phone and the
guard lets the visitor out. At the arrival window the leader on duty, the guard and the teacher of the
week each tap "at the gate" on their own phones: the window is met. The street office's schools view
on a desk shows the school green (gate held, the month's drill held, cameras checked, guards by the
standard, no open hazard) and the middle school red (one guard where four are required), and the
school's own page says why.

Screenshots land in var/walk/schools-<step>-<phone|desk>.png for a person to look at."""

from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import timezone

from shouwang.core.choices import PersonKind
from shouwang.core.models import Person
from shouwang.duty import services as duty
from shouwang.duty.choices import Pattern, Post
from shouwang.plans import services as plans
from shouwang.plans.choices import DrillKind, DrillState
from shouwang.plans.models import Drill
from shouwang.policies.services import assign
from shouwang.resources import services as resources
from shouwang.resources.models import Equipment
from shouwang.schools import services
from shouwang.schools.models import CameraCheck, GateConfirmation, GateWindow, VisitorEntry
from tests.conftest import make_user
from tests.e2e.conftest import Cable, log_in_page
from tests.schools.conftest import FIRST, presets, schools  # noqa: F401 - fixtures

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
SHOTS = Path(__file__).resolve().parents[2] / "var" / "walk"
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
DESK = {"viewport": {"width": 1366, "height": 900}}
MORNING = datetime(2026, 12, 1, 7, 5, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture
def clock():
    """The school morning, the clock running (the live server and the phones share it)."""
    with time_machine.travel(MORNING, tick=True) as traveller:
        yield traveller


def _until(page, promise, seconds=15):
    """Wait for a script's promise to come true (wait_for_function takes a pending promise for true)."""
    for _ in range(seconds * 5):
        if page.evaluate(promise):
            return
        page.wait_for_timeout(200)
    raise AssertionError(f"never true: {promise}")


def shot(page, step, where):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"schools-{step}-{where}.png"), full_page=True)


def _phone(browser, cable, username, school):
    context = browser.new_context(base_url=cable.url, locale="zh-CN", **PHONE)
    context.clock.install(time=timezone.now())  # the phone's clock reads the school morning too
    context.grant_permissions(["geolocation"])
    context.set_geolocation({"latitude": school.unit.lat, "longitude": school.unit.lon, "accuracy": 10})
    page = context.new_page()
    page.set_default_timeout(15000)
    page.on("pageerror", lambda error: pytest.fail(f"{username}'s phone page: {error}"))
    log_in_page(page, username, f"pw-{username}")
    page.goto("/schools/m/")
    page.wait_for_function("document.getElementById('who').textContent.length > 0")
    return context, page


@pytest.fixture
def scene(org, schools, presets):  # noqa: F811
    """The primary school in order by the standard: two guards on staff (620 pupils need 2), each with
    his stab vest issued, and the gatehouse around the clock on their roster; the school plan E's monthly drill held this morning
    before school; today's gate windows and camera checks opened by the morning job."""
    primary = schools.primary
    assign(org.street, presets["school-prevention-plan-e"], priority=0)
    second = Person.objects.create(jurisdiction=org.c1, name="一社区小学保安乙", kind=PersonKind.SECURITY,
                                   unit=primary.unit, user=make_user("guard_a2"))
    primary.security_staff.add(second)
    guards = list(primary.security_staff.order_by("pk"))
    gatehouse = duty.create_roster(
        node=org.c1, name="一社区小学门卫室24小时值班表", starts_on=FIRST - timedelta(days=7), days=38,
        shifts=[{"id": "duty24", "label": "门卫24小时", "start": "07:00", "end": "07:00"}],
        demand=[{"shift": "duty24", "role": Post.GATE_GUARD, "count": 1}], rules={"max_shifts_per_7_days": 7},
        members=guards)
    duty.generate(gatehouse, pattern=Pattern.DAILY, groups=[guards], post=Post.GATE_GUARD)
    duty.publish(gatehouse)
    primary.rosters.add(gatehouse)
    for n, guard in enumerate(guards, 1):  # each guard's stab vest, issued from the street's store (resources)
        vest = Equipment.objects.create(jurisdiction=org.street, kind="stab_vest", name="防刺背心 FC-2",
                                        serial_number=f"XX-FCB-{n:03d}")
        resources.issue_equipment(vest, person=guard, purpose="duty", due_back_at=MORNING + timedelta(days=180),
                                  at=MORNING - timedelta(days=30), note="校门值守")
    start = MORNING - timedelta(minutes=50)
    Drill.objects.create(jurisdiction=org.c1, title="十二月疏散演练", kind=DrillKind.EVACUATION, unit=primary.unit,
                         scheduled_at=start, category="fire", address="教学楼", state=DrillState.ENDED,
                         started_at=start, ended_at=start + timedelta(minutes=20), evacuation_signal_at=start,
                         all_clear_at=start + timedelta(seconds=95), target_seconds=120)
    plans.open_planned_drills()
    services.open_school_days(days=1)
    return schools


def test_the_schools_walk(org, scene, browser, live_server, clock):
    cable = Cable(int(live_server.url.rsplit(":", 1)[1]))
    try:
        _walk(org, scene, browser, live_server, cable)
    finally:
        cable.close()


def _walk(org, s, browser, live_server, cable):
    primary = s.primary
    teacher = s.person("teacher_a")

    # --- the guard registers a visitor with no network -----------------------------------------
    guard_ctx, guard = _phone(browser, cable, "guard_a", primary)
    guard.wait_for_selector("#guard:not([hidden])")
    guard.wait_for_function("navigator.serviceWorker.controller !== null")
    # the day's data kept on the phone through the worker (the page reads it again once controlled)
    _until(guard, "caches.open('schools-v1').then(c => c.match('/schools/m/data.json')).then(r => !!r)")
    # the dismissal window's tap is not offered before 15:30 (the server would refuse it)
    evening = GateWindow.objects.get(school=primary, kind="dismissal", day=timezone.localdate())
    later = guard.locator(f"#windows button[data-window='{evening.pk}']")
    assert later.is_disabled() and later.inner_text() == "15:30起可确认"
    assert "本人岗位：保安" in guard.locator("#windows").inner_text()
    shot(guard, "1-gate-page", "phone")
    cable.unplug()
    guard_ctx.set_offline(True)
    guard.reload()  # the shell and the day's data from the phone's copy
    guard.wait_for_selector("#guard:not([hidden])")
    guard.wait_for_selector("#net.off")
    guard.click("#open-visitor")  # tap 1
    guard.fill("#v-name", "韩立新")
    guard.fill("#v-phone", "13700001234")
    guard.fill("#v-organisation", "望川电梯维保公司")
    guard.click("#purposes button:has-text('维修')")  # tap 2
    guard.select_option("#v-host", str(teacher.pk))
    guard.fill("#v-last4", "402X")
    guard.fill("#v-badge", "访05")
    shot(guard, "2-visitor-form-offline", "phone")
    guard.click("#visitor-submit")  # tap 3
    guard.wait_for_selector("#queue li.waiting")
    # inside at once on his phone, waiting to be sent; nothing has reached the school's log yet
    assert "韩立新" in guard.locator("#inside").inner_text()
    assert guard.locator("#queue-count").inner_text() == "1"
    assert "网络恢复后自动发送" in guard.locator("#message").inner_text()
    assert VisitorEntry.objects.count() == 0
    shot(guard, "3-visitor-queued-offline", "phone")

    cable.plug()
    guard_ctx.set_offline(False)
    guard.click("#sync")
    guard.wait_for_selector("#queue li.synced", timeout=20000)
    guard.wait_for_selector("#net:not(.off)")
    entry = VisitorEntry.objects.get()
    assert (entry.name, entry.id_last4, entry.host, entry.school) == ("韩立新", "402X", teacher, primary)
    assert entry.purpose == "维修" and entry.registered_by == s.user("guard_a")
    guard.evaluate("window.shouwangGate.sync()")  # sent again: still one record
    assert VisitorEntry.objects.count() == 1

    # --- the host confirms on his phone ----------------------------------------------------------
    host_ctx, host = _phone(browser, cable, "teacher_a", primary)
    host.wait_for_selector(f"#to-confirm [data-confirm='{entry.pk}']")
    assert "望川电梯维保公司" in host.locator("#to-confirm").inner_text()
    shot(host, "4-host-to-confirm", "phone")
    host.click(f"#to-confirm [data-confirm='{entry.pk}']")
    host.wait_for_selector("#queue li.synced")
    entry.refresh_from_db()
    assert entry.host_confirmed_at is not None and entry.left_at is None

    # --- the visitor leaves ------------------------------------------------------------------------
    guard.evaluate("window.shouwangGate.reload()")
    guard.wait_for_selector(f"#inside [data-out='{entry.client_uuid}']")
    guard.click(f"#inside [data-out='{entry.client_uuid}']")
    guard.wait_for_function("document.querySelectorAll('#queue li.synced').length === 2")
    entry.refresh_from_db()
    assert entry.left_at is not None
    guard.wait_for_function("document.getElementById('inside-count').textContent === '0'")
    # and the guard checks the gate camera: it works
    guard.click("#cameras button[data-result='working']")
    guard.wait_for_function("document.querySelectorAll('#queue li.synced').length === 3")
    assert CameraCheck.objects.get(school=primary).result == "working"
    shot(guard, "5-visitor-left-camera-checked", "phone")

    # --- the arrival window is met by the three roles, each on his own phone -----------------------
    window = GateWindow.objects.get(school=primary, kind="arrival", day=timezone.localdate())
    leader_ctx, leader = _phone(browser, cable, "head_a", primary)
    for page, role in ((guard, "guard"), (host, "teacher"), (leader, "leader")):
        page.evaluate("window.shouwangGate.reload()")
        button = page.locator(f"#windows button[data-window='{window.pk}']")
        button.wait_for()
        assert button.inner_text() == "我已到校门"
        button.click()
        page.wait_for_selector(f"#windows button[data-window='{window.pk}']:disabled")
        page.wait_for_function("window.shouwangGate.items().some(x => x.type === 'gate' && x.state === 'synced')")
        assert GateConfirmation.objects.filter(window=window, role=role).exists(), role
    leader.evaluate("window.shouwangGate.reload()")
    leader.wait_for_function("document.querySelectorAll('#windows li.done').length === 3")
    assert "带班领导" in leader.locator("#windows").inner_text()
    shot(leader, "6-gate-met", "phone")
    confirmations = GateConfirmation.objects.filter(window=window)
    assert confirmations.count() == 3 and all(c.distance_m is not None and c.distance_m < 50 for c in confirmations)
    for context in (guard_ctx, host_ctx, leader_ctx):
        context.close()

    # --- the street office's schools view on a desk --------------------------------------------------
    desk_ctx = browser.new_context(base_url=live_server.url, locale="zh-CN", **DESK)
    desk = desk_ctx.new_page()
    desk.set_default_timeout(15000)
    log_in_page(desk, "office", "pw-office")
    desk.goto("/schools/")
    row = desk.locator(f"tr[data-school='{primary.pk}']")
    assert row.get_attribute("data-colour") == "met", row.inner_text()
    text = row.inner_text()
    assert "到位" in text and "三方到岗" in text and "已完成" in text and "2 / 2" in text
    assert "1个摄像头，今日已检查1个" in text
    middle = desk.locator(f"tr[data-school='{s.middle.pk}']")
    assert middle.get_attribute("data-colour") == "missed" and "1 / 4" in middle.inner_text()
    assert "今日已检查0个" in middle.inner_text() and "值班表未排 带班领导、保安、值周教师" in middle.inner_text()
    shot(desk, "7-street-schools", "desk")
    desk.click(f"tr[data-school='{primary.pk}'] a")
    desk.wait_for_url(f"**{primary.get_absolute_url()}")
    body = desk.locator("main").inner_text()
    for part in ("一社区小学", "三方到岗", "GB/T 29315-2022", "95"):
        assert part in body, part
    shot(desk, "8-school-page", "desk")
    desk.goto("/schools/visitors/")
    assert "韩立新" in desk.locator("main").inner_text() and "****402X" in desk.locator("main").inner_text()
    shot(desk, "9-visitor-log", "desk")
    desk_ctx.close()
