from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


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

    ON_TIME = "on_time", pgettext_lazy("daily report table", "on time")
    LATE = "late", pgettext_lazy("daily report table", "late")
    MISSING = "missing", pgettext_lazy("daily report table", "missing")
    DUE_SOON = "due_soon", pgettext_lazy("daily report table", "due soon")
    OPEN = "open", pgettext_lazy("daily report table", "open")
    NOT_YET_DUE = "not_yet_due", pgettext_lazy("daily report table", "not yet open")
    WAIVED = "waived", pgettext_lazy("daily report table", "waived")
    NONE = "none", pgettext_lazy("daily report table", "not scheduled")
