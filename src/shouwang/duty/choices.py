from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

# Obligation kinds of duty.
KIND_UNSTAFFED = "duty.unstaffed"  # a slot still short of people 24 h before it starts: the roster's owner
KIND_CONFIRM = "duty.confirm"  # the person on a duty post confirms at shift start, or the slot is missed
KIND_HANDOVER = "duty.handover"  # the incoming person acknowledges the handover within 30 minutes


class RosterState(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("roster", "draft")
    PUBLISHED = "published", pgettext_lazy("roster", "published")


class Post(models.TextChoices):
    """What a person does on a shift: the role a roster's demand asks for."""
    LEADER = "leader", _("leader on duty")
    DUTY_OFFICER = "duty_officer", _("duty officer")
    STANDBY = "standby", _("standby")
    GATE_GUARD = "gate_guard", _("gate guard")
    PATROL = "patrol", _("patrol shift")


# Posts whose holder confirms being on duty at shift start (one tap); patrol shifts show up
# through their check-ins instead.
CONFIRMED_POSTS = (Post.DUTY_OFFICER, Post.LEADER, Post.STANDBY, Post.GATE_GUARD)


class Layout(models.TextChoices):
    """Ready shift layouts for a new roster (the API takes any shifts)."""
    THREE_SHIFTS = "three_shifts", _("three shifts: early 06–14, middle 14–22, night 22–06")
    DUTY_24 = "duty24", _("24-hour duty from 08:30")
    OFFICE_DAY = "day", _("day duty 08:30–17:30")
    SCHOOL_GATE = "gate", _("school gate: arrival 07:00–08:30 and dismissal 15:30–17:30")


class Pattern(models.TextChoices):
    FOUR_TEAMS = "four_teams", _("four teams, three shifts (early → middle → night → rest, two days each)")
    DAILY = "daily", _("24-hour duty: one person a day in turn")
    WEEKLY_LEADER = "weekly_leader", _("leader on duty: one leader a week in turn")


class SwapState(models.TextChoices):
    REQUESTED = "requested", _("waiting for the colleague")
    ACCEPTED = "accepted", _("waiting for the office")
    APPROVED = "approved", _("approved")
    REFUSED = "refused", pgettext_lazy("swap", "refused")
    WITHDRAWN = "withdrawn", _("withdrawn")


OPEN_SWAPS = (SwapState.REQUESTED, SwapState.ACCEPTED)


class PostureLevel(models.TextChoices):
    """The plans' three levels (event-security posture C); the staffing ratios come from policy."""
    NORMAL = "normal", pgettext_lazy("posture", "normal")
    ENHANCED = "enhanced", pgettext_lazy("posture", "enhanced")
    EXTRAORDINARY = "extraordinary", pgettext_lazy("posture", "extraordinary")


LEVEL_RANK = {PostureLevel.NORMAL: 0, PostureLevel.ENHANCED: 1, PostureLevel.EXTRAORDINARY: 2}


class RunState(models.TextChoices):
    QUEUED = "queued", _("waiting to start")
    RUNNING = "running", _("running")
    DONE = "done", _("finished")
    FAILED = "failed", _("found no roster")
    PUBLISHED = "published", pgettext_lazy("solver run", "published")
    DISCARDED = "discarded", _("discarded")


ACTIVE_RUNS = (RunState.QUEUED, RunState.RUNNING)
