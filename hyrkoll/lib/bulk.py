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


def insert_rows(
    model: type[models.Model], field_names: tuple[str, ...], rows: Iterable[tuple[Any, ...]]
) -> None:
    meta = model._meta
    connection = connections[router.db_for_write(model)]
    quote = connection.ops.quote_name
    columns = ", ".join(quote(meta.get_field(name).column) for name in field_names)
    table = quote(meta.db_table)
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
