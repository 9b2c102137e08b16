"""The navigation shell: one entry per capability; apps that are not built yet show as such."""

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

# (key, label, url name) — url name None until the capability exists.
SECTIONS = [
    ("home", _("Overview"), "home"),
    ("org", _("Organisation"), "core:jurisdiction_tree"),
    ("obligations", _("Obligations"), "obligations:mine"),
    ("registers", _("Registers"), "registers:keyplace_list"),
    ("inspections", _("Inspections"), None),
    ("patrols", _("Patrols"), "patrols:today"),
    ("duty", _("Duty"), None),
    ("incidents", _("Incidents"), "incidents:board"),
    ("plans", _("Plans"), None),
    ("resources", _("Resources"), None),
    ("briefings", _("Briefings"), "briefings:dailyreport_table"),
    ("audit", _("Audit"), "audit:report"),
]


def sections():
    items = []
    for key, label, url_name in SECTIONS:
        url = None
        if url_name:
            try:
                url = reverse(url_name)
            except NoReverseMatch:
                url = None
        items.append({"key": key, "label": label, "url": url})
    return items

