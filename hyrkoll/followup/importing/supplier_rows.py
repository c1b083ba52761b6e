"""The columnar reader's supplier-grain sums, kept in DuckDB until they are stored.

A ledger has hundreds of thousands of them (the benchmark ledger: 544,156), so they never become
Python objects on PostgreSQL: DuckDB writes them as CSV, in a few parts by region, in a thread of
its own, while the previous part is sent with ``COPY FROM STDIN`` (PostgreSQL's server parses one
part while DuckDB writes the next). Elsewhere (SQLite) they are fetched in batches of tuples and
inserted with ``executemany``.
"""

from __future__ import annotations

import contextlib
import os
import queue
import tempfile
import threading
from collections.abc import Iterator
from typing import Any

FETCH_BATCH = 50_000
CSV_PARTS = 4  # PostgreSQL copies one while DuckDB writes the next


class SupplierRows:
    """(region code, month, org no, unit, profession, care area, amount) rows, ``count`` of them,
    selected by ``source`` (a DuckDB query or table with those column names)."""

    def __init__(
        self, connection: Any, workdir: tempfile.TemporaryDirectory, source: str, count: int
    ) -> None:
        self._connection = connection
        self._workdir = workdir
        self._source = source
        self.count = count

    def _with_ids(self, region_ids: dict[str, int]) -> None:
        connection = self._connection
        connection.execute("CREATE OR REPLACE TEMP TABLE region_ids (code VARCHAR, id BIGINT)")
        connection.executemany("INSERT INTO region_ids VALUES (?, ?)", list(region_ids.items()))

    def _query(self, import_id: int, where: str = "") -> str:
        """The stored row as text, the way Django writes it: the month as ISO date, the amount with
        two decimals (DECIMAL as text, as django.db.backends.utils.format_number writes it); in the
        order of the table's index (region, month), which makes the inserts cheaper."""
        return f"""SELECT r.id, CAST(s.period AS VARCHAR), s.org, s.unit, s.profession, s.area,
                          CAST(s.amount AS VARCHAR), {int(import_id)}
                   FROM ({self._source}) s JOIN region_ids r ON r.code = s.region {where}
                   ORDER BY r.id, s.period"""

    def batches(self, region_ids: dict[str, int], import_id: int) -> Iterator[list[tuple[Any, ...]]]:
        """The rows in the order of ``storing.SUPPLIER_FIELDS``, ready for the database."""
        self._with_ids(region_ids)
        cursor = self._connection.execute(self._query(import_id))
        while batch := cursor.fetchmany(FETCH_BATCH):
            yield batch

    def stored_rows(self, region_ids: dict[str, int], import_id: int) -> Iterator[tuple[Any, ...]]:
        for batch in self.batches(region_ids, import_id):
            yield from batch

    def _parts(self) -> list[list[int]]:
        """The region ids in a few parts of about equal rows, in the order of their ids."""
        counts = self._connection.execute(
            f"""SELECT r.id, COUNT(*) FROM ({self._source}) s JOIN region_ids r ON r.code = s.region
                GROUP BY r.id ORDER BY r.id"""
        ).fetchall()
        share = max(sum(count for _id, count in counts) // CSV_PARTS, 1)
        parts: list[list[int]] = [[]]
        filled = 0
        for region_id, count in counts:
            if filled >= share and len(parts) < CSV_PARTS:
                parts.append([])
                filled = 0
            parts[-1].append(int(region_id))
            filled += count
        return parts

    def csv_blocks(self, region_ids: dict[str, int], import_id: int) -> Iterator[bytes]:
        """The same rows as CSV (no header), in blocks; DuckDB writes the next part in a thread
        while the caller sends the blocks of the part before."""
        self._with_ids(region_ids)
        parts = self._parts()
        ready: queue.Queue[str | BaseException | None] = queue.Queue(maxsize=1)
        stop = threading.Event()

        def write() -> None:
            try:
                for number, ids in enumerate(parts):
                    if stop.is_set():
                        break
                    path = os.path.join(self._workdir.name, f"supplier_sums_{number}.csv")
                    where = "WHERE r.id IN ({})".format(", ".join(map(str, ids)))
                    query = self._query(import_id, where)
                    self._connection.execute(f"COPY ({query}) TO '{path}' (FORMAT csv, HEADER false)")
                    ready.put(path)
                ready.put(None)
            except BaseException as error:  # handed to the caller's thread
                ready.put(error)

        writer = threading.Thread(target=write, name="supplier-rows-csv", daemon=True)
        writer.start()
        try:
            while (item := ready.get()) is not None:
                if isinstance(item, BaseException):
                    raise item
                with open(item, "rb") as file:
                    while block := file.read(1 << 20):
                        yield block
                os.remove(item)
        finally:
            stop.set()
            while writer.is_alive():  # let a waiting writer finish its put
                with contextlib.suppress(queue.Empty):
                    ready.get(timeout=0.05)
            writer.join()

    def close(self) -> None:
        self._connection.close()
        self._workdir.cleanup()
