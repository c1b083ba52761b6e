"""The columnar reader's supplier-grain sums, kept in DuckDB until they are stored.

A ledger has hundreds of thousands of them (the benchmark ledger: 544,156), so they never become
Python objects on PostgreSQL: DuckDB writes them as CSV, in a few parts by region, in a thread of
its own, while the part before is sent with ``COPY FROM STDIN`` (PostgreSQL's server parses one
part while DuckDB writes the next). Elsewhere (SQLite) they are fetched in batches of tuples, in
a thread of their own, while the batch before is inserted with ``executemany``. Each part is
sorted on its own, so DuckDB never holds all the rows sorted at once.
"""

from __future__ import annotations

import contextlib
import os
import queue
import tempfile
import threading
from collections.abc import Iterator
from typing import Any, TypeVar

FETCH_BATCH = 2_000
PARTS = 16  # parts by region, of about equal rows (smaller parts: less memory for each sort)
T = TypeVar("T")


def in_thread(items: Iterator[T]) -> Iterator[T]:
    """``items`` made in a thread of their own, one ahead of the caller (DuckDB and the database
    drivers let go of the GIL while they work, so the two overlap)."""
    ready: queue.Queue[tuple[str, Any]] = queue.Queue(maxsize=1)
    stop = threading.Event()

    def produce() -> None:
        try:
            for item in items:
                ready.put(("item", item))
                if stop.is_set():
                    return
            ready.put(("end", None))
        except BaseException as error:  # handed to the caller's thread
            ready.put(("error", error))

    worker = threading.Thread(target=produce, name="import-ahead", daemon=True)
    worker.start()
    try:
        while True:
            what, item = ready.get()
            if what == "end":
                return
            if what == "error":
                raise item
            yield item
    finally:
        stop.set()
        while worker.is_alive():  # a producer waiting to put its next item
            with contextlib.suppress(queue.Empty):
                ready.get(timeout=0.05)
        worker.join()


class SupplierRows:
    """(region code, month, org no, unit, profession, care area, amount) rows selected by
    ``source`` (a DuckDB query with those column names); ``counts``: how many per region code."""

    def __init__(
        self, connection: Any, workdir: tempfile.TemporaryDirectory, source: str, counts: dict[str, int]
    ) -> None:
        self._connection = connection
        self._workdir = workdir
        self._source = source
        self.counts = counts
        self.count = sum(counts.values())

    def _with_ids(self, region_ids: dict[str, int]) -> None:
        connection = self._connection
        connection.execute("CREATE OR REPLACE TEMP TABLE region_ids (code VARCHAR, id BIGINT)")
        connection.executemany("INSERT INTO region_ids VALUES (?, ?)", list(region_ids.items()))

    def _parts(self, region_ids: dict[str, int]) -> list[str]:
        """WHERE clauses for a few parts of about equal rows, by region in the order of the ids."""
        share = max(self.count // PARTS, 1)
        parts: list[list[int]] = [[]]
        filled = 0
        for region_id, code in sorted((region_ids[code], code) for code in self.counts):
            if filled >= share and len(parts) < PARTS:
                parts.append([])
                filled = 0
            parts[-1].append(region_id)
            filled += self.counts[code]
        return ["WHERE r.id IN ({})".format(", ".join(map(str, ids))) for ids in parts if ids]

    def _query(self, import_id: int, where: str = "") -> str:
        """The stored row as text, the way Django writes it: the month as ISO date, the amount with
        two decimals (DECIMAL as text, as django.db.backends.utils.format_number writes it); in the
        order of the table's index (region, month), which makes the inserts cheaper."""
        return f"""SELECT r.id, CAST(s.period AS VARCHAR), s.org, s.unit, s.profession, s.area,
                          CAST(s.amount AS VARCHAR), {int(import_id)}
                   FROM ({self._source}) s JOIN region_ids r ON r.code = s.region {where}
                   ORDER BY r.id, s.period"""

    def batches(self, region_ids: dict[str, int], import_id: int) -> Iterator[list[tuple[Any, ...]]]:
        """The rows in the order of ``storing.SUPPLIER_FIELDS``, ready for the database; the next
        batch is fetched in a thread while the caller inserts the one before."""
        self._with_ids(region_ids)

        def fetch() -> Iterator[list[tuple[Any, ...]]]:
            for where in self._parts(region_ids):
                cursor = self._connection.execute(self._query(import_id, where))
                while batch := cursor.fetchmany(FETCH_BATCH):
                    yield batch

        return in_thread(fetch())

    def stored_rows(self, region_ids: dict[str, int], import_id: int) -> Iterator[tuple[Any, ...]]:
        for batch in self.batches(region_ids, import_id):
            yield from batch

    def csv_blocks(self, region_ids: dict[str, int], import_id: int) -> Iterator[bytes]:
        """The same rows as CSV (no header), in blocks; DuckDB writes the next part in a thread
        while the caller sends the blocks of the part before."""
        self._with_ids(region_ids)

        def write() -> Iterator[str]:
            for number, where in enumerate(self._parts(region_ids)):
                path = os.path.join(self._workdir.name, f"supplier_sums_{number}.csv")
                query = self._query(import_id, where)
                self._connection.execute(f"COPY ({query}) TO '{path}' (FORMAT csv, HEADER false)")
                yield path

        for path in in_thread(write()):
            with open(path, "rb") as file:
                while block := file.read(1 << 20):
                    yield block
            os.remove(path)

    def close(self) -> None:
        self._connection.close()
        self._workdir.cleanup()
