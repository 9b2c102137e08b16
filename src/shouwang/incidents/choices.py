"""Incident classes, working categories, levels and the vocabulary of reports and command."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

# Obligation kinds of the incidents.
KIND_FIRST_REPORT = "incidents.first_report"
KIND_WRITTEN_REPORT = "incidents.written_report"
KIND_RESPONDER_ON_SCENE = "incidents.responder_on_scene"
KIND_TASK = "incidents.task"
KIND_REVIEW_ACTION = "incidents.review_action"


class IncidentClass(models.TextChoices):
    """The four classes of the national scheme."""

    NATURAL = "natural", _("natural disaster")
    ACCIDENT = "accident", _("accident and disaster")
    PUBLIC_HEALTH = "public_health", _("public health event")
    SOCIAL_SAFETY = "social_safety", _("social safety event")


class Category(models.TextChoices):
    """The finer working categories of community plans (each maps onto a class and a working group)."""

    SOCIAL_SAFETY = "social_safety", _("social safety")
    PUBLIC_ORDER_CRIMINAL = "public_order_criminal", _("major public-order or criminal case")
    VIOLENT_ATTACK = "violent_attack", _("violent or terrorist attack")
    FIRE = "fire", _("fire")
    BUILDING_COLLAPSE = "building_collapse", _("building collapse")
    GAS_LEAK = "gas_leak", _("gas or hazardous-chemical leak")
    TRAFFIC = "traffic", _("traffic accident")
    WORK_SAFETY = "work_safety", _("work-safety accident")
    EPIDEMIC = "epidemic", _("epidemic")
    FOOD_POISONING = "food_poisoning", _("food poisoning")
    POLLUTION = "pollution", _("environmental pollution")
    EARTHQUAKE = "earthquake", _("earthquake")
    RAINSTORM = "rainstorm", _("rainstorm")
    FLOOD = "flood", _("flood")
    LANDSLIDE = "landslide", _("landslide")
    DEBRIS_FLOW = "debris_flow", _("debris flow")
    NETWORK_ATTACK = "network_attack", _("attack on CCTV or access systems")
    DATA_THEFT = "data_theft", _("data theft")
    EXAM_SECURITY = "exam_security", _("examination security")
    CROWD_CRUSH = "crowd_crush", _("crowd crush")
    LARGE_EVENT = "large_event", _("large-event emergency")
    DISPUTE = "dispute", _("dispute at risk of escalation")


# category -> (class, working group kind as in core.choices.WorkingKind)
CATEGORY_MAP = {
    Category.SOCIAL_SAFETY: (IncidentClass.SOCIAL_SAFETY, "social_safety"),
    Category.PUBLIC_ORDER_CRIMINAL: (IncidentClass.SOCIAL_SAFETY, "public_order_criminal"),
    Category.VIOLENT_ATTACK: (IncidentClass.SOCIAL_SAFETY, "public_order_criminal"),
    Category.FIRE: (IncidentClass.ACCIDENT, "accidents"),
    Category.BUILDING_COLLAPSE: (IncidentClass.ACCIDENT, "accidents"),
    Category.GAS_LEAK: (IncidentClass.ACCIDENT, "accidents"),
    Category.TRAFFIC: (IncidentClass.ACCIDENT, "accidents"),
    Category.WORK_SAFETY: (IncidentClass.ACCIDENT, "accidents"),
    Category.EPIDEMIC: (IncidentClass.PUBLIC_HEALTH, "public_health"),
    Category.FOOD_POISONING: (IncidentClass.PUBLIC_HEALTH, "public_health"),
    Category.POLLUTION: (IncidentClass.PUBLIC_HEALTH, "public_health"),
    Category.EARTHQUAKE: (IncidentClass.NATURAL, "natural_disasters"),
    Category.RAINSTORM: (IncidentClass.NATURAL, "natural_disasters"),
    Category.FLOOD: (IncidentClass.NATURAL, "natural_disasters"),
    Category.LANDSLIDE: (IncidentClass.NATURAL, "natural_disasters"),
    Category.DEBRIS_FLOW: (IncidentClass.NATURAL, "natural_disasters"),
    Category.NETWORK_ATTACK: (IncidentClass.SOCIAL_SAFETY, "network_security"),
    Category.DATA_THEFT: (IncidentClass.SOCIAL_SAFETY, "network_security"),
    Category.EXAM_SECURITY: (IncidentClass.SOCIAL_SAFETY, "exam_security"),
    Category.CROWD_CRUSH: (IncidentClass.SOCIAL_SAFETY, "social_safety"),
    Category.LARGE_EVENT: (IncidentClass.SOCIAL_SAFETY, "social_safety"),
    Category.DISPUTE: (IncidentClass.SOCIAL_SAFETY, "social_safety"),
}

# CAP 1.2 category per class.
CAP_CATEGORY = {
    IncidentClass.NATURAL: "Met", IncidentClass.ACCIDENT: "Safety",
    IncidentClass.PUBLIC_HEALTH: "Health", IncidentClass.SOCIAL_SAFETY: "Security",
}
CAP_CATEGORY_OF = {Category.FIRE: "Fire", Category.EARTHQUAKE: "Geo", Category.LANDSLIDE: "Geo",
                   Category.DEBRIS_FLOW: "Geo", Category.POLLUTION: "Env", Category.TRAFFIC: "Transport"}


class IncidentLevel(models.TextChoices):
    I = "I", _("I particularly major")  # noqa: E741
    II = "II", _("II major")
    III = "III", _("III relatively major")
    IV = "IV", _("IV ordinary")


LEVEL_COLOUR = {"I": "red", "II": "orange", "III": "yellow", "IV": "blue"}
LEVEL_HEX = {"I": "#d7191c", "II": "#f28500", "III": "#e6c300", "IV": "#1f6fd1"}
CAP_SEVERITY = {"I": "Extreme", "II": "Severe", "III": "Moderate", "IV": "Minor"}


class Status(models.TextChoices):
    DRAFT = "draft", _("draft (to be confirmed)")
    OPEN = "open", pgettext_lazy("incident status", "open")
    CLOSED = "closed", _("closed")


class Channel(models.TextChoices):
    PHONE = "phone", _("phone call to the operator")
    GRID = "grid", _("grid worker")
    PATROL = "patrol", _("patrol")
    LIAISON = "liaison", _("unit liaison")
    API = "api", _("other system (API)")
    REGISTER = "register", _("register (loss of hazardous stock)")
    OTHER = "other", _("other")


class ReportKind(models.TextChoices):
    FIRST = "first", _("first report")
    WRITTEN = "written", _("written report")
    FOLLOW_UP = "follow_up", _("follow-up report")
    FINAL = "final", _("final report")


class Means(models.TextChoices):
    ORAL = "oral", _("oral")
    PHONE = "phone", _("phone")
    WRITTEN = "written", _("written")


class Addressee(models.TextChoices):
    """Whom a report goes to; a clock of the policy names its addressee (`to`)."""

    LEADING_GROUP = "leading_group", _("the leading group")
    SUPERIOR_OFFICE = "superior_office", _("the superior office")
    COMMAND_PLATFORM = "command_platform", _("the city-operations command platform")
    OTHER = "other", _("someone else")


class ClockRole(models.TextChoices):
    """Who answers for a reporting clock (`responsible` of the policy's clock), found on the
    incident's node when the clock opens."""

    COMMUNITY_OFFICE = "community_office", _("the community office")
    STREET_OFFICE = "street_office", _("the street office")
    SAFETY_LEADER = "safety_leader", _("the leader in charge of safety")
    ON_SCENE_COMMANDER = "on_scene_commander", _("the on-scene commander")


class Phase(models.TextChoices):
    INITIAL = "initial", _("initial response")
    ON_SCENE = "on_scene", _("on-scene command")


class LogKind(models.TextChoices):
    INTAKE = "intake", _("intake")
    REPORT = "report", _("report")
    DECISION = "decision", _("decision")
    ACTIVATION = "activation", _("activation")
    NOTIFICATION = "notification", _("notification")
    ARRIVAL = "arrival", _("arrival")
    HANDOVER = "handover", _("handover")
    TASK = "task", _("task")
    MESSAGE = "message", _("message")
    EVACUATION = "evacuation", _("evacuation or diversion point")
    LEVEL = "level", _("level change")
    CLOSURE = "closure", _("closure")
    ALERT = "alert", _("public alert")


class CapType(models.TextChoices):
    ALERT = "Alert", _("alert")
    UPDATE = "Update", _("update")
    CANCEL = "Cancel", _("cancel")
