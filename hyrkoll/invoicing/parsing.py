"""Reading invoice lines from a file (CSV or .xlsx) and checking every value.

One row per invoice line; the rows of one invoice share supplier and invoice number::

    supplier_org_no;invoice_number;invoice_date;assignment;date_from;date_to;kind;quantity;unit_price_sek;amount_sek

Swedish column names work too (``leverantor_orgnr``, ``fakturanummer``, ``fakturadatum``,
``uppdrag``, ``fran``, ``till``, ``typ``, ``antal``/``timmar``, ``a_pris``, ``belopp``);
``due_date``/``forfallodatum`` is optional and ``kind``/``typ`` defaults to worked hours. Amounts may
use a decimal comma and space, non-breaking space or point thousand separators (``1 234,50``,
``1.234,50``); dates may be ``2026-03-02``, ``2026/03/02``, ``20260302``, ``2.3.2026`` or an Excel
date. In a workbook, the first sheet whose first row has the required columns is read (a cover sheet
or notes before it are skipped).

The whole file is validated before anything is stored: each problem is reported with its row and
column, and a file with problems stores nothing.
"""

from __future__ import annotations

import datetime
import hashlib
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext as _

from hyrkoll.agreement.models import Supplier
from hyrkoll.followup.importing.formats import fold as fold_name
from hyrkoll.invoicing.models import LineKind
from hyrkoll.lib import tabular
from hyrkoll.lib.orgno import normalise_org_no

MAX_LINE_DAYS = 31
MAX_ERRORS = 200
# What the columns can hold (decimal places 2): a line's amount (InvoiceLine.amount_sek has 14
# digits, the limit leaves room for the control's differences), a unit price (10 digits) and an
# invoice's total (Invoice.invoiced_sek, 14 digits).
MAX_AMOUNT_SEK = Decimal("1e11")
MAX_UNIT_PRICE_SEK = Decimal("1e8")
MAX_INVOICE_SEK = Decimal("1e12")

HEADERS = {
    "supplier_org_no": "supplier_org_no",
    "leverantor_orgnr": "supplier_org_no",
    "leverantorens_organisationsnummer": "supplier_org_no",
    "organisationsnummer": "supplier_org_no",
    "orgnr": "supplier_org_no",
    "invoice_number": "invoice_number",
    "fakturanummer": "invoice_number",
    "fakturanr": "invoice_number",
    "invoice_date": "invoice_date",
    "fakturadatum": "invoice_date",
    "due_date": "due_date",
    "forfallodatum": "due_date",
    "assignment": "assignment",
    "uppdrag": "assignment",
    "uppdragsnummer": "assignment",
    "date_from": "date_from",
    "from": "date_from",
    "fran": "date_from",
    "fran_och_med": "date_from",
    "date_to": "date_to",
    "to": "date_to",
    "till": "date_to",
    "till_och_med": "date_to",
    "kind": "kind",
    "typ": "kind",
    "art": "kind",
    "quantity": "quantity",
    "hours": "quantity",
    "antal": "quantity",
    "timmar": "quantity",
    "unit_price_sek": "unit_price_sek",
    "unit_price": "unit_price_sek",
    "a_pris": "unit_price_sek",
    "apris": "unit_price_sek",
    "pris": "unit_price_sek",
    "amount_sek": "amount_sek",
    "amount": "amount_sek",
    "belopp": "amount_sek",
    "belopp_sek": "amount_sek",
}
REQUIRED = (
    "supplier_org_no",
    "invoice_number",
    "invoice_date",
    "assignment",
    "date_from",
    "date_to",
    "quantity",
    "unit_price_sek",
    "amount_sek",
)
OPTIONAL = ("due_date", "kind")
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


@dataclass(frozen=True)
class FileError:
    row: int | None
    column: str
    value: str
    message: str

    def __str__(self) -> str:
        where = _("Row %(row)d") % {"row": self.row} if self.row else _("The file")
        column = f", {self.column}" if self.column else ""
        value = f" ('{self.value[:60]}')" if self.value else ""
        return f"{where}{column}{value}: {self.message}"


@dataclass
class ParsedLine:
    row: int | None
    assignment_ref: str
    date_from: datetime.date
    date_to: datetime.date
    kind: str
    quantity: Decimal
    unit_price_sek: Decimal
    amount_sek: Decimal

    def key(self) -> tuple:
        return (
            self.assignment_ref.strip().upper(),
            self.date_from,
            self.date_to,
            self.kind,
            self.quantity,
            self.unit_price_sek,
            self.amount_sek,
        )


@dataclass
class ParsedInvoice:
    supplier: Supplier
    number: str
    invoice_date: datetime.date
    due_date: datetime.date | None
    lines: list[ParsedLine] = field(default_factory=list)
    # A credit note (Peppol CreditNote): negative lines, and the stored invoice it credits.
    document_type: str = "invoice"
    credited_invoice: Any = None

    def content_hash(self) -> str:
        """A fingerprint of what the invoice says, independent of the file and the line order."""
        digest = hashlib.sha256()
        digest.update(f"{self.supplier.org_no}|{self.number}|{self.invoice_date}|{self.due_date}".encode())
        for key in sorted(line.key() for line in self.lines):
            digest.update(("|".join(str(part) for part in key) + "\n").encode())
        return digest.hexdigest()


