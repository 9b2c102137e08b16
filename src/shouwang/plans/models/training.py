"""Training (培训): courses, sessions signed in by QR on the phone, hours and certificates that
expire (reminded 60, 30 and 7 days before)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ..choices import AttendanceMethod
from .plans import PlansScoped


class Course(PlansScoped):
    title = models.CharField(_("title"), max_length=200)
    hours = models.DecimalField(_("training hours"), max_digits=5, decimal_places=1)
    description = models.TextField(_("content"), blank=True)
    posts = models.JSONField(_("qualifies for posts"), default=list, blank=True,
                             help_text=_("The posts (kinds of people) that need this course to be qualified."))
    certificate_months = models.PositiveSmallIntegerField(
        _("certificate valid for (months)"), null=True, blank=True,
        help_text=_("Empty: its certificate does not expire."))

    class Meta:
        verbose_name = _("course")
        verbose_name_plural = _("courses")
        ordering = ["title", "pk"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("plans:course_detail", args=[self.pk])

    def clean(self):
        if self.hours is not None and not 0 < self.hours <= 500:
            raise ValidationError({"hours": _("Give the hours of the course, more than 0 and at most 500.")})


class Session(PlansScoped):
    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="sessions", verbose_name=_("course"))
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    place = models.CharField(_("place"), max_length=200)
    trainer = models.CharField(_("trainer"), max_length=100, blank=True)
    # The secret in the session's QR code: who scans it signs in.
    token = models.CharField(max_length=40, unique=True, editable=False)

    class Meta:
        verbose_name = _("training session")
        verbose_name_plural = _("training sessions")
        ordering = ["-starts_at", "-pk"]

    def __str__(self):
        return f"{self.course} {self.starts_at:%Y-%m-%d}"

    def get_absolute_url(self):
        return reverse("plans:session_detail", args=[self.pk])

    def clean(self):
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": _("A session ends after it starts.")})


class Attendance(PlansScoped):
    idempotency_owner = "signed_by"
    duty_lookups = ("person__user",)

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="attendances",
                                verbose_name=_("training session"))
    person = models.ForeignKey("core.Person", on_delete=models.PROTECT, related_name="attendances",
                               verbose_name=_("person"))
    signed_at = models.DateTimeField(_("signed in at"))
    method = models.CharField(_("how"), max_length=8, choices=AttendanceMethod.choices)
    signed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                  related_name="+", editable=False, verbose_name=_("signed in by"))
    client_uuid = models.UUIDField(_("client UUID"), null=True, blank=True, unique=True, editable=False)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendances")
        ordering = ["session", "signed_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["session", "person"], name="attendance_once_per_session")]

    def __str__(self):
        return f"{self.person} · {self.session}"

    def get_absolute_url(self):
        return self.session.get_absolute_url()


class Certificate(PlansScoped):
    duty_lookups = ("person__user",)

    person = models.ForeignKey("core.Person", on_delete=models.PROTECT, related_name="certificates",
                               verbose_name=_("person"))
    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="certificates",
                               verbose_name=_("course"))
    number = models.CharField(_("certificate number"), max_length=60)
    issued_on = models.DateField(_("issued on"))
    expires_on = models.DateField(_("expires on"), null=True, blank=True)
    # The nearest reminder already sent (days before expiry): each is sent once.
    reminded_days = models.PositiveSmallIntegerField(null=True, blank=True, editable=False)
    renewed = models.BooleanField(_("renewed"), default=False, editable=False)

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        ordering = ["expires_on", "pk"]

    def __str__(self):
        return f"{self.person} · {self.course} · {self.number}"

    def get_absolute_url(self):
        return reverse("plans:certificate_detail", args=[self.pk])

    def clean(self):
        if self.issued_on and self.expires_on and self.expires_on <= self.issued_on:
            raise ValidationError({"expires_on": _("A certificate expires after it is issued.")})

    def valid_on(self, day) -> bool:
        return self.issued_on <= day and (self.expires_on is None or day <= self.expires_on)
