"""Maps you can orient on, in Chromium: an outline drawn by clicking on the node's edit page is
saved and labelled on the registers map, the board and coverage; a tap opens a marker's tip on a
phone; with no tile server set, a map asks nothing of any other host (no tiles, no attribution,
no flag). Screenshots in var/outlines/ for a person to look at."""

import json
from pathlib import Path

import pytest

from shouwang.core.models import ChangeLogEntry
from shouwang.registers.models import KeyPlace
from tests.e2e.conftest import log_in_page

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
SHOTS = Path(__file__).resolve().parents[2] / "var" / "outlines"
DESKTOP, PHONE = {"width": 1366, "height": 900}, {"width": 390, "height": 844}
# 二社区 already has its outline: the map on 一社区's edit page opens on it.
C2_RING = [[121.48, 31.23], [121.49, 31.23], [121.49, 31.24], [121.48, 31.24], [121.48, 31.23]]


def _setup(org):
    org.c2.boundary = {"type": "Polygon", "coordinates": [C2_RING]}
    org.c2.save()
    KeyPlace.objects.create(jurisdiction=org.c2, name="二社区农贸市场", kind="unit", category="market",
                            lat=31.235, lon=121.485)


def _new_page(browser, live_server, viewport, **kw):
    context = browser.new_context(base_url=live_server.url, locale="zh-CN", viewport=viewport, **kw)
    page = context.new_page()
    page.set_default_timeout(15000)
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    return context, page, errors


def _label(page, name):
    return page.locator(".leaflet-tooltip.node-label", has_text=name)


def _no_sideways_scroll(page):
    return page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth") <= 1


def test_draw_an_outline_by_clicking_save_and_see_its_label(browser, live_server, org):
    SHOTS.mkdir(parents=True, exist_ok=True)
    _setup(org)
    context, page, errors = _new_page(browser, live_server, DESKTOP)
    log_in_page(page, "office", "pw-office")

    page.goto(f"/org/nodes/{org.c1.pk}/edit/")
    page.wait_for_selector(".outline-map[data-corners='0']")
    page.wait_for_selector(".outline-map.leaflet-container")
    assert _label(page, "二社区").is_visible()  # the neighbour to draw beside
    page.locator(".outline-map").scroll_into_view_if_needed()
    box = page.locator(".outline-map").bounding_box()
    x0, y0, w, h = box["x"], box["y"], box["width"], box["height"]
    corners = [(0.15, 0.3), (0.35, 0.3), (0.35, 0.7), (0.15, 0.7), (0.25, 0.5)]
    for fx, fy in corners:
        page.mouse.click(x0 + w * fx, y0 + h * fy)
    page.wait_for_selector(".outline-map[data-corners='5']")
    page.click("[data-outline-undo]")  # the stray fifth click goes
    page.wait_for_selector(".outline-map[data-corners='4']")
    assert "4" in page.locator("[data-outline-status]").inner_text()

    # Drag the third corner a little to the right; Undo would put it back.
    handle = page.locator(".outline-vertex").nth(2).bounding_box()
    cx, cy = handle["x"] + handle["width"] / 2, handle["y"] + handle["height"] / 2
    before = json.loads(page.input_value("#id_boundary"))
    page.mouse.move(cx, cy)
    page.mouse.down()
    for step in range(1, 6):
        page.mouse.move(cx + 6 * step, cy, steps=2)
    page.mouse.up()
    after = json.loads(page.input_value("#id_boundary"))
    assert after["coordinates"][0][2][0] > before["coordinates"][0][2][0]
    assert len(after["coordinates"][0]) == 5 and after["coordinates"][0][0] == after["coordinates"][0][-1]
    page.screenshot(path=str(SHOTS / "edit-drawn-desktop.png"), full_page=True)

    page.click("main button[type=submit]")
    page.wait_for_selector("h1:has-text('一社区')")
    org.c1.refresh_from_db()
    ring = org.c1.boundary["coordinates"][0]
    assert len(ring) == 5 and ring[0] == ring[-1]
    assert all(121.4 < lon < 121.6 and 31.1 < lat < 31.4 for lon, lat in ring)
    assert ChangeLogEntry.objects.filter(object_id=str(org.c1.pk), action="update", user=org.user("office")).exists()

    for url, ready in (("/registers/map/", "#map[data-ready='1']"), ("/incidents/", "#board-map[data-ready='1']"),
                       (f"/patrols/coverage/?node={org.street.pk}", "#map[data-ready='1']")):
        page.goto(url)
        page.wait_for_selector(ready)
        page.wait_for_timeout(150)  # labels are sorted out after the fit
        assert _label(page, "一社区").is_visible(), url
        assert _label(page, "二社区").is_visible(), url
        name = url.strip("/").split("/")[0].split("?")[0]
        page.screenshot(path=str(SHOTS / f"{name}-desktop.png"), full_page=True)
    assert not errors, errors
    context.close()


