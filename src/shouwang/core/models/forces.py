from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ..choices import TeamKind
from .base import ScopedModel


class Team(ScopedModel):
    """A force (police patrol, full-time patrol team, volunteers, property security, militia,
    the reserve team): organisation, so patrols, duty and resources share it."""

    permission_area = "patrols"  # who may manage forces: the patrol rights of the permission table

    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=16, choices=TeamKind.choices)
    unit = models.ForeignKey(
        "core.Unit", on_delete=models.SET_NULL, null=True, blank=True, related_name="patrol_teams", verbose_name=_("unit")
    )
    leader = models.ForeignKey(
        "core.Person", on_delete=models.SET_NULL, null=True, blank=True, related_name="leads_teams",
        verbose_name=_("team leader"),
    )
    members = models.ManyToManyField("core.Person", blank=True, related_name="patrol_teams", verbose_name=_("members"))
    equipment = models.TextField(_("equipment carried"), blank=True)

    class Meta:
        verbose_name = _("patrol team")
        verbose_name_plural = _("patrol teams")
        ordering = ["name", "pk"]
        constraints = [models.UniqueConstraint(fields=["jurisdiction", "name"], name="team_unique_name_per_node")]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("patrols:team_detail", args=[self.pk])
