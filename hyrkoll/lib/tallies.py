"""Per-supplier row counts kept by database triggers, so a list can give its exact total without
scanning (``SupplierCallOffTally``, ``SupplierTimeReportTally``, ``SupplierOfferTally``,
``SupplierInvoiceTally``).

A :class:`Tally` names a tally table (``supplier_id`` primary key and one count column) and the source
table whose rows it counts per supplier: either by the source's own supplier column, or through a
parent row (a time report's assignment names the supplier). The migrations that create the tally
tables install the triggers with :func:`install` and remove them with :func:`uninstall`; the
migrations import this module, so its API (``Tally``, ``Via``, ``install``, ``uninstall``,
``statements``, ``fill_statements``, ``drop_statements``, ``maintained``) stays as it is. Readers
call :func:`count_of`.

- **PostgreSQL**: statement-level AFTER triggers with transition tables, one per event (INSERT,
  UPDATE, DELETE; TRUNCATE resets the tally), each a single grouped upsert of the per-supplier
  change, ordered by supplier so concurrent statements lock tally rows in the same order. An UPDATE
  moves counts only for rows whose supplier (or parent) changed; otherwise no tally row is written.
  The triggers are ``ENABLE ALWAYS``: they fire under ``session_replication_role = replica`` too,
  which the national-scale generator uses while it COPYs.
- **SQLite**: row-level triggers doing the same per row.
- Other vendors: nothing is installed and :func:`maintained` is False: readers count the rows.

A parent changing supplier (PostgreSQL) locks the source table (SHARE ROW EXCLUSIVE, only when a
supplier changes: the app never does) before counting its rows, so under READ COMMITTED a row written
concurrently under the old supplier is either committed and moved, or written after the change.

On SQLite, a migration that remakes a source table (Django copies it to a new table) drops its
triggers: such a migration must call :func:`install` again (the ordering and assignments tests
``test_the_migration_installed_the_triggers`` fail otherwise).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import connections, models, router

from hyrkoll.lib import triggers
from hyrkoll.lib.triggers import VENDORS, PgTrigger, SqliteTrigger, maintained, run_all

__all__ = [
    "VENDORS",
    "Tally",
    "Via",
    "count_of",
    "drop_statements",
    "fill_statements",
    "install",
    "maintained",
    "statements",
    "trigger_names",
    "uninstall",
]


@dataclass(frozen=True)
class Via:
    """The parent row that names the supplier: ``table``'s ``id`` is the source's key column, and
    its ``supplier`` column the supplier (e.g. a time report's assignment)."""

    table: str
    supplier: str = "supplier_id"


@dataclass(frozen=True)
class Tally:
    """``table`` (``supplier_id``, ``count``) counts the rows of ``source`` per supplier, where the
    supplier is ``source.key`` itself, or ``via.supplier`` of the parent row ``source.key`` points at."""

    table: str
    count: str
    source: str
    key: str
    via: Via | None = None

    @property
    def prefix(self) -> str:
        """The prefix of the tally's trigger and function names."""
        return f"{self.table}_t"


def count_of(model: type[models.Model], field: str, supplier_id: int) -> int | None:
    """The supplier's ``field`` in the tally ``model`` (0 without a row: nothing counted yet), or
    None where no triggers keep the tally (the caller counts the rows)."""
    if not maintained(connections[router.db_for_read(model)].vendor):
        return None
    found = model._default_manager.filter(pk=supplier_id).values_list(field, flat=True)
    return next(iter(found), 0)


# --- PostgreSQL ------------------------------------------------------------------------------------


def _pg_supplier_of(tally: Tally, rows: str) -> tuple[str, str]:
    """The FROM clause over transition table ``rows`` (alias ``r``) and the supplier expression."""
    if tally.via is None:
        return f"{rows} r", f"r.{tally.key}"
    return f"{rows} r JOIN {tally.via.table} p ON p.id = r.{tally.key}", f"p.{tally.via.supplier}"


def _pg_upsert(tally: Tally, deltas: str) -> str:
    """Add ``deltas`` (a query of ``supplier, delta``) to the tally, one row per supplier, in
    supplier order (concurrent statements then lock tally rows in the same order)."""
    return (
        f"INSERT INTO {tally.table} (supplier_id, {tally.count}) "
        f"SELECT supplier, sum(delta) FROM ({deltas}) deltas "
        f"GROUP BY supplier HAVING sum(delta) <> 0 ORDER BY supplier "
        f"ON CONFLICT (supplier_id) DO UPDATE SET {tally.count} = {tally.table}.{tally.count} + EXCLUDED.{tally.count}"
    )


def _pg_triggers(tally: Tally) -> list[PgTrigger]:
    """(name, event, table, REFERENCING clause, function body) of every trigger of the tally."""
    p = tally.prefix
    new_from, new_supplier = _pg_supplier_of(tally, "new_rows")
    old_from, old_supplier = _pg_supplier_of(tally, "old_rows")
    inserted = _pg_upsert(tally, f"SELECT {new_supplier} AS supplier, 1 AS delta FROM {new_from}")
    deleted = _pg_upsert(tally, f"SELECT {old_supplier} AS supplier, -1 AS delta FROM {old_from}")
    moved = (
        f"WITH moved AS (SELECT n.id, o.{tally.key} AS was, n.{tally.key} AS now "
        f"FROM old_rows o JOIN new_rows n ON n.id = o.id WHERE o.{tally.key} IS DISTINCT FROM n.{tally.key})\n"
    )
    if tally.via is None:
        moves = "SELECT now AS supplier, 1 AS delta FROM moved UNION ALL SELECT was, -1 FROM moved"
    else:
        parent = tally.via.table
        moves = (
            f"SELECT p.{tally.via.supplier} AS supplier, 1 AS delta FROM moved JOIN {parent} p ON p.id = moved.now "
            f"UNION ALL SELECT p.{tally.via.supplier}, -1 FROM moved JOIN {parent} p ON p.id = moved.was"
        )
    triggers = [
        (f"{p}_ins", "INSERT", tally.source, "NEW TABLE AS new_rows", inserted + ";"),
        (f"{p}_del", "DELETE", tally.source, "OLD TABLE AS old_rows", deleted + ";"),
        (
            f"{p}_upd",
            "UPDATE",
            tally.source,
            "OLD TABLE AS old_rows NEW TABLE AS new_rows",
            moved + _pg_upsert(tally, moves) + ";",
        ),
        (f"{p}_trunc", "TRUNCATE", tally.source, "", f"DELETE FROM {tally.table};"),
    ]
    if tally.via is not None:
        supplier = tally.via.supplier
        # A parent moving to another supplier takes its rows' counts along. The source table is
        # locked first (only when a supplier changes), so a row written concurrently under the
        # parent's old supplier is committed, and counted here, or written after this commits.
        parent_moved = (
            f"IF NOT EXISTS (SELECT 1 FROM old_rows o JOIN new_rows n ON n.id = o.id "
            f"WHERE o.{supplier} IS DISTINCT FROM n.{supplier}) THEN RETURN NULL; END IF;\n"
            f"LOCK TABLE {tally.source} IN SHARE ROW EXCLUSIVE MODE;\n"
            f"WITH counted AS (SELECT o.{supplier} AS was, n.{supplier} AS now, count(*) AS n "
            f"FROM old_rows o JOIN new_rows n ON n.id = o.id JOIN {tally.source} r ON r.{tally.key} = n.id "
            f"WHERE o.{supplier} IS DISTINCT FROM n.{supplier} GROUP BY 1, 2)\n"
            + _pg_upsert(
                tally, "SELECT now AS supplier, n AS delta FROM counted UNION ALL SELECT was, -n FROM counted"
            )
            + ";"
        )
        triggers.append(
            (
                f"{p}_parent",
                "UPDATE",
                tally.via.table,
                "OLD TABLE AS old_rows NEW TABLE AS new_rows",
                parent_moved,
            )
        )
    return triggers


# --- SQLite ----------------------------------------------------------------------------------------


def _sqlite_supplier(tally: Tally, row: str) -> str:
    """A query giving the supplier of ``row`` (``NEW`` or ``OLD``) as ``supplier``, with a WHERE
    clause (SQLite needs one before an upsert's ON CONFLICT)."""
    if tally.via is None:
        return f"SELECT {row}.{tally.key} AS supplier WHERE true"
    return f"SELECT {tally.via.supplier} AS supplier FROM {tally.via.table} WHERE id = {row}.{tally.key}"


def _sqlite_add(tally: Tally, row: str) -> str:
    return (
        f"INSERT INTO {tally.table} (supplier_id, {tally.count}) "
        f"SELECT supplier, 1 FROM ({_sqlite_supplier(tally, row)}) WHERE true "
        f"ON CONFLICT(supplier_id) DO UPDATE SET {tally.count} = {tally.count} + 1;"
    )


def _sqlite_remove(tally: Tally, row: str) -> str:
    return (
        f"UPDATE {tally.table} SET {tally.count} = {tally.count} - 1 "
        f"WHERE supplier_id = ({_sqlite_supplier(tally, row)});"
    )


def _sqlite_triggers(tally: Tally) -> list[SqliteTrigger]:
    """(name, CREATE TRIGGER statement) of every trigger of the tally."""
    p, source, key = tally.prefix, tally.source, tally.key
    triggers = [
        (f"{p}_ins", f"AFTER INSERT ON {source} FOR EACH ROW BEGIN {_sqlite_add(tally, 'NEW')} END"),
        (f"{p}_del", f"AFTER DELETE ON {source} FOR EACH ROW BEGIN {_sqlite_remove(tally, 'OLD')} END"),
        (
            f"{p}_upd",
            f"AFTER UPDATE OF {key} ON {source} FOR EACH ROW WHEN OLD.{key} IS NOT NEW.{key} "
            f"BEGIN {_sqlite_remove(tally, 'OLD')} {_sqlite_add(tally, 'NEW')} END",
        ),
    ]
    if tally.via is not None:
        supplier, count = tally.via.supplier, tally.count
        rows = f"(SELECT count(*) FROM {source} WHERE {key} = NEW.id)"
        triggers.append(
            (
                f"{p}_parent",
                f"AFTER UPDATE OF {supplier} ON {tally.via.table} FOR EACH ROW "
                f"WHEN OLD.{supplier} IS NOT NEW.{supplier} BEGIN "
                f"UPDATE {tally.table} SET {count} = {count} - {rows} WHERE supplier_id = OLD.{supplier}; "
                f"INSERT INTO {tally.table} (supplier_id, {count}) "
                f"SELECT NEW.{supplier}, {rows} WHERE {rows} > 0 "
                f"ON CONFLICT(supplier_id) DO UPDATE SET {count} = {count} + excluded.{count}; END",
            )
        )
    return [(name, f"CREATE TRIGGER {name} {body}") for name, body in triggers]


# --- statements ------------------------------------------------------------------------------------


def statements(tally: Tally, vendor: str) -> list[str]:
    """The statements creating the tally's triggers on ``vendor`` (none for other vendors)."""
    return triggers.create_statements(vendor, _pg_triggers(tally), _sqlite_triggers(tally))


def fill_statements(tally: Tally, vendor: str) -> list[str]:
    """The statements setting the tally from the rows there are: the source (and parent) locked
    against writes on PostgreSQL, the tally emptied, then one grouped INSERT."""
    if not maintained(vendor):
        return []
    locks = []
    if vendor == "postgresql":
        locks = [f"LOCK TABLE {tally.source} IN SHARE MODE"]
        if tally.via is not None:
            locks.append(f"LOCK TABLE {tally.via.table} IN SHARE MODE")
    if tally.via is None:
        source, supplier = tally.source, tally.key
    else:
        source = f"{tally.source} r JOIN {tally.via.table} p ON p.id = r.{tally.key}"
        supplier = f"p.{tally.via.supplier}"
    return [
        *locks,
        f"DELETE FROM {tally.table}",
        f"INSERT INTO {tally.table} (supplier_id, {tally.count}) "
        f"SELECT {supplier}, count(*) FROM {source} GROUP BY {supplier}",
    ]


def drop_statements(tally: Tally, vendor: str) -> list[str]:
    """The statements dropping the tally's triggers (and PostgreSQL trigger functions)."""
    return triggers.drop_statements(vendor, _pg_triggers(tally), _sqlite_triggers(tally))


def trigger_names(tally: Tally, vendor: str) -> list[str]:
    """The names of the tally's triggers on ``vendor``."""
    return triggers.names(vendor, _pg_triggers(tally), _sqlite_triggers(tally))


# --- migrations ------------------------------------------------------------------------------------


def install(tally: Tally, schema_editor: Any) -> None:
    """Create the triggers (replacing any there are), then fill the tally from the existing rows,
    all in the caller's (the migration's) transaction."""
    vendor = schema_editor.connection.vendor
    triggers.reinstall(
        schema_editor,
        drop_statements(tally, vendor),
        statements(tally, vendor),
        fill_statements(tally, vendor),
    )


def uninstall(tally: Tally, schema_editor: Any) -> None:
    """Drop the triggers; the tally table itself is the migration's to drop."""
    run_all(schema_editor, drop_statements(tally, schema_editor.connection.vendor))
