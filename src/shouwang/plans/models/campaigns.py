"""Awareness campaigns (宣传): assemblies, class meetings, safety education days and weeks,
blackboards, leaflets, online; each with its audience and photos; a yearly target per node,
counted over its subtree."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ..choices import CampaignKind
from .plans import PlansScoped


class Campaign(PlansScoped):
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=16, choices=CampaignKind.choices)
    held_on = models.DateField(_("held on"))
    audience = models.PositiveIntegerField(_("audience"))
    unit = models.ForeignKey("core.Unit", on_delete=models.SET_NULL, null=True, blank=True, related_name="campaigns",
                             verbose_name=_("unit"))
    description = models.TextField(_("what was done"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", editable=False, verbose_name=_("created by"))

    class Meta:
        verbose_name = _("awareness campaign")
        verbose_name_plural = _("awareness campaigns")
        ordering = ["-held_on", "-pk"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("plans:campaign_detail", args=[self.pk])


class CampaignPhoto(PlansScoped):
    changelog_exclude = ("file",)  # the photo itself is not history; its caption and campaign are
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="photos",
                                 verbose_name=_("awareness campaign"))
    file = models.ImageField(_("photo"), upload_to="campaigns/%Y/%m/")
    caption = models.CharField(_("caption"), max_length=200, blank=True)
    taken_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                 related_name="+", editable=False, verbose_name=_("added by"))

    class Meta:
        verbose_name = _("campaign photo")
        verbose_name_plural = _("campaign photos")
        ordering = ["campaign", "pk"]

    def __str__(self):
        return self.caption or str(self.campaign)

    def get_absolute_url(self):
        return self.campaign.get_absolute_url()


class CampaignTarget(PlansScoped):
    """How many campaigns a node (with its subtree) aims for in a year."""

    year = models.PositiveSmallIntegerField(_("year"))
    campaigns = models.PositiveIntegerField(_("campaigns"))
    audience = models.PositiveIntegerField(_("audience"), null=True, blank=True)

    class Meta:
        verbose_name = _("campaign target")
        verbose_name_plural = _("campaign targets")
        ordering = ["-year", "jurisdiction", "pk"]
        constraints = [models.UniqueConstraint(fields=["jurisdiction", "year"], name="campaigntarget_one_per_year")]

    def __str__(self):
        return f"{self.jurisdiction} {self.year}"

    def get_absolute_url(self):
        return reverse("plans:campaigns_rollup") + f"?year={self.year}"
