"""Issue 16's walk in Chromium: from an incident the office issues blankets from a store (the store's
balance falls), opens the diversion point (it shows on the live board) and calls out the reserve
team; three members acknowledge on their phones (one of them without a network: the tap waits on
the phone and goes once when the network is back); two are checked in at the assembly point; the
call-out's report shows the times and the shares within 30 and 60 minutes against the policy.

Screenshots land in var/walk/resources-<step>-<desk|phone>.png for a person to look at."""

from pathlib import Path

import pytest
from django.urls import reverse

from shouwang.core.choices import PersonKind, Role, TeamKind
from shouwang.core.models import Person, Team
from shouwang.incidents import services as incidents
from shouwang.resources import services
from shouwang.resources.models import (
    AssemblyPoint,
    CallOutAnswer,
    Equipment,
    EvacuationPoint,
    Lot,
    PointVehicle,
    StockMovement,
    Store,
    SupplyItem,
    cause_filter,
)
from tests.conftest import make_user
from tests.e2e.conftest import Cable, log_in_page

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
SHOTS = Path(__file__).resolve().parents[2] / "var" / "walk"
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
DESK = {"viewport": {"width": 1366, "height": 900}}
MEMBERS = [("member1", "何建军"), ("member2", "吕春华"), ("member3", "施晓光")]


def shot(page, step, where):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"resources-{step}-{where}.png"), full_page=True)


def _context(browser, base_url, kind):
    context = browser.new_context(base_url=base_url, locale="zh-CN", **kind)
    page = context.new_page()
    page.set_default_timeout(15000)
    return context, page


@pytest.fixture
def scene(org):
    office = org.user("office1")
    Person.objects.create(jurisdiction=org.c1, name="吴丽华", kind=PersonKind.STAFF, user=office)
    keeper = Person.objects.create(jurisdiction=org.c1, name="冯春生", kind=PersonKind.STAFF, phone="13900001234")
    blanket = SupplyItem.objects.create(jurisdiction=org.street, code="blanket", name="棉被", category="daily", unit="床")
    water = SupplyItem.objects.create(jurisdiction=org.street, code="water", name="瓶装饮用水", category="daily",
                                      unit="箱", shelf_life_days=365)
    store = Store.objects.create(jurisdiction=org.c1, name="一社区应急物资储备点", keeper=keeper, address="一社区居委会东侧")
    services.receive(store, blanket, 80, by=office, lot_number="2025-06")
    services.receive(store, water, 12, by=office, lot_number="SW-01",
                     expires_on=store.created_at.date() + __import__("datetime").timedelta(days=20))
    team = Team.objects.create(jurisdiction=org.c1, name="一社区应急预备队", kind=TeamKind.RESERVE)
    members = []
    for username, name in MEMBERS:
        user = make_user(username, Role.PATROL_MEMBER, org.c1)
        members.append(Person.objects.create(jurisdiction=org.c1, name=name, kind=PersonKind.VOLUNTEER, user=user,
                                             phone="13700000000"))
    members += [Person.objects.create(jurisdiction=org.c1, name=n, kind=PersonKind.SECURITY) for n in ("许立伟", "陶文斌")]
    team.members.set(members)
    AssemblyPoint.objects.create(jurisdiction=org.c1, team=team, name="一社区文化广场", address="东湖路1号")
    point = EvacuationPoint.objects.create(jurisdiction=org.c1, kind="diversion", name="东湖小学分流点",
                                           address="东湖路12号", capacity=600, area_m2=1500, responsible=keeper,
                                           lat=31.2316, lon=121.4711, facilities="照明、广播、饮用水")
    PointVehicle.objects.create(jurisdiction=org.c1, point=point, kind="bus", count=2, plates="沪D·A1236、沪D·A1237")
    for i in (1, 2):
        Equipment.objects.create(jurisdiction=org.c1, kind="stab_vest", name="防刺背心", serial_number=f"FC-00{i}",
                                 store=store)
    incident, _created = incidents.intake(user=office, jurisdiction=org.c1, title="东湖路12号居民楼火情",
                                          category="fire", level="III", address="东湖路12号", lat=31.2312,
                                          lon=121.4708)
    return {"store": store, "blanket": blanket, "team": team, "point": point, "incident": incident,
            "members": members}


def test_the_resources_walk(org, scene, browser, live_server):
    cable = Cable(int(live_server.url.rsplit(":", 1)[1]))
    try:
        _walk(org, scene, browser, live_server, cable)
    finally:
        cable.close()


