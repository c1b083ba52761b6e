"""The shared table reader (``lib.tabular``): whatever the bytes, it yields rows of text or raises
its own TableError, with a message for the user; no cell it yields holds a NUL character (which
PostgreSQL cannot store)."""

from __future__ import annotations

import pytest
from django.utils import translation
from hypothesis import given

from hyrkoll.lib import tabular
from tests.strategies import PROPERTY_SETTINGS, any_file

HEADERS = ["region", "period", "amount_sek", "belopp", "municipality_code", "zone"]


@PROPERTY_SETTINGS
@given(any_file(HEADERS))
def test_text_rows_yield_text_or_raise_table_error(file: tuple[bytes, str]) -> None:
    data, filename = file
    try:
        rows = list(tabular.text_rows(data, filename))
    except tabular.TableError as error:
        assert error.errors and all(isinstance(message, str) and message for message in error.errors)
        return
    previous = 0
    for number, values in rows:
        assert isinstance(number, int) and number > previous
        previous = number
        assert all(isinstance(value, str) and value == value.strip() for value in values)
        assert not any("\x00" in value for value in values)


@pytest.mark.parametrize(
    ("data", "line"), [(b"a;b\n1;\x00\n", 2), (b"\x00a;b\n", 1), (b"a;b\r\n\r\n1;2\x00", 3)]
)
def test_a_nul_byte_is_refused_naming_its_line(data: bytes, line: int) -> None:
    with translation.override("en"), pytest.raises(tabular.TableError) as refused:
        list(tabular.text_rows(data, "file.csv"))
    assert refused.value.errors == [f"Row {line}: a NUL character (byte 0), which a text file cannot hold."]
