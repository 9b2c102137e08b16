from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

# Obligation kinds of duty.
KIND_UNSTAFFED = "duty.unstaffed"  # a slot still short of people 24 h before it starts: the roster's owner
KIND_CONFIRM = "duty.confirm"  # the person on duty confirms at shift start


class RosterState(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("roster", "draft")
    PUBLISHED = "published", pgettext_lazy("roster", "published")


class Post(models.TextChoices):
    """What a person does on a shift: the role a roster's demand asks for."""
    DUTY_OFFICER = "duty_officer", _("duty officer")
    LEADER = "leader", _("leader on duty")
    STANDBY = "standby", _("standby")
    GATE_GUARD = "gate_guard", _("gate guard")
    PATROL = "patrol", _("patrol shift")


class SwapState(models.TextChoices):
    REQUESTED = "requested", _("waiting for the colleague")
    ACCEPTED = "accepted", _("waiting for the office")
    APPROVED = "approved", _("approved")
    REFUSED = "refused", pgettext_lazy("swap", "refused")
    WITHDRAWN = "withdrawn", _("withdrawn")


OPEN_SWAPS = (SwapState.REQUESTED, SwapState.ACCEPTED)


class PostureLevel(models.TextChoices):
    """The plans' three levels (event-security posture C); the staffing ratios come from policy."""
    NORMAL = "normal", _("normal")
    ENHANCED = "enhanced", _("enhanced")
    EXTRAORDINARY = "extraordinary", _("extraordinary")


LEVEL_RANK = {PostureLevel.NORMAL: 0, PostureLevel.ENHANCED: 1, PostureLevel.EXTRAORDINARY: 2}
