"""Whether an incident is one of the policy's kinds of major emergency (`major_kinds`).

A kind matches on the incident's class or working category and its level; kinds marked
`manual` (defence or foreign affairs, early warning signs) are never matched from the data:
the office chooses them.
"""


def matching_kind(incident, kinds):
    """The first kind of `kinds` the incident is, as the policy's dict, or None."""
    for kind in kinds or []:
        if kind.get("manual"):
            continue
        classes, categories, levels = kind.get("classes"), kind.get("categories"), kind.get("levels")
        if not (classes or categories):
            continue
        if classes and incident.incident_class not in classes and (not categories or incident.category not in categories):
            continue
        if not classes and incident.category not in categories:
            continue
        if levels and incident.level not in levels:
            continue
        return kind
    return None


def kind_named(kinds, name):
    return next((k for k in kinds or [] if k.get("kind") == name), None)


def basis(incident, kind) -> str:
    """The sentence that says why: '重大自然灾害（洪涝 · III级）' or just the kind's label when chosen."""
    if kind.get("manual"):
        return kind["label"]
    return f"{kind['label']}（{incident.get_category_display()} · {incident.level}）"
