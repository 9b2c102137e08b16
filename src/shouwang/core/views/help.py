"""使用说明: one help page per area, written per language (long prose reads better written than
assembled from message fragments); the page header links to the help of the area one is in."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

AREAS = {
    "home": _("Getting started"), "obligations": _("Obligations"), "registers": _("Registers"),
    "patrols": _("Patrols"), "incidents": _("Incidents"), "briefings": _("Briefings"), "audit": _("Audit"),
    "org": _("Organisation"),
    "plans": _("Plans"),
}


def area_of(path: str) -> str:
    """The help area of a page: its first path segment when it names one."""
    first = path.strip("/").split("/", 1)[0]
    return first if first in AREAS else "home"


@login_required
def help_page(request, area="home"):
    if area not in AREAS:
        raise Http404(_("There is no help page of that name."))
    language = "zh_hans" if (get_language() or "").startswith("zh") else "en"
    return render(request, "core/help.html", {
        "area": area, "title": AREAS[area], "areas": AREAS.items(),
        "body": f"core/help/{language}/{area}.html"})
