"""Reading one cell: months, county codes, amounts (decimal commas, thousand separators),
organisation numbers. Each returns None (or a message) for a value it does not accept."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from hyrkoll.lib import tabular
from hyrkoll.lib.orgno import normalise_org_no

FIRST_YEAR, LAST_YEAR = 1990, 2099


def text(value: Any) -> str:
    """The cell as stripped text (a spreadsheet cell as a CSV file would write it)."""
    return tabular.cell_text(value) if not isinstance(value, str) else value.strip()


def blank(row: Iterable[Any]) -> bool:
    return not any(value is not None and str(value).strip() for value in row)


def month_of(value: Any) -> datetime.date | None:
    """A month from ``YYYY-MM``, ``YYYY-MM-01`` or a spreadsheet date cell; None if not one."""
    if isinstance(value, datetime.datetime | datetime.date):
        day = value.date() if isinstance(value, datetime.datetime) else value
        result: datetime.date | None = day.replace(day=1)
    else:
        written = text(value)
        if len(written) == 19 and written.endswith(" 00:00:00"):
            written = written[:10]  # a date cell exported to CSV by Excel
        result = None
        try:
            if len(written) == 7 and written[4] == "-":
                year, month = written.split("-")
                if year.isdigit() and month.isdigit():
                    result = datetime.date(int(year), int(month), 1)
            elif len(written) == 10:
                day = datetime.date.fromisoformat(written)
                result = day if day.day == 1 else None
        except ValueError:
            result = None
    if result is None or not FIRST_YEAR <= result.year <= LAST_YEAR:
        return None
    return result


def region_code(value: Any) -> str:
    """The county code as two digits; spreadsheets drop the leading zero (``1`` → ``01``)."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    written = text(value)
    return written.zfill(2) if len(written) == 1 and written.isdigit() else written


def parse_amount(value: Any) -> Decimal | None:
    """An amount: a number cell, or text with a decimal comma or point and space, non-breaking
    space or apostrophe thousand separators (``1 234 567,50``); None if it is not one."""
    if not isinstance(value, str):
        return tabular.cell_number(value)
    written = value.strip()
    for separator in (" ", "\u00a0", "\u202f", "'"):
        written = written.replace(separator, "")
    written = written.replace("\u2212", "-")  # the minus sign
    if "," in written:
        if "." in written:
            return None  # 1.234,50 or 1,234.50: ambiguous
        written = written.replace(",", ".")
    sign = written[0] if written[:1] in ("+", "-") else ""
    digits = written[len(sign) :]
    whole, _point, fraction = digits.partition(".")
    if not whole.isdigit() or (fraction and not fraction.isdigit()) or (_point and not fraction):
        return None
    try:
        return Decimal(sign + digits)
    except InvalidOperation:  # digits Decimal does not read, e.g. "²"
        return None


def text_amount(value: str) -> Decimal | None:
    """An amount written in a CSV cell: what ``Decimal`` reads (the common case, fast), else
    :func:`parse_amount`."""
    try:
        amount = Decimal(value)
    except InvalidOperation:
        return parse_amount(value)
    return amount if amount.is_finite() else None


def value_error(raw: Any) -> str:
    written = text(raw)
    if not written:
        return _("required.")
    return _("%(value)s is not a number (write e.g. 1234567,50 or 1 234 567,50).") % {"value": written}


def org_no(raw: Any) -> str | list[str]:
    """The normalised organisation number, "" for none, or ``[message]`` if it is not one."""
    written = text(raw)
    if not written:
        return ""
    try:
        return normalise_org_no(written)
    except ValidationError as error:
        return [error.messages[0]]
