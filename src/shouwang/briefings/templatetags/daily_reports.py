from django import template

from shouwang.obligations.formats import format_duration

register = template.Library()


@register.filter
def duration(value):
    """A timedelta as “1 h 20 min” (Chinese: “1小时 20分钟”)."""
    return format_duration(value) if value else ""
