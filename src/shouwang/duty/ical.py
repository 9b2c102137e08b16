"""iCalendar feeds of duties, made with `icalendar`: one VTIMEZONE (Asia/Shanghai), every VEVENT
with a UID stable across regenerations, DTSTAMP, DTSTART/DTEND with TZID, SEQUENCE bumped by the
caller on each change, STATUS:CANCELLED for a removed duty. Plain data in, bytes out."""

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

import icalendar

TZID = "Asia/Shanghai"
ZONE = ZoneInfo(TZID)


@dataclass(frozen=True)
class Event:
    uid: str  # stable: e.g. "duty-<slot id>@<site>"
    start: datetime
    end: datetime
    summary: str
    sequence: int = 0
    cancelled: bool = False
    location: str = ""
    description: str = ""


def feed(name, events, now: datetime) -> bytes:
    cal = icalendar.Calendar()
    cal.add("prodid", "-//Shouwang//duty//ZH")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", TZID)
    for e in sorted(events, key=lambda e: (e.start, e.uid)):
        ev = icalendar.Event()
        ev.add("uid", e.uid)
        ev.add("dtstamp", now.astimezone(ZoneInfo("UTC")))
        ev.add("dtstart", e.start.astimezone(ZONE))
        ev.add("dtend", e.end.astimezone(ZONE))
        ev.add("summary", e.summary)
        ev.add("sequence", e.sequence)
        ev.add("status", "CANCELLED" if e.cancelled else "CONFIRMED")
        if e.location:
            ev.add("location", e.location)
        if e.description:
            ev.add("description", e.description)
        cal.add_component(ev)
    first = min((e.start for e in events), default=now).astimezone(ZONE).date()
    last = max((e.end for e in events), default=now).astimezone(ZONE).date()
    cal.add_component(icalendar.Timezone.from_tzid(TZID, first_date=date(first.year, 1, 1),
                                                   last_date=date(last.year + 1, 1, 1)))
    return cal.to_ical()
