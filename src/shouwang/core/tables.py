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