def test_on_a_phone_a_tap_draws_and_opens_tips(browser, live_server, org):
    SHOTS.mkdir(parents=True, exist_ok=True)
    _setup(org)
    context, page, errors = _new_page(browser, live_server, PHONE, is_mobile=True, has_touch=True)
    log_in_page(page, "office", "pw-office")

    page.goto(f"/org/nodes/{org.c1.pk}/edit/")
    page.wait_for_selector(".outline-map.leaflet-container")
    page.locator(".outline-map").scroll_into_view_if_needed()
    box = page.locator(".outline-map").bounding_box()
    for fx, fy in ((0.2, 0.3), (0.4, 0.3), (0.3, 0.6)):
        page.touchscreen.tap(box["x"] + box["width"] * fx, box["y"] + box["height"] * fy)
    page.wait_for_selector(".outline-map[data-corners='3']")
    assert _no_sideways_scroll(page)
    page.screenshot(path=str(SHOTS / "edit-drawn-phone.png"), full_page=True)

    page.goto("/registers/map/")
    page.wait_for_selector("#map[data-ready='1']")
    page.locator(".place-icon").first.tap()
    page.wait_for_selector(".leaflet-popup-content:has-text('二社区农贸市场')")
    assert _no_sideways_scroll(page)
    page.screenshot(path=str(SHOTS / "registers-phone.png"), full_page=True)

    page.goto(f"/patrols/coverage/?node={org.street.pk}")
    page.wait_for_selector("#map[data-ready='1']")
    page.locator("#map path.leaflet-interactive[stroke='#c62828']").first.tap()  # a key place on too few routes
    page.wait_for_selector(".leaflet-tooltip:not(.node-label):has-text('二社区农贸市场')")
    assert _no_sideways_scroll(page)
    page.screenshot(path=str(SHOTS / "coverage-phone.png"), full_page=True)

    page.goto("/incidents/")
    page.wait_for_selector("#board-map[data-ready='1']")
    assert _label(page, "二社区").is_visible()
    page.screenshot(path=str(SHOTS / "board-phone.png"), full_page=True)
    assert not errors, errors
    context.close()


MAP_PAGES = ["/registers/map/", "/incidents/", "/patrols/coverage/", "/org/nodes/{c1}/edit/"]


def _visit_maps(page, org):
    for url in MAP_PAGES:
        page.goto(url.format(c1=org.c1.pk))
        page.wait_for_selector(".leaflet-container")
        page.wait_for_timeout(200)


def test_no_tile_server_no_requests_elsewhere_no_attribution(browser, live_server, org):
    _setup(org)
    context, page, errors = _new_page(browser, live_server, DESKTOP)
    asked = []
    page.on("request", lambda request: asked.append(request.url))
    log_in_page(page, "office", "pw-office")
    _visit_maps(page, org)
    elsewhere = [u for u in asked if not u.startswith(live_server.url) and not u.startswith("data:")]
    assert not elsewhere, elsewhere
    assert page.locator(".leaflet-tile").count() == 0
    assert page.locator(".leaflet-control-attribution").count() == 0
    assert not [u for u in asked if "tile" in u.lower()]
    assert not errors, errors
    context.close()


def test_an_office_tile_server_is_used_with_its_attribution_and_no_flag(browser, live_server, org, settings):
    settings.SHOUWANG_MAP_TILES = live_server.url + "/static/shouwang/favicon.svg?z={z}&x={x}&y={y}"
    settings.SHOUWANG_MAP_ATTRIBUTION = "区测绘院内网底图"
    _setup(org)
    context, page, errors = _new_page(browser, live_server, DESKTOP)
    log_in_page(page, "office", "pw-office")
    page.goto("/registers/map/")
    page.wait_for_selector("#map[data-ready='1']")
    page.wait_for_selector("img.leaflet-tile")
    attribution = page.locator(".leaflet-control-attribution")
    assert attribution.inner_text().strip() == "区测绘院内网底图"
    assert attribution.locator("svg, a").count() == 0  # no Leaflet link, no flag
    assert not errors, errors
    context.close()
