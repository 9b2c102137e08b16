"""Plans, drills, training and awareness campaigns: their vocabulary and obligation kinds."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

# Obligation kinds of plans.
KIND_PLAN_REVIEW = "plans.review"  # an expert review of a plan, on the policy's cycle (yearly by default)
KIND_DRILL = "plans.drill"  # a drill the policy asks for (a school's monthly evacuation, a street's yearly drill)
KIND_CORRECTIVE = "plans.corrective"  # an area for improvement of a drill, put right by its owner
KIND_CORRECTIVE_VERIFY = "plans.corrective_verify"  # ... and verified by someone else
KIND_CERTIFICATE = "plans.certificate"  # a training certificate renewed before it expires

DRILL_MARK = "【演练】"  # on every page, message and export of a drill
DEFAULT_REVIEW_MONTHS = 12
DEFAULT_VERIFY_DAYS = 7
REMINDER_DAYS = (60, 30, 7)  # a certificate's reminders before it expires


class Level(models.TextChoices):
    """The incident levels a plan covers (the same codes and words as an incident's level)."""

    I = "I", _("I particularly major")  # noqa: E741
    II = "II", _("II major")
    III = "III", _("III relatively major")
    IV = "IV", _("IV ordinary")


LEVEL_ORDER = [level.value for level in Level]


class VersionState(models.TextChoices):
    DRAFT = "draft", _("draft")
    APPROVED = "approved", _("approved")


class ReviewConclusion(models.TextChoices):
    FIT = "fit", _("still fit for use")
    REVISE = "revise", _("to be revised")


class DrillKind(models.TextChoices):
    EVACUATION = "evacuation", _("evacuation drill")
    TABLETOP = "tabletop", _("tabletop exercise")
    FUNCTIONAL = "functional", _("functional drill")
    FULL_SCALE = "full_scale", _("full-scale drill")


class DrillState(models.TextChoices):
    PLANNED = "planned", pgettext_lazy("drill", "planned")
    RUNNING = "running", pgettext_lazy("drill", "running")
    PAUSED = "paused", pgettext_lazy("drill", "paused")
    ENDED = "ended", pgettext_lazy("drill", "ended")


class InjectState(models.TextChoices):
    PENDING = "pending", pgettext_lazy("inject", "waiting")
    OFFERED = "offered", pgettext_lazy("inject", "offered")
    DELIVERED = "delivered", pgettext_lazy("inject", "delivered")
    SKIPPED = "skipped", pgettext_lazy("inject", "skipped")


class Rating(models.TextChoices):
    """The evaluator's rating of an expected action (HSEEP's P / S / M / U)."""

    P = "P", _("performed without challenges")
    S = "S", _("performed with some challenges")
    M = "M", _("performed with major challenges")
    U = "U", _("unable to be performed")


class ImprovementState(models.TextChoices):
    OPEN = "open", pgettext_lazy("corrective action", "open")
    REPORTED = "reported", _("reported done, awaiting verification")
    VERIFIED = "verified", _("verified and closed")


class AttendanceMethod(models.TextChoices):
    QR = "qr", _("QR code on the phone")
    MANUAL = "manual", _("entered by the trainer")


class CampaignKind(models.TextChoices):
    ASSEMBLY = "assembly", _("assembly")
    CLASS_MEETING = "class_meeting", _("class meeting")
    EDUCATION_DAY = "education_day", _("safety education day")
    EDUCATION_WEEK = "education_week", _("safety education week")
    BLACKBOARD = "blackboard", _("blackboard or notice board")
    LEAFLETS = "leaflets", _("leaflets")
    ONLINE = "online", _("online")
