"""A school's profile on its unit, its key spots and their cameras, and its classes."""

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from shouwang.core.choices import UnitKind
from shouwang.core.models import ScopedModel

from ..choices import SpotKind
from ..querysets import SchoolRecordQuerySet

SCHOOL_KINDS = (UnitKind.SCHOOL, UnitKind.KINDERGARTEN)


class SchoolScoped(ScopedModel):
    """A record of one school: it lives on the school's node; the school's security staff and
    leaders reach it through the school (`querysets.SchoolRecordQuerySet`)."""

    permission_area = "schools"
    school_path = "school__"
    duty_lookups = ("school__security_staff__user", "school__leaders__user")
    staff_lookups: tuple = ()  # what the school's own staff write (its logs and checks) names its lookups

    objects = SchoolRecordQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if getattr(self, "school_id", None):  # a school's record lives where its school lives
            self.jurisdiction_id = self.school.jurisdiction_id
        super().save(*args, **kwargs)


class School(ScopedModel):
    """The security profile of a school or kindergarten (a unit): pupils, boarding, buildings,
    who guards it and leads it, its duty rosters, its gate times and the policy it follows."""

    permission_area = "schools"
    duty_lookups = ("security_staff__user", "leaders__user")

    unit = models.OneToOneField("core.Unit", on_delete=models.PROTECT, related_name="school_profile",
                                verbose_name=_("school"), limit_choices_to={"kind__in": SCHOOL_KINDS})
    pupils = models.PositiveIntegerField(_("pupils"))
    boarding = models.BooleanField(_("boarding school"), default=False)
    buildings = models.PositiveSmallIntegerField(_("buildings"), default=1)
    storeys = models.PositiveSmallIntegerField(_("storeys of the highest teaching building"), default=4)
    security_staff = models.ManyToManyField("core.Person", blank=True, related_name="schools_guarded",
                                            verbose_name=_("security staff"))
    leaders = models.ManyToManyField("core.Person", blank=True, related_name="schools_led",
                                     verbose_name=_("school leaders"))
    rosters = models.ManyToManyField("duty.Roster", blank=True, related_name="schools",
                                     verbose_name=_("duty rosters"),
                                     help_text=_("The gate roster (leader on duty, gate guard, teacher of the week "
                                                 "as duty officer) and the guards' roster."))
    policy = models.ForeignKey("policies.Policy", on_delete=models.PROTECT, null=True, blank=True,
                               related_name="schools", verbose_name=_("school security policy"),
                               help_text=_("Empty: the school security section of the node's policy."))
    arrival_start = models.TimeField(_("arrival window from"), null=True, blank=True)
    arrival_end = models.TimeField(_("arrival window until"), null=True, blank=True)
    dismissal_start = models.TimeField(_("dismissal window from"), null=True, blank=True)
    dismissal_end = models.TimeField(_("dismissal window until"), null=True, blank=True)
    closing_time = models.TimeField(_("closing time"), default="18:00",
                                    help_text=_("Visitors still inside at this time are flagged."))

    objects = SchoolRecordQuerySet.as_manager()

    class Meta:
        verbose_name = _("school")
        verbose_name_plural = _("schools")
        ordering = ["unit__name", "pk"]

    def __str__(self):
        return self.unit.name if self.unit_id else ""

    def get_absolute_url(self):
        return reverse("schools:school_detail", args=[self.pk])

    @property
    def is_kindergarten(self):
        return self.unit.kind == UnitKind.KINDERGARTEN

    def save(self, *args, **kwargs):
        if self.unit_id:
            self.jurisdiction_id = self.unit.jurisdiction_id
        super().save(*args, **kwargs)

    def clean(self):
        unit = self.unit if self.unit_id else None
        if unit is not None and unit.kind not in SCHOOL_KINDS:
            raise ValidationError({"unit": _("Only a school or a kindergarten has a school profile.")})
        errors = {}
        for start, end in (("arrival_start", "arrival_end"), ("dismissal_start", "dismissal_end")):
            a, b = getattr(self, start), getattr(self, end)
            if (a is None) != (b is None):
                errors[end] = _("Give both ends of the window, or neither (then the policy's window applies).")
            elif a is not None and b <= a:
                errors[end] = _("The window must end after it starts.")
        if errors:
            raise ValidationError(errors)


class KeySpot(SchoolScoped):
    """A key spot of the school (gate, dormitory, canteen, laboratory, store of chemicals...),
    with the patrol checkpoint that proves it was patrolled."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="spots", verbose_name=_("school"))
    kind = models.CharField(_("kind"), max_length=12, choices=SpotKind.choices)
    name = models.CharField(_("name"), max_length=60)
    checkpoint = models.ForeignKey("patrols.Checkpoint", on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="school_spots", verbose_name=_("patrol checkpoint"))

    class Meta:
        verbose_name = _("key spot")
        verbose_name_plural = _("key spots")
        ordering = ["school", "kind", "name", "pk"]
        constraints = [models.UniqueConstraint(fields=["school", "name"], name="keyspot_unique_name")]

    def __str__(self):
        return f"{self.school} · {self.name}" if self.school_id else self.name

    def get_absolute_url(self):
        return reverse("schools:school_detail", args=[self.school_id])


class Camera(SchoolScoped):
    """A camera at a key spot, checked every day."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="cameras", verbose_name=_("school"))
    spot = models.ForeignKey(KeySpot, on_delete=models.CASCADE, related_name="cameras", verbose_name=_("key spot"))
    name = models.CharField(_("name"), max_length=60)
    active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("camera")
        verbose_name_plural = _("cameras")
        ordering = ["school", "spot__kind", "name", "pk"]
        constraints = [models.UniqueConstraint(fields=["school", "name"], name="camera_unique_name")]

    def __str__(self):
        return f"{self.school} · {self.name}" if self.school_id else self.name

    def get_absolute_url(self):
        return reverse("schools:school_detail", args=[self.school_id])

    def clean(self):
        if self.spot_id and self.school_id and self.spot.school_id != self.school_id:
            raise ValidationError({"spot": _("The key spot belongs to another school.")})


class PupilClass(SchoolScoped):
    """A class (its name only: no pupil is named anywhere). Young pupils' classes are handed over
    at dismissal, each confirmed by its teacher."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="classes", verbose_name=_("school"))
    name = models.CharField(pgettext_lazy("pupils", "class"), max_length=40)
    young = models.BooleanField(_("young pupils handed over at dismissal"), default=True)
    teacher = models.ForeignKey("core.Person", on_delete=models.SET_NULL, null=True, blank=True,
                                related_name="school_classes", verbose_name=_("class teacher"))

    class Meta:
        verbose_name = pgettext_lazy("pupils", "class")
        verbose_name_plural = pgettext_lazy("pupils", "classes")
        ordering = ["school", "name", "pk"]
        constraints = [models.UniqueConstraint(fields=["school", "name"], name="pupilclass_unique_name")]

    def __str__(self):
        return f"{self.school} · {self.name}" if self.school_id else self.name

    def get_absolute_url(self):
        return reverse("schools:school_detail", args=[self.school_id])
