"""Patrols: routes with checkpoints, schedules with time windows, check-ins, sightings."""

import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shouwang.core.clock import parse_hhmm
from shouwang.core.models import ScopedModel
from shouwang.core.models.org import validate_lat, validate_lon

from .choices import CheckInStatus, Days, Flag, Method, SightingKind


def new_secret():
    return secrets.token_urlsafe(24)


class Route(ScopedModel):
    permission_area = "patrols"

    name = models.CharField(_("name"), max_length=100)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("patrol route")
        verbose_name_plural = _("patrol routes")
        ordering = ["name", "pk"]
        constraints = [models.UniqueConstraint(fields=["jurisdiction", "name"], name="route_unique_name_per_node")]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("patrols:route_detail", args=[self.pk])


class Checkpoint(ScopedModel):
    """A point on a route, with a radius; its QR code is signed with its own secret."""

    permission_area = "patrols"
    changelog_exclude = ("secret",)

    route = models.ForeignKey(Route, on_delete=models.CASCADE, related_name="checkpoints", verbose_name=_("route"))
    order = models.PositiveSmallIntegerField(_("order"), default=1)
    name = models.CharField(_("name"), max_length=100)
    lat = models.FloatField(_("latitude"), validators=[validate_lat])
    lon = models.FloatField(_("longitude"), validators=[validate_lon])
    radius_m = models.PositiveIntegerField(_("radius (m)"), default=100)
    key_place = models.ForeignKey(
        "registers.KeyPlace", on_delete=models.SET_NULL, null=True, blank=True, related_name="checkpoints",
        verbose_name=_("key place"),
    )
    must_visit = models.BooleanField(_("must-visit point"), default=False)
    minutes_from_previous = models.PositiveSmallIntegerField(_("expected minutes from the previous point"), default=0)
    secret = models.CharField(max_length=64, default=new_secret, editable=False)
    token_version = models.PositiveIntegerField(_("QR code version"), default=1, editable=False)

    class Meta:
        verbose_name = _("checkpoint")
        verbose_name_plural = _("checkpoints")
        ordering = ["route", "order", "pk"]

    def __str__(self):
        return f"{self.route.name} · {self.name}" if self.route_id else self.name

    def get_absolute_url(self):
        return reverse("patrols:checkpoint_detail", args=[self.pk])

    def save(self, *args, **kwargs):
        # A checkpoint lives where its route lives.
        if self.route_id:
            self.jurisdiction_id = self.route.jurisdiction_id
        super().save(*args, **kwargs)

    def clean(self):
        if self.radius_m is not None and not 5 <= self.radius_m <= 5000:
            raise ValidationError({"radius_m": _("The radius must be between 5 and 5000 metres.")})


