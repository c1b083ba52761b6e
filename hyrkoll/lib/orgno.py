"""Swedish organisation numbers (NNNNNN-NNNN, last digit a Luhn check digit)."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

_ORG_NO = re.compile(r"^(\d{6})-?(\d{4})$")


def luhn_ok(digits: str) -> bool:
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char)
        if index % 2 == 1:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0


def normalise_org_no(raw: str) -> str:
    """``5565551234`` or ``556555-1234`` → ``556555-1234``; raises ValidationError otherwise."""
    match = _ORG_NO.match(raw.strip())
    if not match:
        raise ValidationError(_("%(value)s is not an organisation number (NNNNNN-NNNN).") % {"value": raw})
    digits = match.group(1) + match.group(2)
    if not luhn_ok(digits):
        raise ValidationError(_("%(value)s has a wrong check digit.") % {"value": raw})
    return f"{match.group(1)}-{match.group(2)}"


def validate_org_no(value: str) -> None:
    if normalise_org_no(value) != value:
        raise ValidationError(_("Write the organisation number as NNNNNN-NNNN."))


def with_check_digit(nine_digits: str) -> str:
    """Complete nine digits with their Luhn check digit (used by the demo data)."""
    for check in "0123456789":
        if luhn_ok(nine_digits + check):
            return f"{nine_digits[:6]}-{nine_digits[6:]}{check}"
    raise AssertionError("unreachable")
