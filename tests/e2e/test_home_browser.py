"""Issue 12's home pages in Chromium, from the demo street: each role's home page on a desktop
and a 390×844 phone (screenshots in var/walk/home-<role>-<screen>.png for a person to look at);
the office's overdue figure opens the filtered board with exactly that many rows; the charts are
drawn from the vendored library with no error in the console."""

import re
from pathlib import Path

import pytest
from django.core.management import call_command

from shouwang.core.demo import DEMO_PASSWORD
from tests.e2e.conftest import log_in_page

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
SHOTS = Path(__file__).resolve().parents[2] / "var" / "walk"
ROLES = ["leader", "office", "grid", "patrol", "inspector", "liaison", "viewer", "admin"]


@pytest.fixture
def demo(db):
    call_command("load_demo", verbosity=0)


def test_every_role_home_page_on_desktop_and_phone(browser, live_server, demo):
    SHOTS.mkdir(parents=True, exist_ok=True)
    for username in ROLES:
        for screen, viewport in (("desktop", {"width": 1366, "height": 900}), ("phone", {"width": 390, "height": 844})):
            context = browser.new_context(base_url=live_server.url, locale="zh-CN", viewport=viewport)
            page = context.new_page()
            errors = []
            page.on("pageerror", lambda exc, errors=errors: errors.append(str(exc)))
            page.on("console", lambda msg, errors=errors: errors.append(msg.text) if msg.type == "error" else None)
            log_in_page(page, username, DEMO_PASSWORD)
            page.goto("/")
            page.wait_for_selector(".tile")
            charts = page.locator("[data-chart]")
            for i in range(charts.count()):
                assert charts.nth(i).get_attribute("data-drawn") == "1", (username, screen)
                assert charts.nth(i).locator("canvas").count() == 1
            overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
            assert overflow <= 1, (username, screen, "the page scrolls sideways", overflow)
            assert not errors, (username, screen, errors)
            page.screenshot(path=str(SHOTS / f"home-{username}-{screen}.png"), full_page=True)
            context.close()


def test_office_overdue_figure_opens_the_filtered_board(page, live_server, demo):
    log_in_page(page, "office", DEMO_PASSWORD)
    page.goto("/")
    tile = page.locator('[data-tile="obligations.due"]')
    row = tile.locator("tr[data-kind]").filter(has=page.locator("a.state-missed")).first
    count = int(row.locator("a.state-missed").inner_text())
    label = row.locator("td").first.inner_text()
    row.locator("a.state-missed").click()
    page.wait_for_url(re.compile(r"/obligations/board/\?state=missed&kind="))
    rows = page.locator("#board-table tbody tr[data-obligation], table tbody tr[data-obligation]")
    assert rows.count() == count  # the figure and the list behind it agree
    assert all(label in rows.nth(i).inner_text() for i in range(rows.count()))
    assert all("超时" in rows.nth(i).locator(".badge").first.inner_text() for i in range(rows.count()))
