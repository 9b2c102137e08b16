"""Wall-clock times of the site's zone (Asia/Shanghai by default) as aware datetimes.

Policies speak in local times of day ("due 09:00", "window 22:00–02:00"); every app turns
them into instants here, so daylight-saving zones and the default zone behave the same way.
"""

from datetime import date, datetime, time, timedelta

from django.utils import timezone


def parse_hhmm(value) -> time:
    """'07:15' -> time(7, 15)."""
    hours, minutes = str(value).split(":")
    return time(int(hours), int(minutes))


def local_datetime(day: date, at: time | str = time.min) -> datetime:
    """`day` at the wall-clock time `at` (a time or 'HH:MM'; midnight by default), aware."""
    if isinstance(at, str):
        at = parse_hhmm(at)
    return timezone.make_aware(datetime.combine(day, at))


def add_working_days(start: datetime, days: int, holidays=frozenset()) -> datetime:
    """`start` moved `days` working days on (weekends and the given dates skipped), same time of day."""
    local = timezone.localtime(start)
    moved = 0
    while moved < days:
        local = local + timedelta(days=1)
        if local.weekday() < 5 and local.date() not in holidays:
            moved += 1
    return timezone.make_aware(datetime.combine(local.date(), local.time().replace(tzinfo=None)))
