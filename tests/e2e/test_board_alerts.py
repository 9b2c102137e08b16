"""The duty desk hears a new incident or draft arrive on the live board — in Chromium, with the
browser's Notification and audio replaced by spies and the page clock moved past a poll."""

import pytest

from shouwang.incidents import services
from shouwang.incidents.choices import Channel

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SPIES = """
window.__notes = []; window.__asked = 0; window.__beeps = 0;
function FakeNotification(title, options) { window.__notes.push({title: title, body: (options || {}).body}); }
FakeNotification.permission = localStorage.getItem("__perm") || "default";
FakeNotification.requestPermission = function () {
  window.__asked += 1; FakeNotification.permission = "granted"; localStorage.setItem("__perm", "granted");
  return Promise.resolve("granted");
};
window.Notification = FakeNotification;
window.AudioContext = function () {
  var param = {value: 0, setValueAtTime: function () {}, exponentialRampToValueAtTime: function () {}};
  return {state: "running", currentTime: 0, destination: {}, resume: function () { return Promise.resolve(); },
          createGain: function () { return {gain: param, connect: function () {}}; },
          createOscillator: function () {
            return {frequency: {value: 0}, connect: function () {}, stop: function () {},
                    start: function () { window.__beeps += 1; }};
          }};
};
"""


def _poll(page):
    page.clock.run_for(16_000)  # past the board's 15-second poll
    page.wait_for_load_state("networkidle")


def _open_board(org, log_in, page):
    """The office on the board, with spies in place and the page clock under the test's hand."""
    user = org.user("office")
    user.set_password("pw-office")
    user.save()
    page.add_init_script(SPIES)
    page.clock.install()
    log_in("office", "pw-office")
    page.goto("/incidents/")
    return user


def test_desk_is_alerted_once_per_new_incident_or_draft(org, log_in, page):
    user = _open_board(org, log_in, page)
    button = page.locator("#board-alerts")
    assert button.inner_text() == "开启提醒"
    assert page.evaluate("window.__asked") == 0  # nobody is asked on load

    button.click()
    page.wait_for_function("window.__asked === 1")
    assert button.inner_text() == "提醒已开启（点此关闭）"

    incident, _ = services.intake(user=user, jurisdiction=org.c1, title="桥下积水车辆被困", category="flood",
                                  level="IV", address="柳岸路桥")
    _poll(page)
    page.wait_for_function("window.__notes.length === 1")
    note = page.evaluate("window.__notes[0]")
    assert note["title"] == "新事件" and incident.number in note["body"] and "桥下积水" in note["body"]
    assert page.evaluate("window.__beeps") >= 1
    assert page.locator(f"tr[data-incident='{incident.pk}'].is-new").count() == 1

    # a poll with nothing new stays silent
    _poll(page)
    assert page.evaluate("window.__notes.length") == 1

    draft = services.raise_draft(jurisdiction=org.c1, title="危化品库存短少", category="gas_leak", level="IV",
                                 address="化工仓库", channel=Channel.REGISTER)
    _poll(page)
    page.wait_for_function("window.__notes.length === 2")
    assert page.evaluate("window.__notes[1].title") == "新草稿待确认"

    # confirmed on the desk, the draft becomes an incident: that is not news
    services.confirm_draft(draft, user=user)
    _poll(page)
    assert page.evaluate("window.__notes.length") == 2

    # the choice is remembered and the browser is not asked again
    page.reload()
    assert page.locator("#board-alerts").inner_text() == "提醒已开启（点此关闭）"
    assert page.evaluate("window.__asked") == 0


def test_alerts_off_means_silence(org, log_in, page):
    user = _open_board(org, log_in, page)
    services.intake(user=user, jurisdiction=org.c1, title="路面塌陷", category="flood", level="IV", address="东街")
    _poll(page)
    page.wait_for_selector("tr[data-incident].is-new")  # the row still stands out on screen
    assert page.evaluate("[window.__notes.length, window.__beeps]") == [0, 0]
