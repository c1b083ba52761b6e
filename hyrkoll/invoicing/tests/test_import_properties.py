"""Property tests of the invoice-file import: whatever the file (arbitrary bytes, CSV or .xlsx
from the real column names with arbitrary cells, also damaged, and files of valid invoice lines with
a few cells replaced), ``read_file`` returns its errors and never raises, and ``import_file``
either stores the invoices or raises its own FileRejected naming row and column; a rejected file
stores nothing."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import event, given
from hypothesis import strategies as st

from hyrkoll.assignments.models import Assignment
from hyrkoll.audit.models import AuditEvent
from hyrkoll.invoicing import services
from hyrkoll.invoicing.models import Invoice, InvoiceDeviation, InvoiceFile, InvoiceLine, LineKind
from hyrkoll.invoicing.parsing import HEADERS, OPTIONAL, REQUIRED, read_file
from tests.strategies import PROPERTY_SETTINGS, any_file, table_files

pytestmark = pytest.mark.django_db

COLUMNS = REQUIRED + OPTIONAL
CENT = Decimal("0.01")


def _day(value: datetime.date, form: str) -> Any:
    return {
        "iso": value.isoformat(),
        "compact": f"{value:%Y%m%d}",
        "dotted": f"{value.day}.{value.month}.{value.year}",
        "date": value,
    }[form]


def _amount(value: Decimal, form: str) -> Any:
    return {
        "point": str(value),
        "comma": str(value).replace(".", ","),
        "grouped": f"{value:,}".replace(",", " ").replace(".", ","),
        "number": value,
    }[form]


@st.composite
def invoice_lines(draw: Any, assignments: list[str]) -> dict[str, Any]:
    """One valid line (of the supplier in the register), in the formats a file may write it."""
    day_form = draw(st.sampled_from(["iso", "compact", "dotted", "date"]))
    money_form = draw(st.sampled_from(["point", "comma", "grouped", "number"]))
    start = draw(st.dates(min_value=datetime.date(2000, 1, 1), max_value=datetime.date(2099, 12, 1)))
    end = start + datetime.timedelta(days=draw(st.integers(0, 30)))
    quantity = draw(st.decimals(min_value=0, max_value=10000, places=2))
    price = draw(
        st.one_of(
            st.decimals(min_value=0, max_value=2000, places=2),
            st.decimals(min_value=0, max_value=Decimal("99999999.99"), places=2),
        )
    )
    if draw(st.sampled_from([False] * 9 + [True])):
        price = draw(st.sampled_from([Decimal("100000000"), Decimal("99999999999.99")]))  # too large
    amount = draw(
        st.one_of(
            st.just((quantity * price).quantize(CENT)),
            st.decimals(min_value=Decimal("-99999999999.99"), max_value=Decimal("99999999999.99"), places=2),
        )
    )
    return {
        "supplier_org_no": draw(st.sampled_from(["556677-8899", "5566778899", "556000-0001"])),
        "invoice_number": draw(st.one_of(st.sampled_from(["F-1", "F-2"]), st.text(min_size=1, max_size=50))),
        "invoice_date": _day(
            draw(st.dates(datetime.date(1999, 12, 1), datetime.date(2100, 1, 31))), day_form
        ),
        "due_date": draw(st.sampled_from(["", _day(end, day_form)])),
        "assignment": draw(st.one_of(st.sampled_from(assignments), st.text(min_size=1, max_size=50))),
        "date_from": _day(start, day_form),
        "date_to": _day(end, day_form),
        "kind": draw(st.sampled_from(["", "timmar", "jour", *LineKind.values])),
        "quantity": _amount(quantity, money_form),
        "unit_price_sek": _amount(price, money_form),
        "amount_sek": _amount(amount, money_form),
    }


def _stored() -> tuple[int, ...]:
    return tuple(
        model.objects.count() for model in (Invoice, InvoiceLine, InvoiceDeviation, InvoiceFile, AuditEvent)
    )


def _import(flow: dict[str, Any], data: bytes, filename: str) -> None:
    parsed, errors, _count = read_file(data, filename)
    assert all(str(error) for error in errors.items)
    before = _stored()
    try:
        result = services.import_file(None, flow["region_a"], data, filename)
    except services.FileRejected as rejected:
        event("rejected")
        assert rejected.errors and rejected.total >= len(rejected.errors)
        assert all(str(error) for error in rejected.errors)
        assert _stored() == before
    else:
        event("already imported" if result.already_imported else "stored")
        assert not errors


@PROPERTY_SETTINGS
@given(file=any_file([*HEADERS, "Leverantörens organisationsnummer", "À-pris", "Fr.o.m."]))
def test_invoice_import_of_any_file(flow: dict[str, Any], file: tuple[bytes, str]) -> None:
    _import(flow, *file)


@PROPERTY_SETTINGS
@given(data=st.data())
def test_invoice_import_of_nearly_valid_files(
    flow: dict[str, Any], assignment: Assignment, data: st.DataObject
) -> None:
    refs = [f"U-{assignment.pk}", str(assignment.pk), "U-999999"]
    _import(flow, *data.draw(table_files(COLUMNS, invoice_lines(refs), max_rows=3)))


# --- What the properties found: each now a rejection naming row and column -------------------------------


def _file(assignment: Assignment, lines: list[dict[str, str]]) -> bytes:
    rows = [";".join(COLUMNS)]
    for values in lines:
        line = {
            "supplier_org_no": "556677-8899",
            "invoice_number": "F-9",
            "invoice_date": "2026-01-31",
            "due_date": "",
            "assignment": f"U-{assignment.pk}",
            "date_from": "2026-01-05",
            "date_to": "2026-01-11",
            "kind": "hours",
            "quantity": "40",
            "unit_price_sek": "1000",
            "amount_sek": "40000",
        } | values
        rows.append(";".join(line[name] for name in COLUMNS))
    return "\n".join(rows).encode()


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        # More digits than Decimal rounds with: "at most two decimals" raised InvalidOperation.
        ({"amount_sek": "9" * 40}, "Row 2, amount_sek ('" + "9" * 40 + "'): too large."),
        ({"quantity": "9" * 40}, "Row 2, quantity ('" + "9" * 40 + "'): too large."),
        # A unit price of 100 million or more passed, and PostgreSQL refused it (numeric field overflow).
        ({"unit_price_sek": "100000000"}, "Row 2, unit_price_sek ('100000000'): too large."),
    ],
)
def test_an_amount_too_large_to_store_is_rejected(
    flow: dict[str, Any], assignment: Assignment, values: dict[str, str], expected: str
) -> None:
    before = _stored()
    with pytest.raises(services.FileRejected) as rejected:
        services.import_file(None, flow["region_a"], _file(assignment, [values]), "f.csv")
    assert [str(error) for error in rejected.value.errors] == [expected]
    assert _stored() == before


def test_a_huge_number_cell_of_a_workbook_is_rejected(flow: dict[str, Any], assignment: Assignment) -> None:
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active.append(list(COLUMNS))
    rows = [line.split(";") for line in _file(assignment, [{}]).decode().splitlines()[1:]]
    rows[0][COLUMNS.index("amount_sek")] = 1.5e300  # type: ignore[call-overload]
    workbook.active.append(rows[0])
    buffer = io.BytesIO()
    workbook.save(buffer)
    with pytest.raises(services.FileRejected) as rejected:
        services.import_file(None, flow["region_a"], buffer.getvalue(), "f.xlsx")
    assert "Row 2, amount_sek" in str(rejected.value.errors[0]) and "too large" in str(
        rejected.value.errors[0]
    )


def test_an_invoice_whose_lines_add_up_to_more_than_can_be_stored_is_rejected(
    flow: dict[str, Any], assignment: Assignment
) -> None:
    """Each line fits, but Invoice.invoiced_sek (14 digits) cannot hold their sum."""
    lines = [{"amount_sek": "99999999999", "quantity": str(n)} for n in range(1, 12)]
    before = _stored()
    with pytest.raises(services.FileRejected) as rejected:
        services.import_file(None, flow["region_a"], _file(assignment, lines), "f.csv")
    assert [str(error) for error in rejected.value.errors] == [
        "Row 12, amount_sek: the lines for F-9 add up to more than the largest amount that can be stored."
    ]
    assert _stored() == before
    with pytest.raises(services.SubmissionRejected) as refused:
        services.submit(
            flow["supplier_user_a"],
            "F-9",
            "2026-01-31",
            None,
            [(n, {"assignment": f"U-{assignment.pk}", **line} | _DAYS) for n, line in enumerate(lines, 1)],
            "api",
        )
    assert refused.value.errors == [
        "The file, amount (SEK): the lines for F-9 add up to more than the largest amount that can be stored."
    ]


_DAYS = {"date_from": "2026-01-05", "date_to": "2026-01-11", "unit_price_sek": "1000"}
