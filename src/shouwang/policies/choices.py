from django.db import models
from django.utils.translation import gettext_lazy as _


class Section(models.TextChoices):
    """The sections of a policy's rules; a node inherits each section from its nearest node."""

    INCIDENT_CLOCKS = "incident_clocks", _("incident reporting clocks")
    MAJOR_KINDS = "major_kinds", _("kinds of major emergency")
    ACTIVATION = "activation", _("response activation")
    COMMAND = "command", _("command and handover")
    RESERVE_TEAM_SIZE = "reserve_team_size", _("reserve team size")
    ON_SCENE_HEADQUARTERS = "on_scene_headquarters", _("on-scene headquarters")
    DAILY_REPORTS = "daily_reports", _("scheduled daily reports")
    ESCALATION = "escalation", _("escalation")
    POSTURE = "posture", _("posture levels")
    PATROL_COVERAGE = "patrol_coverage", _("patrol coverage")
    REVIEW_PERIODS = "review_periods", _("register review periods")
    RISK_COLOUR_DAILY = "risk_colour_daily", _("daily risk colours")
    BRIEFING_CYCLES_DAYS = "briefing_cycles_days", _("briefing cycles")
    BRIEFING_SCHEDULE = "briefing_schedule", _("scheduled briefings")
    CHECKIN_WINDOWS = "checkin_windows", _("check-in windows")
    RECTIFICATION = "rectification", _("rectification")
    INSPECTIONS = "inspections", _("planned inspections")
    DRILLS = "drills", _("drills")
    RESOURCES = "resources", _("emergency resources")
    RESERVE_STANDARD = "reserve_standard", _("reserve standard of emergency supplies")
    PLANS = "plans", _("emergency plans")
