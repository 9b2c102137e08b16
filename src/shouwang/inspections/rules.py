"""What the policy says about inspections, with the defaults of preset D where it is silent."""

from datetime import timedelta

from django.utils import timezone

from shouwang.core.calendar import public_days_off
from shouwang.core.clock import add_working_days
from shouwang.policies.services import effective

from .choices import Severity, severity_rank

RECTIFICATION = {"default_days": 7, "finding_threshold": Severity.GENERAL.value, "general_days": 30,
                 "serious_days": 7, "urgent_hours": 24, "major_hours": 2, "verify_working_days": 3}
INSPECTIONS = {"routine_days": {"default": 90}, "pre_holiday_days": 3}


def rectification(node) -> dict:
    return {**RECTIFICATION, **(effective(node).get("rectification") or {})}


def inspections(node) -> dict:
    found = effective(node).get("inspections") or {}
    return {**INSPECTIONS, **found, "routine_days": {**INSPECTIONS["routine_days"], **found.get("routine_days", {})}}


def policy_version(node, section="rectification"):
    return effective(node).version_of(section)


def is_finding(severity, rules) -> bool:
    """Does a failure of this severity become a finding with an order?"""
    return severity_rank(severity) >= severity_rank(rules["finding_threshold"])


def time_to_rectify(severity, rules) -> timedelta:
    """immediate (major: brought under control) / 24 h / 7 days / 30 days, as the policy says."""
    if severity == Severity.MAJOR:
        return timedelta(hours=rules["major_hours"])
    if severity == Severity.URGENT:
        return timedelta(hours=rules["urgent_hours"])
    if severity == Severity.SERIOUS:
        return timedelta(days=rules["serious_days"])
    if severity == Severity.GENERAL:
        return timedelta(days=rules["general_days"])
    return timedelta(days=rules["default_days"])


def verify_by(node, reported_at, rules):
    """Re-verification due within N working days (weekends and public holidays skipped)."""
    days = rules["verify_working_days"]
    start = timezone.localdate(reported_at)
    off = public_days_off(node, start, start + timedelta(days=days * 3 + 14))
    return add_working_days(reported_at, days, off)


def routine_days(category, rules) -> int:
    table = rules["routine_days"]
    return table.get(category) or table.get("default") or INSPECTIONS["routine_days"]["default"]
