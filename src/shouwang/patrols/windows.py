"""Check-in windows: which windows a schedule has on a day (school days, policy windows,
windows crossing midnight), and which checkpoints a route requires."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from shouwang.core import calendar
from shouwang.core.clock import local_datetime
from shouwang.policies.services import effective

from .choices import Days


def is_school_day(day, node, holidays=None):
    """A weekday that no public or school holiday of the node (core's calendar) covers;
    `holidays`: those of core.calendar.no_school_between, read once for many schedules."""
    if day.weekday() >= 5:
        return False
    holidays = holidays if holidays is not None else calendar.no_school_between(day, day)
    return not any(calendar.closes_school(h, day, node) for h in holidays)


def day_matches(days, day, node, holidays=None):
    if days == Days.WEEKDAYS:
        return day.weekday() < 5
    if days == Days.SCHOOL_DAYS:
        return is_school_day(day, node, holidays)
    return True


@dataclass
class Window:
    name: str
    label: str
    start: datetime
    end: datetime
    policy_version: object = None
    rule: str = ""


def windows_of(schedule, day, holidays=None, policy=None):
    """The windows a schedule has on a (local) day; a window crossing midnight ends the next day."""
    node = schedule.jurisdiction
    specs = [(w, None) for w in schedule.windows or []]
    if schedule.policy_windows:
        policy = policy or effective(node)
        version = policy.version_of("checkin_windows")
        specs += [(w, version) for w in policy.get("checkin_windows", []) or []]
    out = []
    for spec, version in specs:
        if not day_matches(spec.get("days") or schedule.days, day, node, holidays):
            continue
        start = local_datetime(day, spec["start"])
        end = local_datetime(day, spec["end"])
        if end <= start:
            end = local_datetime(day + timedelta(days=1), spec["end"])
        name = str(spec.get("name") or spec["start"])
        out.append(Window(name, str(spec.get("label") or name), start, end, version, name if version else ""))
    return out


def required_checkpoints(route):
    """Must-visit points; a route that marks none requires all of its points."""
    points = list(route.checkpoints.all())
    must = [p for p in points if p.must_visit]
    return must or points


