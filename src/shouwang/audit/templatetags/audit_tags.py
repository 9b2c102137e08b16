from django import template

from shouwang.core.templatetags.shouwang import get_item

from ..queries import changes_url

register = template.Library()
register.filter("get_item", get_item)


@register.filter
def changes_link(entry):
    return changes_url(entry) or ""
