"""Rows for one table at a time, written in chunks with COPY (``hyrkoll.lib.bulk.insert_rows``).

A :class:`Table` is made with the fields the generator sets; every other concrete field gets its
default (or NULL) once, so a row is a short tuple. Primary keys are handed out here, from the table's
current maximum, so children can point at parents before anything is written; :func:`reset_sequences`
moves the database's sequences past them afterwards so the app can insert again.
"""

from __future__ import annotations

import datetime
import json
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.core.management.color import no_style
from django.db import connection, models

from hyrkoll.lib.bulk import insert_rows


class Table:
    """Buffered rows of ``model``: ``add(*values)`` in the order of ``fields``, ``flush()`` to COPY."""

    def __init__(self, model: type[models.Model], fields: tuple[str, ...], *, with_id: bool = True) -> None:
        self.model = model
        self.label = str(model._meta.verbose_name_plural)
        given = set(fields)
        tail_names: list[str] = []
        tail: list[Any] = []
        for field in model._meta.concrete_fields:
            if field.primary_key or field.name in given:
                continue
            tail_names.append(field.name)
            tail.append(_default(field))
        self.fields = (("id",) if with_id else ()) + fields + tuple(tail_names)
        self.tail = tuple(tail)
        self.rows: list[tuple[Any, ...]] = []
        self.with_id = with_id
        self.next_id = (model.objects.aggregate(top=models.Max("pk"))["top"] or 0) + 1
        self.written = 0
        self.seconds = 0.0  # spent in COPY (the database's side and psycopg's)

    def add(self, *values: Any) -> int:
        """Buffer one row; returns its primary key (when the table hands them out)."""
        if self.with_id:
            pk = self.next_id
            self.next_id += 1
            self.rows.append((pk, *values, *self.tail))
            return pk
        self.rows.append((*values, *self.tail))
        return 0

    def flush(self) -> None:
        if self.rows:
            rows = self.rows if connection.vendor == "postgresql" else [_for_sqlite(row) for row in self.rows]
            started = time.monotonic()
            insert_rows(self.model, self.fields, rows)
            self.seconds += time.monotonic() - started
            self.written += len(self.rows)
            self.rows.clear()


def _for_sqlite(row: tuple[Any, ...]) -> tuple[Any, ...]:
    """Aware timestamps as Django stores them in SQLite (naive UTC text); psycopg needs nothing."""
    return tuple(
        connection.ops.adapt_datetimefield_value(value) if isinstance(value, datetime.datetime) else value
        for value in row
    )


def _default(field: models.Field) -> Any:
    """The value a row gets for a field the generator does not set."""
    if field.has_default():
        value = field.get_default()
        return json.dumps(value) if isinstance(field, models.JSONField) else value
    if field.null:
        return None
    if isinstance(field, models.CharField | models.TextField):
        return ""
    raise ValueError(f"{field.model.__name__}.{field.name} needs a value")


def reset_sequences(model_list: list[type[models.Model]]) -> None:
    """Move each table's id sequence past the ids written here (PostgreSQL; SQLite needs nothing)."""
    statements = connection.ops.sequence_reset_sql(no_style(), model_list)
    if statements:
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)


def database_size() -> str:
    """``pg_database_size`` pretty-printed, or the SQLite file's size."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT pg_size_pretty(pg_database_size(current_database()))")
            return str(cursor.fetchone()[0])
        cursor.execute("SELECT page_count * page_size FROM pragma_page_count(), pragma_page_size()")
        return f"{cursor.fetchone()[0] / 1e6:.0f} MB"


def table_size(model: type[models.Model]) -> int:
    """Bytes of the table with its indexes (PostgreSQL; 0 elsewhere)."""
    if connection.vendor != "postgresql":
        return 0
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_total_relation_size(%s)", [model._meta.db_table])
        return int(cursor.fetchone()[0])


@contextmanager
def without_row_triggers() -> Iterator[bool]:
    """Skip the foreign-key triggers while the generator COPYs rows whose keys it has just handed out
    (``session_replication_role = replica``, for a superuser on PostgreSQL): every referenced row is
    written first, by construction. Yields whether the triggers were skipped."""
    skip = False
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
            skip = bool(cursor.fetchone()[0])
            if skip:
                cursor.execute("SET session_replication_role = replica")
    try:
        yield skip
    finally:
        if skip:
            with connection.cursor() as cursor:
                cursor.execute("SET session_replication_role = DEFAULT")
