"""Inserting many rows fast: COPY on PostgreSQL, ``executemany`` in batches elsewhere.

``bulk_create`` builds a model instance and compiles the SQL for every row, which made the large
imports (a cost ledger, an invoice file) several times slower than reading the file. Use this only
for models without signals or save() logic to skip; the caller passes database-ready values.
"""

from __future__ import annotations

from collections.abc import Iterable
from itertools import islice
from typing import Any

from django.db import connections, models, router

BATCH_SIZE = 5000  # rows per INSERT batch


def _target(model: type[models.Model], field_names: tuple[str, ...], connection: Any) -> tuple[str, str]:
    """The quoted table and column list of an INSERT or COPY into ``model``."""
    meta = model._meta
    quote = connection.ops.quote_name
    columns = ", ".join(quote(meta.get_field(name).column) for name in field_names)
    return quote(meta.db_table), columns


def insert_rows(
    model: type[models.Model], field_names: tuple[str, ...], rows: Iterable[tuple[Any, ...]]
) -> None:
    connection = connections[router.db_for_write(model)]
    table, columns = _target(model, field_names, connection)
    iterator = iter(rows)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in iterator:
                    copy.write_row(row)
            return
        placeholders = ", ".join(["%s"] * len(field_names))
        sql = f"INSERT INTO {table} ({columns}) VALUES ({placeholders})"
        while batch := list(islice(iterator, BATCH_SIZE)):
            cursor.executemany(sql, batch)


def copy_csv_file(model: type[models.Model], field_names: tuple[str, ...], path: str) -> None:
    """PostgreSQL only: COPY a CSV file (no header; columns in the order of ``field_names``) into
    ``model``'s table, streamed in blocks – for rows another engine has written as CSV."""
    connection = connections[router.db_for_write(model)]
    table, columns = _target(model, field_names, connection)
    sql = f"COPY {table} ({columns}) FROM STDIN WITH (FORMAT csv)"
    with connection.cursor() as cursor, open(path, "rb") as source, cursor.cursor.copy(sql) as copy:
        while block := source.read(1 << 20):
            copy.write(block)
