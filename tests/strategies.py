"""Hypothesis strategies for the import property tests: arbitrary bytes, CSV text built from a
parser's real column names and arbitrary cells, and .xlsx files written with openpyxl from arbitrary
cell values (also truncated or corrupted)."""

from __future__ import annotations

import csv
import datetime
import io
import os
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

# Modest example counts: the whole property set must run in well under a minute on SQLite.
# HYRKOLL_PROPERTY_EXAMPLES=1000 searches harder (by hand, not in `make test`).
PROPERTY_SETTINGS = settings(
    max_examples=int(os.environ.get("HYRKOLL_PROPERTY_EXAMPLES", "40")),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# Values that reach the interesting branches: separators, quotes, decimal commas, huge and odd
# numbers, Unicode digits, dates in and out of range, NUL and control characters, formulas.
TRICKY_TEXT = [
    "",
    " ",
    ";",
    ",",
    '"',
    '""',
    "'",
    "\t",
    "\n",
    "\r\n",
    "\x00",
    "\x0b",
    "\ufeff",
    "1 234,50",
    "1.234,50",
    "1,234.50",
    "-12,5",
    "\u2212100",
    "+0",
    "1e30",
    "1E+999999",
    "9" * 40,
    "0." + "1" * 40,
    "NaN",
    "Infinity",
    "²",
    "٣",
    "1_000",
    "12 kr",
    "2025-06",
    "2025-06-01",
    "2025-13",
    "0000-01",
    "9999-12-31",
    "20260302",
    "2.3.2026",
    "2026/02/30",
    "14",
    "01",
    "1",
    "99",
    "hyrd",
    "egen",
    "own",
    "läkare",
    "primärvård",
    "hired_fte",
    "sick_leave_pct",
    "556677-8899",
    "5566778899",
    "556677-8890",
    "19121212-1212",
    "121212+1212",
    "doctor",
    "spec_general_medicine",
    '=HYPERLINK("http://evil","x")',
    "x" * 300,
]

cell_texts = st.one_of(st.sampled_from(TRICKY_TEXT), st.text(max_size=20))


@st.composite
def csv_files(draw: Any, headers: Sequence[str]) -> bytes:
    """A CSV file: a header row from the real column names (some dropped, some doubled, some
    made up), rows of tricky cells, one of the three delimiters, UTF-8 or Windows-1252, and now and
    then raw bytes spliced in."""
    names = draw(st.lists(st.sampled_from(list(headers)), min_size=0, max_size=len(headers) + 2))
    if draw(st.booleans()):
        names = list(dict.fromkeys([*headers, *names]))  # often every required column
    names += draw(st.lists(cell_texts, max_size=2))
    width = max(len(names), 1)
    rows = draw(
        st.lists(
            st.lists(cell_texts, min_size=0, max_size=width + 1),
            max_size=6,
        )
    )
    delimiter = draw(st.sampled_from([";", ",", "\t"]))
    buffer = io.StringIO()
    if draw(st.booleans()):
        writer = csv.writer(buffer, delimiter=delimiter, lineterminator=draw(st.sampled_from(["\n", "\r\n"])))
        writer.writerow(names)
        writer.writerows(rows)
        text = buffer.getvalue()
    else:  # written by hand: unbalanced quotes and stray delimiters survive
        text = "\n".join(delimiter.join(row) for row in [names, *rows])
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "cp1252"]))
    data = text.encode(encoding, errors="replace")
    if draw(st.integers(0, 4)) == 0:
        at = draw(st.integers(0, len(data)))
        data = data[:at] + draw(st.binary(min_size=1, max_size=8)) + data[at:]
    return data


_xlsx_text = st.text(max_size=20).map(
    lambda text: "".join(char for char in text if char >= " " or char in "\t\n\r")
)
xlsx_values = st.one_of(
    st.none(),
    st.sampled_from([value for value in TRICKY_TEXT if "\x00" not in value and "\x0b" not in value]),
    _xlsx_text,
    st.integers(min_value=-(10**15), max_value=10**15),
    st.floats(allow_nan=False, allow_infinity=False),
    st.decimals(allow_nan=False, allow_infinity=False, places=2, min_value=-(10**12), max_value=10**12),
    st.dates(min_value=datetime.date(1900, 3, 1), max_value=datetime.date(2100, 12, 31)),
    st.datetimes(min_value=datetime.datetime(1900, 3, 1), max_value=datetime.datetime(2100, 12, 31)),
    st.booleans(),
)


