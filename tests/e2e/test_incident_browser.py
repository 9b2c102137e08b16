"""An operator enters an incident with the keyboard and sees it on the live board with its clock — in Chromium."""

import re

import pytest

from shouwang.incidents.models import Incident
from shouwang.policies.services import assign, load_presets

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_operator_enters_incident_and_sees_it_on_the_board(org, log_in):
    presets = {p.code: p for p in load_presets(out=lambda *_: None)}
    assign(org.street, presets["street-emergency-plan-a"])
    org.c1.lat, org.c1.lon = 31.231, 121.4705  # the community's point: the incident is drawn there
    org.c1.save()
    user = org.user("office")
    user.set_password("pw-office")
    user.save()
    page = log_in("office", "pw-office")

    page.goto("/incidents/intake/")
    # The first field has the focus: type, Tab on, Enter saves.
    page.keyboard.type("菜场门口持刀伤人")
    page.keyboard.press("Tab")
    page.keyboard.type("柳岸路30号")
    page.select_option("#id_jurisdiction", str(org.c1.pk))
    page.select_option("#id_category", "violent_attack")
    page.select_option("#id_level", "II")
    page.focus("#id_reporter_name")
    page.keyboard.type("市场管理员")
    page.keyboard.press("Enter")
    page.wait_for_selector("#clocks")
    incident = Incident.objects.get()
    assert incident.title == "菜场门口持刀伤人" and incident.address == "柳岸路30号"
    assert incident.number in page.locator("h1").inner_text()

    page.goto("/incidents/")
    row = page.locator(f"tr[data-incident='{incident.pk}']")
    row.wait_for()
    assert incident.number in row.inner_text()
    assert row.locator(".level-II").count() == 1
    clock = row.locator(".clock").first
    # one unambiguous format (issue 11: no more 30:15 / 1:27:45 / 19 分钟), ticking live
    pattern = r"剩余 (\d+小时\d\d分|\d+分\d\d秒)"
    assert re.search(pattern, clock.inner_text())
    first = clock.inner_text()
    page.wait_for_function("([el, before]) => el.textContent !== before", arg=[clock.element_handle(), first])
    assert re.search(pattern, clock.inner_text())
    # The incident's marker in its level colour on a map without tiles (works offline).
    assert page.locator("#board-map path.leaflet-interactive[fill='#f28500']").count() == 1
    assert page.locator("#board-map .leaflet-tile").count() == 0
