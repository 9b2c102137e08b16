from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from shouwang.duty.choices import Post

# Obligation kinds of schools.
KIND_GATE = "schools.gate"  # an arrival or dismissal window at the gate, held by the three roles
KIND_CCTV = "schools.cctv"  # the day's check of every camera of a school


class GateKind(models.TextChoices):
    ARRIVAL = "arrival", pgettext_lazy("school gate", "arrival")
    DISMISSAL = "dismissal", pgettext_lazy("school gate", "dismissal")


class GateRole(models.TextChoices):
    """The three who hold the gate at arrival and dismissal (school plan E)."""

    LEADER = "leader", _("leader on duty")
    GUARD = "guard", _("security guard")
    TEACHER = "teacher", _("teacher of the week")


# The duty roster's post each gate role is staffed from. Duty has no post of its own for the
# teacher of the week: on a school's gate roster the duty officer's post is the teacher of the week.
POST_OF_ROLE = {GateRole.LEADER: Post.LEADER, GateRole.GUARD: Post.GATE_GUARD, GateRole.TEACHER: Post.DUTY_OFFICER}
ROLE_OF_POST = {post: role for role, post in POST_OF_ROLE.items()}


class SpotKind(models.TextChoices):
    GATE = "gate", _("gate")
    DORMITORY = "dormitory", _("dormitory")
    CANTEEN = "canteen", _("canteen")
    LAB = "lab", _("laboratory")
    CHEMICALS = "chemicals", _("store of hazardous chemicals")
    PERIMETER = "perimeter", _("perimeter wall")
    OTHER = "other", _("other key spot")


class CameraResult(models.TextChoices):
    WORKING = "working", _("working")
    POOR_IMAGE = "poor_image", _("image poor")
    NOT_RECORDING = "not_recording", _("not recording")


FAILED_RESULTS = (CameraResult.POOR_IMAGE, CameraResult.NOT_RECORDING)


class IdType(models.TextChoices):
    RESIDENT_ID = "resident_id", _("resident identity card")
    PASSPORT = "passport", _("passport")
    HK_MACAO = "hk_macao", _("Mainland travel permit for Hong Kong and Macao residents")
    TAIWAN = "taiwan", _("Mainland travel permit for Taiwan residents")
    DRIVING_LICENCE = "driving_licence", _("driving licence")
    WORK_CARD = "work_card", _("work card")
    OTHER = "other", _("other document")


class VehicleKind(models.TextChoices):
    OFFICIAL = "official", _("official vehicle")
    REGISTERED = "registered", _("outside vehicle, registered")
    UNREGISTERED = "unregistered", _("outside vehicle, not registered")


class VehicleOutcome(models.TextChoices):
    ADMITTED = "admitted", _("let in")
    REFUSED = "refused", _("refused at the gate")


class ReadChannel(models.TextChoices):
    PAGE = "page", _("web page")
    API = "api", _("API")
    PHONE = "phone", _("guard's phone")


class Colour(models.TextChoices):
    """How a school stands on the street's view: a colour token of tokens.css per state."""

    GREEN = "met", _("in order")
    ORANGE = "due_soon", _("needs attention")
    RED = "missed", _("shortfall")
    GREY = "upcoming", _("not known yet")
