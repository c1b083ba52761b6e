"""What a read invoice is before it is stored (``ParsedInvoice`` with its ``ParsedLine``s), the
errors found on the way (``Errors`` of ``FileError``s, named by row and column) and the checks of one
line's values (``LineChecker``) and of an invoice's total (``check_total``) – the same wherever the
invoice comes from: a file row, the portal's form, the API or a Peppol document."""

from __future__ import annotations

import datetime
import hashlib
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from hyrkoll.agreement.models import Supplier
from hyrkoll.invoicing.models import LineKind
from hyrkoll.invoicing.parsing_values import fold, kind_names, parse_date, parse_number
from hyrkoll.lib import tabular

MAX_LINE_DAYS = 31
MAX_ERRORS = 200
# What the columns can hold (decimal places 2): a line's amount (InvoiceLine.amount_sek has 14
# digits, the limit leaves room for the control's differences), a unit price (10 digits) and an
# invoice's total (Invoice.invoiced_sek, 14 digits).
MAX_AMOUNT_SEK = Decimal("1e11")
MAX_UNIT_PRICE_SEK = Decimal("1e8")
MAX_INVOICE_SEK = Decimal("1e12")


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
