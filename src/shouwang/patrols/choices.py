from django.db import models
from django.utils.translation import gettext_lazy as _

# Obligation kinds of the patrols.
KIND_CHECKIN = "patrols.checkin"


class Days(models.TextChoices):
    EVERY_DAY = "every", _("every day")
    WEEKDAYS = "weekdays", _("weekdays")
    SCHOOL_DAYS = "school", _("school days")


class Method(models.TextChoices):
    QR = "qr", _("QR code")
    GPS = "gps", _("GPS position")
    MANUAL = "manual", _("entered by an operator")


class CheckInStatus(models.TextChoices):
    OK = "ok", _("ok")
    FLAGGED = "flagged", _("flagged")
    ACCEPTED = "accepted", _("flagged, accepted by the office")


class SightingKind(models.TextChoices):
    HAZARD = "hazard", _("hazard")
    INCIDENT = "incident", _("incident sighting")


class WindowState(models.TextChoices):
    DONE = "done", _("done")
    LATE = "late", _("late")
    MISSED = "missed", _("missed check-in")
    RUNNING = "running", _("running")
    UPCOMING = "upcoming", _("upcoming")
    WAIVED = "waived", _("waived")


class Flag(models.TextChoices):
    """Tamper evidence: the check-in is kept, with the reason it looks wrong."""

    OUTSIDE_RADIUS = "outside_radius", _("position outside the checkpoint radius")
    IMPOSSIBLE_SPEED = "impossible_speed", _("impossible speed since the previous check-in")
    CLOCK_SKEW = "clock_skew", _("device clock far from the server clock")
    NO_POSITION = "no_position", _("QR scan without a position from the phone")
