"""The values of an invoice line as suppliers write them: names folded for matching (columns, line
kinds), amounts with a decimal comma and thousand separators, and dates in the accepted formats or as
Excel serial days. Used by the file import, the portal, the API and the Peppol mapping."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils import translation

from hyrkoll.followup.importing.formats import fold as fold_name
from hyrkoll.invoicing.models import LineKind
from hyrkoll.lib import tabular

DATE_PATTERNS = (
    (re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})"), "ymd"),
    (re.compile(r"(\d{4})/(\d{1,2})/(\d{1,2})"), "ymd"),
    (re.compile(r"(\d{4})(\d{2})(\d{2})"), "ymd"),
    (re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})"), "dmy"),
)
EXCEL_EPOCH = datetime.date(1899, 12, 30)


def fold(text: str) -> str:
    """As the cost import folds names (lower case, å/ä/ö → a/a/o, spaces as underscores), and also
    ``À-pris`` → ``a_pris`` and ``Fr.o.m.`` → ``fr_o_m``."""
    return fold_name(text.replace(".", " ").replace("à", "a").replace("À", "A"))


def kind_names() -> dict[str, str]:
    """Every accepted way to write a line kind: its code, and its name in English and Swedish."""
    names = {fold(value): value for value in LineKind.values}
    for language in ("en", "sv"):
        with translation.override(language):
            names.update({fold(str(label)): value for value, label in LineKind.choices})
    names.update(
        {"": LineKind.HOURS, "timmar": LineKind.HOURS, "tid": LineKind.HOURS, "jour": LineKind.ON_CALL}
    )
    return names


def _ungrouped(whole: str, mark: str) -> str | None:
    """``1.234.567`` with ``mark`` ``.`` → ``1234567``; None unless the groups are of three digits."""
    groups = whole.split(mark)
    if not groups[0] or len(groups[0]) > 3 or any(len(group) != 3 for group in groups[1:]):
        return None
    return "".join(groups)


def parse_number(value: Any) -> Decimal | None:
    """A number cell, or text with a decimal comma or point and space, non-breaking space, point or
    comma thousand separators (``1 234,50``, ``1.234,50``, ``1,234.50``); None if it is not one."""
    if value is None or isinstance(value, bool | int | float | Decimal):
        return tabular.cell_number(value)
    text = str(value).strip()
    for suffix in ("sek", "kr", ":-"):
        if text.lower().endswith(suffix):
            text = text[: -len(suffix)].strip()
    for separator in (" ", "\u00a0", "\u202f", "'"):
        text = text.replace(separator, "")
    text = text.replace("\u2212", "-")
    sign = text[0] if text[:1] in ("+", "-") else ""
    text = text[len(sign) :]
    if "," in text and "." in text:
        decimal_mark = "," if text.rfind(",") > text.rfind(".") else "."
        whole, _mark, fraction = text.rpartition(decimal_mark)
        digits = _ungrouped(whole, "." if decimal_mark == "," else ",")
        if digits is None:
            return None
        text = f"{digits}.{fraction}"
    elif text.count(",") == 1:
        text = text.replace(",", ".")
    elif text.count(".") > 1 or text.count(",") > 1:
        digits = _ungrouped(text, "." if "." in text else ",")
        if digits is None:
            return None
        text = digits
    whole, point, fraction = text.partition(".")
    if not whole.isdigit() or (point and not fraction.isdigit()):
        return None
    try:
        return Decimal(sign + text)
    except InvalidOperation:
        return None


def parse_date(value: Any) -> datetime.date | None:
    """A date cell or text in one of the accepted formats; an Excel serial day number in a number
    cell; None otherwise (also for dates that do not exist, e.g. 2026-02-30)."""
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if float(value).is_integer() and 20000 <= value <= 80000:
            return EXCEL_EPOCH + datetime.timedelta(days=int(value))
        value = tabular.cell_text(value)
    text = str(value or "").strip()
    for pattern, order in DATE_PATTERNS:
        match = pattern.fullmatch(text)
        if match:
            a, b, c = (int(part) for part in match.groups())
            year, month, day = (a, b, c) if order == "ymd" else (c, b, a)
            try:
                return datetime.date(year, month, day)
            except ValueError:
                return None
    return None


ASSIGNMENT_REF = re.compile(r"(?:U-?)?\s*(\d{1,12})", re.IGNORECASE)


def assignment_id_of(ref: str) -> int | None:
    """``"123"``, ``"U-123"`` or ``"u123"`` → 123; anything else → None."""
    match = ASSIGNMENT_REF.fullmatch((ref or "").strip())
    return int(match.group(1)) if match else None
