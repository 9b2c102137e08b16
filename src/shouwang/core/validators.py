"""Checks on what people type that many apps share: phone numbers and head-counts."""

import re
import unicodedata

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

# One number: mobile (138 1234 5678), landline with its area code (021-50001110, ext. after 转/-/#),
# a service number (110, 12345) or a 400/800 line; +86 / 0086 in front is allowed.
_NUMBER = re.compile(
    r"(?:\+?86-?|0086-?)?"
    r"(?:1[3-9]\d-?\d{4}-?\d{4}"
    r"|0\d{2,3}-?[2-9]\d{6,7}(?:(?:-|转|ext\.?|#)\d{1,6})?"
    r"|1\d{2,4}"
    r"|[48]00-?\d{3}-?\d{4})",
    re.IGNORECASE,
)
# Offices write two numbers in one cell: 13812345678 / 021-50001110
_SEPARATORS = re.compile(r"\s*[/、，,;；]\s*")


def phone_numbers(value: str) -> list[str]:
    """The numbers in `value` as typed, without spaces or brackets (full-width digits made plain)."""
    text = unicodedata.normalize("NFKC", value or "").strip()
    return [re.sub(r"[\s()（）]", "", part) for part in _SEPARATORS.split(text) if part.strip()]


@deconstructible
class PhoneValidator:
    message = _("“%(value)s” is not a phone number: give a mobile (11 digits, 1xx xxxx xxxx) or a landline "
                "with its area code (021-50001110).")

    def __call__(self, value):
        for number in phone_numbers(value):
            if not _NUMBER.fullmatch(number):
                raise ValidationError(self.message, code="phone", params={"value": number})

    def __eq__(self, other):
        return isinstance(other, PhoneValidator)


validate_phone = PhoneValidator()


@deconstructible
class HeadCountValidator(MaxValueValidator):
    """Refuses a count no office could mean (a slipped key: 10000 injured in a street fall)."""

    message = _("%(show_value)s is not a believable count here (at most %(limit_value)s): check the figure.")


def head_count(limit):
    return HeadCountValidator(limit)