def _xlsx_value(value: Any) -> Any:
    """A value openpyxl can write: Decimals as floats, text without the characters XML cannot hold."""
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, str):
        return "".join(char for char in value if char >= " " or char in "\t\n\r")
    return value


def _workbook_bytes(sheets: list[list[list[Any]]]) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.remove(workbook.active)
    for index, rows in enumerate(sheets):
        sheet = workbook.create_sheet(f"S{index}")
        for row in rows:
            sheet.append([_xlsx_value(value) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@st.composite
def xlsx_files(draw: Any, headers: Sequence[str]) -> bytes:
    """An .xlsx file (one or two sheets) with a header row from the real column names and rows of
    arbitrary cell values; sometimes truncated or with bytes overwritten."""
    sheets = []
    for _sheet in range(draw(st.integers(1, 2))):
        names: list[Any] = draw(st.lists(st.sampled_from(list(headers)), max_size=len(headers) + 1))
        if draw(st.booleans()):
            names = list(dict.fromkeys([*headers, *names]))
        rows = draw(st.lists(st.lists(xlsx_values, max_size=len(names) + 1), max_size=5))
        sheets.append([names, *rows] if draw(st.integers(0, 5)) else rows)
    data = _workbook_bytes(sheets)
    # Positions as a share of the length: the zip's timestamps make the length vary between runs.
    damage, share = draw(st.integers(0, 5)), draw(st.integers(0, 1000)) / 1000
    at = int(len(data) * share)
    if damage == 0:
        data = data[:at]
    elif damage == 1:
        junk = draw(st.binary(min_size=1, max_size=16))
        data = data[:at] + junk + data[at + len(junk) :]
    return data


def any_file(headers: Sequence[str]) -> st.SearchStrategy[tuple[bytes, str]]:
    """``(content, filename)``: arbitrary bytes, CSV or .xlsx, under a name that matches or not."""
    return st.one_of(
        st.tuples(st.binary(max_size=300), st.sampled_from(["file.csv", "file.xlsx", "file"])),
        st.tuples(csv_files(headers), st.sampled_from(["file.csv", "file.txt"])),
        st.tuples(xlsx_files(headers), st.sampled_from(["file.xlsx", "file.csv"])),
    )


def _csv_text(value: Any) -> str:
    """A cell as a CSV file holds it."""
    if value is None:
        return ""
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    return str(value)


@st.composite
def table_files(
    draw: Any,
    header: Sequence[str],
    rows: st.SearchStrategy[dict[str, Any]],
    *,
    csv_only: bool = False,
    max_rows: int = 5,
) -> tuple[bytes, str]:
    """``(content, filename)``: a file as the parser expects it – a header naming its columns in
    any order, rows drawn from ``rows`` (valid values for that parser, by column name) – with up to
    two cells of half of the rows replaced by tricky ones. Unlike arbitrary files these get past the header
    and often past every check, so that the row checks and the storing are exercised too."""
    names = list(draw(st.permutations(list(header))))
    as_xlsx = not csv_only and draw(st.booleans())
    tricky = xlsx_values if as_xlsx else cell_texts
    table: list[list[Any]] = []
    for record in draw(st.lists(rows, min_size=1, max_size=max_rows)):
        cells = [record.get(name, "") for name in names]
        for _change in range(draw(st.sampled_from([0, 0, 1, 2]))):  # half of the rows stay valid
            cells[draw(st.integers(0, len(cells) - 1))] = draw(tricky)
        table.append(cells)
    if as_xlsx:
        return _workbook_bytes([[names, *table]]), "file.xlsx"
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=draw(st.sampled_from([";", ",", "\t"])), lineterminator="\n")
    writer.writerow(names)
    writer.writerows([_csv_text(value) for value in row] for row in table)
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "cp1252"]))
    return buffer.getvalue().encode(encoding, errors="replace"), "file.csv"
