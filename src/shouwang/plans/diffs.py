"""What changed between two versions of a plan: its fields side by side, its checklist line by line."""

import difflib

from django.utils.translation import gettext as _

FIELDS = ("title", "scope", "categories", "level_min", "level_max", "activation_role", "lead_group", "supplies")


def _shown(version, name, terms):
    value = getattr(version, name)
    if name in ("level_min", "level_max", "activation_role"):
        return getattr(version, f"get_{name}_display")()
    if name == "lead_group":
        return value.name if value else ""
    if name == "categories":
        return "、".join(str(terms.get(code, code)) for code in value or [])
    if name == "supplies":
        return "、".join(supply_text(s) for s in value or [])
    return value or ""


def supply_text(supply) -> str:
    if isinstance(supply, dict):
        quantity = supply.get("quantity")
        return f"{supply.get('name', '')} {quantity if quantity is not None else ''}{supply.get('unit', '')}".strip()
    return str(supply)


def diff(old, new, category_terms=None):
    """{"fields": [(label, old text, new text)], "actions": [(sign, line)], "lists": [(label, removed, added)]}
    for two versions (`old` may be None: everything is new)."""
    terms = category_terms or {}
    fields = []
    for name in FIELDS:
        before = _shown(old, name, terms) if old is not None else ""
        after = _shown(new, name, terms)
        if before != after:
            fields.append((str(new._meta.get_field(name).verbose_name), before, after))
    old_lines = [a.line() for a in old.actions.all()] if old is not None else []
    new_lines = [a.line() for a in new.actions.all()]
    actions = []
    for line in difflib.ndiff(old_lines, new_lines):
        sign, text = line[:1], line[2:]
        if sign in ("+", "-", " "):
            actions.append((sign, text))
    lists = []
    for name, label in (("contacts", _("contacts")), ("teams", _("teams"))):
        before = {str(x) for x in getattr(old, name).all()} if old is not None else set()
        after = {str(x) for x in getattr(new, name).all()}
        if before != after:
            lists.append((label, sorted(before - after), sorted(after - before)))
    return {"fields": fields, "actions": actions, "lists": lists,
            "changed": bool(fields or lists or any(sign != " " for sign, _t in actions))}
