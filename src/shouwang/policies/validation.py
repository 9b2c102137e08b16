"""Validation of policy rules: every time limit must be positive and sensible."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .choices import Section

MAX_CLOCK_MINUTES = 7 * 24 * 60  # a reporting clock longer than a week is a typo
TIME = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")
LEVELS = {"I", "II", "III", "IV"}
KNOWN_SECTIONS = set(Section.values)


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


def _incident_clocks(errors, clocks):
    for i, clock in enumerate(clocks, 1):
        where = _("incident clock %(n)s") % {"n": i}
        if not clock.get("rule"):
            errors.append(_("%(where)s: needs a rule name.") % {"where": where})
        _minutes(errors, where, clock.get("minutes"))
        if clock.get("from", "received") not in ("received", "activated"):
            errors.append(_("%(where)s: a clock starts when the incident is received or the response activated.") % {"where": where})
        bad = set(clock.get("levels", [])) - LEVELS
        if bad:
            errors.append(_("%(where)s: unknown levels %(levels)s.") % {"where": where, "levels": ", ".join(sorted(bad))})


def _major_kinds(errors, kinds):
    for i, kind in enumerate(kinds, 1):
        where = _("kind of major emergency %(n)s") % {"n": kind.get("label") or i}
        if not kind.get("kind") or not kind.get("label"):
            errors.append(_("%(where)s: needs a kind and a label.") % {"where": where})
        bad = set(kind.get("levels", [])) - LEVELS
        if bad:
            errors.append(_("%(where)s: unknown levels %(levels)s.") % {"where": where, "levels": ", ".join(sorted(bad))})
        if not kind.get("manual") and not (kind.get("classes") or kind.get("categories")):
            errors.append(_("%(where)s: name its classes or categories, or mark it manual.") % {"where": where})


def _activation(errors, activation):
    if "responders_minutes" in activation:
        _minutes(errors, _("responders on scene"), activation["responders_minutes"], high=24 * 60)


def _daily_reports(errors, section):
    for slot in section.get("slots", []):
        where = _("daily report %(slot)s") % {"slot": slot.get("slot", "?")}
        _time(errors, where, slot.get("due"))
        _time(errors, where, slot.get("opens", "00:00"))
        if TIME.match(str(slot.get("opens", "00:00"))) and TIME.match(str(slot.get("due"))) and slot.get("opens", "00:00") >= slot["due"]:
            errors.append(_("%(where)s: it must open before it is due.") % {"where": where})


def _escalation(errors, escalation):
    for key in ("due_soon_minutes", "remind_before_minutes", "office_after_minutes"):
        if key in escalation:
            _minutes(errors, _("escalation"), escalation[key], low=0, high=24 * 60)
    if "notify_supervisor" in escalation and not isinstance(escalation["notify_supervisor"], bool):
        errors.append(_("escalation: notify_supervisor must be true or false."))


def _posture(errors, posture):
    for level, row in posture.items():
        for key, value in row.items():
            if key.endswith("_share"):
                _share(errors, f"{level}.{key}", value)


def _checkin_windows(errors, windows):
    for window in windows:
        where = _("check-in window %(name)s") % {"name": window.get("name", "?")}
        _time(errors, where, window.get("start"))
        _time(errors, where, window.get("end"))
        if window.get("start") == window.get("end"):
            errors.append(_("%(where)s: start and end are the same.") % {"where": where})


def _review_periods(errors, periods):
    for key, value in periods.items():
        if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= 3650:
            errors.append(_("review period %(key)s: %(value)s is not between 1 and 3650 days.") % {"key": key, "value": value})


def _days(errors, where, value, high=365):
    if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= high:
        errors.append(_("%(where)s: %(value)s is not between 1 and %(high)s days.")
                      % {"where": where, "value": value, "high": high})


SEVERITIES = ("note", "general", "serious", "urgent", "major")
RECTIFICATION_DAYS = ("default_days", "general_days", "serious_days", "verify_working_days")
RECTIFICATION_HOURS = ("urgent_hours", "major_hours")


def _rectification(errors, section):
    for key in RECTIFICATION_DAYS:
        if key in section or key == "default_days":
            _days(errors, _("rectification"), section.get(key))
    for key in RECTIFICATION_HOURS:
        if key in section:
            value = section[key]
            if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= 24 * 30:
                errors.append(_("rectification: %(value)s is not between 1 and 720 hours.") % {"value": value})
    if section.get("finding_threshold", "general") not in SEVERITIES[1:]:
        errors.append(_("rectification: “%(value)s” is not a severity (general, serious, urgent, major).")
                      % {"value": section.get("finding_threshold")})


def _inspections(errors, section):
    routine = section.get("routine_days", {})
    if not isinstance(routine, dict):
        errors.append(_("inspections: routine_days must be a mapping of place categories to days."))
    else:
        for category, days in routine.items():
            _days(errors, _("routine inspection of %(category)s") % {"category": category}, days)
    if "pre_holiday_days" in section:
        _days(errors, _("pre-holiday inspection"), section["pre_holiday_days"], high=60)


RESOURCE_DAYS = ("stocktake_days", "point_check_days", "expiry_remind_days", "equipment_check_days")
CALLOUT_TARGETS = ("acknowledged_30", "acknowledged_60", "arrived_30", "arrived_60")


def _resources(errors, section):
    for key in RESOURCE_DAYS:
        if key in section:
            _days(errors, _("emergency resources"), section[key], high=3650)
    if "assemble_minutes" in section:
        _minutes(errors, _("reserve team at the assembly point"), section["assemble_minutes"], high=24 * 60)
    targets = section.get("callout_targets", {})
    if not isinstance(targets, dict):
        errors.append(_("emergency resources: callout_targets must be a mapping of shares."))
        return
    for key, value in targets.items():
        if key not in CALLOUT_TARGETS:
            errors.append(_("call-out target “%(key)s” is not one of %(known)s.")
                          % {"key": key, "known": ", ".join(CALLOUT_TARGETS)})
        else:
            _share(errors, key, value)


def _reserve_standard(errors, standard):
    for code, minimum in standard.items():
        if not isinstance(minimum, int | float) or isinstance(minimum, bool) or not 0 < minimum < 10 ** 9:
            errors.append(_("reserve standard of %(item)s: %(value)s is not a positive quantity.")
                          % {"item": code, "value": minimum})


def _months(errors, where, value, high=120):
    if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= high:
        errors.append(_("%(where)s: %(value)s is not between 1 and %(high)s months.")
                      % {"where": where, "value": value, "high": high})


PERIOD_MONTHS = (1, 2, 3, 4, 6, 12)  # drill periods tile the year: a month, a quarter, half a year, the year


def _period(errors, where, value):
    if value not in PERIOD_MONTHS or isinstance(value, bool):
        errors.append(_("%(where)s: %(value)s months do not divide the year (1, 2, 3, 4, 6 or 12).")
                      % {"where": where, "value": value})


def _drills(errors, section):
    for entry in section.get("evacuation", []):
        where = _("evacuation drill %(name)s") % {"name": entry.get("label") or entry.get("name", "?")}
        if not entry.get("name") or not entry.get("unit_kinds"):
            errors.append(_("%(where)s: needs a name and the kinds of unit it applies to.") % {"where": where})
        _period(errors, where, entry.get("every_months"))
    for entry in section.get("evacuation_targets", []):
        where = _("evacuation target %(name)s") % {"name": entry.get("label") or entry.get("name", "?")}
        seconds = entry.get("seconds")
        if not isinstance(seconds, int) or isinstance(seconds, bool) or not 10 <= seconds <= 3600:
            errors.append(_("%(where)s: %(value)s is not between 10 and 3600 seconds.")
                          % {"where": where, "value": seconds})
        storeys = entry.get("max_storeys")
        if storeys is not None and (not isinstance(storeys, int) or isinstance(storeys, bool) or not 1 <= storeys <= 200):
            errors.append(_("%(where)s: %(value)s is not a number of storeys.") % {"where": where, "value": storeys})


def _plans(errors, section):
    if "review_months" in section:
        _months(errors, _("emergency plans"), section["review_months"])
    if "drill_every_months" in section:
        _period(errors, _("emergency plans"), section["drill_every_months"])


def _briefing_schedule(errors, entries, rules):
    cycles = rules.get("briefing_cycles_days")
    for i, entry in enumerate(entries, 1):
        where = _("scheduled briefing %(n)s") % {"n": i}
        _days(errors, where, entry.get("days"), high=31)
        if isinstance(cycles, list) and entry.get("days") not in cycles:
            errors.append(_("%(where)s: %(days)s days is not one of the briefing cycles.")
                          % {"where": where, "days": entry.get("days")})
        _time(errors, where, entry.get("due"))
        if not entry.get("levels"):
            errors.append(_("%(where)s: name the levels that issue it (e.g. street).") % {"where": where})


# section -> (expected container type, checker)
CHECKS = {
    "incident_clocks": (list, _incident_clocks), "major_kinds": (list, _major_kinds), "activation": (dict, _activation),
    "daily_reports": (dict, _daily_reports), "escalation": (dict, _escalation), "posture": (dict, _posture),
    "checkin_windows": (list, _checkin_windows), "review_periods": (dict, _review_periods),
    "rectification": (dict, _rectification), "inspections": (dict, _inspections),
    "resources": (dict, _resources), "reserve_standard": (dict, _reserve_standard),
    "drills": (dict, _drills), "plans": (dict, _plans),
    "briefing_schedule": (list, _briefing_schedule),
}
WHOLE = {"briefing_schedule"}  # checkers that read another section too


def validate_rules(rules):
    """Raise ValidationError listing every problem (with where it is) in `rules`."""
    errors: list[str] = []
    if not isinstance(rules, dict):
        raise ValidationError({"rules": _("Rules must be a mapping of sections.")})
    for section in rules:
        if section not in KNOWN_SECTIONS:
            errors.append(_("Unknown section “%(section)s”.") % {"section": section})
    for section, (kind, check) in CHECKS.items():
        if section not in rules:
            continue
        value = rules[section]
        shape = _("a list") if kind is list else _("a mapping")
        if not isinstance(value, kind):
            errors.append(_("Section “%(section)s” must be %(shape)s.") % {"section": section, "shape": shape})
            continue
        try:
            check(errors, value, rules) if section in WHOLE else check(errors, value)
        except (AttributeError, TypeError, KeyError, ValueError):
            errors.append(_("Section “%(section)s” is not in the expected form; compare it with a preset.")
                          % {"section": section})
    if errors:
        raise ValidationError({"rules": errors})
