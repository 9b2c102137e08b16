from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

# Obligation kinds of inspections.
KIND_PLANNED = "inspections.planned"  # a planned inspection of a place (routine, pre-holiday, campaign)
KIND_RECTIFY = "inspections.rectify"  # an order's rectification deadline
KIND_VERIFY = "inspections.verify"  # re-verification after the unit reported it done


class AnswerType(models.TextChoices):
    YES_NO = "yes_no", _("yes / no / not applicable")
    NUMBER = "number", _("number with limits")
    CHOICE = "choice", _("choice")
    TEXT = "text", _("text")
    PHOTO = "photo", _("photo")


class Severity(models.TextChoices):
    """What a failed item means; the policy gives each its time to rectify."""

    NOTE = "note", _("observation")
    GENERAL = "general", _("general hazard")
    SERIOUS = "serious", _("serious hazard")
    URGENT = "urgent", _("urgent hazard")
    MAJOR = "major", _("major hazard")


SEVERITY_ORDER = [s.value for s in Severity]


def severity_rank(value) -> int:
    return SEVERITY_ORDER.index(value) if value in SEVERITY_ORDER else -1


class Result(models.TextChoices):
    PASS = "pass", pgettext_lazy("inspection result", "passed")
    FAIL = "fail", pgettext_lazy("inspection result", "failed")
    NA = "na", pgettext_lazy("inspection result", "not applicable")


class PlanKind(models.TextChoices):
    ROUTINE = "routine", _("routine inspection")
    PRE_HOLIDAY = "pre_holiday", _("pre-holiday inspection")
    CAMPAIGN = "campaign", _("special campaign")


class FindingSource(models.TextChoices):
    INSPECTION = "inspection", _("inspection")
    SIGHTING = "sighting", _("patrol hazard sighting")
    SUPERVISION = "supervision", _("supervision visit")
    IMPORT = "import", _("imported ledger")
    CAMERA_CHECK = "camera_check", _("daily camera check")


class OrderState(models.TextChoices):
    ORDERED = "ordered", _("ordered")
    IN_PROGRESS = "in_progress", _("in progress")
    REPORTED = "reported", _("reported done, awaiting verification")
    CLOSED = "closed", _("verified and closed")


OPEN_STATES = [OrderState.ORDERED, OrderState.IN_PROGRESS, OrderState.REPORTED]


class VisitMethod(models.TextChoices):
    LEDGERS = "ledgers", _("reading the ledgers")
    MEETING = "meeting", _("meeting")
    SITE = "site", _("site visit")
    UNANNOUNCED = "unannounced", _("unannounced visit")


class Check(models.TextChoices):
    """The four checks of a supervision visit (event-security posture C)."""

    LEDGERS = "ledgers", _("ledgers true and complete")
    FORCES = "forces", _("forces deployed as the ledger says")
    MEASURES = "measures", _("measures and responsibilities in place")
    HAZARDS = "hazards", _("main hazards known and handled")


class BulletinState(models.TextChoices):
    DRAFT = "draft", _("draft")
    ISSUED = "issued", _("issued")
