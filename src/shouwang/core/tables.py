"""Plain table rendering for list and detail pages: labels and display values of fields."""

from datetime import datetime

from django.contrib.auth import get_user_model
from django.db.models import ForeignKey
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from .names import user_display


def _field(model, name):
    return model._meta.get_field(name)


def headers(model, columns):
    return [str(_field(model, name).verbose_name) for name in columns]


def sort_lookup(model, name):
    """The ORM ordering of a column: a field's own value, a related record by its name; None
    when the column cannot be sorted in SQL."""
    try:
        field = _field(model, name)
    except Exception:  # a computed column
        return None
    if isinstance(field, ForeignKey):
        related = field.related_model
        for candidate in ("name", "title", "username"):
            if any(f.name == candidate for f in related._meta.get_fields()):
                return f"{name}__{candidate}"
        return None
    return name if getattr(field, "concrete", False) else None


def sort_spec(model, columns):
    """column -> (label, ORM lookup or None) of a list made from model columns."""
    return {name: (label, sort_lookup(model, name)) for name, label in zip(columns, headers(model, columns), strict=True)}


def sort_order(spec, requested: str):
    """(`?sort=` value in effect, ORM ordering) for a request; an unknown column is ignored."""
    column = (requested or "").lstrip("-")
    lookup = spec[column][1] if column in spec else None
    if lookup is None:
        return "", None
    descending = requested.startswith("-")
    return requested, [f"-{lookup}" if descending else lookup, "-pk" if descending else "pk"]


def sort_headers(spec, current: str):
    """Header cells with the `?sort=` value a click asks for and the arrow of the current order."""
    out = []
    for name, (label, lookup) in spec.items():
        state = "asc" if current == name else "desc" if current == f"-{name}" else ""
        out.append({"label": label, "column": name, "sortable": lookup is not None, "state": state,
                    "next": f"-{name}" if state == "asc" else name})
    return out


def display(obj, name):
    field = _field(type(obj), name)
    if field.choices:
        return getattr(obj, f"get_{name}_display")()
    value = getattr(obj, name)
    if isinstance(field, ForeignKey):
        if value is not None and field.related_model is get_user_model():
            return user_display(value)  # the person, not the login name
        return str(value) if value is not None else ""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return formats.date_format(timezone.localtime(value), "Y-m-d H:i")
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, float):
        return _rounded(name, value)
    return value


def _rounded(name, value):
    """Metres to the metre, a position to about 10 cm, anything else to two places."""
    if name.endswith("_m"):
        return formats.number_format(round(value))
    if name in ("lat", "lon"):
        return f"{value:.6f}"
    return formats.number_format(round(value, 2))


def build_rows(objects, columns):
    return [{"object": obj, "cells": [display(obj, name) for name in columns]} for obj in objects]
