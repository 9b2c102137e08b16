from django.utils.translation import gettext as _


def format_duration(delta) -> str:
    """How late, as a person says it: '1 d 2 h', '40 min'."""
    seconds = delta.total_seconds()
    if 0 < seconds < 60:
        return _("under 1 min")  # never "0 min" for something that is late
    minutes = max(int(seconds // 60), 0)
    days, rest = divmod(minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    parts = []
    if days:
        parts.append(_("%(n)s d") % {"n": days})
    if hours:
        parts.append(_("%(n)s h") % {"n": hours})
    if minutes or not parts:
        parts.append(_("%(n)s min") % {"n": minutes})
    return " ".join(parts)
