"""What the policy says about plans and drills (sections `plans` and `drills`), read per node.

- `plans.review_months`: an expert review of each plan every N months (12 when the policy is silent);
- `plans.drill_every_months`: a drill per working category of the node's plans every N months;
- `drills.evacuation`: evacuation drills of units by kind (a school each month, a kindergarten each
  quarter under preset E), each entry named, labelled and sourced (`drills.source`);
- `drills.evacuation_targets`: the time from the signal to the all-clear, by the building's storeys.
"""

from datetime import date

from shouwang.policies.services import effective

from .choices import DEFAULT_REVIEW_MONTHS

PERIOD_MONTHS = (1, 2, 3, 4, 6, 12)  # periods that tile a year

def review_months(node) -> int:
    value = (effective(node).get("plans") or {}).get("review_months")
    return value if isinstance(value, int) and value > 0 else DEFAULT_REVIEW_MONTHS


def category_drill_months(node) -> int | None:
    value = (effective(node).get("plans") or {}).get("drill_every_months")
    return value if isinstance(value, int) and value > 0 else None


def plans_version(node):
    return effective(node).version_of("plans")


def drills(node):
    """(section, policy version) of the node's `drills` section ({} and None when it has none)."""
    policy = effective(node)
    return policy.get("drills") or {}, policy.version_of("drills")


def evacuation_cadence(section, unit_kind):
    """The entry of `section["evacuation"]` that applies to units of `unit_kind`, or None."""
    for entry in section.get("evacuation") or []:
        if unit_kind in (entry.get("unit_kinds") or []):
            return entry
    return None


def evacuation_target(node, storeys):
    """(seconds, label) of the target for a building of `storeys` (the tightest that applies), or (None, "")."""
    section, _version = drills(node)
    fitting = [t for t in section.get("evacuation_targets") or []
               if storeys is not None and (t.get("max_storeys") is None or storeys <= t["max_storeys"])]
    if not fitting:
        return None, ""
    best = min(fitting, key=lambda t: t.get("max_storeys") or 10**6)
    basis = best.get("label", "")
    if section.get("source"):
        basis = f"{basis}（{section['source']}）" if basis else section["source"]
    return best.get("seconds"), basis


def add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def period_of(day: date, every_months: int) -> tuple[date, date]:
    """The period of `every_months` months (aligned on January) that holds `day`: (first day, first
    day of the next period). Monthly: the calendar month; three months: the quarter; twelve: the year."""
    every_months = every_months if every_months in PERIOD_MONTHS else 12
    first_month = (day.month - 1) // every_months * every_months + 1
    start = date(day.year, first_month, 1)
    return start, add_months(start, every_months)
