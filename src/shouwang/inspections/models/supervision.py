"""Supervision (督查): inspectors assigned to communities, their visits and the bulletins."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from shouwang.core.models import ScopedModel

from ..choices import BulletinState, VisitMethod


class InspectorAssignment(ScopedModel):
    """An inspector covering a community (the node the assignment hangs on)."""

    permission_area = "inspections"

    inspector = models.ForeignKey("core.Person", on_delete=models.CASCADE, related_name="inspector_assignments",
                                  verbose_name=pgettext_lazy("inspections", "inspector"))
    since = models.DateField(_("since"))

    class Meta:
        verbose_name = _("inspector assignment")
        verbose_name_plural = _("inspector assignments")
        ordering = ["jurisdiction", "pk"]
        constraints = [models.UniqueConstraint(fields=["jurisdiction", "inspector"], name="assignment_unique")]

    def __str__(self):
        return f"{self.inspector} → {self.jurisdiction}"

    def get_absolute_url(self):
        return reverse("inspections:inspectorassignment_detail", args=[self.pk])


class SupervisionVisit(ScopedModel):
    """A visit to a community: its method, the four checks against the real data, the findings."""

    permission_area = "inspections"

    visited_on = models.DateField(_("visited on"))
    method = models.CharField(_("method"), max_length=12, choices=VisitMethod.choices)
    inspectors = models.CharField(_("inspectors"), max_length=200)
    led_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                               related_name="+", verbose_name=_("led by"))
    # {check: {"ok": bool, "facts": "...", "note": "..."}}: the facts the system read on the day.
    checks = models.JSONField(_("checks"), default=dict, blank=True)
    summary = models.TextField(_("summary"), blank=True)

    class Meta:
        verbose_name = _("supervision visit")
        verbose_name_plural = _("supervision visits")
        ordering = ["-visited_on", "-pk"]

    def __str__(self):
        return f"{self.jurisdiction} · {self.visited_on:%Y-%m-%d}"

    def get_absolute_url(self):
        return reverse("inspections:supervisionvisit_detail", args=[self.pk])


def _bulletin_path(instance, filename):
    return f"inspections/bulletins/{instance.year}-{instance.sequence:03d}.docx"


class Bulletin(ScopedModel):
    """A supervision bulletin (督查通报): numbered per year and node, immutable once issued."""

    permission_area = "inspections"
    changelog_exclude = ("document",)

    visit = models.ForeignKey(SupervisionVisit, on_delete=models.PROTECT, related_name="bulletins",
                              verbose_name=_("supervision visit"))
    title = models.CharField(_("title"), max_length=120)
    issuer = models.CharField(_("issuing office"), max_length=100)
    year = models.PositiveSmallIntegerField(_("year"))
    sequence = models.PositiveIntegerField(_("number"), null=True, blank=True)
    state = models.CharField(_("state"), max_length=8, choices=BulletinState.choices, default=BulletinState.DRAFT)
    body = models.TextField(_("text"), blank=True)
    distribution = models.CharField(_("distribution"), max_length=300, blank=True,
                                    help_text=_("报 / 送 / 发: who receives it."))
    issued_at = models.DateTimeField(_("issued at"), null=True, blank=True)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                  related_name="+", verbose_name=_("issued by"))
    document = models.FileField(_("document"), upload_to=_bulletin_path, blank=True)

    class Meta:
        verbose_name = _("supervision bulletin")
        verbose_name_plural = _("supervision bulletins")
        ordering = ["-year", "-sequence", "-pk"]
        constraints = [models.UniqueConstraint(fields=["jurisdiction", "year", "sequence"],
                                               name="bulletin_number_unique")]

    def __str__(self):
        return f"{self.title} {self.number_text}"

    @property
    def number_text(self) -> str:
        return f"〔{self.year}〕{self.sequence}号" if self.sequence else ""

    def get_absolute_url(self):
        return reverse("inspections:bulletin_detail", args=[self.pk])
