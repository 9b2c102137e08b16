"""Scheduled daily reports (每日早晚定时报送): each community's morning and evening report.

A report is written once and never edited: what was reported, and when, is the record the
office and the accountability audit rely on. Each due report is an obligation (see services).
The office corrects one with a new report that `corrects` it (with a reason), or withdraws
one sent in error; the original stays as it was sent.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from shouwang.core.models import ScopedModel

from ..choices import Slot


class DailyReport(ScopedModel):
    idempotency_owner = "submitted_by"  # who sent it: a retry with its client key is only theirs
    permission_area = "briefings"

    date = models.DateField(_("date"))
    slot = models.CharField(_("report"), max_length=16, choices=Slot.choices)
    situation = models.TextField(_("situation"), help_text=_("The safety situation of the community since the last report."))
    police_on_duty = models.PositiveIntegerField(_("police on duty"), default=0)
    patrol_team_on_duty = models.PositiveIntegerField(_("patrol team on duty"), default=0)
    volunteers_on_duty = models.PositiveIntegerField(_("volunteers on duty"), default=0)
    events = models.TextField(_("events"), blank=True, help_text=_("Incidents and notable events; “none” if nothing happened."))
    problems = models.TextField(_("problems"), blank=True, help_text=_("Problems found and help needed."))
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("submitted by"),
    )
    submitted_at = models.DateTimeField(_("submitted at"))
    client_uuid = models.UUIDField(
        _("client id"), unique=True, null=True, blank=True,
        help_text=_("Set by the phone or form that wrote it, so that a retry never makes a second report."),
    )
    corrects = models.OneToOneField("self", on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="corrected_by", verbose_name=_("corrects"))
    correction_reason = models.CharField(_("reason for the correction"), max_length=200, blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                     related_name="+", verbose_name=_("withdrawn by"))
    withdraw_reason = models.CharField(_("why it was withdrawn"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("daily report")
        verbose_name_plural = _("daily reports")
        ordering = ["-date", "jurisdiction", "slot", "pk"]
        constraints = [
            models.UniqueConstraint(  # one report as sent per slot; corrections hang on it
                fields=["jurisdiction", "date", "slot"], name="dailyreport_one_per_slot",
                condition=models.Q(corrects__isnull=True, withdrawn_at__isnull=True),
                violation_error_message=_("This report has already been submitted. Reports are not changed "
                                          "afterwards; tell the office about a correction."),
            ),
        ]
        indexes = [models.Index(fields=["date", "slot"], name="dailyreport_date_slot_idx")]

    def __str__(self):
        return f"{self.jurisdiction.name} {self.date:%Y-%m-%d} {self.get_slot_display()}"

    def get_absolute_url(self):
        return reverse("briefings:dailyreport_detail", args=[self.pk])

    @property
    def is_correction(self) -> bool:
        return self.corrects_id is not None

    @property
    def forces_total(self) -> int:
        return self.police_on_duty + self.patrol_team_on_duty + self.volunteers_on_duty
