"""Property tests of the zone-list import: whatever the file (arbitrary bytes, CSV from the real
column names with arbitrary cells, also damaged, .xlsx given where CSV is expected, and files of
valid rows with a few cells replaced), the import either sets the zones or raises its own
ZoneImportError with messages; a rejected file leaves every municipality and the audit log as they
were."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import event, given
from hypothesis import strategies as st

from hyrkoll.audit.models import AuditEvent
from hyrkoll.organisation.models import Municipality
from hyrkoll.organisation.reference import read_csv
from hyrkoll.organisation.zones import REQUIRED_COLUMNS, ZoneImportError, import_zones
from tests.strategies import PROPERTY_SETTINGS, any_file, table_files

pytestmark = pytest.mark.django_db

CODES = sorted(row["code"] for row in read_csv("municipalities.csv"))
zone_rows = st.fixed_dictionaries(
    {
        # Stockholm county's codes also as a spreadsheet writes them, without the leading zero.
        "municipality_code": st.one_of(
            st.sampled_from(CODES), st.sampled_from(CODES[:30]).map(lambda code: code.lstrip("0"))
        ),
        "zone": st.sampled_from(["1", "2", "3", " 2 ", "4"]),
    }
)


def _state() -> tuple[list[tuple[Any, ...]], int]:
    zones = list(Municipality.objects.order_by("code").values_list("code", "zone", "zone_source"))
    return zones, AuditEvent.objects.count()


def _import(data: bytes, filename: str) -> None:
    before = _state()
    try:
        result = import_zones(None, data, filename)
    except ZoneImportError as error:
        event("rejected")
        assert error.errors and all(isinstance(message, str) and message for message in error.errors)
        assert _state() == before
    else:
        event("stored")
        assert result.rows > 0


@PROPERTY_SETTINGS
@given(file=any_file(REQUIRED_COLUMNS))
def test_zone_import_of_any_file(file: tuple[bytes, str]) -> None:
    _import(*file)


@PROPERTY_SETTINGS
@given(file=table_files(REQUIRED_COLUMNS, zone_rows, csv_only=True))
def test_zone_import_of_nearly_valid_files(file: tuple[bytes, str]) -> None:
    _import(*file)
