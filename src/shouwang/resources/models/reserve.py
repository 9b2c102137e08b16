"""The reserve team (core.Team of kind reserve): its assembly point and its call-outs, each
member's acknowledgement (from the phone) and arrival at the assembly point (ICS 211 check-in)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from shouwang.core.choices import TeamKind
from shouwang.core.models.org import validate_lat, validate_lon

from ..choices import CallOutKind
from .base import ResourceModel, UsedFor


class AssemblyPoint(ResourceModel):
    """Where the reserve team gathers when called out."""

    team = models.OneToOneField("core.Team", on_delete=models.CASCADE, related_name="assembly_point",
                                verbose_name=_("reserve team"), limit_choices_to={"kind": TeamKind.RESERVE})
    name = models.CharField(_("name"), max_length=100)
    address = models.CharField(_("address"), max_length=200, blank=True)
    lat = models.FloatField(_("latitude"), null=True, blank=True, validators=[validate_lat])
    lon = models.FloatField(_("longitude"), null=True, blank=True, validators=[validate_lon])
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("assembly point")
        verbose_name_plural = _("assembly points")
        ordering = ["name", "pk"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("resources:team_detail", args=[self.team_id])

    def clean(self):
        if self.team_id and self.team.kind != TeamKind.RESERVE:
            raise ValidationError({"team": _("Only a reserve team has an assembly point here.")})
        if self.team_id and self.jurisdiction_id and self.team.jurisdiction_id != self.jurisdiction_id:
            raise ValidationError({"team": _("The assembly point belongs to the team's node.")})
        if (self.lat is None) != (self.lon is None):
            raise ValidationError({"lon": _("Give both latitude and longitude, or neither.")})


class CallOut(ResourceModel, UsedFor):
    """The office calls the reserve team out: a test of readiness or for an incident."""

    idempotency_owner = "sent_by"
    duty_lookups = ("answers__person__user",)  # each member called sees the call-out

    team = models.ForeignKey("core.Team", on_delete=models.PROTECT, related_name="callouts",
                             verbose_name=_("reserve team"))
    kind = models.CharField(_("kind"), max_length=12, choices=CallOutKind.choices)
    sent_at = models.DateTimeField(_("sent at"))
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                related_name="+", verbose_name=_("sent by"))
    message = models.TextField(_("message"))
    assembly = models.CharField(_("assemble at"), max_length=200)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    client_uuid = models.UUIDField(_("client UUID"), null=True, blank=True, unique=True, editable=False)

    class Meta:
        verbose_name = _("call-out")
        verbose_name_plural = _("call-outs")
        ordering = ["-sent_at", "-pk"]

    def __str__(self):
        return f"{self.team} {self.get_kind_display()} {self.sent_at:%Y-%m-%d %H:%M}"

    def get_absolute_url(self):
        return reverse("resources:callout_detail", args=[self.pk])

    @property
    def is_open(self):
        return self.closed_at is None


class CallOutAnswer(ResourceModel):
    """One member's answer to a call-out: acknowledged (from his phone) and arrived (checked in
    at the assembly point: the time and who recorded it)."""

    idempotency_owner = "acknowledged_by"
    duty_lookups = ("person__user",)

    callout = models.ForeignKey(CallOut, on_delete=models.CASCADE, related_name="answers", verbose_name=_("call-out"))
    person = models.ForeignKey("core.Person", on_delete=models.PROTECT, related_name="+", verbose_name=_("member"))
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                        related_name="+", verbose_name=_("acknowledged by"))
    received_at = models.DateTimeField(_("received by the server at"), null=True, blank=True)
    client_uuid = models.UUIDField(_("client UUID"), null=True, blank=True, unique=True)
    arrived_at = models.DateTimeField(_("arrived at"), null=True, blank=True)
    arrival_recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                            blank=True, related_name="+", verbose_name=_("arrival recorded by"))

    class Meta:
        verbose_name = _("call-out answer")
        verbose_name_plural = _("call-out answers")
        ordering = ["person__name", "pk"]
        constraints = [models.UniqueConstraint(fields=["callout", "person"], name="calloutanswer_unique_person")]

    def __str__(self):
        return f"{self.callout.team} · {self.person}"

    def get_absolute_url(self):
        return self.callout.get_absolute_url()

    def minutes(self, field):
        """Minutes from the call-out to the acknowledgement or the arrival (None if not yet)."""
        moment = getattr(self, field)
        if moment is None:
            return None
        return (moment - self.callout.sent_at).total_seconds() / 60
