"""Per-key row counts and column sums kept by database triggers, so a list can show its totals
without aggregating its rows (``RegionInvoiceTotals``: a region's invoices and their amounts).

The sibling of :mod:`hyrkoll.lib.tallies`, which counts rows only: a :class:`Sums` names a totals
table (the ``key`` column as primary key, a ``count`` column and one column per summed column of the
source, of the same name) and the source table whose rows it counts and sums per key. The migration
creating the table installs the triggers with :func:`install` and removes them with :func:`uninstall`;
migrations import this module, so its API stays as it is.

- **PostgreSQL**: statement-level AFTER triggers with transition tables (INSERT, UPDATE, DELETE;
  TRUNCATE empties the totals), each one grouped upsert of the per-key change in key order, so
  concurrent statements lock totals rows in the same order. An UPDATE changes the totals only for
  rows whose key or a summed column changed; otherwise no totals row is written. ``ENABLE ALWAYS``:
  they fire under ``session_replication_role = replica`` too (the scale generator's COPY).
- **SQLite**: row-level triggers doing the same per row. Its decimals are REAL (a DecimalField is
  ``decimal``, NUMERIC affinity), so every new sum is rounded to ``places`` decimals: no float error
  accumulates, and the kept sums equal an exact sum of the rows (within the 15 significant digits
  SQLite keeps of any decimal).
- Other vendors: nothing is installed and :func:`maintained` is False: readers aggregate the rows.

The source's key columns are NOT NULL and its ``id`` never changes (the UPDATE trigger pairs old and
new rows by it). On SQLite, a migration that remakes the source table drops its triggers: it must
call :func:`install` again (``test_the_migration_installed_the_triggers`` fails otherwise).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import connections, models, router
from django.db.models import QuerySet

from hyrkoll.lib import triggers
from hyrkoll.lib.triggers import PgTrigger, SqliteTrigger, maintained, run_all

__all__ = [
    "Sums",
    "drop_statements",
    "fill_statements",
    "install",
    "maintained",
    "region_rows",
    "statements",
    "trigger_names",
    "uninstall",
]


@dataclass(frozen=True)
class Sums:
    """``table`` (``key``, ``count``, ``*columns``) counts the rows of ``source`` per ``key`` and sums
    their ``columns`` (SQLite rounds each sum to ``places`` decimals).

    ``key`` is one column (the table's primary key) or several (e.g. region and status: the table
    then has a unique constraint over exactly them, for the upserts' ``ON CONFLICT``). The statements
    for one key column are those this module has always written."""

    table: str
    key: str | tuple[str, ...]
    count: str
    source: str
    columns: tuple[str, ...]
    places: int = 2

    @property
    def prefix(self) -> str:
        """The prefix of the trigger and function names."""
        return f"{self.table}_s"

    @property
    def keys(self) -> tuple[str, ...]:
        """The key columns."""
        return (self.key,) if isinstance(self.key, str) else self.key

    @property
    def aliases(self) -> tuple[str, ...]:
        """The key columns' names in the triggers' queries: ``key`` for the first, ``key_<column>``
        for any other."""
        return ("key", *(f"key_{column}" for column in self.keys[1:]))


def region_rows(model: type[models.Model], user: Any, region: str = "pk") -> QuerySet[Any] | None:
    """The rows of a table kept per region (``model``, the region its primary key or the field
    ``region``) that cover what ``visible_to(user)`` shows of the counted rows – every region's for the
    national level and superusers, the user's region's for a region user – or None where the triggers
    keep nothing (the vendor) or the user sees rows by another scope (a supplier): the caller counts
    the rows then."""
    if not maintained(connections[router.db_for_read(model)].vendor):
        return None
    kept = model._default_manager.order_by()
    if user.is_superuser or user.is_national:
        return kept
    if user.region_id is None:
        return None
    return kept.filter(**{region: user.region_id})


def _listed(*items: str) -> str:
    """A comma-separated SQL list (a table without summed columns is a count per key alone)."""
    return ", ".join(items)


# --- PostgreSQL ------------------------------------------------------------------------------------


def _pg_upsert(sums: Sums, deltas: str) -> str:
    """Add ``deltas`` (a query of ``key, n, *columns``) to the totals, one row per key in key order;
    keys whose every delta is zero are left alone."""
    t, cols, keys = sums.table, sums.columns, _listed(*sums.aliases)
    summed = ", ".join(f"coalesce(sum({c}), 0)" for c in ("n", *cols))
    changed = " OR ".join(f"coalesce(sum({c}), 0) <> 0" for c in ("n", *cols))
    updates = ", ".join(f"{c} = {t}.{c} + EXCLUDED.{c}" for c in (sums.count, *cols))
    return (
        f"INSERT INTO {t} ({_listed(*sums.keys, sums.count, *cols)}) "
        f"SELECT {keys}, {summed} FROM ({deltas}) deltas GROUP BY {keys} HAVING {changed} ORDER BY {keys} "
        f"ON CONFLICT ({_listed(*sums.keys)}) DO UPDATE SET {updates}"
    )


def _pg_rows(sums: Sums, rows: str, sign: str) -> str:
    """The deltas of every row of transition table ``rows``, counted and summed with ``sign``."""
    columns = [f"{sign}{c} AS {c}" for c in sums.columns]
    keys = [f"{key} AS {alias}" for key, alias in zip(sums.keys, sums.aliases, strict=True)]
    return f"SELECT {_listed(*keys, f'{sign}1 AS n', *columns)} FROM {rows}"


def _pg_triggers(sums: Sums) -> list[PgTrigger]:
    """(name, event, table – the source –, REFERENCING clause, function body) of every trigger."""
    p, cols, source = sums.prefix, sums.columns, sums.source
    keys = list(zip(sums.keys, sums.aliases, strict=True))
    differs = " OR ".join(f"o.{c} IS DISTINCT FROM n.{c}" for c in (*sums.keys, *cols))
    pairs = ", ".join(
        [part for key, alias in keys for part in (f"o.{key} AS was_{alias}", f"n.{key} AS now_{alias}")]
        + [f"o.{c} AS was_{c}, n.{c} AS now_{c}" for c in cols]
    )
    changed = (
        f"WITH changed AS (SELECT {pairs} FROM old_rows o JOIN new_rows n ON n.id = o.id WHERE {differs})\n"
    )
    now = _listed(
        *(f"now_{alias} AS {alias}" for _key, alias in keys), "1 AS n", *(f"now_{c} AS {c}" for c in cols)
    )
    was = _listed(*(f"was_{alias}" for _key, alias in keys), "-1", *(f"-was_{c}" for c in cols))
    moves = f"SELECT {now} FROM changed UNION ALL SELECT {was} FROM changed"
    return [
        (
            f"{p}_ins",
            "INSERT",
            source,
            "NEW TABLE AS new_rows",
            _pg_upsert(sums, _pg_rows(sums, "new_rows", "")) + ";",
        ),
        (
            f"{p}_del",
            "DELETE",
            source,
            "OLD TABLE AS old_rows",
            _pg_upsert(sums, _pg_rows(sums, "old_rows", "-")) + ";",
        ),
        (
            f"{p}_upd",
            "UPDATE",
            source,
            "OLD TABLE AS old_rows NEW TABLE AS new_rows",
            changed + _pg_upsert(sums, moves) + ";",
        ),
        (f"{p}_trunc", "TRUNCATE", source, "", f"DELETE FROM {sums.table};"),
    ]


# --- SQLite ----------------------------------------------------------------------------------------


def _sqlite_add(sums: Sums, row: str) -> str:
    t, cols, places = sums.table, sums.columns, sums.places
    values = _listed(*(f"{row}.{key}" for key in sums.keys), "1", *(f"coalesce({row}.{c}, 0)" for c in cols))
    updates = ", ".join(
        [f"{sums.count} = {sums.count} + 1"] + [f"{c} = round({c} + excluded.{c}, {places})" for c in cols]
    )
    return (
        f"INSERT INTO {t} ({_listed(*sums.keys, sums.count, *cols)}) VALUES ({values}) "
        f"ON CONFLICT({_listed(*sums.keys)}) DO UPDATE SET {updates};"
    )


def _sqlite_remove(sums: Sums, row: str) -> str:
    updates = ", ".join(
        [f"{sums.count} = {sums.count} - 1"]
        + [f"{c} = round({c} - coalesce({row}.{c}, 0), {sums.places})" for c in sums.columns]
    )
    where = " AND ".join(f"{key} = {row}.{key}" for key in sums.keys)
    return f"UPDATE {sums.table} SET {updates} WHERE {where};"


def _sqlite_triggers(sums: Sums) -> list[SqliteTrigger]:
    """(name, CREATE TRIGGER statement) of every trigger on the source."""
    p, source, watched = sums.prefix, sums.source, (*sums.keys, *sums.columns)
    differs = " OR ".join(f"OLD.{c} IS NOT NEW.{c}" for c in watched)
    triggers = [
        (f"{p}_ins", f"AFTER INSERT ON {source} FOR EACH ROW BEGIN {_sqlite_add(sums, 'NEW')} END"),
        (f"{p}_del", f"AFTER DELETE ON {source} FOR EACH ROW BEGIN {_sqlite_remove(sums, 'OLD')} END"),
        (
            f"{p}_upd",
            f"AFTER UPDATE OF {', '.join(watched)} ON {source} FOR EACH ROW WHEN {differs} "
            f"BEGIN {_sqlite_remove(sums, 'OLD')} {_sqlite_add(sums, 'NEW')} END",
        ),
    ]
    return [(name, f"CREATE TRIGGER {name} {body}") for name, body in triggers]


# --- statements ------------------------------------------------------------------------------------


def statements(sums: Sums, vendor: str) -> list[str]:
    """The statements creating the triggers on ``vendor`` (none for other vendors)."""
    return triggers.create_statements(vendor, _pg_triggers(sums), _sqlite_triggers(sums))


def fill_statements(sums: Sums, vendor: str) -> list[str]:
    """The statements setting the totals from the rows there are: the source locked against writes
    on PostgreSQL, the totals emptied, then one grouped INSERT."""
    if not maintained(vendor):
        return []
    if vendor == "sqlite":
        summed = [f"round(coalesce(sum({c}), 0), {sums.places})" for c in sums.columns]
    else:
        summed = [f"coalesce(sum({c}), 0)" for c in sums.columns]
    locks = [f"LOCK TABLE {sums.source} IN SHARE MODE"] if vendor == "postgresql" else []
    return [
        *locks,
        f"DELETE FROM {sums.table}",
        f"INSERT INTO {sums.table} ({_listed(*sums.keys, sums.count, *sums.columns)}) "
        f"SELECT {_listed(*sums.keys, 'count(*)', *summed)} FROM {sums.source} GROUP BY {_listed(*sums.keys)}",
    ]


def drop_statements(sums: Sums, vendor: str) -> list[str]:
    """The statements dropping the triggers (and PostgreSQL trigger functions)."""
    return triggers.drop_statements(vendor, _pg_triggers(sums), _sqlite_triggers(sums))


def trigger_names(sums: Sums, vendor: str) -> list[str]:
    """The names of the triggers on ``vendor``."""
    return triggers.names(vendor, _pg_triggers(sums), _sqlite_triggers(sums))


# --- migrations ------------------------------------------------------------------------------------


def install(sums: Sums, schema_editor: Any) -> None:
    """Create the triggers (replacing any there are), then fill the totals from the existing rows,
    all in the caller's (the migration's) transaction."""
    vendor = schema_editor.connection.vendor
    triggers.reinstall(
        schema_editor,
        drop_statements(sums, vendor),
        statements(sums, vendor),
        fill_statements(sums, vendor),
    )


def uninstall(sums: Sums, schema_editor: Any) -> None:
    """Drop the triggers; the totals table itself is the migration's to drop."""
    run_all(schema_editor, drop_statements(sums, schema_editor.connection.vendor))
