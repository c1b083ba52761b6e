"""The follow-up's CSV and Excel writers (used by every table download of the app) never write a
cell a spreadsheet would run as a formula, and keep numbers – negative ones too – as numbers."""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Iterator
from decimal import Decimal

import pytest
from django.utils import translation
from openpyxl import load_workbook

from hyrkoll.followup import exports
from hyrkoll.followup.exports import MONTH, PCT, SEK, SIGNED_SEK, TEXT, YEAR, YESNO, Column, Table

DANGEROUS = ['=HYPERLINK("http://evil","x")', "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1"]


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    with translation.override("en"):
        yield


def _table() -> Table:
    return Table(
        name="t",
        caption="Safety",
        sheet="Safety",
        columns=[
            Column("Text", TEXT),
            Column("=Label", TEXT),
            Column("Amount", SEK),
            Column("Change", SIGNED_SEK),
            Column("Share", PCT),
            Column("Year", YEAR),
            Column("Month", MONTH),
            Column("Flag", YESNO),
        ],
        rows=[
            [text, "plain", Decimal("-1234.50"), Decimal("-10.20"), -2.5, -3, datetime.date(2025, 6, 1), True]
            for text in DANGEROUS
        ],
        footer=[["-footer", None, Decimal("0"), Decimal("5"), None, 2025, datetime.date(2025, 7, 1), False]],
    )


def test_csv_neutralises_text_and_keeps_numbers() -> None:
    rows = list(csv.reader(io.StringIO(exports.to_csv(_table()).decode("utf-8-sig"), newline="")))
    assert rows[0][:2] == ["Text", "'=Label"]
    for row, text in zip(rows[1:], DANGEROUS, strict=False):
        assert row[0] == "'" + text
        assert row[1] == "plain"
        assert row[2:6] == ["-1234.50", "-10.20", "-2.5", "-3"]
        assert row[6:] == ["2025-06", "Yes"]
    assert rows[-1][0] == "'-footer" and rows[-1][2:4] == ["0.00", "5.00"]


def test_xlsx_never_stores_a_formula_and_keeps_numbers() -> None:
    sheet = load_workbook(io.BytesIO(exports.to_xlsx([_table()]))).worksheets[0]
    assert sheet["B1"].value == "'=Label" and sheet["B1"].data_type != "f"
    for index, text in enumerate(DANGEROUS, start=2):
        cell = sheet.cell(row=index, column=1)
        assert cell.data_type != "f" and isinstance(cell.value, str)
        # XML reads a carriage return back as a line feed; the apostrophe is what matters.
        # the text as written, a carriage return included (openpyxl writes through lxml, which keeps it)
        assert cell.value == "'" + text
        amount, change, share, year = (sheet.cell(row=index, column=c) for c in (3, 4, 5, 6))
        assert amount.data_type == "n" and Decimal(str(amount.value)) == Decimal("-1234.50")
        assert change.data_type == "n" and Decimal(str(change.value)) == Decimal("-10.20")
        assert share.value == -2.5 and year.value == -3
        assert isinstance(sheet.cell(row=index, column=7).value, datetime.datetime)
    footer = sheet.cell(row=len(DANGEROUS) + 2, column=1)
    assert footer.value == "'-footer" and footer.data_type != "f"


def test_xlsx_summary_sheet_is_neutralised_and_control_characters_do_not_break_the_file() -> None:
    table = _table()
    table.rows.append(["bell\x07 and vertical tab\x0b", "x", 1, 1, 1, 1, datetime.date(2025, 1, 1), False])
    workbook = load_workbook(io.BytesIO(exports.to_xlsx([table], summary=["=1+1"], title="@title")))
    summary = workbook.worksheets[0]
    assert summary["A1"].value == "'@title" and summary["A3"].value == "'=1+1"
    assert summary["A3"].data_type != "f"
    values = [row[0] for row in workbook.worksheets[1].iter_rows(values_only=True)]
    assert "bell and vertical tab" in values
