"""The visitor and vehicle logs (personal data: kept for the policy's retention period, then
deleted by a job; read only by the school's security staff and leaders and the office, every read
of the list logged), and the records of those reads and deletions.

The change log keeps no personal field of a visitor or a vehicle (`changelog_exclude`), and a
record's name in it says nothing of the person: what the retention deletes is gone."""

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from shouwang.core.validators import validate_phone

from ..choices import IdType, ReadChannel, VehicleKind, VehicleOutcome
from .school import School, SchoolScoped

validate_last4 = RegexValidator(r"^[0-9A-Za-z]{4}$", _("Give the last four characters of the document number."))


class VisitorEntry(SchoolScoped):
    """A visitor's way in and out (访客登记). The document's last four characters only."""

    permission_area = "visitors"
    idempotency_owner = "registered_by"
    staff_lookups = ("school__security_staff__user", "school__leaders__user")
    duty_lookups = ("school__security_staff__user", "school__leaders__user", "host__user")
    changelog_exclude = ("name", "phone", "organisation", "id_last4")

    client_uuid = models.UUIDField(_("client id"), unique=True)
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="visitors", verbose_name=_("school"))
    name = models.CharField(_("visitor's name"), max_length=40)
    phone = models.CharField(_("phone"), max_length=30, validators=[validate_phone])
    organisation = models.CharField(_("organisation"), max_length=100, blank=True)
    purpose = models.CharField(_("purpose of the visit"), max_length=100)
    host = models.ForeignKey("core.Person", on_delete=models.SET_NULL, null=True, related_name="school_visitors",
                             verbose_name=_("host"))
    id_type = models.CharField(_("ID document"), max_length=16, choices=IdType.choices, default=IdType.RESIDENT_ID)
    id_last4 = models.CharField(_("last four characters of the document number"), max_length=4,
                                validators=[validate_last4])
    badge = models.CharField(_("visitor badge"), max_length=20, blank=True)
    entered_at = models.DateTimeField(_("in at"))
    left_at = models.DateTimeField(_("out at"), null=True, blank=True)
    host_confirmed_at = models.DateTimeField(_("host confirmed at"), null=True, blank=True)
    flagged_at = models.DateTimeField(_("still inside at closing"), null=True, blank=True)
    registered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                      related_name="+", verbose_name=_("registered by"))
    received_at = models.DateTimeField(_("received by the server at"))

    class Meta:
        verbose_name = _("visitor")
        verbose_name_plural = _("visitor log")
        ordering = ["-entered_at", "-pk"]
        indexes = [models.Index(fields=["school", "-entered_at"], name="visitor_school_recent"),
                   models.Index(fields=["entered_at"], name="visitor_entered")]

    def __str__(self):  # no name: this is what the change log keeps
        badge = f" · {self.badge}" if self.badge else ""
        return f"{_('visitor')} {timezone.localtime(self.entered_at):%m-%d %H:%M}{badge}" if self.entered_at else ""

    def get_absolute_url(self):
        return reverse("schools:visitorentry_detail", args=[self.pk])

    @property
    def id_shown(self):
        return f"****{self.id_last4}"


class VehicleEntry(SchoolScoped):
    """A vehicle at the gate (车辆登记): let in and out, or refused (an outside vehicle without a
    registration never comes in; the guard records the refusal)."""

    permission_area = "visitors"
    idempotency_owner = "registered_by"
    staff_lookups = ("school__security_staff__user", "school__leaders__user")
    duty_lookups = ("school__security_staff__user", "school__leaders__user", "host__user")
    changelog_exclude = ("plate", "driver")

    client_uuid = models.UUIDField(_("client id"), unique=True)
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="vehicles", verbose_name=_("school"))
    plate = models.CharField(_("plate"), max_length=12)
    driver = models.CharField(_("driver"), max_length=40, blank=True)
    kind = models.CharField(_("vehicle"), max_length=14, choices=VehicleKind.choices)
    purpose = models.CharField(pgettext_lazy("gate log", "purpose"), max_length=100, blank=True)
    host = models.ForeignKey("core.Person", on_delete=models.SET_NULL, null=True, blank=True,
                             related_name="school_vehicles", verbose_name=_("host"))
    outcome = models.CharField(_("at the gate"), max_length=10, choices=VehicleOutcome.choices)
    refusal_reason = models.CharField(_("why refused"), max_length=200, blank=True)
    at = models.DateTimeField(_("at the gate at"))
    left_at = models.DateTimeField(_("out at"), null=True, blank=True)
    registered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                      related_name="+", verbose_name=_("registered by"))
    received_at = models.DateTimeField(_("received by the server at"))

    class Meta:
        verbose_name = _("vehicle")
        verbose_name_plural = _("vehicle log")
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["school", "-at"], name="vehicle_school_recent"),
                   models.Index(fields=["at"], name="vehicle_at")]

    def __str__(self):  # no plate: this is what the change log keeps
        return f"{self.get_kind_display()} {timezone.localtime(self.at):%m-%d %H:%M}" if self.at else ""

    def get_absolute_url(self):
        return reverse("schools:vehicleentry_detail", args=[self.pk])


class VisitorRead(SchoolScoped):
    """A read of the visitor or vehicle log: who, when, what (a list, one record, the phone's list),
    how many rows. Kept for the office; it names no visitor."""

    permission_area = "visitors"
    duty_lookups = ()  # the office's: a school's staff do not read who read their log

    school = models.ForeignKey(School, on_delete=models.CASCADE, null=True, blank=True, related_name="reads",
                               verbose_name=_("school"))
    reader = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+",
                               verbose_name=_("read by"))
    at = models.DateTimeField(_("read at"))
    channel = models.CharField(_("where"), max_length=8, choices=ReadChannel.choices)
    what = models.CharField(_("what was read"), max_length=120)
    rows = models.PositiveIntegerField(_("records shown"), default=0)

    class Meta:
        verbose_name = _("read of the visitor log")
        verbose_name_plural = _("reads of the visitor log")
        ordering = ["-at", "-pk"]

    def __str__(self):
        return f"{self.what} {timezone.localtime(self.at):%Y-%m-%d %H:%M}" if self.at else self.what

    def get_absolute_url(self):
        return reverse("schools:visitorread_detail", args=[self.pk])


class Purge(SchoolScoped):
    """A run of the retention job at one school: how many visitor and vehicle records older than
    the policy's days it deleted (each deletion is in the change log too, without personal fields)."""

    permission_area = "visitors"

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="purges", verbose_name=_("school"))
    at = models.DateTimeField(_("run at"))
    retention_days = models.PositiveSmallIntegerField(_("kept for (days)"))
    before = models.DateTimeField(_("deleted what came in before"))
    visitors = models.PositiveIntegerField(_("visitor records deleted"), default=0)
    vehicles = models.PositiveIntegerField(_("vehicle records deleted"), default=0)

    class Meta:
        verbose_name = _("retention deletion")
        verbose_name_plural = _("retention deletions")
        ordering = ["-at", "-pk"]

    def __str__(self):
        return f"{self.school} {timezone.localtime(self.at):%Y-%m-%d}" if self.at else str(self.school)

    def get_absolute_url(self):
        return reverse("schools:school_detail", args=[self.school_id])