class Errors:
    def __init__(self) -> None:
        self.items: list[FileError] = []
        self.total = 0

    def add(self, row: int | None, column: str, value: Any, message: str) -> None:
        self.total += 1
        if len(self.items) < MAX_ERRORS:
            self.items.append(FileError(row, column, tabular.cell_text(value), message))

    def __bool__(self) -> bool:
        return self.total > 0


class LineChecker:
    """Checks the values of one line, wherever it comes from (a file row, a form, the API)."""

    def __init__(self, errors: Errors) -> None:
        self.errors = errors
        self.kinds = kind_names()

    def money(
        self, row: int | None, column: str, raw: Any, *, signed: bool = True, limit: Decimal = MAX_AMOUNT_SEK
    ) -> Decimal | None:
        number = parse_number(raw)
        if number is None:
            self.errors.add(row, column, raw, _("not an amount (write e.g. 1234,50 or 1 234,50)."))
            return None
        # The size first: a number of more digits than Decimal computes with cannot be rounded.
        if abs(number) >= limit:
            self.errors.add(row, column, raw, _("too large."))
            return None
        if number != number.quantize(Decimal("0.01")):
            self.errors.add(row, column, raw, _("at most two decimals."))
            return None
        if not signed and number < 0:
            self.errors.add(row, column, raw, _("cannot be negative."))
            return None
        return number

    def date(self, row: int | None, column: str, raw: Any, *, required: bool = True) -> datetime.date | None:
        if raw in (None, "") and not required:
            return None
        parsed = parse_date(raw)
        if parsed is None:
            self.errors.add(
                row,
                column,
                raw,
                _("not a date (write e.g. 2026-03-02, 20260302 or 2.3.2026)."),
            )
        elif not 2000 <= parsed.year <= 2099:
            self.errors.add(row, column, raw, _("the year is not plausible."))
            return None
        return parsed

    def line(self, row: int | None, values: dict[str, Any], columns: dict[str, str]) -> ParsedLine | None:
        """``values`` by canonical name; ``columns`` the names to show in messages."""
        before = self.errors.total
        ref = tabular.cell_text(values.get("assignment"))
        if not ref:
            self.errors.add(row, columns["assignment"], ref, _("missing."))
        elif len(ref) > 50:
            self.errors.add(row, columns["assignment"], ref, _("longer than 50 characters."))
        date_from = self.date(row, columns["date_from"], values.get("date_from"))
        date_to = self.date(row, columns["date_to"], values.get("date_to"))
        if date_from and date_to:
            if date_to < date_from:
                self.errors.add(row, columns["date_to"], values.get("date_to"), _("before the from date."))
            elif (date_to - date_from).days >= MAX_LINE_DAYS:
                self.errors.add(
                    row,
                    columns["date_to"],
                    values.get("date_to"),
                    _("a line covers at most %(days)d days.") % {"days": MAX_LINE_DAYS},
                )
        raw_kind = tabular.cell_text(values.get("kind"))
        kind = self.kinds.get(fold(raw_kind))
        if kind is None:
            self.errors.add(
                row,
                columns.get("kind", "kind"),
                raw_kind,
                _("unknown kind; use one of: %(kinds)s.") % {"kinds": ", ".join(LineKind.values)},
            )
        quantity = self.money(row, columns["quantity"], values.get("quantity"))
        if quantity is not None and abs(quantity) > Decimal(10000):
            self.errors.add(row, columns["quantity"], values.get("quantity"), _("too large."))
        price = self.money(
            row,
            columns["unit_price_sek"],
            values.get("unit_price_sek"),
            signed=False,
            limit=MAX_UNIT_PRICE_SEK,
        )
        amount = self.money(row, columns["amount_sek"], values.get("amount_sek"))
        if quantity is not None and quantity < 0:
            self.errors.add(
                row, columns["quantity"], values.get("quantity"), _("cannot be negative; send a credit note.")
            )
        if self.errors.total != before:
            return None
        assert (
            date_from
            and date_to
            and kind
            and quantity is not None
            and price is not None
            and amount is not None
        )
        return ParsedLine(row, ref, date_from, date_to, kind, quantity, price, amount)


def _header(values: list[str]) -> tuple[dict[str, int], dict[str, str], list[str]]:
    index: dict[str, int] = {}
    shown: dict[str, str] = {}
    unknown: list[str] = []
    for position, raw in enumerate(values):
        name = HEADERS.get(fold(raw))
        if name is None:
            if raw.strip():
                unknown.append(raw.strip())
            continue
        if name not in index:
            index[name] = position
            shown[name] = raw.strip()
    return index, shown, unknown


