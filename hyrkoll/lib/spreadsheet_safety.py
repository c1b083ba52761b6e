"""Cells that are safe to open in a spreadsheet (OWASP "CSV injection").

Excel, LibreOffice and Google Sheets run a cell whose text begins with ``=``, ``+``, ``-`` or ``@``
as a formula (a tab or carriage return in front does not stop them), so a consultant's name or a
comment like ``=HYPERLINK("http://evil", "x")`` in an export would become a live link or worse.
Every CSV and Excel writer passes its cells through ``neutralise_formula``: such text gets a
leading apostrophe and is shown as text. Numbers are never touched – a negative amount stays a
number: values that are numbers (``int``, ``Decimal``, ``float``), and text that is nothing but a
plain number (``-10.20``, ``-10,2``, ``+5``), which a spreadsheet reads as a number, not as a
formula. Writers should still pass numbers as numbers, so that a workbook holds number cells.
"""

from __future__ import annotations

import numbers
import re
from typing import Any

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")

# A plain number written as text: sign, ASCII digits, one decimal point or comma. Nothing else may
# follow the sign ("-2+3" is a formula), so no text that a spreadsheet would compute passes.
_PLAIN_NUMBER = re.compile(r"[+-]?[0-9]+(?:[.,][0-9]+)?")

# Characters that XML 1.0 (and so an .xlsx file) cannot hold; openpyxl refuses them.
_XML_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def is_number(value: Any) -> bool:
    """True for ints, floats, Decimals (and bools, which spreadsheets also keep as values)."""
    return isinstance(value, numbers.Number)


def neutralise_formula(value: Any) -> Any:
    """``value`` with a leading ``'`` if it is text a spreadsheet would run as a formula; any
    other value (numbers, dates, ``None``, plain numbers as text, harmless text) unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES) and not _PLAIN_NUMBER.fullmatch(value):
        return "'" + value
    return value


def csv_cell(value: Any, text: str) -> str:
    """The CSV text of a cell: ``text`` (the value as written) neutralised unless the value is a
    number – ``-10.50`` from a ``Decimal`` stays as it is."""
    return text if is_number(value) else neutralise_formula(text)


def xlsx_cell(value: Any) -> Any:
    """A value for an openpyxl cell: text neutralised (so that it is never stored as a formula)
    and without the control characters an .xlsx file cannot hold; other values unchanged."""
    if isinstance(value, str):
        return neutralise_formula(_XML_ILLEGAL.sub("", value))
    return value
