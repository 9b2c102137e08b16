"""The vocabulary of emergency resources: supplies and their movements, equipment and its log,
the reserve team's call-outs, evacuation and diversion points."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

# Obligation kinds of resources.
KIND_STOCKTAKE = "resources.stocktake"  # the periodic stock-take of a store
KIND_EXPIRY = "resources.expiry"  # a lot in stock to use or replace before it expires
KIND_RETURN = "resources.return"  # issued equipment due back
KIND_POINT_CHECK = "resources.point_check"  # the periodic check of an evacuation or diversion point
KIND_ASSEMBLE = "resources.assemble"  # a reserve member at the assembly point after an incident's call-out


class SupplyCategory(models.TextChoices):
    """The kinds of key emergency supplies of the community patrol and safety measures (B)."""

    MEDICAL = "medical", _("medical first aid")
    PROTECTIVE = "protective", _("protective gear")
    LIGHTING = "lighting", _("lighting")
    COMMUNICATION = "communication", _("communication equipment")
    DAILY = "daily", _("daily necessities")
    RESCUE = "rescue", _("rescue tools")
    OTHER = "other", pgettext_lazy("supply category", "other")


class MovementKind(models.TextChoices):
    IN = "in", pgettext_lazy("stock movement", "in")
    OUT = "out", pgettext_lazy("stock movement", "out")
    TRANSFER_OUT = "transfer_out", _("transferred out")
    TRANSFER_IN = "transfer_in", _("transferred in")
    WRITE_OFF = "write_off", _("written off")
    SURPLUS = "surplus", _("stock-take surplus")
    SHORTAGE = "shortage", _("stock-take shortage")


INBOUND = frozenset({MovementKind.IN, MovementKind.TRANSFER_IN, MovementKind.SURPLUS})
# What a clerk records on the movement form (transfers and stock-takes have their own).
RECORDED = [MovementKind.IN, MovementKind.OUT, MovementKind.WRITE_OFF]
RECORDED_CHOICES = [(k.value, k.label) for k in RECORDED]


class ExpiryBucket(models.TextChoices):
    """How near a lot in stock is to its expiry date."""

    EXPIRED = "expired", _("expired")
    DAYS_30 = "30", _("expires within 30 days")
    DAYS_60 = "60", _("expires within 60 days")
    DAYS_90 = "90", _("expires within 90 days")
    LATER = "later", _("expires later")
    NONE = "none", _("does not expire")


# Short words for the buckets in tables and badges.
BUCKET_LABELS = {
    "expired": _("expired"), "30": _("≤ 30 days"), "60": _("≤ 60 days"), "90": _("≤ 90 days"),
    "later": _("later"), "none": _("no expiry"),
}


class EquipmentKind(models.TextChoices):
    STAB_VEST = "stab_vest", _("stab vest")
    HELMET = "helmet", _("helmet")
    BATON = "baton", _("baton")
    SHIELD = "shield", _("shield")
    FORK = "fork", _("restraint fork")
    RADIO = "radio", _("radio")
    BODY_CAMERA = "body_camera", _("body camera")
    TORCH = "torch", _("torch")
    OTHER = "other", pgettext_lazy("equipment kind", "other")


class EquipmentState(models.TextChoices):
    AVAILABLE = "available", _("in store")
    ISSUED = "issued", pgettext_lazy("equipment state", "issued")
    REPAIR = "repair", _("under repair")
    LOST = "lost", pgettext_lazy("equipment state", "lost")
    RETIRED = "retired", _("retired")


class Purpose(models.TextChoices):
    PATROL = "patrol", pgettext_lazy("purpose", "patrol")
    INCIDENT = "incident", pgettext_lazy("purpose", "incident")
    DRILL = "drill", pgettext_lazy("purpose", "drill")
    DUTY = "duty", pgettext_lazy("purpose", "duty")
    OTHER = "other", pgettext_lazy("purpose", "other")


class Condition(models.TextChoices):
    GOOD = "good", _("good")
    WORN = "worn", _("worn")
    DAMAGED = "damaged", _("damaged")


class EventKind(models.TextChoices):
    """The asset log: what happened to a piece of equipment."""

    ISSUE = "issue", pgettext_lazy("equipment log", "issue")
    RETURN = "return", pgettext_lazy("equipment log", "return")
    CHECK = "check", pgettext_lazy("equipment log", "check")
    REPAIR = "repair", pgettext_lazy("equipment log", "sent for repair")
    REPAIRED = "repaired", pgettext_lazy("equipment log", "back from repair")
    LOST = "lost", pgettext_lazy("equipment log", "reported lost")
    FOUND = "found", pgettext_lazy("equipment log", "found")
    RETIRE = "retire", pgettext_lazy("equipment log", "retire")


class CallOutKind(models.TextChoices):
    TEST = "test", _("call-out test")
    INCIDENT = "incident", _("call-out for an incident")


class PointKind(models.TextChoices):
    EVACUATION = "evacuation", _("evacuation point")
    DIVERSION = "diversion", _("diversion point")


class ShelterGrade(models.TextChoices):
    """The grading of emergency shelters by how long people may stay (GB 21734, GB/T 33744)."""

    IMMEDIATE = "immediate", _("immediate shelter (hours)")
    CLASS_III = "III", _("class III: short stay (up to 10 days)")
    CLASS_II = "II", _("class II: medium stay (10 to 30 days)")
    CLASS_I = "I", _("class I: long stay (over 30 days)")


class VehicleKind(models.TextChoices):
    BUS = "bus", _("bus")
    MINIBUS = "minibus", _("minibus")
    VAN = "van", _("van")
    AMBULANCE = "ambulance", _("ambulance")
    TRUCK = "truck", _("truck")
    OTHER = "other", pgettext_lazy("vehicle kind", "other")


# The call-out report's shares (the policy's `callout_targets` by the same keys).
SHARE_LABELS = {
    "acknowledged_30": _("acknowledged within 30 minutes"),
    "acknowledged_60": _("acknowledged within 60 minutes"),
    "arrived_30": _("arrived within 30 minutes"),
    "arrived_60": _("arrived within 60 minutes"),
}
