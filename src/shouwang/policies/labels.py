"""The effective policy as people read it: each section a labelled table, each value in words
with its unit ("30 分钟", "25%", "是"), codes by their labels. YAML stays for experts.

Field names are policy vocabulary and are labelled here; the codes a field holds (whom a report
goes to, incident categories...) belong to the app that reads them, which registers their labels
in `core.registry.POLICY_TERMS` (field -> {code: label})."""

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from shouwang.core.choices import NodeLevel, Role
from shouwang.core.registry import POLICY_TERMS

from .choices import Section

# field -> (label, unit format); the format takes the value ("%s 分钟").
FIELDS = {
    "label": (_("name"), None), "rule": (_("rule"), None), "name": (_("name"), None),
    "minutes": (_("time limit"), _("%s minutes")), "from": (_("counted from"), None),
    "to": (_("reported to"), None), "responsible": (_("who answers for it"), None),
    "report_kinds": (_("reports that count"), None), "major_only": (_("only for major emergencies"), None),
    "categories": (_("categories"), None), "classes": (_("classes"), None), "levels": (_("levels"), None),
    "kind": (_("kind"), None), "manual": (_("marked by the office"), None),
    "roles": (_("who may activate"), None), "responders_minutes": (_("responders on scene within"), _("%s minutes")),
    "initial_response": (_("initial response"), None), "handover_to": (_("handover"), None),
    "slots": (_("reports"), None), "slot": (_("report"), None), "opens": (_("opens at"), None),
    "due": (_("due at"), None), "days": (_("days"), None), "start": (_("from"), None), "end": (_("until"), None),
    "due_soon_minutes": (_("'due soon' from"), _("%s minutes before")),
    "remind_before_minutes": (_("reminder"), _("%s minutes before")),
    "notify_supervisor": (_("tell the supervisor when missed"), None),
    "office_after_minutes": (_("tell the office"), _("%s minutes after the miss")),
    "key_site_min_routes": (_("routes per key site, at least"), None),
    "infrastructure_night_window": (_("infrastructure patrolled at night"), None),
    "night_starts": (_("night starts"), None), "night_ends": (_("night ends"), None),
    "max_speed_kmh": (_("fastest plausible speed"), _("%s km/h")),
    "late_grace_minutes": (_("grace for a late check-in"), _("%s minutes")),
    "keyplace_days": (_("key places"), _("every %s days")), "defence_check_days": (_("defences"), _("every %s days")),
    "hazardous_stock_check_days": (_("hazardous stock"), _("every %s days")),
    "default_days": (_("time to rectify"), _("%s days")),
    "general_days": (_("general hazard rectified within"), _("%s days")),
    "serious_days": (_("serious hazard rectified within"), _("%s days")),
    "urgent_hours": (_("urgent hazard rectified within"), _("%s hours")),
    "major_hours": (_("major hazard under control within"), _("%s hours")),
    "verify_working_days": (_("re-verification within"), _("%s working days")),
    "finding_threshold": (_("an order from"), None),
    "routine_days": (_("routine inspection"), _("every %s days")),
    "pre_holiday_days": (_("pre-holiday inspection"), _("%s days before the holiday")),
    "evacuation_per_semester": (_("evacuation drills per semester"), None),
    "source": (_("source"), None), "evacuation": (_("evacuation drills"), None),
    "unit_kinds": (_("units"), None), "every_months": (_("at least once"), _("every %s months")),
    "evacuation_targets": (_("evacuation targets"), None), "max_storeys": (_("buildings up to"), _("%s storeys")),
    "seconds": (_("evacuated within"), _("%s seconds")),
    "review_months": (_("expert review of each plan"), _("every %s months")),
    "drill_every_months": (_("a drill per working category"), _("every %s months")),
    "police_on_street_patrol_min_share": (_("police on street patrol, at least"), "%"),
    "fulltime_patrol_team_on_duty_share": (_("full-time patrol team on duty"), "%"),
    "volunteers_on_duty_min_share": (_("volunteers on duty, at least"), "%"),
    "auxiliary_vs_daily_average": (_("auxiliary forces over the daily average"), "+%"),
    "stocktake_days": (_("stock-take of each store"), _("every %s days")),
    "expiry_remind_days": (_("reminder before a lot expires"), _("%s days before")),
    "point_check_days": (_("check of each evacuation point"), _("every %s days")),
    "equipment_check_days": (_("check of equipment"), _("every %s days")),
    "assemble_minutes": (_("reserve team at the assembly point within"), _("%s minutes")),
    "callout_targets": (_("call-out targets"), None),
    "acknowledged_30": (_("acknowledged within 30 minutes"), "%"),
    "acknowledged_60": (_("acknowledged within 60 minutes"), "%"),
    "arrived_30": (_("arrived within 30 minutes"), "%"),
    "arrived_60": (_("arrived within 60 minutes"), "%"),
}
# Codes of the policy's own vocabulary (the other codes come from POLICY_TERMS).
TERMS = {
    "levels": {level.value: level.label for level in NodeLevel},
    "roles": {role.value: role.label for role in Role},
    "on_scene_headquarters": {"always": _("always set up"), "decide": _("as the commander decides")},
    "posture": {"normal": _("normal"), "enhanced": _("enhanced"), "extraordinary": _("extraordinary")},
    "days": {"school": _("school days"), "every_day": _("every day"), "workdays": _("workdays")},
}
YES, NO = _("yes"), _("no")
CODES = ("rule", "name", "kind")  # an entry's code: not shown when the entry has a label


