"""Issue 14's walk in Chromium. The office makes the full-time patrol team's roster for 28 days from
a ready layout, generates it from four teams three shifts, runs the optimiser and watches its
progress bar and best penalty, then publishes its roster. A patrol member on his phone asks a
colleague to take an early shift; the colleague came off the night shift that morning, so the swap
is refused with the rule named. The leader raises the street to the enhanced posture and sees the
volunteers' shortfall on the posture panel, on his desk and on his phone.

Screenshots land in var/walk/duty-<step>-<desk|phone>.png for a person to look at."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone

from shouwang.core.choices import PersonKind, Role, TeamKind
from shouwang.core.models import Person, Team
from shouwang.duty import layouts, services
from shouwang.duty.choices import Layout, Post, SwapState
from shouwang.duty.models import Assignment, Posture, Roster, SolveRun, SwapRequest
from shouwang.policies.services import assign, load_presets
from tests.conftest import make_user
from tests.e2e.conftest import log_in_page

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
SHOTS = Path(__file__).resolve().parents[2] / "var" / "walk"
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
DESK = {"viewport": {"width": 1366, "height": 900}}
PATROLLERS = ["韩志远", "杨晨曦", "朱浩然", "秦明亮", "尤嘉怡", "许俊杰", "何宇航", "吕欣然"]


def shot(page, step, where):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"duty-{step}-{where}.png"), full_page=True)


def _context(browser, base_url, kind):
    context = browser.new_context(base_url=base_url, locale="zh-CN", **kind)
    page = context.new_page()
    page.set_default_timeout(20000)
    return context, page


def _no_sideways_scroll(page):
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"), page.url


@pytest.fixture
def scene(org):
    presets = {p.code: p for p in load_presets(out=lambda *_: None)}
    assign(org.street, presets["event-security-posture-c"])
    office = make_user("streetoffice", Role.OFFICE_STAFF, org.street)
    owner = Person.objects.create(jurisdiction=org.street, name="吴丽华", kind=PersonKind.STAFF, user=office)
    Person.objects.create(jurisdiction=org.street, name="周振华", kind=PersonKind.STAFF, user=org.user("leader"))
    crew = [Person.objects.create(jurisdiction=org.c1, name=name, kind=PersonKind.PATROL, phone=f"1390000{i:04d}")
            for i, name in enumerate(PATROLLERS)]
    crew[0].user = org.user("patrol1")
    crew[0].save()
    team = Team.objects.create(jurisdiction=org.c1, name="一社区专职巡防队", kind=TeamKind.FULL_TIME)
    team.members.set(crew)
    # Community 2's five volunteers, two on day patrol each day: enough for the normal level (30 %).
    volunteers = [Person.objects.create(jurisdiction=org.c2, name=f"志愿者{n}", kind=PersonKind.VOLUNTEER)
                  for n in "甲乙丙丁戊"]
    vteam = Team.objects.create(jurisdiction=org.c2, name="二社区平安志愿者", kind=TeamKind.VOLUNTEERS)
    vteam.members.set(volunteers)
    shifts, demand = layouts.build(Layout.OFFICE_DAY, post=Post.PATROL, per_shift=2)
    day_patrol = services.create_roster(node=org.c2, name="二社区志愿者日间巡逻", starts_on=timezone.localdate(),
                                        days=30, shifts=shifts, demand=demand, rules=layouts.rules_of(Layout.OFFICE_DAY),
                                        team=vteam, members=volunteers, user=org.user("admin"))
    days = [day_patrol.starts_on + timedelta(days=d) for d in range(30)]  # the panel's 30 days
    services.replace_days(day_patrol, days=days, columns={("day", Post.PATROL)}, user=org.user("admin"),
                          rows=[(volunteers[(2 * d + k) % 5], day, "day", Post.PATROL)
                                for d, day in enumerate(days) for k in range(2)])
    services.publish(day_patrol, user=org.user("admin"))
    return {"team": team, "crew": crew, "owner": owner}


def test_the_duty_walk(org, scene, browser, live_server):
    crew = scene["crew"]
    today = timezone.localdate()
    # --- the office makes the month's roster of the full-time patrol team, at its desk
    desk_ctx, desk = _context(browser, live_server.url, DESK)
    log_in_page(desk, "streetoffice", "pw-streetoffice")
    desk.goto(reverse("duty:roster_list"))
    desk.click("a.btn:has-text('新增')")
    desk.select_option("#id_jurisdiction", label="一社区")
    desk.fill("#id_name", "一社区巡防队十二月四班三运转")
    desk.select_option("#id_team", label="一社区专职巡防队")
    desk.select_option("#id_owner", label="吴丽华")
    desk.fill("#id_starts_on", today.isoformat())
    desk.fill("#id_days", "28")
    desk.select_option("#id_layout", value=Layout.THREE_SHIFTS)
    desk.select_option("#id_post", value=Post.PATROL)
    desk.fill("#id_per_shift", "2")
    shot(desk, "01-new-roster", "desk")
    desk.click("main button[type=submit]")
    desk.wait_for_selector("#generate-form")
    roster = Roster.objects.get(name="一社区巡防队十二月四班三运转")
    assert roster.members.count() == 8  # empty: the force's members
    for i in range(4):
        desk.select_option(f"#id_team_{i + 1}", label=[crew[2 * i].name, crew[2 * i + 1].name])
    desk.click("#generate-form button[type=submit]")
    desk.wait_for_selector("text=已按模式生成")
    assert Assignment.objects.filter(roster=roster).count() == 28 * 6
    assert "符合全部规则" in desk.locator("#roster-verdict").inner_text()
    shot(desk, "02-generated-week", "desk")

    # the optimiser: its progress bar and best penalty while it runs, then its roster to publish
    desk.fill("#solve-form input[name=seconds]", "8")
    desk.click("#solve-form button[type=submit]")
    desk.wait_for_selector("#run-progress [role=progressbar]")
    assert desk.locator("#best-penalty").count() == 1
    shot(desk, "03-optimiser-running", "desk")
    desk.wait_for_selector("#publish-run", timeout=60000)  # the page reloads itself when the run ends
    run = SolveRun.objects.get(roster=roster)
    assert run.state == "done" and run.progress and run.best_penalty is not None
    assert "校验未发现违反规则" in desk.content()
    assert desk.locator("#run-progress").get_attribute("data-state") == "done"
    shot(desk, "04-optimiser-done", "desk")
    desk.click("#publish-run")
    desk.wait_for_selector("#roster-state:has-text('已发布')")
    roster.refresh_from_db()
    assert roster.is_published
    desk.click("a:has-text('整个期间')")
    desk.wait_for_selector("#roster-grid")
    assert desk.locator("#roster-grid td.day").count() == 28
    shot(desk, "05-published-month", "desk")
    desk_ctx.close()

    # --- a patrol member, on his phone, asks a colleague who came off the night shift that morning
    rows = list(Assignment.objects.live().filter(roster=roster, day__gt=today).select_related("person"))
    nights = {(a.person_id, a.day) for a in rows if a.shift == "night"}
    working = {(a.person_id, a.day) for a in rows}
    mine, colleague = next((a, b.person) for a in sorted(rows, key=lambda a: a.day) if a.person_id == crew[0].pk
                           and a.shift == "early" for b in rows
                           if (b.person_id, a.day - timedelta(days=1)) in nights and (b.person_id, a.day) not in working)
    phone_ctx, phone = _context(browser, live_server.url, PHONE)
    log_in_page(phone, "patrol1", "pw-patrol1")
    phone.goto(reverse("duty:mine"))
    phone.wait_for_selector("#my-duties")
    assert phone.locator("#my-duties > li").count() >= 15
    _no_sideways_scroll(phone)
    shot(phone, "06-my-duties", "phone")
    phone.goto(reverse("duty:assignment_detail", args=[mine.pk]))
    phone.wait_for_selector("#swap-form")
    phone.select_option("#id_colleague", label=colleague.name)
    phone.fill("#id_reason", "家里有事，请帮忙代班")
    _no_sideways_scroll(phone)
    phone.click("#swap-form button[type=submit]")
    phone.wait_for_selector("#swap-refusal")
    refusal = phone.locator("#swap-refusal").inner_text()
    assert refusal.startswith("不予同意：两班之间最少休息：两班之间休息不足11小时") and colleague.name in refusal
    assert phone.locator("#swap-state").inner_text() == "未准"
    swap = SwapRequest.objects.get()
    assert swap.state == SwapState.REFUSED and Assignment.objects.get(pk=mine.pk).person == crew[0]
    _no_sideways_scroll(phone)
    shot(phone, "07-swap-refused", "phone")
    phone.goto(roster.get_absolute_url())
    phone.wait_for_selector("#roster-grid")
    _no_sideways_scroll(phone)
    # the week's three shifts fit the phone's width: no column hidden behind a sideways scroll
    assert phone.evaluate("(t => t.scrollWidth <= t.parentElement.clientWidth + 1)"
                          "(document.getElementById('roster-grid'))")
    shot(phone, "08-roster-week", "phone")
    phone_ctx.close()

    # --- the leader raises the street to the enhanced posture and sees the shortfall
    desk_ctx, desk = _context(browser, live_server.url, DESK)
    log_in_page(desk, "leader", "pw-leader")
    desk.goto(reverse("duty:posture_panel"))
    desk.wait_for_selector("#posture-panel")
    assert "各班次人员均达到防控等级要求" in desk.locator("#panel-summary").inner_text()
    desk.click("#raise-posture")
    desk.select_option("#id_jurisdiction", label="测试街道")
    desk.select_option("#id_level", value="enhanced")
    desk.fill("#id_reason", "辖区大型活动，加强防控三天")
    shot(desk, "09-raise-posture", "desk")
    desk.click("main button[type=submit]")
    desk.wait_for_selector("#panel-summary .state-missed")
    posture = Posture.objects.get()
    assert posture.level == "enhanced" and posture.set_by == org.user("leader")
    short = desk.locator("tr.panel-day.short[data-force='volunteers']")
    assert short.count() >= 3  # 50 % of five volunteers is three a day; two are rostered
    assert "缺1人" in short.first.inner_text()
    assert desk.locator("tr.panel-day.short[data-force='full_time']").count() == 0
    shot(desk, "10-posture-shortfall", "desk")
    desk_ctx.close()
    phone_ctx, phone = _context(browser, live_server.url, PHONE)
    log_in_page(phone, "leader", "pw-leader")
    phone.goto(reverse("duty:posture_panel"))
    phone.wait_for_selector("#panel-summary .state-missed")
    _no_sideways_scroll(phone)
    shot(phone, "11-posture-shortfall", "phone")
    phone.goto("/")
    phone.wait_for_selector("text=当前在岗")
    _no_sideways_scroll(phone)
    shot(phone, "12-home", "phone")
    phone_ctx.close()
