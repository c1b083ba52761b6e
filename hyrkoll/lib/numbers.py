"""One formatter for numbers, amounts and percentages in the active language, for pages, charts,
e-mails, stored event texts and CSV files alike.

In Swedish: ``1 234 567,5`` (a no-break space groups the thousands, a decimal comma), ``616,00
kr/tim``, ``-10,2 %``; in English ``1,234,567.5``, ``616.00 SEK/h``. Django's ``number_format``
does the grouping and separators of the active language, but cuts surplus decimals off; the value
is therefore rounded half up first, as ``floatformat`` and Excel round.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.utils import formats
from django.utils.translation import get_language
from django.utils.translation import gettext as _

DASH = "–"  # shown for a missing value


def _decimal(value: Any) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        number = value if isinstance(value, Decimal) else Decimal(str(value))
    except (InvalidOperation, ValueError, TypeError):
        return None
    return number if number.is_finite() else None


def _grouped(rounded: Decimal, decimals: int) -> str:
    """``formats.number_format(rounded, decimals, use_l10n=True, force_grouping=True)`` for a value
    already rounded to ``decimals``: the same text at a fifth of the CPU (a dashboard formats
    hundreds of numbers). Groups of other sizes than three, and huge numbers, go to Django."""
    language = get_language()
    grouping = formats.get_format("NUMBER_GROUPING", language, use_l10n=True)
    if grouping != 3 or rounded.adjusted() > 100:
        return formats.number_format(rounded, decimals, use_l10n=True, force_grouping=True)
    separators = {
        ord(","): formats.get_format("THOUSAND_SEPARATOR", language, use_l10n=True),
        ord("."): formats.get_format("DECIMAL_SEPARATOR", language, use_l10n=True),
    }
    return f"{rounded:,.{decimals}f}".translate(separators)


def number(value: Any, decimals: int = 0, *, signed: bool = False) -> str:
    """``1234.5`` → ``1 234,5`` (Swedish) with ``decimals`` decimals, rounded half up; ``–`` when
    there is no number. ``signed`` marks a change: ``+1,20``, ``−0,35`` (a real minus sign), ``0,00``."""
    amount = _decimal(value)
    if amount is None:
        return DASH
    rounded = amount.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    if rounded == 0:
        rounded = abs(rounded)  # never "-0"
    if not signed:
        return _grouped(rounded, decimals)
    text = _grouped(abs(rounded), decimals)
    if rounded == 0:
        return text
    return f"+{text}" if rounded > 0 else f"\u2212{text}"


def sek(value: Any, decimals: int = 0) -> str:
    """An amount in Swedish kronor: ``12 345 kr``."""
    text = number(value, decimals)
    return text if text == DASH else _("%(amount)s SEK") % {"amount": text}


def sek_per_hour(value: Any, decimals: int = 2) -> str:
    """An hourly price: ``616,00 kr/tim``."""
    text = number(value, decimals)
    return text if text == DASH else _("%(amount)s SEK/h") % {"amount": text}


def percent(value: Any, decimals: int = 1, *, signed: bool = False) -> str:
    """A percentage (the value is already in per cent): ``2,1 %``, ``+3,0 %`` when ``signed``."""
    text = number(value, decimals, signed=signed)
    return text if text == DASH else f"{text}\xa0%"


# --- CSV files as the user's spreadsheet opens them --------------------------------------------------------


def csv_delimiter() -> str:
    """Swedish Excel (and LibreOffice in Swedish) reads ``;`` as the column separator, because the
    comma is the decimal sign; in English the comma separates and the point is the decimal sign."""
    return ";" if formats.get_format("DECIMAL_SEPARATOR") == "," else ","


def csv_number(value: Any, decimals: int | None = None) -> str:
    """A number as a CSV cell that the spreadsheet reads as a number: no thousands grouping, the
    active language's decimal sign (``1234,50`` in Swedish); ``decimals`` rounds half up."""
    amount = _decimal(value)
    if amount is None:
        return ""
    if decimals is not None:
        amount = amount.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    text = f"{amount:f}"
    return text.replace(".", formats.get_format("DECIMAL_SEPARATOR"))
