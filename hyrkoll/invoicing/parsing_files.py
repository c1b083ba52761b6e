"""Reading an invoice file (CSV or .xlsx): the columns by their English or Swedish names, the sheet
of a workbook that has them, and every row checked into ``ParsedInvoice``s – all the errors of the
file at once, with row and column (see ``parsing`` for the format)."""

from __future__ import annotations

import hashlib
import io
from collections.abc import Iterator
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from hyrkoll.agreement.models import Supplier
from hyrkoll.invoicing.parsing_checks import Errors, LineChecker, ParsedInvoice, check_total
from hyrkoll.invoicing.parsing_values import fold
from hyrkoll.lib import tabular
from hyrkoll.lib.orgno import normalise_org_no

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
