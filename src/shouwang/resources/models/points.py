"""Evacuation and diversion points: capacity, area, radius, facilities, pre-placed vehicles,
checks (a point whose last check failed is not available) and openings during incidents."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from shouwang.core.models.org import validate_lat, validate_lon
from shouwang.core.validators import head_count

from ..choices import PointKind, ShelterGrade, VehicleKind
from .base import ResourceModel, UsedFor

PEOPLE_MAX = 200000


class EvacuationPoint(ResourceModel):
    kind = models.CharField(_("kind"), max_length=12, choices=PointKind.choices)
    name = models.CharField(_("name"), max_length=100)
    grade = models.CharField(_("shelter grade"), max_length=12, choices=ShelterGrade.choices, blank=True)
    address = models.CharField(_("address"), max_length=200)
    lat = models.FloatField(_("latitude"), null=True, blank=True, validators=[validate_lat])
    lon = models.FloatField(_("longitude"), null=True, blank=True, validators=[validate_lon])
    capacity = models.PositiveIntegerField(_("capacity (people)"), validators=[head_count(PEOPLE_MAX)])
    area_m2 = models.PositiveIntegerField(_("effective area (m²)"), null=True, blank=True)
    radius_m = models.PositiveIntegerField(_("service radius (m)"), null=True, blank=True)
    facilities = models.TextField(_("facilities"), blank=True,
                                  help_text=_("Water, power, toilets, first aid, lighting, broadcast…"))
    responsible = models.ForeignKey("core.Person", on_delete=models.PROTECT, null=True, related_name="+",
                                    verbose_name=_("responsible person"))
    last_checked_on = models.DateField(_("last checked on"), null=True, blank=True, editable=False)
    check_failed = models.BooleanField(_("last check failed"), default=False, editable=False)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("evacuation or diversion point")
        verbose_name_plural = _("evacuation and diversion points")
        ordering = ["kind", "name", "pk"]
        constraints = [models.UniqueConstraint(fields=["jurisdiction", "name"], name="point_unique_name_per_node")]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("resources:evacuationpoint_detail", args=[self.pk])

    @property
    def available(self):
        """Shown as available unless its last check failed."""
        return not self.check_failed

    @property
    def area_per_person(self):
        if not self.area_m2 or not self.capacity:
            return None
        return round(self.area_m2 / self.capacity, 1)

    def clean(self):
        if (self.lat is None) != (self.lon is None):
            raise ValidationError({"lon": _("Give both latitude and longitude, or neither.")})


class PointVehicle(ResourceModel):
    """Vehicles placed at a point in advance: kind, how many, their plates."""

    point = models.ForeignKey(EvacuationPoint, on_delete=models.CASCADE, related_name="vehicles",
                              verbose_name=_("point"))
    kind = models.CharField(_("vehicle"), max_length=12, choices=VehicleKind.choices)
    count = models.PositiveSmallIntegerField(_("number"), validators=[head_count(500)])
    plates = models.CharField(_("plates"), max_length=200, blank=True)
    contact = models.CharField(_("driver or contact"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("pre-placed vehicle")
        verbose_name_plural = _("pre-placed vehicles")
        ordering = ["point", "kind", "pk"]

    def __str__(self):
        return f"{self.point} {self.get_kind_display()} ×{self.count}"

    def get_absolute_url(self):
        return self.point.get_absolute_url()

    def clean(self):
        if self.point_id and self.jurisdiction_id and self.point.jurisdiction_id != self.jurisdiction_id:
            raise ValidationError({"point": _("The vehicles belong to the point's node.")})
        if self.count is not None and self.count < 1:
            raise ValidationError({"count": _("At least one vehicle.")})


class PointCheck(ResourceModel):
    """A check of a point: passed or failed, with what was found."""

    point = models.ForeignKey(EvacuationPoint, on_delete=models.CASCADE, related_name="checks",
                              verbose_name=_("point"))
    checked_on = models.DateField(_("checked on"))
    passed = models.BooleanField(_("passed"))
    findings = models.TextField(_("findings"), blank=True)
    checked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("checked by"))

    class Meta:
        verbose_name = _("point check")
        verbose_name_plural = _("point checks")
        ordering = ["-checked_on", "-pk"]

    def __str__(self):
        return f"{self.point} {self.checked_on}"

    def get_absolute_url(self):
        return self.point.get_absolute_url()


class PointOpening(ResourceModel, UsedFor):
    """A point opened (during an incident), its occupancy as last reported, and its closing."""

    point = models.ForeignKey(EvacuationPoint, on_delete=models.PROTECT, related_name="openings",
                              verbose_name=_("point"))
    opened_at = models.DateTimeField(_("opened at"))
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                  related_name="+", verbose_name=_("opened by"))
    occupancy = models.PositiveIntegerField(_("people there"), default=0, validators=[head_count(PEOPLE_MAX)])
    occupancy_at = models.DateTimeField(_("counted at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                  related_name="+", verbose_name=_("closed by"))
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("point opening")
        verbose_name_plural = _("point openings")
        ordering = ["-opened_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["point"], condition=Q(closed_at__isnull=True),
                                               name="point_one_open_opening")]

    def __str__(self):
        return f"{self.point} {self.opened_at:%Y-%m-%d %H:%M}"

    def get_absolute_url(self):
        return self.point.get_absolute_url()

    @property
    def is_open(self):
        return self.closed_at is None

    @property
    def share_full(self):
        capacity = self.point.capacity
        return round(100 * self.occupancy / capacity) if capacity else None
