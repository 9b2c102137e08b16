"""A simple level-IV incident from intake to closure in at most 10 page loads (issue 12 §5: it was 18)."""

import pytest

from shouwang.incidents.choices import ReportKind
from shouwang.incidents.models import Incident
from shouwang.policies.services import assign, load_presets

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_level_iv_incident_intake_to_closure_in_ten_page_loads(org, log_in, page):
    presets = {p.code: p for p in load_presets(out=lambda *_: None)}
    assign(org.street, presets["street-emergency-plan-a"])
    user = org.user("office")
    user.set_password("pw-office")
    user.save()
    log_in("office", "pw-office")

    loads = []
    page.on("framenavigated", lambda frame: frame == page.main_frame and loads.append(frame.url))
    page.on("dialog", lambda dialog: dialog.accept())  # the close asks: open duties are left

    page.goto("/incidents/intake/")
    page.fill("#id_title", "小区车库电瓶车起火")
    page.fill("#id_address", "柳岸路12弄地下车库")
    page.select_option("#id_jurisdiction", str(org.c1.pk))
    page.select_option("#id_category", "fire")
    page.select_option("#id_level", "IV")
    page.click("main form button[type=submit]")
    page.wait_for_selector("#clocks")
    incident = Incident.objects.get()

    # First report, from the incident page's button: it is preset as the first report, by phone,
    # with the incident's place; saving returns to the incident.
    page.click("a.btn:has-text('新报告')")
    assert page.input_value("#id_kind") == "first" and page.input_value("#id_place") == "柳岸路12弄地下车库"
    page.fill("#id_reported_to", "区应急管理局值班室")
    page.fill("#id_scale", "一辆电瓶车起火，已扑灭")
    page.click("main form button[type=submit]")
    page.wait_for_url(f"**{incident.get_absolute_url()}")

    # The close notice says what is missing and links to the final report, which starts from
    # the last report's elements (the scale need not be typed again).
    assert "还没有终报" in page.locator("#close-check").inner_text()
    page.click("#close-check a")
    assert page.input_value("#id_kind") == "final" and page.input_value("#id_reported_to") == "区应急管理局值班室"
    assert page.input_value("#id_scale") == "一辆电瓶车起火，已扑灭"
    page.fill("#id_cause", "电瓶车违规充电")
    page.click("main form button[type=submit]")
    page.wait_for_url(f"**{incident.get_absolute_url()}")

    page.click("form[data-close] button")
    page.wait_for_selector("text=事件已结束")
    incident.refresh_from_db()
    assert incident.closed_at is not None
    assert list(incident.reports.values_list("kind", flat=True).order_by("pk")) == [
        ReportKind.FIRST, ReportKind.FINAL]
    assert len(loads) <= 10, loads
