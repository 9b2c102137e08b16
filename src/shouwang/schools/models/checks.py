"""The daily camera checks (a failure becomes an inspection finding with its rectification order,
once per failure) and the young pupils' handover at dismissal (class and time only)."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ..choices import FAILED_RESULTS, CameraResult
from .school import Camera, PupilClass, School, SchoolScoped


class CameraCheck(SchoolScoped):
    """The day's check of one camera: working, image poor, or not recording."""

    idempotency_owner = "checked_by"
    staff_lookups = ("school__security_staff__user", "school__leaders__user")

    client_uuid = models.UUIDField(_("client id"), unique=True)
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="camera_checks",
                               verbose_name=_("school"))
    camera = models.ForeignKey(Camera, on_delete=models.CASCADE, related_name="checks", verbose_name=_("camera"))
    day = models.DateField(_("day"))
    result = models.CharField(_("result"), max_length=14, choices=CameraResult.choices)
    note = models.CharField(_("note"), max_length=200, blank=True)
    checked_at = models.DateTimeField(_("checked at"))
    checked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                   related_name="+", verbose_name=_("checked by"))
    finding = models.ForeignKey("inspections.Finding", on_delete=models.SET_NULL, null=True, blank=True,
                                related_name="camera_checks", verbose_name=_("hazard"),
                                help_text=_("The finding and rectification order this failure is part of."))

    class Meta:
        verbose_name = _("camera check")
        verbose_name_plural = _("camera checks")
        ordering = ["-day", "camera", "pk"]
        constraints = [models.UniqueConstraint(fields=["camera", "day"], name="cameracheck_once_a_day")]

    def __str__(self):
        return f"{self.camera.name} {self.day:%m-%d} {self.get_result_display()}" if self.camera_id else ""

    def get_absolute_url(self):
        return reverse("schools:school_detail", args=[self.school_id])

    @property
    def failed(self):
        return self.result in FAILED_RESULTS


class Handover(SchoolScoped):
    """The teacher's confirmation that a class of young pupils was handed over at dismissal."""

    idempotency_owner = "confirmed_by"
    staff_lookups = ("school__security_staff__user", "school__leaders__user")
    duty_lookups = ("school__security_staff__user", "school__leaders__user", "pupil_class__teacher__user")

    client_uuid = models.UUIDField(_("client id"), unique=True)
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="handovers", verbose_name=_("school"))
    pupil_class = models.ForeignKey(PupilClass, on_delete=models.CASCADE, related_name="handovers",
                                    verbose_name=pgettext_lazy("pupils", "class"))
    day = models.DateField(_("day"))
    at = models.DateTimeField(_("handed over at"))
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                     related_name="+", verbose_name=_("confirmed by"))

    class Meta:
        verbose_name = _("handover at dismissal")
        verbose_name_plural = _("handovers at dismissal")
        ordering = ["-day", "pupil_class", "pk"]
        constraints = [models.UniqueConstraint(fields=["pupil_class", "day"], name="handover_once_a_day")]

    def __str__(self):
        return f"{self.pupil_class.name} {timezone.localtime(self.at):%m-%d %H:%M}" if self.pupil_class_id else ""

    def get_absolute_url(self):
        return reverse("schools:school_detail", args=[self.school_id])
