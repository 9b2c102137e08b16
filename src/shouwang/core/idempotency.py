"""Idempotent submissions: a retried form or a phone's resent queue carries the same client key,
and gets back what the sender made the first time. A key made by someone else is never
answered with that record: it is a conflict (the API answers 409 with no data).

Every idempotent model names the field that holds who sent it (`idempotency_owner`).
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

TAKEN = _("This client id was already used for another submission. Send it with a new one.")


class KeyTaken(ValidationError):
    """The client key belongs to a record someone else sent. A ValidationError, so forms show it
    on the field; the API answers it 409 with no data (core/api/exceptions.py)."""

    def __init__(self):
        super().__init__({"client_uuid": [TAKEN]}, code="key_taken")

    def __str__(self):
        return str(TAKEN)


def owner_field(model) -> str:
    return model.idempotency_owner


def replay(model, user, **key):
    """The record `user` already sent with this key, or None if the key is new. Raises KeyTaken
    when the key belongs to another sender's record."""
    found = model._default_manager.filter(**key).first()
    if found is None:
        return None
    if getattr(found, f"{owner_field(model)}_id") != getattr(user, "pk", None):
        raise KeyTaken
    return found


def owned(model, user, keys, field="client_uuid"):
    """For a batch: {key: pk} of the keys `user` already sent, and the set of keys taken by others."""
    rows = model._default_manager.filter(**{f"{field}__in": list(keys)}).values_list(field, "pk",
                                                                                      f"{owner_field(model)}_id")
    mine, taken = {}, set()
    for key, pk, owner in rows:
        if owner == getattr(user, "pk", None):
            mine[str(key)] = pk
        else:
            taken.add(str(key))
    return mine, taken
