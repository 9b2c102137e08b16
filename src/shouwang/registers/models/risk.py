"""The daily four-colour risk rating of a key place, with its history."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from shouwang.core.models import ScopedModel

from ..choices import RiskColour
from .places import KeyPlace


class RiskRating(ScopedModel):
    """One setting of a place's colour for a day; the latest row of a day is that day's colour."""

    permission_area = "registers"

    place = models.ForeignKey(KeyPlace, on_delete=models.CASCADE, related_name="ratings", verbose_name=_("key place"))
    date = models.DateField(_("date"))
    colour = models.CharField(_("colour"), max_length=8, choices=RiskColour.choices)
    rule_colour = models.CharField(_("colour the rules suggest"), max_length=8, choices=RiskColour.choices)
    rule_reasons = models.JSONField(_("what the rules saw"), default=list, blank=True)
    reason = models.TextField(_("reason"))
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                               related_name="+", verbose_name=_("set by"))

    class Meta:
        verbose_name = _("risk rating")
        verbose_name_plural = _("risk ratings")
        ordering = ["-date", "-created_at", "-pk"]
        indexes = [models.Index(fields=["place", "date"], name="riskrating_place_date_idx")]

    def __str__(self):
        return f"{self.place} {self.date} {self.get_colour_display()}"

    def get_absolute_url(self):
        return self.place.get_absolute_url()

    @property
    def follows_rule(self) -> bool:
        return self.colour == self.rule_colour