def _walk(org, scene, browser, live_server, cable):
    incident, store, point, team = scene["incident"], scene["store"], scene["point"], scene["team"]
    desk_ctx, desk = _context(browser, live_server.url, DESK)
    log_in_page(desk, "office1", "pw-office1")

    # --- the incident issues blankets from the store: the balance falls
    desk.goto(incident.get_absolute_url())
    desk.click("#resources-used a:has-text('发放物资')")
    desk.select_option("#id_store", str(store.pk))
    desk.select_option("#id_item", str(scene["blanket"].pk))
    desk.fill("#id_quantity", "200")
    desk.fill("#id_recipient", "东湖路12号临时安置点")
    desk.click("main form.card button[type=submit]")
    assert "仅剩80床" in desk.locator("ul.errorlist[data-field='quantity']").inner_text()  # more than there is
    shot(desk, "01-issue-refused", "desk")
    desk.fill("#id_quantity", "20")
    desk.click("main form.card button[type=submit]")
    desk.wait_for_selector("#resources-used tr[data-used='supplies']")
    assert "棉被 20 床" in desk.locator("#resources-used").inner_text()
    assert Lot.objects.get(store=store, item=scene["blanket"]).quantity == 60
    assert StockMovement.objects.filter(**cause_filter(incident)).count() == 1
    desk.goto(store.get_absolute_url())
    row = desk.locator(f"tr.item-row[data-item='{scene['blanket'].pk}']")
    assert "在库60床" in row.inner_text()
    assert desk.locator("tr.lot-row[data-bucket='30']").count() == 1  # the water, expiring in 20 days
    shot(desk, "02-store", "desk")

    # --- two stab vests dispatched to the keeper in one go: each its own return duty
    desk.goto(incident.get_absolute_url())
    desk.click("#resources-used a:has-text('调派装备')")
    for box in desk.locator("input[name=equipment]").all():
        box.check()
    desk.select_option("#id_person", label="冯春生")
    shot(desk, "02b-dispatch", "desk")
    desk.click("main form.card button[type=submit]")
    desk.wait_for_selector("#resources-used tr[data-used='equipment']")
    assert desk.locator("#resources-used tr[data-used='equipment']").count() == 2
    assert Equipment.objects.filter(state="issued").count() == 2

    # --- the diversion point opened: on the live board
    desk.goto(incident.get_absolute_url())
    desk.click("#resources-used a:has-text('启用疏散点或分流点')")
    desk.select_option("#id_point", str(point.pk))
    desk.fill("#id_occupancy", "35")
    desk.click("main form.card button[type=submit]")
    desk.wait_for_selector("#resources-used tr[data-used='point']")
    desk.goto(reverse("incidents:board"))
    desk.wait_for_selector(f"#board-list [data-point='{point.pk}']")
    assert "35/600人" in desk.locator(f"[data-point='{point.pk}']").inner_text()
    desk.wait_for_selector(".board-point")  # its square on the map
    shot(desk, "03-board", "desk")

    # --- the reserve team called out
    desk.goto(incident.get_absolute_url())
    desk.click("#resources-used a:has-text('拉动应急预备队')")
    desk.select_option("#id_team", str(team.pk))
    desk.fill("#id_message", "东湖路12号火情：请立即到一社区文化广场集结，协助疏散。")
    desk.click("main form.card button[type=submit]")
    desk.wait_for_selector("#resources-used tr[data-used='callout']")
    callout = team.callouts.get()
    assert callout.answers.count() == 5 and callout.kind == "incident"
    shot(desk, "04-incident", "desk")

    # --- three members acknowledge on their phones; the second has no network at first
    phones = []
    for i, (username, _name) in enumerate(MEMBERS):
        ctx, phone = _context(browser, cable.url, PHONE)
        log_in_page(phone, username, f"pw-{username}")
        phone.goto(reverse("resources:phone"))
        phone.wait_for_selector(f"li.callout[data-callout='{callout.pk}'] button[data-ack]")
        phones.append((ctx, phone))
        if i == 0:
            assert "一社区文化广场" in phone.locator("li.callout").inner_text()
            shot(phone, "05-callout", "phone")
        if i == 1:
            phone.wait_for_function("navigator.serviceWorker.controller !== null")
            cable.unplug()
        phone.click(f"li.callout[data-callout='{callout.pk}'] button[data-ack]")
        if i == 1:
            phone.wait_for_selector("#queue li .state.waiting")
            assert "已保存在本机" in phone.locator("li.callout").inner_text()
            shot(phone, "06-queued", "phone")
            assert CallOutAnswer.objects.filter(callout=callout, acknowledged_at__isnull=False).count() == 1
            cable.plug()
            phone.click("#sync")
        phone.wait_for_selector(f"li.callout[data-callout='{callout.pk}'] .done.state-met")
        assert "已于" in phone.locator("li.callout .done").first.inner_text()
        if i == 1:  # the note that it waits gives way once it is sent
            phone.wait_for_function("document.getElementById('message').textContent.includes('已告知')")
    shot(phones[1][1], "07-acknowledged", "phone")
    for ctx, _phone in phones:
        ctx.close()
    acked = CallOutAnswer.objects.filter(callout=callout, acknowledged_at__isnull=False)
    assert acked.count() == 3 and CallOutAnswer.objects.filter(callout=callout).count() == 5  # each once

    # --- at the assembly point: two arrive and are checked in; the report shows the times
    desk.goto(callout.get_absolute_url())
    for person in scene["members"][:2]:
        desk.check(f"#checkin-form input[value='{person.pk}']")
    desk.click("#checkin-form button[type=submit]")
    desk.wait_for_selector("#arrived-count:has-text('到达2人')")
    report = desk.locator("table.shares").inner_text()
    assert "30分钟内确认" in report and "3/5 (60%)" in report and "2/5 (40%)" in report
    first = desk.locator(f"table.answers tr[data-person='{scene['members'][0].pk}']")
    assert ":" in first.locator("td.ack").inner_text() and ":" in first.locator("td.arr").inner_text()
    shot(desk, "08-report", "desk")
    desk_ctx.close()

    # --- the same pages on a phone-sized screen, for a person to look at
    small_ctx, small = _context(browser, live_server.url, PHONE)
    log_in_page(small, "office1", "pw-office1")
    for step, url in (("09-report", callout.get_absolute_url()), ("10-store", store.get_absolute_url()),
                      ("11-incident", incident.get_absolute_url()), ("12-overview", reverse("resources:overview")),
                      ("13-points", reverse("resources:evacuationpoint_list")), ("14-board", reverse("incidents:board"))):
        small.goto(url)
        shot(small, step, "phone")
    width = small.evaluate("document.documentElement.scrollWidth")
    assert width <= 400, width  # nothing wider than the phone on the last page
    small_ctx.close()
