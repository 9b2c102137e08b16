"""Gate duty: the arrival and dismissal windows of each school day, and each role's confirmation
at the gate (one tap on the phone, with its position)."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shouwang.core.models.org import validate_lat, validate_lon

from ..choices import GateKind, GateRole
from .school import School, SchoolScoped


class GateWindow(SchoolScoped):
    """One window at the gate on one school day; its obligation (`schools.gate`) is met when the
    three roles have confirmed, and missed at its end otherwise."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="gate_windows",
                               verbose_name=_("school"))
    day = models.DateField(_("day"))
    kind = models.CharField(_("window"), max_length=10, choices=GateKind.choices)
    starts_at = models.DateTimeField(_("from"))
    ends_at = models.DateTimeField(_("until"))

    class Meta:
        verbose_name = _("gate window")
        verbose_name_plural = _("gate windows")
        ordering = ["-day", "starts_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["school", "day", "kind"], name="gatewindow_once_a_day")]

    def __str__(self):
        start, end = timezone.localtime(self.starts_at), timezone.localtime(self.ends_at)
        return f"{self.school} {self.day:%Y-%m-%d} {self.get_kind_display()} {start:%H:%M}–{end:%H:%M}"

    def get_absolute_url(self):
        return reverse("schools:gatewindow_detail", args=[self.pk])


class GateConfirmation(SchoolScoped):
    """A role at the gate for a window: who, as which role, when, where the phone was."""

    idempotency_owner = "user"
    staff_lookups = ("school__security_staff__user", "school__leaders__user")
    duty_lookups = ("school__security_staff__user", "school__leaders__user", "person__user")

    client_uuid = models.UUIDField(_("client id"), unique=True)
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="gate_confirmations",
                               verbose_name=_("school"))
    window = models.ForeignKey(GateWindow, on_delete=models.CASCADE, related_name="confirmations",
                               verbose_name=_("gate window"))
    role = models.CharField(_("role at the gate"), max_length=10, choices=GateRole.choices)
    person = models.ForeignKey("core.Person", on_delete=models.PROTECT, related_name="gate_confirmations",
                               verbose_name=_("person"))
    assignment = models.ForeignKey("duty.Assignment", on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="gate_confirmations", verbose_name=_("duty assignment"))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                             related_name="+", verbose_name=_("sent by"))
    at = models.DateTimeField(_("confirmed at"))
    received_at = models.DateTimeField(_("received by the server at"))
    lat = models.FloatField(_("latitude"), null=True, blank=True, validators=[validate_lat])
    lon = models.FloatField(_("longitude"), null=True, blank=True, validators=[validate_lon])
    distance_m = models.FloatField(_("distance from the school (m)"), null=True, blank=True)

    class Meta:
        verbose_name = _("gate confirmation")
        verbose_name_plural = _("gate confirmations")
        ordering = ["window", "at", "pk"]
        constraints = [models.UniqueConstraint(fields=["window", "role"], name="gateconfirmation_one_per_role")]

    def __str__(self):
        return f"{self.get_role_display()} {self.person} {timezone.localtime(self.at):%H:%M}"

    def get_absolute_url(self):
        return reverse("schools:gatewindow_detail", args=[self.window_id])
