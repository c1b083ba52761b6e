"""The one helper every CSV and Excel writer uses against formula injection."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal
from pathlib import Path

import pytest

import hyrkoll
from hyrkoll.lib.spreadsheet_safety import csv_cell, neutralise_formula, xlsx_cell


@pytest.mark.parametrize(
    "text", ['=HYPERLINK("http://evil","x")', "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1"]
)
def test_each_formula_prefix_gets_an_apostrophe(text: str) -> None:
    assert neutralise_formula(text) == "'" + text
    assert xlsx_cell(text) == "'" + text
    assert csv_cell(text, text) == "'" + text


@pytest.mark.parametrize("value", [0, 12, -10, -10.5, 3.25, Decimal("-10.20"), Decimal("1E+3"), True])
def test_numbers_are_left_as_numbers(value: object) -> None:
    assert neutralise_formula(value) is value
    assert xlsx_cell(value) is value
    # The CSV text of a number is never prefixed, even when it begins with a minus sign.
    assert csv_cell(value, str(value)) == str(value)


@pytest.mark.parametrize("value", ["", "plain text", "Anna Andersson", "a=b", " =1", "'=1", "–5"])
def test_harmless_text_is_unchanged(value: str) -> None:
    assert neutralise_formula(value) == value
    assert xlsx_cell(value) == value


def test_none_and_dates_are_unchanged() -> None:
    day = datetime.date(2025, 6, 1)
    assert neutralise_formula(None) is None and xlsx_cell(None) is None
    assert neutralise_formula(day) is day and xlsx_cell(day) is day
    assert csv_cell(None, "") == ""


@pytest.mark.parametrize("text", ["-10,2", "-10.20", "+5", "-0", "-1234567"])
def test_a_plain_number_written_as_text_stays_a_number(text: str) -> None:
    """A spreadsheet reads it as a number, never as a formula: no apostrophe in front."""
    assert neutralise_formula(text) == text
    assert csv_cell(text, text) == text
    assert xlsx_cell(text) == text


@pytest.mark.parametrize(
    "text", ["-1+1", "-10.2.3", "+1 2", "-1e5", "-", "+", "-A1", "-\u0663", "-1\n=2", "-1 "]
)
def test_text_that_only_starts_like_a_number_is_neutralised(text: str) -> None:
    assert neutralise_formula(text) == "'" + text


def test_xlsx_cell_drops_characters_an_xlsx_file_cannot_hold() -> None:
    assert xlsx_cell("a\x00b\x0bc") == "abc"
    assert xlsx_cell("\x01=1") == "'=1"  # the formula behind a control character is still caught
    assert xlsx_cell("tab\tand\nnewline") == "tab\tand\nnewline"


def test_every_csv_and_excel_writer_goes_through_the_helper() -> None:
    """A guard for new exports: the modules that write CSV or workbooks are these, and each uses
    ``lib.spreadsheet_safety``; a module that answers with CSV gets it from one of them."""
    root = Path(hyrkoll.__file__).parent
    writer = re.compile(r"csv\.(?:writer|DictWriter)\(|\bWorkbook\(|xlsxwriter|\.to_excel\(")
    writers, responders = {}, {}
    for path in sorted(root.rglob("*.py")):
        name = path.relative_to(root).as_posix()
        if "tests/" in name or "migrations/" in name:
            continue
        source = path.read_text(encoding="utf-8")
        if writer.search(source):
            writers[name] = "spreadsheet_safety import" in source
        if ("HttpResponse(" in source or "attachment(" in source) and "text/csv" in source:
            responders[name] = bool(writers.get(name)) or "to_csv(" in source
    assert writers == {
        "assignments/views.py": True,  # a time report's days as CSV
        "followup/exports.py": True,  # to_csv and to_xlsx: every table download
        "governance/exports.py": True,  # several tables in one CSV, each under its caption
    }
    assert responders and all(responders.values()), responders
