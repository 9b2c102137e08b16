"""Ready shift layouts for a new roster: a clerk picks one and says how many people a shift needs;
the roster stores the shifts and demand as the problem format writes them (the API takes any)."""

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from .choices import Layout, Post


def shifts_of(layout):
    """The shifts of a layout, labelled in the current language."""
    if layout == Layout.THREE_SHIFTS:
        return [{"id": "early", "label": _("early shift"), "start": "06:00", "end": "14:00"},
                {"id": "middle", "label": _("middle shift"), "start": "14:00", "end": "22:00"},
                {"id": "night", "label": _("night shift"), "start": "22:00", "end": "06:00"}]
    if layout == Layout.DUTY_24:
        return [{"id": "duty24", "label": _("24-hour duty"), "start": "08:30", "end": "08:30"}]
    if layout == Layout.SCHOOL_GATE:
        return [{"id": "arrival", "label": pgettext("school gate", "arrival"), "start": "07:00", "end": "08:30"},
                {"id": "dismissal", "label": pgettext("school gate", "dismissal"), "start": "15:30", "end": "17:30"}]
    return [{"id": "day", "label": _("day duty"), "start": "08:30", "end": "17:30"}]


def build(layout, *, post=Post.DUTY_OFFICER, per_shift=1, leader=False):
    """(shifts, demand) of a layout: `per_shift` people of `post` on every shift, and a leader on
    duty on every shift when `leader`."""
    shifts = shifts_of(layout)
    demand = [{"shift": s["id"], "role": post, "count": per_shift} for s in shifts if per_shift]
    if leader and post != Post.LEADER:
        demand += [{"shift": s["id"], "role": Post.LEADER, "count": 1} for s in shifts]
    return shifts, demand


def layout_of(shifts):
    """The layout whose shift ids these are, or '' for shifts of one's own."""
    ids = [s.get("id") for s in shifts or []]
    for layout in Layout.values:
        if [s["id"] for s in shifts_of(layout)] == ids:
            return layout
    return ""


# Rest rules by layout: three shifts also name night → early (no rest at all between them); a
# 24-hour duty on two days running is under any minimum rest, so the rotation rests the next day.
def rules_of(layout, *, min_rest_hours=11, max_shifts_per_7_days=6):
    rules = {"min_rest_hours": min_rest_hours, "max_shifts_per_7_days": max_shifts_per_7_days}
    if layout == Layout.THREE_SHIFTS:
        rules["forbidden_transitions"] = [["night", "early"]]
    return rules
