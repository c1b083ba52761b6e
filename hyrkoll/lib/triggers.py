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


# A table's triggers, as ``tallies`` and ``sums`` describe them. PostgreSQL: (name, event, table,
# REFERENCING clause, function body) – a function and a statement trigger each; SQLite: (name, the
# CREATE TRIGGER statement).
PgTrigger = tuple[str, str, str, str, str]
SqliteTrigger = tuple[str, str]


def create_statements(vendor: str, pg: list[PgTrigger], sqlite: list[SqliteTrigger]) -> list[str]:
    """The statements creating the triggers on ``vendor`` (none for other vendors)."""
    if vendor == "postgresql":
        created: list[str] = []
        for name, event, table, referencing, body in pg:
            created.append(pg_function(name, body))
            created.extend(pg_trigger(name, event, table, referencing))
        return created
    if vendor == "sqlite":
        return [sql for _name, sql in sqlite]
    return []


def drop_statements(vendor: str, pg: list[PgTrigger], sqlite: list[SqliteTrigger]) -> list[str]:
    """The statements dropping the triggers (and PostgreSQL's trigger functions)."""
    if vendor == "postgresql":
        return [
            statement
            for name, _event, table, _referencing, _body in pg
            for statement in (
                f"DROP TRIGGER IF EXISTS {name} ON {table}",
                f"DROP FUNCTION IF EXISTS {name}()",
            )
        ]
    if vendor == "sqlite":
        return [f"DROP TRIGGER IF EXISTS {name}" for name, _sql in sqlite]
    return []


def names(vendor: str, pg: list[PgTrigger], sqlite: list[SqliteTrigger]) -> list[str]:
    """The names of the triggers on ``vendor``."""
    if vendor == "postgresql":
        return [trigger[0] for trigger in pg]
    if vendor == "sqlite":
        return [name for name, _sql in sqlite]
    return []


def reinstall(schema_editor: Any, drop: list[str], create: list[str], fill: list[str]) -> None:
    """Drop the triggers there are, create them, then fill the kept table from the existing rows,
    all in the caller's (the migration's) transaction."""
    for sqls in (drop, create, fill):
        run_all(schema_editor, sqls)
