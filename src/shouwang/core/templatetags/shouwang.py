from django import template
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def get_item(mapping, key):
    return (mapping or {}).get(key)


def duration_parts(seconds):
    """(hours, minutes, seconds) of a whole number of seconds, sign dropped."""
    seconds = abs(int(seconds))
    return seconds // 3600, seconds % 3600 // 60, seconds % 60


@register.filter
def countdown(seconds):
    """A time left or overdue in one unambiguous format, the same as static/shouwang/countdown.js
    writes it live: '1小时27分' from an hour up, '27分45秒' below."""
    h, m, s = duration_parts(seconds)
    if h:
        return _("%(h)sh %(m)02dmin") % {"h": h, "m": m}
    return _("%(m)smin %(s)02ds") % {"m": m, "s": s}