class Schedule(ScopedModel):
    """Which team walks which route on which days, in which windows."""

    permission_area = "patrols"

    name = models.CharField(_("name"), max_length=100)
    team = models.ForeignKey("core.Team", on_delete=models.CASCADE, related_name="schedules", verbose_name=_("team"))
    route = models.ForeignKey(Route, on_delete=models.CASCADE, related_name="schedules", verbose_name=_("route"))
    days = models.CharField(_("days"), max_length=12, choices=Days.choices, default=Days.EVERY_DAY)
    policy_windows = models.BooleanField(
        _("windows from policy"), default=False,
        help_text=_("Use the check-in windows of the node's policy (e.g. school arrival and dismissal)."),
    )
    windows = models.JSONField(
        _("windows"), default=list, blank=True,
        help_text=_('List of {"name", "start": "HH:MM", "end": "HH:MM"}; a window may cross midnight.'),
    )
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("patrol schedule")
        verbose_name_plural = _("patrol schedules")
        ordering = ["name", "pk"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("patrols:schedule_detail", args=[self.pk])

    def clean(self):
        errors = []
        if not isinstance(self.windows, list):
            raise ValidationError({"windows": _("Windows must be a list.")})
        for i, window in enumerate(self.windows, 1):
            if not isinstance(window, dict):
                errors.append(_("Window %(n)s is not a mapping.") % {"n": i})
                continue
            try:
                start, end = parse_hhmm(window.get("start")), parse_hhmm(window.get("end"))
            except (ValueError, TypeError):
                errors.append(_("Window %(n)s: give start and end as HH:MM.") % {"n": i})
                continue
            if start == end:
                errors.append(_("Window %(n)s: start and end are the same.") % {"n": i})
        if not self.windows and not self.policy_windows:
            errors.append(_("Give at least one window, or take the windows from policy."))
        if errors:
            raise ValidationError({"windows": errors})
        if self.team_id and self.route_id and self.team.jurisdiction_id and self.route.jurisdiction_id:
            team_path, route_path = self.team.jurisdiction.path, self.route.jurisdiction.path
            if not (route_path.startswith(team_path) or team_path.startswith(route_path)):
                raise ValidationError({"route": _("The route lies outside the team's area.")})


class CheckIn(ScopedModel):
    """Proof that a member was at a checkpoint. Kept even when flagged; device and server time side by side."""
    idempotency_owner = "user"  # who sent it: a retry with its client key is only theirs

    permission_area = "patrols"

    # No single-column indexes on these two: (member, at) and (checkpoint, at) below serve them,
    # and every index costs each check-in an insert.
    checkpoint = models.ForeignKey(Checkpoint, on_delete=models.PROTECT, related_name="checkins", verbose_name=_("checkpoint"),
                                   db_index=False)
    member = models.ForeignKey(
        "core.Person", on_delete=models.SET_NULL, null=True, blank=True, related_name="patrol_checkins",
        verbose_name=_("team member"), db_index=False,
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("entered by"),
    )
    method = models.CharField(_("method"), max_length=8, choices=Method.choices)
    at = models.DateTimeField(_("time"), db_index=True)
    device_time = models.DateTimeField(_("device time"), null=True, blank=True)
    received_at = models.DateTimeField(_("received by the server at"))
    lat = models.FloatField(_("latitude"), null=True, blank=True)
    lon = models.FloatField(_("longitude"), null=True, blank=True)
    accuracy_m = models.FloatField(_("accuracy (m)"), null=True, blank=True)
    distance_m = models.FloatField(_("distance from checkpoint (m)"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=8, choices=CheckInStatus.choices, default=CheckInStatus.OK)
    flags = models.JSONField(_("flags"), default=list, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    accepted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+", verbose_name=_("accepted by"))
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    accept_reason = models.CharField(_("why it was accepted"), max_length=200, blank=True)
    client_uuid = models.UUIDField(_("client id"), unique=True)
    obligation = models.ForeignKey(
        "obligations.Obligation", on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("window"),
    )

    class Meta:
        verbose_name = _("check-in")
        verbose_name_plural = _("check-ins")
        ordering = ["-at", "-pk"]
        indexes = [
            models.Index(fields=["member", "at"], name="checkin_member_at_idx"),
            models.Index(fields=["checkpoint", "at"], name="checkin_checkpoint_at_idx"),
        ]

    def __str__(self):

        return f"{self.checkpoint.name} · {timezone.localtime(self.at):%Y-%m-%d %H:%M}"

    def get_absolute_url(self):
        return reverse("patrols:checkin_detail", args=[self.pk])

    def flag_texts(self):
        """Each flag as people read it, with its figure (how far, how fast, how many minutes)."""
        return [flag_text(f) for f in self.flags]


FLAG_DETAIL = {
    Flag.OUTSIDE_RADIUS: (_("%(metres)s m outside the checkpoint"), "metres"),
    Flag.IMPOSSIBLE_SPEED: (_("%(kmh)s km/h since the previous check-in: impossible on foot"), "kmh"),
    Flag.CLOCK_SKEW: (_("the phone's clock is %(minutes)s minutes off the server's"), "minutes"),
}


def flag_text(flag):
    code = flag.get("code")
    label = Flag(code).label if code in Flag.values else str(code)
    detail = FLAG_DETAIL.get(code)
    if detail and flag.get(detail[1]) is not None:
        return _("%(label)s (%(detail)s)") % {"label": label, "detail": detail[0] % {detail[1]: flag[detail[1]]}}
    return str(label)


def sighting_photo_path(instance, filename):
    return f"patrols/sightings/{instance.client_uuid}{filename[filename.rfind('.'):] if '.' in filename else ''}"


class Sighting(ScopedModel):
    """A hazard or incident seen on patrol. The lead connects these to incidents and inspections later."""
    idempotency_owner = "reported_by"  # who sent it: a retry with its client key is only theirs

    permission_area = "patrols"
    changelog_exclude = ("photo",)

    kind = models.CharField(_("kind"), max_length=10, choices=SightingKind.choices)
    text = models.TextField(_("what was seen"))
    photo = models.FileField(_("photo"), upload_to=sighting_photo_path, blank=True)
    lat = models.FloatField(_("latitude"), null=True, blank=True, validators=[validate_lat])
    lon = models.FloatField(_("longitude"), null=True, blank=True, validators=[validate_lon])
    checkpoint = models.ForeignKey(
        Checkpoint, on_delete=models.SET_NULL, null=True, blank=True, related_name="sightings", verbose_name=_("checkpoint")
    )
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("reported by"),
    )
    device_time = models.DateTimeField(_("device time"), null=True, blank=True)
    received_at = models.DateTimeField(_("received by the server at"))
    client_uuid = models.UUIDField(_("client id"), unique=True)

    class Meta:
        verbose_name = _("sighting")
        verbose_name_plural = _("sightings")
        ordering = ["-received_at", "-pk"]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.text[:40]}"

    def get_absolute_url(self):
        return reverse("patrols:sighting_detail", args=[self.pk])

    def changelog_snapshot_extra(self):
        return {"photo": self.photo.name or ""}


__all__ = ["CheckIn", "Checkpoint", "Days", "Method", "Route", "Schedule", "Sighting"]
