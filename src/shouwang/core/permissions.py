"""Who may do what: one table, read top to bottom.

Rows are roles, columns are *areas* (every scoped model names its area). Letters:
v = view, a = add, c = change, d = delete, plus area-specific verbs spelled out (waive a duty,
activate a response, correct a report that was filed: the office's, never the sender's).
A role holds these rights only on its node and the subtree below it.
"""

from .choices import Role

VIEW, ADD, CHANGE, DELETE = "view", "add", "change", "delete"
_LETTERS = {"v": VIEW, "a": ADD, "c": CHANGE, "d": DELETE}

# area -> what it covers
AREAS = {
    "org": "jurisdiction tree, units, people, groups, contacts, role assignments",
    "policies": "policy presets and overrides",
    "obligations": "obligations, waivers, daily reports",
    "registers": "key places, defences, hazardous stock, risk colours",
    "inspections": "inspections, findings, rectifications, supervision",
    "patrols": "teams, routes, schedules, check-ins",
    "duty": "rosters and shifts",
    "incidents": "incidents, reports, command, tasks",
    "plans": "plans, drills, training, campaigns",
    "resources": "supplies, equipment, evacuation points",
    "briefings": "daily reports and briefings",
    "audit": "accountability audit and change log",
    "access": "user accounts and role assignments",
    "schools": "school profiles, gate duty, camera checks, handovers (a school's own staff: schools.querysets)",
    "visitors": "the schools' visitor and vehicle logs: personal data, read by the office (and the school's staff)",
}

_ALL = "vacd"
# fmt: off
TABLE = {
    #                    org     policies obligations registers inspections patrols duty    incidents        plans   resources briefings audit
    Role.LEADER:        {"org": _ALL, "policies": _ALL, "obligations": _ALL + "+waive", "registers": _ALL, "inspections": _ALL, "patrols": _ALL + "+print_qr", "duty": _ALL, "incidents": _ALL + "+activate+correct", "plans": _ALL, "resources": _ALL, "briefings": _ALL + "+correct", "audit": "v", "access": _ALL},
    Role.OFFICE_STAFF:  {"org": _ALL, "policies": "vac", "obligations": "vac+waive", "registers": _ALL, "inspections": _ALL, "patrols": _ALL + "+print_qr", "duty": _ALL, "incidents": "vac+correct", "plans": _ALL, "resources": _ALL, "briefings": "vac+correct", "audit": "v", "access": "v"},
    Role.GRID_WORKER:   {"org": "vac", "policies": "v", "obligations": "vc", "registers": "vac", "inspections": "vac", "patrols": "vac", "duty": "v", "incidents": "vac", "plans": "v", "resources": "v", "briefings": "vac", "audit": "", "access": ""},
    Role.PATROL_MEMBER: {"org": "v", "policies": "v", "obligations": "vc", "registers": "v", "inspections": "va", "patrols": "vac", "duty": "v", "incidents": "va", "plans": "v", "resources": "v", "briefings": "v", "audit": "", "access": ""},
    Role.INSPECTOR:     {"org": "v", "policies": "v", "obligations": "vc", "registers": "vc", "inspections": _ALL, "patrols": "v", "duty": "v", "incidents": "v", "plans": "v", "resources": "v", "briefings": "v", "audit": "v", "access": ""},
    Role.UNIT_LIAISON:  {"org": "vc", "policies": "v", "obligations": "vc", "registers": "vc", "inspections": "v", "patrols": "v", "duty": "v", "incidents": "va", "plans": "v", "resources": "v", "briefings": "va", "audit": "", "access": ""},
    Role.VIEWER:        {"org": "v", "policies": "v", "obligations": "v", "registers": "v", "inspections": "v", "patrols": "v", "duty": "v", "incidents": "v", "plans": "v", "resources": "v", "briefings": "v", "audit": "v", "access": "v"},
}
# fmt: on
# Schools (issue 18). The visitor and vehicle logs are personal data: on the node, only the office
# and the street's leaders read them (a school's own security staff and leaders reach their school's
# through schools.querysets); nobody writes them by role but the school's staff, and only the
# retention job deletes them.
_SCHOOLS = {Role.LEADER: (_ALL, "v"), Role.OFFICE_STAFF: (_ALL, "v"), Role.GRID_WORKER: ("v", ""),
            Role.PATROL_MEMBER: ("v", ""), Role.INSPECTOR: ("v", ""), Role.UNIT_LIAISON: ("v", ""),
            Role.VIEWER: ("v", "")}
for _role, (_schools, _visitors) in _SCHOOLS.items():
    TABLE[_role]["schools"], TABLE[_role]["visitors"] = _schools, _visitors


def actions_of(spec: str) -> set[str]:
    """'vac+waive+activate' -> {'view', 'add', 'change', 'waive', 'activate'}."""
    letters, *extra = spec.split("+")
    return {_LETTERS[ch] for ch in letters} | set(extra)


RIGHTS: dict[str, dict[str, set[str]]] = {
    role: {area: actions_of(spec) for area, spec in row.items()} for role, row in TABLE.items()
}


def roles_allowing(area: str, action: str) -> set[str]:
    return {role for role, row in RIGHTS.items() if action in row.get(area, set())}


def role_allows(role: str, area: str, action: str) -> bool:
    return action in RIGHTS.get(role, {}).get(area, set())
