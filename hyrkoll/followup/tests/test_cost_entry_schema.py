"""The cost entries' table as the import needs it (migration followup/0009)."""

from __future__ import annotations

import pytest
from django.db import connection

pytestmark = pytest.mark.django_db


def test_the_cost_entries_have_no_database_foreign_keys() -> None:
    """PostgreSQL checks each inserted row's foreign keys at commit (0.3 s of the benchmark ledger's
    45,360 rows); the import writes ids it has just read or created, and Django keeps PROTECT."""
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, "followup_costentry")
    assert [name for name, spec in constraints.items() if spec["foreign_key"]] == []
    # The import's own index stays: an earlier import's rows are counted by it.
    assert any(spec["index"] and spec["columns"] == ["cost_import_id"] for spec in constraints.values())


def test_sqlite_keeps_the_figures_version_triggers_of_the_remade_table() -> None:
    if connection.vendor != "sqlite":
        pytest.skip("SQLite makes a changed table anew; PostgreSQL alters it in place")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'followup_costentry' ORDER BY name"
        )
        names = [name for (name,) in cursor.fetchall()]
    assert names == [
        "followup_figures_changed_followup_costentry_delete",
        "followup_figures_changed_followup_costentry_update",
    ]
