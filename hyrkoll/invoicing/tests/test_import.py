"""Invoice files: CSV and .xlsx, Swedish names and number formats, every bad input rejected with row
and column and nothing stored, the same file or the same invoices twice change nothing."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import Workbook

from hyrkoll.assignments.models import Assignment
from hyrkoll.invoicing import services
from hyrkoll.invoicing.models import DeviationKind, Invoice, InvoiceFile, InvoiceLine
from hyrkoll.invoicing.parsing import parse_date, parse_number
from hyrkoll.invoicing.tests.conftest import D, deviations_of, first_monday, report_week

pytestmark = pytest.mark.django_db

HEADER = "supplier_org_no;invoice_number;invoice_date;assignment;date_from;date_to;kind;quantity;unit_price_sek;amount_sek"


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("1234,50", "1234.50"),
        ("1 234,50", "1234.50"),
        ("1\u00a0234,50", "1234.50"),
        ("1.234,50", "1234.50"),
        ("1,234.50", "1234.50"),
        ("1.234.567", "1234567"),
        ("1234.5", "1234.5"),
        ("−40", "-40"),
        ("1 234,50 kr", "1234.50"),
        (1234.5, "1234.5"),
        (40, "40"),
    ],
)
def test_numbers(text: Any, value: str) -> None:
    assert parse_number(text) == Decimal(value)


@pytest.mark.parametrize("text", ["", "abc", "12,34,5", "1.23,4.5", "1,2345.00", "12a", "--5", "1.2.3"])
def test_not_numbers(text: str) -> None:
    assert parse_number(text) is None


@pytest.mark.parametrize(
    ("raw", "value"),
    [
        ("2026-03-02", datetime.date(2026, 3, 2)),
        ("2026/3/2", datetime.date(2026, 3, 2)),
        ("20260302", datetime.date(2026, 3, 2)),
        ("2.3.2026", datetime.date(2026, 3, 2)),
        ("02.03.2026", datetime.date(2026, 3, 2)),
        (datetime.datetime(2026, 3, 2, 0, 0), datetime.date(2026, 3, 2)),
        (46083, datetime.date(2026, 3, 2)),
    ],
)
def test_dates(raw: Any, value: datetime.date) -> None:
    assert parse_date(raw) == value


@pytest.mark.parametrize("raw", ["2026-02-30", "02/03/2026", "mars 2026", "2026-13-01", ""])
def test_not_dates(raw: str) -> None:
    assert parse_date(raw) is None


def csv_bytes(*rows: str, header: str = HEADER) -> bytes:
    return ("\n".join((header, *rows)) + "\n").encode("utf-8")


def row(flow: dict[str, Any], a: Assignment | str, number: str = "F-100", **values: Any) -> str:
    week = values.pop("week")
    fields = {
        "org": flow["supplier_a"].org_no,
        "number": number,
        "date": "2026-01-31",
        "assignment": a if isinstance(a, str) else f"U-{a.pk}",
        "from": week.isoformat(),
        "to": (week + D(days=6)).isoformat(),
        "kind": "timmar",
        "quantity": "40",
        "price": str(a.hourly_price_sek).replace(".", ",") if not isinstance(a, str) else "1000",
        "amount": None,
    }
    fields.update(values)
    if fields["amount"] is None:
        fields["amount"] = str(
            Decimal(fields["quantity"].replace(",", "."))
            * Decimal(fields["price"].replace(",", ".").replace(" ", ""))
        )
    return ";".join(
        str(fields[k])
        for k in ("org", "number", "date", "assignment", "from", "to", "kind", "quantity", "price", "amount")
    )


@pytest.fixture
def week(flow: dict[str, Any], assignment: Assignment) -> datetime.date:
    monday = first_monday(assignment)
    report_week(flow, assignment, monday, [8, 8, 8, 8, 8, 0, 0])
    return monday


def imported(flow: dict[str, Any], data: bytes, name: str = "fakturor.csv") -> services.FileResult:
    return services.import_file(flow["call_off_unit"], flow["region_a"], data, name)


def rejected(flow: dict[str, Any], data: bytes, name: str = "fakturor.csv") -> list[str]:
    with pytest.raises(services.FileRejected) as caught:
        imported(flow, data, name)
    assert (
        Invoice.objects.count() == 0 and InvoiceLine.objects.count() == 0 and InvoiceFile.objects.count() == 0
    )
    return [str(error) for error in caught.value.errors]


def test_a_good_file_with_swedish_headers_and_formats(
    flow: dict[str, Any], assignment: Assignment, week: datetime.date
) -> None:
    price = assignment.hourly_price_sek
    header = "Leverantör orgnr;Fakturanummer;Fakturadatum;Uppdrag;Från;Till;Typ;Antal;À-pris;Belopp"
    amount = f"{40 * price:,.2f}".replace(",", " ").replace(".", ",")
    data = csv_bytes(
        row(
            flow,
            assignment,
            week=week,
            date="31.1.2026",
            amount=amount,
            price=f"{price:.2f}".replace(".", ","),
        ),
        row(flow, "U-99999", number="F-101", week=week, date="20260131"),
        header=header,
    )
    result = imported(flow, data)
    assert len(result.received.created) == 2 and result.record.lines == 2
    clean = Invoice.objects.get(number="F-100")
    assert clean.invoice_date == datetime.date(2026, 1, 31) and clean.invoiced_sek == 40 * price
    assert clean.deviations.count() == 0
    assert deviations_of(Invoice.objects.get(number="F-101")) == {
        DeviationKind.UNKNOWN_ASSIGNMENT: Decimal(40000)
    }

    again = imported(flow, data)
    assert again.already_imported and Invoice.objects.count() == 2
    # The same invoices in another file (other order, other name): not stored twice.
    lines = data.decode().splitlines()
    reordered = "\n".join([lines[0], lines[2], lines[1]]).encode("cp1252")
    other = imported(flow, reordered, "kopia.csv")
    assert other.received.created == [] and len(other.received.already_received) == 2
    assert Invoice.objects.count() == 2 and InvoiceLine.objects.count() == 2


def test_an_xlsx_with_a_cover_sheet_and_extra_sheets(
    flow: dict[str, Any], assignment: Assignment, week: datetime.date
) -> None:
    workbook = Workbook()
    cover = workbook.active
    cover.title = "Försättsblad"
    cover.append(["Fakturaunderlag januari"])
    lines = workbook.create_sheet("Rader")
    lines.append(HEADER.split(";"))
    lines.append(
        [
            flow["supplier_a"].org_no,
            "X-1",
            datetime.datetime(2026, 1, 31),
            assignment.pk,
            datetime.datetime.combine(week, datetime.time()),
            datetime.datetime.combine(week + D(days=6), datetime.time()),
            "hours",
            40,
            float(assignment.hourly_price_sek),
            float(40 * assignment.hourly_price_sek),
        ]
    )
    notes = workbook.create_sheet("Noter")
    notes.append(["Inget att notera"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    result = imported(flow, buffer.getvalue(), "januari.xlsx")
    invoice = result.received.created[0]
    assert invoice.number == "X-1" and invoice.deviations.count() == 0
    assert invoice.lines.get().source_row == 2


def test_missing_columns(flow: dict[str, Any], assignment: Assignment, week: datetime.date) -> None:
    header = (
        "supplier_org_no;invoice_number;invoice_date;assignment;date_from;date_to;quantity;unit_price_sek"
    )
    errors = rejected(
        flow, csv_bytes("556677-8899;F;2026-01-31;1;2026-01-05;2026-01-11;40;1000", header=header)
    )
    assert errors == ["Row 1: missing columns: amount_sek. The first row must name the columns."]


def test_text_in_amount_fields(flow: dict[str, Any], assignment: Assignment, week: datetime.date) -> None:
    errors = rejected(
        flow,
        csv_bytes(
            row(flow, assignment, week=week),
            row(flow, assignment, number="F-2", week=week, amount="fyrtio tusen"),
            row(flow, assignment, number="F-3", week=week, quantity="åtta", amount="1"),
            row(flow, assignment, number="F-4", week=week, price="1 000,123", amount="1"),
        ),
    )
    assert errors == [
        "Row 3, amount_sek ('fyrtio tusen'): not an amount (write e.g. 1234,50 or 1 234,50).",
        "Row 4, quantity ('åtta'): not an amount (write e.g. 1234,50 or 1 234,50).",
        "Row 5, unit_price_sek ('1 000,123'): at most two decimals.",
    ]


def test_unknown_and_invalid_organisation_numbers(
    flow: dict[str, Any], assignment: Assignment, week: datetime.date
) -> None:
    errors = rejected(
        flow,
        csv_bytes(
            row(flow, assignment, week=week, org="212000-0142"),
            row(flow, assignment, week=week, org="556677-8890"),
            row(flow, assignment, week=week, org="Bemanning AB"),
        ),
    )
    assert errors[0] == (
        "Row 2, supplier_org_no ('212000-0142'): no supplier with this organisation number is in the "
        "agreement's register."
    )
    assert errors[1] == "Row 3, supplier_org_no ('556677-8890'): 556677-8890 has a wrong check digit."
    assert errors[2].startswith(
        "Row 4, supplier_org_no ('Bemanning AB'): Bemanning AB is not an organisation"
    )


def test_duplicate_lines(flow: dict[str, Any], assignment: Assignment, week: datetime.date) -> None:
    line = row(flow, assignment, week=week)
    errors = rejected(flow, csv_bytes(line, row(flow, assignment, week=week + D(days=7)), line))
    assert errors == ["Row 4: the same line as row 2 of the same invoice."]


def test_bad_dates_and_periods(flow: dict[str, Any], assignment: Assignment, week: datetime.date) -> None:
    errors = rejected(
        flow,
        csv_bytes(
            row(flow, assignment, week=week, date="31/01/2026"),
            row(flow, assignment, number="F-2", week=week, **{"to": (week - D(days=1)).isoformat()}),
            row(flow, assignment, number="F-3", week=week, **{"to": (week + D(days=40)).isoformat()}),
            row(flow, assignment, number="F-4", week=week, **{"from": "2026-02-30"}),
            row(flow, assignment, number="F-5", week=week, kind="övertid"),
            row(flow, assignment, number="F-6", week=week, quantity="-8", amount="-8000"),
        ),
    )
    assert errors[0] == (
        "Row 2, invoice_date ('31/01/2026'): not a date (write e.g. 2026-03-02, 20260302 or 2.3.2026)."
    )
    assert errors[1].startswith("Row 3, date_to") and errors[1].endswith("before the from date.")
    assert errors[2].endswith("a line covers at most 31 days.")
    assert errors[3].startswith("Row 5, date_from ('2026-02-30'): not a date")
    assert errors[4].startswith("Row 6, kind ('övertid'): unknown kind; use one of: hours, on_call")
    assert errors[5] == "Row 7, quantity ('-8'): cannot be negative; send a credit note."


def test_one_invoice_with_two_dates(
    flow: dict[str, Any], assignment: Assignment, week: datetime.date
) -> None:
    errors = rejected(
        flow,
        csv_bytes(
            row(flow, assignment, week=week), row(flow, assignment, week=week + D(days=7), date="2026-02-01")
        ),
    )
    assert errors == [
        "Row 3, invoice_date ('2026-02-01'): differs from the invoice's earlier rows (2026-01-31)."
    ]


def test_not_a_table(flow: dict[str, Any]) -> None:
    assert rejected(flow, b"") == ["The file: the file is empty."]
    assert rejected(flow, b"PK\x03\x04garbage", "f.xlsx") == [
        "The file: The file is not a readable Excel workbook (.xlsx)."
    ]
    assert rejected(flow, csv_bytes()) == ["The file: the file has no invoice lines."]


def test_the_command(
    flow: dict[str, Any], assignment: Assignment, week: datetime.date, tmp_path: Any
) -> None:
    path = tmp_path / "fakturor.csv"
    path.write_bytes(csv_bytes(row(flow, assignment, week=week, price="1", amount="40")))
    out = io.StringIO()
    call_command("import_invoices", str(path), region="14", stdout=out)
    assert "1 invoices, 1 lines imported" in out.getvalue() and "wrong_price: 1 deviations" in out.getvalue()
    call_command("import_invoices", str(path), region="14", stdout=out)
    assert "already imported" in out.getvalue()
    bad = tmp_path / "bad.csv"
    bad.write_bytes(csv_bytes(row(flow, assignment, week=week, amount="x")))
    with pytest.raises(CommandError, match="rejected, 1 errors"):
        call_command("import_invoices", str(bad), region="14", stdout=out, stderr=io.StringIO())
    assert Invoice.objects.count() == 1
