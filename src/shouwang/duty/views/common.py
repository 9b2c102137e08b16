"""What duty's pages share: the section's sub-navigation and its stylesheet."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from shouwang.core.scope import can

CSS = ("duty/duty.css",)


def subnav(user):
    links = [("duty:roster_list", _("Rosters")), ("duty:mine", _("My duties")), ("duty:now", _("On duty now")),
             ("duty:swaprequest_list", _("Swap requests")), ("duty:handover_list", _("Handovers")),
             ("duty:leave_list", _("Leave")), ("duty:posture_panel", _("Posture and staffing"))]
    if not can(user, "duty", "view"):
        links = [link for link in links if link[0] in ("duty:mine", "duty:swaprequest_list", "duty:handover_list")]
    return [{"url": reverse(name), "label": label, "name": name} for name, label in links]


class DutyPage:
    """Mixin: the sub-navigation in every duty page's context."""

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["duty_nav"] = subnav(self.request.user)
        return ctx
