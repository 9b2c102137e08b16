from django.db import models
from django.utils.translation import gettext_lazy as _


class State(models.TextChoices):
    """Derived from the stored facts and the clock; never stored."""

    UPCOMING = "upcoming", _("upcoming")
    OPEN = "open", _("open")
    DUE_SOON = "due_soon", _("due soon")
    MET = "met", _("met")
    MET_LATE = "met_late", _("met late")
    MISSED = "missed", _("missed")
    WAIVED = "waived", _("waived")


# States that count against someone in the accountability audit.
FAILED_STATES = (State.MET_LATE, State.MISSED, State.WAIVED)


class NotificationKind(models.TextChoices):
    REMINDER = "reminder", _("reminder")
    MISSED = "missed", _("missed")
    ESCALATED = "escalated", _("escalated to the office")
    MESSAGE = "message", _("message")


class Channel(models.TextChoices):
    INBOX = "inbox", _("inbox")
    EMAIL = "email", _("e-mail")
    WEBHOOK = "webhook", _("webhook")


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("pending")
    SENDING = "sending", _("sending")
    SENT = "sent", _("sent")
    FAILED = "failed", _("failed")
    SKIPPED = "skipped", _("skipped")


class Step(models.IntegerChoices):
    """Escalation progress stored on the obligation (`escalation_step`)."""

    NONE = 0, _("nothing sent")
    REMINDED = 1, _("reminder sent")
    MISSED = 2, _("responsible person and supervisors notified")
    OFFICE = 3, _("leading-group office notified")
