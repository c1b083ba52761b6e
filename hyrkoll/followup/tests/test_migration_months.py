"""Migration 0008: the rows of SupplierCostEntry (a row per supplier, profession and care area, the
amount per unit in ``units``) converted into SupplierCostMonth's rows (a row per region, month and
import, each of those rows an entry in ``entries``) – and back.

The conversion runs in the database (one INSERT … SELECT per vendor), so it is tried here on tables of
the two shapes on whichever database the tests run on (SQLite or PostgreSQL).
"""

from __future__ import annotations

import datetime
import importlib
import json
from collections.abc import Iterator
from decimal import Decimal

import pytest
from django.db import connection

pytestmark = pytest.mark.django_db

migration = importlib.import_module("hyrkoll.followup.migrations.0008_supplier_cost_months")

ENTRIES, MONTHS = "old_entries", "new_months"
ENTRY_COLUMNS = "region_id, period, supplier_org_no, profession, care_area, amount_sek, units, cost_import_id"
JAN, FEB = datetime.date(2025, 1, 1), datetime.date(2025, 2, 1)
ORG_A, ORG_B = "556677-8899", "556000-0001"

# (region, month, org no, profession, care area, amount, units, import)
ENTRY_ROWS = [
    (
        1,
        JAN,
        ORG_A,
        "doctor",
        "primary",
        "12501.00",
        {"K14P0001": "12500.50", "K14P0002": "0.30", "": "0.20"},
        7,
    ),
    (1, JAN, ORG_A, "nurse", "primary", "-2500.55", {"K14P0001": "-2500.55"}, 7),
    (1, JAN, ORG_B, "doctor", "primary", "99.00", {"K14P0001": "99.00"}, 8),  # another import
    (1, FEB, ORG_B, "", "", "0.00", {'Vård "Ö"; 1': "0.00"}, 7),
    (2, JAN, ORG_A, "doctor", "somatic", "1000.00", {"K01S0001": "1000.00"}, 7),
    (2, FEB, ORG_A, "doctor", "somatic", "123456789012.34", {}, 7),  # no units: a line without one
]

EXPECTED_MONTHS = {
    (1, JAN, 7): [
        [ORG_A, "doctor", "primary", {"K14P0001": "12500.50", "K14P0002": "0.30", "": "0.20"}],
        [ORG_A, "nurse", "primary", {"K14P0001": "-2500.55"}],
    ],
    (1, JAN, 8): [[ORG_B, "doctor", "primary", {"K14P0001": "99.00"}]],
    (1, FEB, 7): [[ORG_B, "", "", {'Vård "Ö"; 1': "0.00"}]],
    (2, JAN, 7): [[ORG_A, "doctor", "somatic", {"K01S0001": "1000.00"}]],
    (2, FEB, 7): [[ORG_A, "doctor", "somatic", {"": "123456789012.34"}]],
}


@pytest.fixture
def tables() -> Iterator[None]:
    """Tables of the two shapes, the old one holding ENTRY_ROWS."""
    if connection.vendor == "postgresql":
        serial, amount, json_type = "bigserial", "numeric(16, 2)", "jsonb"
    else:
        serial, amount, json_type = "integer", "decimal", "text"
    with connection.cursor() as cursor:
        cursor.execute(
            f"""CREATE TEMPORARY TABLE {ENTRIES} (
                    id {serial} PRIMARY KEY, region_id bigint NOT NULL, period date NOT NULL,
                    supplier_org_no varchar(11) NOT NULL, profession varchar(10) NOT NULL,
                    care_area varchar(12) NOT NULL, amount_sek {amount} NOT NULL, units {json_type} NOT NULL,
                    cost_import_id bigint NOT NULL)"""
        )
        cursor.execute(
            f"""CREATE TEMPORARY TABLE {MONTHS} (
                    id {serial} PRIMARY KEY, region_id bigint NOT NULL, period date NOT NULL,
                    cost_import_id bigint NOT NULL, entries {json_type} NOT NULL)"""
        )
        cursor.executemany(
            f"INSERT INTO {ENTRIES} ({ENTRY_COLUMNS}) VALUES (%s, %s, %s, %s, %s, %s, %s, %s)",
            [(*row[:5], Decimal(row[5]), json.dumps(row[6]), row[7]) for row in ENTRY_ROWS],
        )
    yield
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE {ENTRIES}")
        cursor.execute(f"DROP TABLE {MONTHS}")


def _decoded(value: object) -> object:
    return json.loads(value) if isinstance(value, str) else value  # SQLite: the JSON as text


def _months() -> dict[tuple, list]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT region_id, period, cost_import_id, entries FROM {MONTHS}")
        rows = cursor.fetchall()
    found = {}
    for region, period, cost_import, entries in rows:
        if isinstance(period, str):
            period = datetime.date.fromisoformat(period)
        assert (region, period, cost_import) not in found
        found[region, period, cost_import] = _decoded(entries)  # in the order of the entries' keys
    return found


def _entries() -> set[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {ENTRY_COLUMNS} FROM {ENTRIES}")
        rows = cursor.fetchall()
    result = set()
    for region, period, org, profession, area, amount, units, cost_import in rows:
        if isinstance(period, str):
            period = datetime.date.fromisoformat(period)
        amount = str(Decimal(str(amount)).quantize(Decimal("0.01")))
        result.add(
            (
                region,
                period,
                org,
                profession,
                area,
                amount,
                json.dumps(_decoded(units), sort_keys=True),
                cost_import,
            )
        )
    return result


def test_each_row_becomes_an_entry_of_its_region_month(tables: None) -> None:
    migration.to_months(connection, ENTRIES, MONTHS)
    assert _months() == EXPECTED_MONTHS


def test_the_conversion_is_reversible(tables: None) -> None:
    migration.to_months(connection, ENTRIES, MONTHS)
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {ENTRIES}")
    migration.to_entries(connection, MONTHS, ENTRIES)
    # Back as they were, but the row without units: its amount is a unit without a code now.
    expected = {
        (*row[:5], row[5], json.dumps(row[6] or {"": row[5]}, sort_keys=True), row[7]) for row in ENTRY_ROWS
    }
    assert _entries() == expected


def test_postgresql_compresses_the_entries_with_lz4() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("a PostgreSQL column setting")
    with connection.cursor() as cursor:
        cursor.execute(
            """SELECT attcompression FROM pg_attribute
               WHERE attrelid = 'followup_suppliercostmonth'::regclass AND attname = 'entries'"""
        )
        [compression] = cursor.fetchone()
    assert compression == "l"  # the test servers (Debian's PostgreSQL) are built with lz4
