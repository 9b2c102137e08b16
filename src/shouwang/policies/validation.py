"""Validation of policy rules: every time limit must be positive and sensible."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MAX_CLOCK_MINUTES = 7 * 24 * 60  # a reporting clock longer than a week is a typo
TIME = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")
LEVELS = {"I", "II", "III", "IV"}
KNOWN_SECTIONS = {
    "incident_clocks", "activation", "command", "reserve_team_size", "on_scene_headquarters", "daily_reports",
    "escalation", "posture", "patrol_coverage", "review_periods", "risk_colour_daily", "briefing_cycles_days",
    "checkin_windows", "rectification", "drills",
}


def _minutes(errors, where, value, low=1, high=MAX_CLOCK_MINUTES):
    if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
        errors.append(_("%(where)s: %(value)s is not a time limit between %(low)s and %(high)s minutes.")
                      % {"where": where, "value": value, "low": low, "high": high})


def _time(errors, where, value):
    if not isinstance(value, str) or not TIME.match(value):
        errors.append(_("%(where)s: “%(value)s” is not a time of day like 09:00.") % {"where": where, "value": value})


def _share(errors, where, value):
    if not isinstance(value, int | float) or not 0 <= value <= 1:
        errors.append(_("%(where)s: %(value)s is not a share between 0 and 1.") % {"where": where, "value": value})


def validate_rules(rules):
    """Raise ValidationError listing every problem (with where it is) in `rules`."""
    errors: list[str] = []
    if not isinstance(rules, dict):
        raise ValidationError({"rules": _("Rules must be a mapping of sections.")})
    for section in rules:
        if section not in KNOWN_SECTIONS:
            errors.append(_("Unknown section “%(section)s”.") % {"section": section})
    for i, clock in enumerate(rules.get("incident_clocks", []), 1):
        where = _("incident clock %(n)s") % {"n": i}
        if not clock.get("rule"):
            errors.append(_("%(where)s: needs a rule name.") % {"where": where})
        _minutes(errors, where, clock.get("minutes"))
        if clock.get("from", "received") not in ("received", "activated"):
            errors.append(_("%(where)s: a clock starts when the incident is received or the response activated.") % {"where": where})
        bad = set(clock.get("levels", [])) - LEVELS
        if bad:
            errors.append(_("%(where)s: unknown levels %(levels)s.") % {"where": where, "levels": ", ".join(sorted(bad))})
    activation = rules.get("activation", {})
    if "responders_minutes" in activation:
        _minutes(errors, _("responders on scene"), activation["responders_minutes"], high=24 * 60)
    for slot in rules.get("daily_reports", {}).get("slots", []):
        where = _("daily report %(slot)s") % {"slot": slot.get("slot", "?")}
        _time(errors, where, slot.get("due"))
        _time(errors, where, slot.get("opens", "00:00"))
        if TIME.match(str(slot.get("opens", "00:00"))) and TIME.match(str(slot.get("due"))) and slot.get("opens", "00:00") >= slot["due"]:
            errors.append(_("%(where)s: it must open before it is due.") % {"where": where})
    escalation = rules.get("escalation", {})
    for key in ("due_soon_minutes", "remind_before_minutes", "office_after_minutes"):
        if key in escalation:
            _minutes(errors, _("escalation"), escalation[key], low=0, high=24 * 60)
    for level, row in rules.get("posture", {}).items():
        for key, value in row.items():
            if key.endswith("_share"):
                _share(errors, f"{level}.{key}", value)
    for window in rules.get("checkin_windows", []):
        where = _("check-in window %(name)s") % {"name": window.get("name", "?")}
        _time(errors, where, window.get("start"))
        _time(errors, where, window.get("end"))
        if window.get("start") == window.get("end"):
            errors.append(_("%(where)s: start and end are the same.") % {"where": where})
    for key, value in rules.get("review_periods", {}).items():
        if not isinstance(value, int) or not 1 <= value <= 3650:
            errors.append(_("review period %(key)s: %(value)s is not between 1 and 3650 days.") % {"key": key, "value": value})
    if "rectification" in rules:
        days = rules["rectification"].get("default_days")
        if not isinstance(days, int) or not 1 <= days <= 365:
            errors.append(_("rectification: %(value)s is not between 1 and 365 days.") % {"value": days})
    if errors:
        raise ValidationError({"rules": errors})
