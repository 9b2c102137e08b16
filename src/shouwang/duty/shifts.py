"""Shift times: a shift is {"id", "label", "start": "HH:MM", "end": "HH:MM"} and belongs to the day
it starts; an end at or before its start is on the next day (a night shift), "24:00" is midnight.
Plain functions over those dicts, used by the models, the pages and the feeds alike."""

from datetime import timedelta

from shouwang.core.clock import local_datetime


def minutes(value) -> int:
    hours, mins = str(value).split(":")
    return int(hours) * 60 + int(mins)


def span(shift) -> tuple[int, int]:
    """(start, end) in minutes after midnight of the shift's day; end > start."""
    start, end = minutes(shift["start"]), minutes(shift["end"])
    return start, end + 1440 if end <= start else end


def bounds(day, shift):
    """The shift's (start, end) on `day`, aware, in the site's time zone."""
    start, end = span(shift)
    midnight = local_datetime(day)
    return midnight + timedelta(minutes=start), midnight + timedelta(minutes=end)


def hours(shift) -> float:
    start, end = span(shift)
    return (end - start) / 60


def label(shift) -> str:
    return shift.get("label") or shift["id"]


def times(shift) -> str:
    """08:00–16:00, or 22:00–次日06:00 style is left to the template: here plain start–end."""
    return f"{shift['start']}–{shift['end']}"
