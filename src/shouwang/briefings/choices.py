from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Slot(models.TextChoices):
    """The scheduled daily reports; their times come from the node's policy (`daily_reports.slots`)."""

    MORNING = "morning", _("morning report")
    EVENING = "evening", _("evening report")


# Obligation kinds of the briefings: one per daily-report slot.
KIND_MORNING_REPORT = "briefings.morning_report"
KIND_EVENING_REPORT = "briefings.evening_report"
KIND_OF_SLOT = {Slot.MORNING: KIND_MORNING_REPORT, Slot.EVENING: KIND_EVENING_REPORT}
SLOT_OF_KIND = {kind: slot for slot, kind in KIND_OF_SLOT.items()}
KIND_LABELS = {
    KIND_MORNING_REPORT: _("scheduled daily report (morning)"),
    KIND_EVENING_REPORT: _("scheduled daily report (evening)"),
}


def kind_of(slot: str) -> str:
    return KIND_OF_SLOT[slot]


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


# Obligation kinds of briefings and consultations.
KIND_BRIEFING = "briefings.briefing"  # a scheduled briefing of a node (policy `briefing_schedule`), met when issued
KIND_DECISION = "briefings.decision"  # a decision of the daily consultation, met when done
KIND_LABELS.update({
    KIND_BRIEFING: _("scheduled briefing"),
    KIND_DECISION: _("decision of the daily consultation"),
})

PERIODS = (1, 3, 5, 7)  # the briefings' periods in days when the policy names none (preset C's cycles)


class BriefingState(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("briefing", "draft")
    REVIEWED = "reviewed", pgettext_lazy("briefing", "reviewed")
    ISSUED = "issued", pgettext_lazy("briefing", "issued")


class Trend(models.IntegerChoices):
    """The dashboard's trend windows."""

    WEEK = 7, _("7 days")
    MONTH = 30, _("30 days")
    QUARTER = 90, _("90 days")
