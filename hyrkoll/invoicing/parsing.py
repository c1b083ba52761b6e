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

The parts (none imports this module; import from here or from the part):

- ``parsing_values``: folding names, line kinds, numbers and dates as suppliers write them;
- ``parsing_checks``: ``ParsedInvoice``/``ParsedLine``, ``Errors``/``FileError``, ``LineChecker`` and
  ``check_total`` – the checks shared by the file, the portal, the API and Peppol;
- ``parsing_files``: the columns, reading a CSV or .xlsx file into checked invoices, ``sha256_of``.
"""

from __future__ import annotations

from hyrkoll.invoicing.parsing_checks import (
    MAX_AMOUNT_SEK,
    MAX_ERRORS,
    MAX_INVOICE_SEK,
    MAX_LINE_DAYS,
    MAX_UNIT_PRICE_SEK,
    Errors,
    FileError,
    LineChecker,
    ParsedInvoice,
    ParsedLine,
    check_total,
)
from hyrkoll.invoicing.parsing_files import HEADERS, OPTIONAL, REQUIRED, read_file, sha256_of
from hyrkoll.invoicing.parsing_values import (
    DATE_PATTERNS,
    EXCEL_EPOCH,
    fold,
    kind_names,
    parse_date,
    parse_number,
)

__all__ = [
    "DATE_PATTERNS",
    "EXCEL_EPOCH",
    "HEADERS",
    "MAX_AMOUNT_SEK",
    "MAX_ERRORS",
    "MAX_INVOICE_SEK",
    "MAX_LINE_DAYS",
    "MAX_UNIT_PRICE_SEK",
    "OPTIONAL",
    "REQUIRED",
    "Errors",
    "FileError",
    "LineChecker",
    "ParsedInvoice",
    "ParsedLine",
    "check_total",
    "fold",
    "kind_names",
    "parse_date",
    "parse_number",
    "read_file",
    "sha256_of",
]
