"""Reading the holiday calendar: which days a node's holidays cover."""

from datetime import timedelta

from .choices import HolidayKind
from .models import Holiday

NO_SCHOOL = [HolidayKind.PUBLIC, HolidayKind.SCHOOL]


def holidays_on(node, start, end, kinds=None):
    """Holidays of `node` and its ancestors that overlap [start, end]."""
    chain = [*node.ancestors(), node]
    qs = Holiday.objects.filter(jurisdiction__in=chain, starts_on__lte=end, ends_on__gte=start)
    if kinds:
        qs = qs.filter(kind__in=kinds)
    return qs.order_by("starts_on", "pk")


def no_school_between(start, end):
    """Public and school holidays of every node that overlap [start, end] (sensitive periods
    keep schools open), their nodes loaded: one read for a sweep over many nodes."""
    return list(Holiday.objects.filter(kind__in=NO_SCHOOL, starts_on__lte=end, ends_on__gte=start)
                .select_related("jurisdiction").order_by("starts_on", "pk"))


def closes_school(holiday, day, node) -> bool:
    """Does `holiday` (public or school) close the schools of `node` on `day`?"""
    return (holiday.no_school and holiday.starts_on <= day <= holiday.ends_on
            and node.path.startswith(holiday.jurisdiction.path))


def days_off(node, start, end) -> set:
    """Dates in [start, end] that are public or school holidays for `node` (not sensitive periods)."""
    out = set()
    for h in holidays_on(node, start, end, kinds=[HolidayKind.PUBLIC, HolidayKind.SCHOOL]):
        day = max(h.starts_on, start)
        while day <= min(h.ends_on, end):
            out.add(day)
            day += timedelta(days=1)
    return out


def public_days_off(node, start, end) -> set:
    """Dates in [start, end] off for offices (public holidays only)."""
    out = set()
    for h in holidays_on(node, start, end, kinds=[HolidayKind.PUBLIC]):
        day = max(h.starts_on, start)
        while day <= min(h.ends_on, end):
            out.add(day)
            day += timedelta(days=1)
    return out
