"""The posture level of a node (常规 / 加强 / 超常), set by a leader for a period."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from shouwang.core.models import ScopedModel

from ..choices import PostureLevel


class Posture(ScopedModel):
    """A node's posture level for a period, set by a leader with a reason. Lower nodes inherit it
    unless they raise their own."""

    permission_area = "duty"

    level = models.CharField(pgettext_lazy("posture", "level"), max_length=14, choices=PostureLevel.choices)
    starts_at = models.DateTimeField(_("from"))
    ends_at = models.DateTimeField(_("until"))
    reason = models.CharField(_("reason"), max_length=200)
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                               related_name="+", verbose_name=_("level set by"))

    class Meta:
        verbose_name = _("posture level")
        verbose_name_plural = _("posture levels")
        ordering = ["-starts_at", "-pk"]
        constraints = [models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="posture_ends_after_start")]

    def __str__(self):
        return f"{self.jurisdiction.name} · {self.get_level_display()} {timezone.localtime(self.starts_at):%m-%d}"

    def get_absolute_url(self):
        return reverse("duty:posture_detail", args=[self.pk])
