"""The patrol phone page works offline: check in with no network, see it queued, see it synced — in Chromium."""

import pytest

from shouwang.patrols import services
from shouwang.patrols.models import CheckIn
from tests.e2e.conftest import log_in_page
from tests.patrols.conftest import patrol  # noqa: F401 - fixture

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_offline_checkin_is_queued_then_synced(org, patrol, phone_page, cable):  # noqa: F811
    user = org.user("patrol1")
    user.set_password("pw-patrol1")
    user.save()
    page = phone_page
    context = page.context
    context.grant_permissions(["geolocation"])
    context.set_geolocation({"latitude": patrol.gate.lat, "longitude": patrol.gate.lon, "accuracy": 10})
    log_in_page(page, "patrol1", "pw-patrol1")

    page.goto("/patrols/m/")
    page.wait_for_selector(f"#point option[value='{patrol.gate.pk}']", state="attached")
    # The service worker controls the page and has cached the shell before we go offline.
    page.wait_for_function("navigator.serviceWorker.controller !== null")
    page.wait_for_function("caches.match('/patrols/m/').then(r => !!r)")

    # No network: the cable to the server is cut, and the browser is told it is offline.
    cable.unplug()
    context.set_offline(True)
    page.reload()  # served by the service worker from its cache
    page.wait_for_selector(f"#point option[value='{patrol.gate.pk}']", state="attached")
    # The badge comes from the page's own requests (the data came from the cache, not the
    # server), not from navigator.onLine, which browsers report differently here.
    page.wait_for_selector("#net.off")

    page.fill("#token", services.make_token(patrol.gate))
    page.click("#checkin-qr")
    page.wait_for_selector("#queue li.waiting")
    assert page.locator("#queue-count").inner_text() == "1"
    # it was tried at once and could not go: the phone says it will try again
    page.wait_for_function("document.querySelector('#queue li.waiting').textContent.includes('稍后重试')")
    # a forged code queued too: the server will refuse it, the phone keeps it with the reason
    page.fill("#token", services.make_token(patrol.gate)[:-4] + "abcd")
    page.click("#checkin-qr")
    page.wait_for_function("document.querySelectorAll('#queue li.waiting').length === 2")
    # the queue survives a reload with no network
    page.reload()
    page.wait_for_function("document.querySelectorAll('#queue li.waiting').length === 2")
    page.wait_for_selector("#net.off")
    assert CheckIn.objects.count() == 0

    cable.plug()
    context.set_offline(False)
    page.wait_for_selector("#queue li.synced", timeout=20000)
    page.wait_for_selector("#queue li.refused")
    page.wait_for_selector("#net:not(.off)")
    assert page.locator("#queue-count").inner_text() == "0"
    assert page.locator("#queue li.refused .reason").inner_text().strip()
    row = CheckIn.objects.get()
    assert row.checkpoint == patrol.gate and row.member == patrol.member and row.status == "ok"
    # the refused item stays on the phone after a reload, and nothing is sent twice
    page.reload()
    page.wait_for_selector("#queue li.refused")
    page.evaluate("window.shouwangPatrol.sync()")
    assert CheckIn.objects.count() == 1
    # with the network there, a check-in goes at once and the phone says it was sent
    page.select_option("#point", str(patrol.gate.pk))
    page.click("#checkin-gps")
    page.wait_for_function("document.querySelector('#message').textContent.includes('已发送')")
    assert CheckIn.objects.count() == 2


def test_a_shared_phone_never_credits_the_next_user(org, patrol, phone_page, cable):  # noqa: F811
    for name in ("patrol1", "grid1"):
        u = org.user(name)
        u.set_password(f"pw-{name}")
        u.save()
    page = phone_page
    page.context.grant_permissions(["geolocation"])
    page.context.set_geolocation({"latitude": patrol.gate.lat, "longitude": patrol.gate.lon, "accuracy": 10})
    log_in_page(page, "patrol1", "pw-patrol1")
    page.goto("/patrols/m/")
    page.wait_for_selector(f"#point option[value='{patrol.gate.pk}']", state="attached")
    page.wait_for_function("navigator.serviceWorker.controller !== null")

    cable.unplug()
    page.fill("#token", services.make_token(patrol.gate))
    page.click("#checkin-qr")
    page.wait_for_selector("#queue li.waiting")
    # Logging out with an unsent item asks first; "cancel" keeps the user here with the item.
    asked = []
    page.once("dialog", lambda d: (asked.append(d.message), d.dismiss()))
    page.click("footer.account button")
    page.wait_for_function("document.querySelectorAll('#queue li.waiting').length === 1")
    assert asked and "1 条记录未发送" in asked[0]
    # The network is back as the phone is handed over: log out for real.
    cable.plug()
    page.once("dialog", lambda d: d.accept())
    page.click("footer.account button")
    page.wait_for_url(lambda url: "/patrols/m/" not in url)

    log_in_page(page, "grid1", "pw-grid1")
    page.goto("/patrols/m/")
    page.wait_for_selector("#queue-count")
    page.wait_for_timeout(0)
    assert page.locator("#queue-count").inner_text() == "0"  # the last user's queue is not this user's
    assert not CheckIn.objects.filter(user=org.user("grid1")).exists()

    page.once("dialog", lambda d: d.accept())
    page.click("footer.account button")
    page.wait_for_url(lambda url: "/patrols/m/" not in url)
    log_in_page(page, "patrol1", "pw-patrol1")
    page.goto("/patrols/m/")
    page.wait_for_selector("#queue li.synced", timeout=20000)
    row = CheckIn.objects.get()
    assert row.user == org.user("patrol1") and row.member == patrol.member


def test_the_phone_shows_a_flagged_checkin_as_flagged(org, patrol, phone_page):  # noqa: F811
    user = org.user("patrol1")
    user.set_password("pw-patrol1")
    user.save()
    page = phone_page
    page.context.grant_permissions(["geolocation"])
    # about 2 km north of the gate
    page.context.set_geolocation({"latitude": patrol.gate.lat + 0.018, "longitude": patrol.gate.lon, "accuracy": 10})
    log_in_page(page, "patrol1", "pw-patrol1")
    page.goto("/patrols/m/")
    page.wait_for_selector(f"#point option[value='{patrol.gate.pk}']", state="attached")
    page.select_option("#point", str(patrol.gate.pk))
    page.click("#checkin-gps")
    page.wait_for_selector("#queue li.synced.warn")
    item = page.locator("#queue li.synced.warn")
    row = CheckIn.objects.get()
    assert row.flags, "the server flagged it"
    assert item.locator(".reason").first.inner_text().strip()  # the reason, in words