@dataclass
class Table:
    """A section as a table: columns and rows of words; `pairs` when it is one record."""

    columns: list = field(default_factory=list)
    rows: list = field(default_factory=list)
    pairs: bool = False
    text: str = ""


def field_label(name) -> str:
    return str(FIELDS[name][0]) if name in FIELDS else str(name)


def _term(name, code):
    for terms in (POLICY_TERMS.get(name) or {}, TERMS.get(name) or {}):
        if code in terms:
            return str(terms[code])
    return str(code)


def _percent(x):
    return f"{round(float(x) * 100)}%"


def words(name, value) -> str:
    """One value in words, with the unit its field is measured in."""
    unit = FIELDS.get(name, (None, None))[1]
    if isinstance(value, bool):
        return str(YES if value else NO)
    if unit == "+%" and isinstance(value, list | tuple) and len(value) == 2:
        low, high = (_percent(v) for v in value)
        return f"+{low}" if low == high else f"+{low} – +{high}"
    if unit == "%" and isinstance(value, int | float):
        return _percent(value)
    if isinstance(value, list):
        return "、".join(words(name, v) for v in value)
    if isinstance(value, dict) and {"opens", "due"} <= value.keys():  # a time slot: "早报 06:00–09:00"
        return f"{_term('slot', value.get('slot', ''))} {value['opens']}–{value['due']}".strip()
    if isinstance(value, dict):
        terms = POLICY_TERMS.get(name) or {}  # keys that are an app's codes (place categories...) read as labels
        return "；".join(f"{terms[k]} {words(name, v)}" if k in terms else f"{field_label(k)} {words(k, v)}"
                        for k, v in value.items() if not (k in CODES and "label" in value))
    text = _term(name, value) if isinstance(value, str) else str(value)
    return str(unit) % text if unit and unit not in ("%", "+%") else text


def table(section, value) -> Table:
    if isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
        keys = list(dict.fromkeys(k for entry in value for k in entry if k not in CODES or "label" not in entry))
        if "label" in keys:
            keys.insert(0, keys.pop(keys.index("label")))
        return Table(columns=[field_label(k) for k in keys],
                     rows=[[words(k, entry[k]) if k in entry else "—" for k in keys] for entry in value])
    if isinstance(value, dict) and value and all(isinstance(v, dict) for v in value.values()):
        keys = list(dict.fromkeys(k for entry in value.values() for k in entry))
        return Table(columns=["", *[field_label(k) for k in keys]],
                     rows=[[_term(section, name), *[words(k, entry.get(k, "—")) for k in keys]]
                           for name, entry in value.items()])
    if isinstance(value, dict):
        return Table(pairs=True, rows=[[_term(section, k) if k not in FIELDS else field_label(k),
                                        words(k if k in FIELDS else section, v)] for k, v in value.items()])
    if section == "briefing_cycles_days" and isinstance(value, list):
        return Table(text="、".join(str(_("%s days") % v) for v in value))
    return Table(text=words(section, value))


def section_label(section) -> str:
    return str(Section(section).label) if section in Section.values else str(section)
