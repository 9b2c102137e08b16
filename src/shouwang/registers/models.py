"""Registers (台账) of key places."""

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from shouwang.core.models import ScopedModel
from shouwang.core.models.org import validate_lat, validate_lon

from .choices import INFRASTRUCTURE, KIND_OF_CATEGORY, Category, PlaceKind


class KeyPlace(ScopedModel):
    """A key area, key unit or key site of a node's register."""

    permission_area = "registers"

    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("kind"), max_length=8, choices=PlaceKind.choices)
    category = models.CharField(_("category"), max_length=32, choices=Category.choices)
    unit = models.ForeignKey(
        "core.Unit", on_delete=models.SET_NULL, null=True, blank=True, related_name="key_places", verbose_name=_("unit")
    )
    address = models.CharField(_("address"), max_length=200, blank=True)
    lat = models.FloatField(_("latitude"), null=True, blank=True, validators=[validate_lat])
    lon = models.FloatField(_("longitude"), null=True, blank=True, validators=[validate_lon])
    polygon = models.JSONField(_("area (GeoJSON polygon, WGS84)"), null=True, blank=True)
    responsible_unit = models.ForeignKey(
        "core.Unit", on_delete=models.SET_NULL, null=True, blank=True, related_name="responsible_places",
        verbose_name=_("responsible unit"),
    )
    responsible_person = models.ForeignKey(
        "core.Person", on_delete=models.SET_NULL, null=True, blank=True, related_name="responsible_places",
        verbose_name=_("responsible person"),
    )
    protective_forces = models.TextField(_("protective forces"), blank=True)
    special_precautions = models.TextField(_("special precautions"), blank=True)
    review_period_days = models.PositiveSmallIntegerField(_("review period (days)"), default=30)
    last_reviewed_at = models.DateTimeField(_("last reviewed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("key place")
        verbose_name_plural = _("key places")
        ordering = ["jurisdiction", "kind", "name", "pk"]
        constraints = [models.UniqueConstraint(fields=["jurisdiction", "name"], name="keyplace_unique_name_per_node")]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("registers:keyplace_detail", args=[self.pk])

    @property
    def is_infrastructure(self) -> bool:
        return self.category in INFRASTRUCTURE

    def clean(self):
        if self.category and self.kind and KIND_OF_CATEGORY.get(self.category) != self.kind:
            raise ValidationError({"category": _("This category does not belong to the chosen kind.")})
        if (self.lat is None) != (self.lon is None):
            raise ValidationError({"lon": _("Give both latitude and longitude, or neither.")})
