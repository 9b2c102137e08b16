from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import icalendar

from shouwang.duty.ical import Event, feed

CN = ZoneInfo("Asia/Shanghai")


def events(cancel=False):
    night = datetime(2026, 12, 24, 22, 0, tzinfo=CN)
    return [Event("duty-1@shouwang", night, night + timedelta(hours=10), "夜班 · 东湖街道", sequence=1 if cancel else 0,
                  cancelled=cancel),
            Event("duty-2@shouwang", night + timedelta(days=1), night + timedelta(days=1, hours=10), "夜班")]


def test_the_feed_parses_and_has_the_fields_calendar_clients_need():
    cal = icalendar.Calendar.from_ical(feed("冯立新的值班", events(), datetime(2026, 12, 1, tzinfo=CN)))
    zones = cal.walk("VTIMEZONE")
    assert [str(z["TZID"]) for z in zones] == ["Asia/Shanghai"]
    vevents = cal.walk("VEVENT")
    assert [str(e["UID"]) for e in vevents] == ["duty-1@shouwang", "duty-2@shouwang"]
    first = vevents[0]
    for name in ("DTSTAMP", "DTSTART", "DTEND", "SEQUENCE", "STATUS", "SUMMARY"):
        assert name in first
    assert first["DTSTART"].params["TZID"] == "Asia/Shanghai"
    assert first.decoded("DTEND") - first.decoded("DTSTART") == timedelta(hours=10)  # crosses midnight


def test_two_exports_of_an_unchanged_roster_differ_only_in_dtstamp():
    a = feed("x", events(), datetime(2026, 12, 1, 8, tzinfo=CN)).decode()
    b = feed("x", events(), datetime(2026, 12, 2, 9, tzinfo=CN)).decode()
    diff = [(x, y) for x, y in zip(a.splitlines(), b.splitlines(), strict=True) if x != y]
    assert diff and all(x.startswith("DTSTAMP") and y.startswith("DTSTAMP") for x, y in diff)


def test_a_removed_duty_is_cancelled_with_its_sequence_bumped():
    cal = icalendar.Calendar.from_ical(feed("x", events(cancel=True), datetime(2026, 12, 1, tzinfo=CN)))
    first = cal.walk("VEVENT")[0]
    assert str(first["STATUS"]) == "CANCELLED" and int(first["SEQUENCE"]) == 1