def _xlsx_sheet_rows(data: bytes) -> Iterator[tuple[int, list[Any]]]:
    """The rows of the first sheet whose first non-empty row names the required columns."""
    import openpyxl

    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds of errors for a broken workbook
        raise tabular.TableError([_("The file is not a readable Excel workbook (.xlsx).")]) from None
    try:
        chosen = None
        for sheet in workbook.worksheets:
            for values in sheet.iter_rows(values_only=True, max_row=5):
                texts = [tabular.cell_text(value) for value in values]
                if any(texts):
                    index, _shown, _unknown = _header(texts)
                    if all(name in index for name in REQUIRED):
                        chosen = sheet
                    break
            if chosen is not None:
                break
        sheet = chosen or (workbook.worksheets[0] if workbook.worksheets else None)
        if sheet is None:
            return
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            yield number, list(values)
    finally:
        workbook.close()


def _rows(data: bytes, filename: str) -> Iterator[tuple[int, list[Any]]]:
    if tabular.is_xlsx(data, filename):
        yield from _xlsx_sheet_rows(data)
    else:
        yield from tabular.text_rows(data, filename)


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def read_file(data: bytes, filename: str = "") -> tuple[list[ParsedInvoice], Errors, int]:
    """The invoices of a file, the errors found and the number of lines read. With errors, the
    invoices are incomplete and must not be stored."""
    errors = Errors()
    checker = LineChecker(errors)
    invoices: dict[tuple[str, str], ParsedInvoice] = {}
    seen_lines: dict[tuple, int] = {}
    last_row: dict[tuple[str, str], int] = {}
    suppliers = {s.org_no: s for s in Supplier.objects.all()}
    index: dict[str, int] | None = None
    shown: dict[str, str] = {}
    count = 0
    try:
        for number, values in _rows(data, filename):
            texts = [tabular.cell_text(value) for value in values]
            if not any(texts):
                continue
            if index is None:
                index, shown, _unknown = _header(texts)
                missing = [name for name in REQUIRED if name not in index]
                if missing:
                    errors.add(
                        number,
                        "",
                        "",
                        _("missing columns: %(columns)s. The first row must name the columns.")
                        % {"columns": ", ".join(missing)},
                    )
                    return [], errors, 0
                for name in OPTIONAL:
                    shown.setdefault(name, name)
                continue
            count += 1
            row = {
                name: (values[position] if position < len(values) else None)
                for name, position in index.items()
            }
            org_raw = tabular.cell_text(row["supplier_org_no"])
            supplier = None
            try:
                org_no = normalise_org_no(org_raw)
            except ValidationError as error:
                errors.add(number, shown["supplier_org_no"], org_raw, error.messages[0])
            else:
                supplier = suppliers.get(org_no)
                if supplier is None:
                    errors.add(
                        number,
                        shown["supplier_org_no"],
                        org_raw,
                        _("no supplier with this organisation number is in the agreement's register."),
                    )
            invoice_number = tabular.cell_text(row["invoice_number"])
            if not invoice_number:
                errors.add(number, shown["invoice_number"], "", _("missing."))
            elif len(invoice_number) > 50:
                errors.add(number, shown["invoice_number"], invoice_number, _("longer than 50 characters."))
            invoice_date = checker.date(number, shown["invoice_date"], row["invoice_date"])
            due_date = checker.date(number, shown["due_date"], row.get("due_date"), required=False)
            line = checker.line(number, row, shown)
            if supplier is None or not invoice_number or invoice_date is None or line is None:
                continue
            key = (supplier.org_no, invoice_number)
            invoice = invoices.get(key)
            if invoice is None:
                invoice = invoices[key] = ParsedInvoice(supplier, invoice_number, invoice_date, due_date)
            elif invoice.invoice_date != invoice_date:
                errors.add(
                    number,
                    shown["invoice_date"],
                    row["invoice_date"],
                    _("differs from the invoice's earlier rows (%(date)s).") % {"date": invoice.invoice_date},
                )
                continue
            line_key = (key, *line.key())
            if line_key in seen_lines:
                errors.add(
                    number,
                    "",
                    "",
                    _("the same line as row %(row)d of the same invoice.") % {"row": seen_lines[line_key]},
                )
                continue
            seen_lines[line_key] = number
            invoice.lines.append(line)
            last_row[key] = number
    except tabular.TableError as error:
        for message in error.errors:
            errors.add(None, "", "", message)
        return [], errors, count
    if index is None:
        errors.add(None, "", "", _("the file is empty."))
    elif not count and not errors:
        errors.add(None, "", "", _("the file has no invoice lines."))
    for key, invoice in invoices.items():
        check_total(errors, last_row.get(key), shown["amount_sek"], invoice.number, invoice.lines)
    return list(invoices.values()), errors, count


def check_total(errors: Errors, row: int | None, column: str, number: str, lines: list[ParsedLine]) -> None:
    """An error if the lines of invoice ``number`` add up to more than an invoice's total can hold."""
    if abs(sum((line.amount_sek for line in lines), Decimal(0))) >= MAX_INVOICE_SEK:
        errors.add(
            row,
            column,
            "",
            _("the lines for %(key)s add up to more than the largest amount that can be stored.")
            % {"key": number},
        )
