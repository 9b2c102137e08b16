from django.db import models
from django.utils.translation import gettext_lazy as _


class Slot(models.TextChoices):
    """The scheduled daily reports; their times come from the node's policy (`daily_reports.slots`)."""

    MORNING = "morning", _("morning report")
    EVENING = "evening", _("evening report")


# Obligation kinds opened for daily reports: one per slot.
KIND_PREFIX = "briefings.daily_report."
KIND_LABELS = {
    Slot.MORNING: _("scheduled daily report (morning)"),
    Slot.EVENING: _("scheduled daily report (evening)"),
}


def kind_of(slot: str) -> str:
    return f"{KIND_PREFIX}{slot}"


class Cell(models.TextChoices):
    """How a community's slot of one day looks in the office's table."""

    ON_TIME = "on_time", _("on time")
    LATE = "late", _("late")
    MISSING = "missing", _("missing")
    DUE_SOON = "due_soon", _("due soon")
    OPEN = "open", _("open")
    NOT_YET_DUE = "not_yet_due", _("not yet open")
    WAIVED = "waived", _("waived")
    NONE = "none", _("not scheduled")
