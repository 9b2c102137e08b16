"""One calendar of holidays and sensitive periods that offices maintain: school days, pre-holiday
inspections, leaders on duty in sensitive periods all read it."""

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ..choices import HolidayKind
from .base import ScopedModel


class Holiday(ScopedModel):
    """A holiday (or a sensitive period) on a node and everything below it, one or more days."""

    permission_area = "org"

    name = models.CharField(_("name"), max_length=60)
    kind = models.CharField(_("kind"), max_length=10, choices=HolidayKind.choices, default=HolidayKind.PUBLIC)
    starts_on = models.DateField(_("first day"))
    ends_on = models.DateField(_("last day"))

    class Meta:
        verbose_name = _("holiday")
        verbose_name_plural = _("holidays")
        ordering = ["starts_on", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["jurisdiction", "starts_on", "kind"], name="holiday_unique_start"),
            models.CheckConstraint(condition=models.Q(ends_on__gte=models.F("starts_on")), name="holiday_ends_after_start"),
        ]

    def __str__(self):
        if self.ends_on and self.ends_on != self.starts_on:
            return f"{self.name}（{self.starts_on:%m-%d}—{self.ends_on:%m-%d}）"
        return f"{self.name}（{self.starts_on:%Y-%m-%d}）"

    def get_absolute_url(self):
        return reverse("core:holiday_detail", args=[self.pk])

    def clean(self):
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("The last day is before the first.")})

    @property
    def no_school(self) -> bool:
        """Public and school holidays close schools; a sensitive period does not."""
        return self.kind != HolidayKind.SENSITIVE
