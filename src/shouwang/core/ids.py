"""Input that names a record or carries text for XML: checked before it reaches the database
or a document, so bad input is a 400 with a field message, never a 500."""

import re

MAX_ID = 2**63 - 1  # the largest id any of our databases stores (SQLite overflows beyond it)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def as_id(value):
    """A record id from input (int or digits), or None when it cannot be one."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        number = value
    elif isinstance(value, str) and value.strip().isdigit():
        number = int(value.strip())
    else:
        return None
    return number if 0 < number <= MAX_ID else None


def has_control_characters(text) -> bool:
    """Characters XML 1.0 cannot carry (and no one types on purpose)."""
    return bool(_CONTROL.search(text or ""))
