"""What the tables kept by database triggers share (``tallies``: row counts per supplier, ``sums``:
counts and sums per key): the vendors that have the triggers, PostgreSQL's trigger function and
statement trigger, and running a list of statements in a migration."""

from __future__ import annotations

from typing import Any

VENDORS = ("postgresql", "sqlite")


def maintained(vendor: str) -> bool:
    """Whether the kept tables are kept by triggers on this database vendor (else count the rows)."""
    return vendor in VENDORS


def pg_function(name: str, body: str) -> str:
    """A PL/pgSQL trigger function ``name()`` running ``body`` (an AFTER trigger: returns NULL)."""
    return (
        f"CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $body$\n"
        f"BEGIN\n{body}\nRETURN NULL;\nEND\n$body$"
    )


def pg_trigger(name: str, event: str, table: str, referencing: str) -> list[str]:
    """The statement-level AFTER trigger ``name`` on ``table``, firing also under
    ``session_replication_role = replica`` (the scale generator's COPY): ENABLE ALWAYS."""
    level = f"REFERENCING {referencing} FOR EACH STATEMENT" if referencing else "FOR EACH STATEMENT"
    return [
        f"CREATE TRIGGER {name} AFTER {event} ON {table} {level} EXECUTE FUNCTION {name}()",
        f"ALTER TABLE {table} ENABLE ALWAYS TRIGGER {name}",
    ]


def run_all(schema_editor: Any, sqls: list[str]) -> None:
    """Run ``sqls`` in the migration's transaction."""
    for sql in sqls:
        schema_editor.execute(sql, params=None)
