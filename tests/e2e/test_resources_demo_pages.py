"""Resources' pages as the demo street's office sees them, on a desk and on a 390×844 phone: the
overview with the store short of the standard, a store with lots near expiry, the stock card, the
ledger, equipment out with the overdue piece, the reserve team of 50 and last month's call-out
test, the points on the map. Each page loads without a script error and nothing is wider than the
phone. Screenshots land in var/walk/resources-demo-<page>-<desk|phone>.png for a person to look at."""

from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse

from shouwang.core.demo import DEMO_PASSWORD
from shouwang.resources.models import CallOut, EvacuationPoint, Store, SupplyItem
from tests.e2e.conftest import log_in_page

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
SHOTS = Path(__file__).resolve().parents[2] / "var" / "walk"
SCREENS = {"desk": {"viewport": {"width": 1366, "height": 900}},
           "phone": {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}}


@pytest.fixture
def demo(db):
    call_command("load_demo", verbosity=0)


def _pages():
    short = Store.objects.get(name="桂香社区应急物资储备点")
    water = SupplyItem.objects.get(name="瓶装饮用水")
    test = CallOut.objects.get(kind="test")
    diversion = EvacuationPoint.objects.get(kind="diversion")
    return [
        # name, url, what the page must say
        ("overview", reverse("resources:overview"), "瓶装饮用水"),
        ("stores", reverse("resources:store_list"), short.name),
        ("items", reverse("resources:supplyitem_list"), "瓶装饮用水"),
        ("teams", reverse("resources:team_list"), test.team.name),
        ("store", short.get_absolute_url(), "瓶装饮用水"),
        ("card", reverse("resources:stock_card", args=[water.pk]) + f"?store={short.pk}", "结存"),
        ("ledger", reverse("resources:stockmovement_list"), "入库"),
        ("equipment", reverse("resources:equipment_list") + "?overdue=true", "望川街道专职巡防队"),
        ("team", reverse("resources:team_detail", args=[test.team_id]), "50"),
        ("callout", test.get_absolute_url(), "30分钟内"),
        ("points", reverse("resources:evacuationpoint_list"), diversion.name),
        ("point", diversion.get_absolute_url(), "辆"),
        ("issue", reverse("resources:issue", args=[short.pk]), "发放"),
    ]


def test_the_demo_pages_read_on_a_desk_and_a_phone(browser, live_server, demo):
    SHOTS.mkdir(parents=True, exist_ok=True)
    pages = _pages()
    for screen, kind in SCREENS.items():
        context = browser.new_context(base_url=live_server.url, locale="zh-CN", **kind)
        page = context.new_page()
        page.set_default_timeout(15000)
        errors = []
        page.on("pageerror", lambda exc, errors=errors: errors.append(str(exc)))
        page.on("console", lambda msg, errors=errors: errors.append(msg.text) if msg.type == "error" else None)
        log_in_page(page, "office", DEMO_PASSWORD)
        for name, url, says in pages:
            response = page.goto(url)
            assert response.status == 200, (name, response.status)
            assert says in page.locator("main").inner_text(), (name, screen, says)
            if name == "ledger":  # the period by its dates; the API's moments and lot ride along unseen
                assert page.locator("input[type=date][name=period_after]").is_visible()
                assert not page.locator("[name=since], [name=lot]").first.is_visible()
            if name == "issue":  # the item chosen, the proposals and the lots are that item's only
                page.select_option("#id_item", label="瓶装饮用水")
                shown = page.locator(".proposal li[data-lot]:visible")
                assert shown.count() == 1 and "SW2603" in shown.inner_text()
                assert page.locator(".proposal [data-expired-lot]:visible").count() == 1  # SW2512, expired
                lots = page.locator("#id_lot option:not([disabled])").all_inner_texts()
                assert len(lots) == 3 and all("瓶装饮用水" in t for t in lots[1:]), lots
            page.screenshot(path=str(SHOTS / f"resources-demo-{name}-{screen}.png"), full_page=True)
            if screen == "phone":
                wide = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
                assert wide <= 1, (name, "the page scrolls sideways", wide)
        assert not errors, (screen, errors)
        context.close()
