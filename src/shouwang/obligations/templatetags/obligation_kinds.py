from django import template

from shouwang.obligations import kinds

register = template.Library()


@register.filter
def kind_label(kind):
    """The registered human label of an obligation kind (the raw kind when none is registered)."""
    return kinds.label(kind)
