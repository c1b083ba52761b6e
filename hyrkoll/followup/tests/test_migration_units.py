"""Migration 0005: the rows of SupplierCostEntry per unit, already stored, collapsed into rows with
the amount per unit in ``units`` – and back.

The conversion runs in the database (one INSERT … SELECT per vendor), so it is tried here on a
table of the old shape (a unit column, ``units`` added empty, as the migration leaves it before the
conversion) on whichever database the tests run on (SQLite or PostgreSQL).
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

migration = importlib.import_module("hyrkoll.followup.migrations.0005_supplier_cost_entry_units")

TABLE = "old_grain"
COLUMNS = "region_id, period, supplier_org_no, unit, profession, care_area, amount_sek, cost_import_id"
JAN, FEB = datetime.date(2025, 1, 1), datetime.date(2025, 2, 1)
ORG_A, ORG_B = "556677-8899", "556000-0001"

# (region, month, org no, unit, profession, care area, amount, import)
FINE = [
    (1, JAN, ORG_A, "K14P0001", "doctor", "primary", "12500.50", 7),
    (1, JAN, ORG_A, "K14P0002", "doctor", "primary", "0.10", 7),
    (1, JAN, ORG_A, "", "doctor", "primary", "0.20", 7),  # no unit on the line
    (1, JAN, ORG_A, "K14P0002", "doctor", "primary", "0.20", 7),  # the unit again: added up
    (1, JAN, ORG_A, "K14P0001", "nurse", "primary", "-2500.55", 7),  # another profession
    (1, JAN, ORG_A, "K14P0001", "doctor", "primary", "99", 8),  # another import
    (1, FEB, ORG_A, "K14P0001", "doctor", "primary", "123456789012.34", 7),
    (1, FEB, ORG_B, 'Vård "Ö"; 1', "", "", "-0.05", 7),
    (1, FEB, ORG_B, 'Vård "Ö"; 1', "", "", "0.05", 7),  # adds up to zero
    (2, JAN, ORG_A, "K01S0001", "doctor", "somatic", "1000", 7),
]

EXPECTED = {
    (1, JAN, ORG_A, "doctor", "primary", 7): (
        "12501.00",
        {"K14P0001": "12500.50", "K14P0002": "0.30", "": "0.20"},
    ),
    (1, JAN, ORG_A, "nurse", "primary", 7): ("-2500.55", {"K14P0001": "-2500.55"}),
    (1, JAN, ORG_A, "doctor", "primary", 8): ("99.00", {"K14P0001": "99.00"}),
    (1, FEB, ORG_A, "doctor", "primary", 7): ("123456789012.34", {"K14P0001": "123456789012.34"}),
    (1, FEB, ORG_B, "", "", 7): ("0.00", {'Vård "Ö"; 1': "0.00"}),
    (2, JAN, ORG_A, "doctor", "somatic", 7): ("1000.00", {"K01S0001": "1000.00"}),
}


@pytest.fixture
def old_table() -> Iterator[None]:
    """A table of the shape the migration converts, holding FINE."""
    if connection.vendor == "postgresql":
        serial, amount, units = "bigserial", "numeric(16, 2)", "jsonb NOT NULL DEFAULT '{}'::jsonb"
    else:
        serial, amount, units = "integer", "decimal", "text NOT NULL DEFAULT '{}'"
    with connection.cursor() as cursor:
        cursor.execute(
            f"""CREATE TEMPORARY TABLE {TABLE} (
                    id {serial} PRIMARY KEY, region_id bigint NOT NULL, period date NOT NULL,
                    supplier_org_no varchar(11) NOT NULL, unit varchar(30) NOT NULL,
                    profession varchar(10) NOT NULL, care_area varchar(12) NOT NULL,
                    amount_sek {amount} NOT NULL, cost_import_id bigint NOT NULL, units {units})"""
        )
        cursor.executemany(
            f"INSERT INTO {TABLE} ({COLUMNS}) VALUES (%s, %s, %s, %s, %s, %s, %s, %s)",
            [(*row[:6], Decimal(row[6]), row[7]) for row in FINE],
        )
    yield
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE {TABLE}")


def _rows() -> list[tuple]:
    """The table's rows, the amount as a Decimal with two decimals and ``units`` decoded."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {COLUMNS}, units FROM {TABLE}")
        rows = cursor.fetchall()
    result = []
    for region, period, org, unit, profession, area, amount, cost_import, units in rows:
        if isinstance(period, str):
            period = datetime.date.fromisoformat(period)
        amount = Decimal(str(amount)).quantize(Decimal("0.01"))
        if isinstance(units, str):  # SQLite: the JSON as text
            units = json.loads(units)
        result.append((region, period, org, unit, profession, area, amount, cost_import, units))
    return result


def test_rows_per_unit_are_collapsed_into_rows_with_units(old_table: None) -> None:
    migration.collapse(connection, TABLE)
    rows = _rows()
    found = {
        (region, period, org, profession, area, cost_import): (str(amount), units)
        for region, period, org, unit, profession, area, amount, cost_import, units in rows
    }
    assert len(rows) == len(EXPECTED) and found == EXPECTED
    assert {row[3] for row in rows} == {""}  # the unit column, removed next, left empty
    for _key, (amount, units) in found.items():
        assert Decimal(amount) == sum(Decimal(value) for value in units.values())


def test_the_conversion_is_reversible(old_table: None) -> None:
    migration.collapse(connection, TABLE)
    migration.expand(connection, TABLE)
    per_unit: dict[tuple, Decimal] = {}
    for *key, amount, cost_import in FINE:
        key = (*key, cost_import)
        per_unit[key] = per_unit.get(key, Decimal(0)) + Decimal(amount)
    rows = _rows()
    assert {(*row[:6], row[7]): row[6] for row in rows} == per_unit and len(rows) == len(per_unit)
    assert all(row[8] == {} for row in rows)
