from django.db import models
from django.utils.translation import gettext_lazy as _

# Obligation kinds of the registers.
KIND_REVIEW = "registers.review"
KIND_DEFENCE_CHECK = "registers.defence_check"
KIND_STOCK_CHECK = "registers.stock_check"


class PlaceKind(models.TextChoices):
    AREA = "area", _("key area")
    UNIT = "unit", _("key unit")
    SITE = "site", _("key site")


class Category(models.TextChoices):
    """The categories of the spec (capability 2); each belongs to one kind."""

    # key areas
    CROWDED_STREET = "crowded_street", _("crowded street")
    SQUARE = "square", _("square")
    COMMERCIAL_CENTRE = "commercial_centre", _("commercial centre")
    # key units
    WATER = "water", _("water supply")
    POWER = "power", _("power supply")
    GAS = "gas", _("gas supply")
    HEATING = "heating", _("heating")
    TELECOM = "telecom", _("telecom")
    FINANCE = "finance", _("finance")
    PETROLEUM = "petroleum", _("petroleum")
    POSTAL = "postal", _("postal")
    FIREARMS_STORE = "firearms_store", _("store of firearms")
    EXPLOSIVES_STORE = "explosives_store", _("store of explosives")
    TOXIC_STORE = "toxic_store", _("store of toxic chemicals")
    RADIOACTIVE_STORE = "radioactive_store", _("store of radioactive materials")
    HAZCHEM_STORE = "hazchem_store", _("store of hazardous chemicals")
    GOVERNMENT = "government", _("government")
    MEDIA = "media", _("media")
    SCHOOL = "school", _("school")
    KINDERGARTEN = "kindergarten", _("kindergarten")
    HOSPITAL = "hospital", _("hospital")
    CINEMA = "cinema", _("cinema")
    MARKET = "market", _("market")
    HOTEL = "hotel", _("hotel")
    # key sites
    RAILWAY_STATION = "railway_station", _("railway station")
    RAILWAY_CROSSING = "railway_crossing", _("railway crossing")
    BRIDGE = "bridge", _("bridge")
    CULVERT = "culvert", _("culvert")
    TRANSPORT_STOP = "transport_stop", _("transport stop or line")
    BASE_STATION = "base_station", _("telecom base station")
    CABLE_JUNCTION = "cable_junction", _("cable junction")
    SCENIC_SPOT = "scenic_spot", _("scenic spot")
    BOUNDARY_ROAD = "boundary_road", _("boundary road")
    TRAFFIC_BLACK_SPOT = "traffic_black_spot", _("traffic black spot")
    UNDERGROUND_SPACE = "underground_space", _("underground space")


KIND_OF_CATEGORY = {
    **dict.fromkeys(["crowded_street", "square", "commercial_centre"], PlaceKind.AREA),
    **dict.fromkeys(
        ["water", "power", "gas", "heating", "telecom", "finance", "petroleum", "postal", "firearms_store",
         "explosives_store", "toxic_store", "radioactive_store", "hazchem_store", "government", "media", "school",
         "kindergarten", "hospital", "cinema", "market", "hotel"],
        PlaceKind.UNIT,
    ),
    **dict.fromkeys(
        ["railway_station", "railway_crossing", "bridge", "culvert", "transport_stop", "base_station",
         "cable_junction", "scenic_spot", "boundary_road", "traffic_black_spot", "underground_space"],
        PlaceKind.SITE,
    ),
}

# Infrastructure points need night cross-patrols (preset C).
INFRASTRUCTURE = {"water", "power", "gas", "heating", "telecom", "petroleum", "railway_crossing", "bridge",
                  "base_station", "cable_junction", "railway_station"}


class RiskColour(models.TextChoices):
    RED = "red", _("red (high)")
    ORANGE = "orange", _("orange (fairly high)")
    BLUE = "blue", _("blue (relatively safe)")
    GREEN = "green", _("green (safe)")


COLOUR_ORDER = ["green", "blue", "orange", "red"]  # low to high risk


def colour_rank(colour) -> int:
    return COLOUR_ORDER.index(colour) if colour in COLOUR_ORDER else -1


def higher_colour(a, b):
    return a if colour_rank(a) >= colour_rank(b) else b


class DefenceKind(models.TextChoices):
    PHYSICAL = "physical", _("physical defence")
    TECHNICAL = "technical", _("technical defence")
    STAFFED = "staffed", _("staffed defence")


class DefenceType(models.TextChoices):
    CCTV = "cctv", _("CCTV")
    ACCESS_CONTROL = "access_control", _("access control")
    BARRIER = "barrier", _("barrier")
    ALARM = "alarm", _("alarm")
    GUARD = "guard", _("guards")
    OTHER = "other", _("other")


KIND_OF_DEFENCE_TYPE = {
    "cctv": DefenceKind.TECHNICAL, "access_control": DefenceKind.TECHNICAL, "alarm": DefenceKind.TECHNICAL,
    "barrier": DefenceKind.PHYSICAL, "guard": DefenceKind.STAFFED,
}


class WorkingState(models.TextChoices):
    WORKING = "working", _("working")
    FAULTY = "faulty", _("faulty")
    OUT_OF_ORDER = "out_of_order", _("out of order")


class HazardClass(models.TextChoices):
    """The nine classes of dangerous goods (GB 6944)."""

    EXPLOSIVES = "1", _("class 1 explosives")
    GASES = "2", _("class 2 gases")
    FLAMMABLE_LIQUIDS = "3", _("class 3 flammable liquids")
    FLAMMABLE_SOLIDS = "4", _("class 4 flammable solids")
    OXIDIZERS = "5", _("class 5 oxidizers and organic peroxides")
    TOXIC = "6", _("class 6 toxic and infectious substances")
    RADIOACTIVE = "7", _("class 7 radioactive material")
    CORROSIVE = "8", _("class 8 corrosive substances")
    MISCELLANEOUS = "9", _("class 9 miscellaneous")


class MovementKind(models.TextChoices):
    OPENING = "opening", _("opening balance")  # the quantity a stock was registered with
    IN = "in", _("in")
    OUT = "out", _("out")
    LOSS = "loss", _("loss")
    THEFT = "theft", _("theft")


LOSS_KINDS = {MovementKind.LOSS, MovementKind.THEFT}


class AttachmentKind(models.TextChoices):
    PLAN = "plan", _("plan")
    PHOTO = "photo", _("photo")
    OTHER = "other", _("other document")


class ReviewState(models.TextChoices):
    OVERDUE = "overdue", _("review overdue")
    CURRENT = "current", _("reviewed in time")
