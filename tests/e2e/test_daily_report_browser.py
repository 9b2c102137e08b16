"""A grid worker sends the morning report from a phone; the office sees it in its table — in Chromium."""

import pytest
import time_machine

from shouwang.briefings.models import DailyReport
from shouwang.briefings.services import open_upcoming_daily_obligations
from tests.briefings.conftest import at, reporting  # noqa: F401  (the fixture)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.mark.usefixtures("reporting")
def test_phone_submission_shows_in_the_office_table(org, browser, live_server):
    for name in ("grid1", "office"):
        org.user(name).set_password(f"pw-{name}")
        org.user(name).save()
    with time_machine.travel(at(8, 20), tick=True):
        open_upcoming_daily_obligations()  # the periodic job
        phone = browser.new_context(base_url=live_server.url, locale="zh-CN", viewport={"width": 390, "height": 844},
                                    is_mobile=True, has_touch=True)
        page = phone.new_page()
        page.set_default_timeout(15000)
        page.goto("/login/")
        page.fill("#id_username", "grid1")
        page.fill("#id_password", "pw-grid1")
        page.click("main button[type=submit]")
        page.wait_for_url(lambda url: "/login/" not in url)
        page.goto("/briefings/daily/reports/new/")
        # Community and slot come preselected; the numbers refuse a negative count.
        assert page.input_value("#id_jurisdiction") == str(org.c1.pk)
        assert page.input_value("#id_slot") == "morning"
        page.fill("#id_situation", "辖区平稳，巡查正常")
        page.fill("#id_police_on_duty", "-1")
        page.fill("#id_patrol_team_on_duty", "5")
        page.fill("#id_volunteers_on_duty", "12")
        page.click("main button[type=submit]")
        page.wait_for_selector("ul.errorlist[data-field=police_on_duty]")
        assert not DailyReport.objects.exists()
        page.fill("#id_police_on_duty", "2")
        page.click("main button[type=submit]")
        page.wait_for_selector("h1:has-text('一社区')")
        assert page.locator("[data-state=on_time]").count() == 1
        phone.close()

        office = browser.new_context(base_url=live_server.url, locale="zh-CN", viewport={"width": 1280, "height": 900})
        desk = office.new_page()
        desk.set_default_timeout(15000)
        desk.goto("/login/")
        desk.fill("#id_username", "office")
        desk.fill("#id_password", "pw-office")
        desk.click("main button[type=submit]")
        desk.wait_for_url(lambda url: "/login/" not in url)
        desk.click("nav.sections >> text=信息报送")
        desk.wait_for_selector("table.daily-table")
        assert desk.locator("tr[data-node=C1] td[data-slot=morning]").get_attribute("data-state") == "on_time"
        assert desk.locator("tr[data-node=C2] td[data-slot=morning]").get_attribute("data-state") == "open"
        office.close()
    report = DailyReport.objects.get()
    assert report.police_on_duty == 2 and report.submitted_by == org.user("grid1")
