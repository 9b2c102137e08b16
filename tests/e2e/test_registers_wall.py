"""A person changes a place's colour on the wall, with a reason, and sees the wall update — in Chromium."""

import pytest

from shouwang.registers import services
from shouwang.registers.models import KeyPlace, RiskRating

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_change_a_colour_with_a_reason_and_see_the_wall_update(org, log_in):
    user = org.user("office")
    user.set_password("pw-office")
    user.save()
    place = KeyPlace.objects.create(jurisdiction=org.c1, name="一社区农贸市场", kind="unit", category="market",
                                    lat=31.23, lon=121.47)
    KeyPlace.objects.create(jurisdiction=org.c2, name="二社区小学", kind="unit", category="school",
                            lat=31.24, lon=121.48)
    services.set_colour(place, colour="green")
    page = log_in("office", "pw-office")

    page.goto("/registers/wall/")
    card = page.locator(f"li.wall-place[data-place='{place.pk}']")
    assert card.locator("xpath=ancestor::section").get_attribute("data-colour") == "green"
    card.locator("summary").click()
    card.locator("select[name=colour]").select_option("red")
    card.locator("button[type=submit]").click()  # no reason: refused, the message says why
    page.wait_for_selector("ul.messages li.error")
    assert not RiskRating.objects.filter(colour="red").exists()

    card = page.locator(f"li.wall-place[data-place='{place.pk}']")
    card.locator("summary").click()
    card.locator("select[name=colour]").select_option("red")
    card.locator("input[name=reason]").fill("周末集市客流大")
    card.locator("button[type=submit]").click()
    page.wait_for_selector(f"section[data-colour=red] li.wall-place[data-place='{place.pk}']")
    assert page.locator("section[data-colour=green] li.wall-place").count() == 0
    assert page.locator("section[data-colour=red] .count").inner_text() == "1"
    rating = RiskRating.objects.get(colour="red")
    assert rating.reason == "周末集市客流大" and rating.set_by == user and rating.rule_colour == "green"

    page.goto("/registers/map/")
    page.wait_for_selector("#map[data-ready='1']")
    assert page.locator(".place-icon").count() == 2
    assert page.locator(".place-icon .pin[style*='#c0392b']").count() == 1  # the red one
