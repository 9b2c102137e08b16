"""Reading the holiday calendar: which days a node's holidays cover."""

from datetime import timedelta

from .choices import HolidayKind
from .models import Holiday


def holidays_on(node, start, end, kinds=None):
    """Holidays of `node` and its ancestors that overlap [start, end]."""
    chain = [*node.ancestors(), node]
    qs = Holiday.objects.filter(jurisdiction__in=chain, starts_on__lte=end, ends_on__gte=start)
    if kinds:
        qs = qs.filter(kind__in=kinds)
    return qs.order_by("starts_on", "pk")


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
