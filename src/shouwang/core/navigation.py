"""The navigation shell: one entry per capability, the sections of the user's roles first.

A section the user has no right to see is not shown (it would answer 403); a capability not
built yet shows greyed on a desktop and not at all on a phone (app.css)."""

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from .choices import Role
from .scope import can, roles_of

# (key, label, url name, rights area) — url name None until the capability exists.
SECTIONS = [
    ("home", _("Overview"), "home", None),
    ("org", _("Organisation"), "core:jurisdiction_tree", "org"),
    ("obligations", _("Obligations"), "obligations:mine", "obligations"),
    ("registers", _("Registers"), "registers:keyplace_list", "registers"),
    ("inspections", _("Inspections"), "inspections:rectificationorder_list", "inspections"),
    ("patrols", _("Patrols"), "patrols:today", "patrols"),
    ("duty", _("Duty"), "duty:roster_list", "duty"),
    ("incidents", _("Incidents"), "incidents:board", "incidents"),
    ("plans", _("Plans"), "plans:plan_list", "plans"),
    ("resources", _("Resources"), "resources:overview", "resources"),
    ("briefings", _("Briefings"), "briefings:dailyreport_table", "briefings"),
    ("audit", _("Audit"), "audit:report", "audit"),
]

# The two or three sections a role works in every day: they come right after the overview.
FIRST = {
    Role.GRID_WORKER: ["briefings", "incidents", "patrols"],
    Role.PATROL_MEMBER: ["patrols", "incidents"],
    Role.UNIT_LIAISON: ["obligations", "inspections", "briefings", "registers"],
    Role.INSPECTOR: ["inspections", "registers", "obligations", "audit"],
    Role.VIEWER: ["incidents", "briefings", "registers"],
}


def _url(url_name):
    try:
        return reverse(url_name) if url_name else None
    except NoReverseMatch:
        return None


def sections(user=None):
    roles = roles_of(user) if user is not None else set()
    first = []
    if not roles & {Role.LEADER, Role.OFFICE_STAFF}:
        for role in sorted(roles):
            first += [key for key in FIRST.get(role, []) if key not in first]
    items = []
    for key, label, url_name, area in SECTIONS:
        url = _url(url_name)
        if url and area and user is not None and not can(user, area, "view"):
            continue
        items.append({"key": key, "label": label, "url": url})
    rank = {key: i for i, key in enumerate(first)}
    return sorted(items, key=lambda s: (s["key"] != "home", rank.get(s["key"], len(rank))))
