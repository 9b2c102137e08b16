"""Calendar feeds read as calendar apps read them: behind a secret link (revoked, it is 404), parsed
with `icalendar`; every VEVENT has a stable UID, DTSTAMP, DTSTART/DTEND with TZID=Asia/Shanghai and
one VTIMEZONE, SEQUENCE bumped on change and STATUS:CANCELLED for a shift taken off; two exports of
an unchanged roster differ only in DTSTAMP."""

from datetime import date, datetime, timedelta

import icalendar
import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from shouwang.core.models import Person
from shouwang.duty import services
from shouwang.duty.models import Assignment, FeedToken

from .conftest import CN


def _fetch(client, feed):
    response = client.get(reverse("duty:feed", args=[feed.token]))
    assert response.status_code == 200 and response["Content-Type"] == "text/calendar; charset=utf-8"
    return response.content


def test_a_persons_feed_has_the_fields_calendar_apps_need(client, login, org, published, crew, clock):
    assert login(org.user("patrol1")).post(reverse("duty:feed_mine")).status_code == 302
    feed = FeedToken.objects.get(person=crew[0])
    client.logout()  # calendar apps fetch without a session
    cal = icalendar.Calendar.from_ical(_fetch(client, feed))
    assert [str(z["TZID"]) for z in cal.walk("VTIMEZONE")] == ["Asia/Shanghai"]
    events = cal.walk("VEVENT")
    mine = Assignment.objects.live().filter(person=crew[0]).order_by("day")
    assert len(events) == mine.count() == 22  # six of every eight days: 6 + 6 + 6 + 4 in 28
    assert {str(e["UID"]) for e in events} == {f"duty-{a.pk}@shouwang.duty" for a in mine}
    first = events[0]
    for name in ("UID", "DTSTAMP", "DTSTART", "DTEND", "SEQUENCE", "STATUS", "SUMMARY"):
        assert name in first
    assert first["DTSTART"].params["TZID"] == "Asia/Shanghai" and first["DTEND"].params["TZID"] == "Asia/Shanghai"
    assert first.decoded("DTSTART") == datetime(2026, 12, 1, 6, 0, tzinfo=CN)
    assert str(first["STATUS"]) == "CONFIRMED" and int(first["SEQUENCE"]) == 0
    assert "早班" in str(first["SUMMARY"])
    night = next(e for e in events if e.decoded("DTSTART").hour == 22)
    assert night.decoded("DTEND") - night.decoded("DTSTART") == timedelta(hours=8)  # crosses midnight


def test_two_exports_differ_only_in_dtstamp_and_a_removed_shift_is_cancelled(client, org, published, crew, clock):
    feed = services.make_feed(person=crew[0], user=org.user("office1"))
    first = _fetch(client, feed).decode()
    clock.shift(timedelta(hours=3))
    second = _fetch(client, feed).decode()
    changed = [(a, b) for a, b in zip(first.splitlines(), second.splitlines(), strict=True) if a != b]
    assert changed and all(a.startswith("DTSTAMP") and b.startswith("DTSTAMP") for a, b in changed)
    gone = Assignment.objects.live().get(roster=published, person=crew[0], day=date(2026, 12, 2))
    services.stand_down(gone, reason="病假", user=org.user("office1"))
    cal = icalendar.Calendar.from_ical(_fetch(client, feed))
    event = next(e for e in cal.walk("VEVENT") if str(e["UID"]) == f"duty-{gone.pk}@shouwang.duty")
    assert str(event["STATUS"]) == "CANCELLED" and int(event["SEQUENCE"]) == 1
    assert len(cal.walk("VEVENT")) == 22  # still there, cancelled, so calendars drop it


def test_a_rosters_feed_follows_a_swap_and_a_revoked_link_is_404(client, org, published, crew, clock):
    feed = services.make_feed(roster=published, user=org.user("office1"))
    before = icalendar.Calendar.from_ical(_fetch(client, feed)).walk("VEVENT")
    assert len(before) == 28 * 6
    shift = Assignment.objects.live().get(roster=published, person=crew[0], day=date(2026, 12, 2))
    new = services.override(shift, person=Person.objects.create(jurisdiction=org.c1, name="替班"),
                            user=org.user("office1"))
    after = {str(e["UID"]): e for e in icalendar.Calendar.from_ical(_fetch(client, feed)).walk("VEVENT")}
    assert str(after[f"duty-{shift.pk}@shouwang.duty"]["STATUS"]) == "CANCELLED"
    assert str(after[f"duty-{new.pk}@shouwang.duty"]["STATUS"]) == "CONFIRMED"
    assert "替班" in str(after[f"duty-{new.pk}@shouwang.duty"]["SUMMARY"])
    services.revoke_feed(feed, user=org.user("office1"))
    assert client.get(reverse("duty:feed", args=[feed.token])).status_code == 404
    assert client.get(reverse("duty:feed", args=["not-a-token"])).status_code == 404


def test_only_its_person_or_the_office_makes_and_revokes_a_link(org, published, crew, clock):
    with pytest.raises(PermissionDenied):
        services.make_feed(person=crew[1], user=org.user("patrol1"))
    mine = services.make_feed(person=crew[0], user=org.user("patrol1"))
    services.revoke_feed(mine, user=org.user("patrol1"))
    with pytest.raises(PermissionDenied):
        services.make_feed(roster=published, user=org.user("patrol1"))
