"""Filters of plans' pages: a drill's clock and durations in people's words."""

from datetime import timedelta

from django import template
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def pretty_elapsed(value):
    """A drill's exercise time as 0:07:35."""
    if not isinstance(value, timedelta):
        return ""
    seconds = int(value.total_seconds())
    hours, rest = divmod(seconds, 3600)
    minutes, seconds = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{seconds:02d}"


@register.filter
def seconds_text(value):
    """95 -> 1 min 35 s (1分35秒)."""
    if value is None or value == "":
        return ""
    minutes, seconds = divmod(int(value), 60)
    if not minutes:
        return _("%(s)s s") % {"s": seconds}
    return _("%(m)s min %(s)s s") % {"m": minutes, "s": seconds}
