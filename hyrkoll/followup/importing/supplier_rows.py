"""The columnar reader's supplier lines, kept in DuckDB until they are stored.

The amounts per unit of a supplier (the groups of the file) are stored by the grain of
``SupplierCostMonth``: one row per region-month, its entries (supplier, profession, care area, the
amount per unit) as JSON text made by DuckDB – as ``SupplierCostMonth.entry_text`` writes them (each
unit quoted by Python's ``json.dumps``, once per distinct unit) – part by part as the rows are
stored (in the thread that works ahead of the database). The benchmark ledger's 544,156 amounts per
unit, in 132,080 entries, make 2,520 rows. On PostgreSQL DuckDB writes them as CSV, in a few parts by
region, in a thread of its own, while the part before is sent with ``COPY FROM STDIN``; elsewhere
(SQLite) they are fetched in batches of tuples, in a thread of their own, while the batch before is
inserted with ``executemany``. Each part is sorted on its own, so DuckDB never holds all the rows
sorted at once.
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


class in_thread(Iterator[T]):  # noqa: N801 – used like a function returning an iterator
    """``items`` made in a thread of their own, started at once and kept one ahead of the caller
    (DuckDB and the database drivers let go of the GIL while they work, so the two overlap).
    ``close()`` (also at the end, or on an error) stops the thread; call it if not read to the end."""

    def __init__(self, items: Iterator[T]) -> None:
        self._ready: queue.Queue[tuple[str, Any]] = queue.Queue(maxsize=1)
        self._stop = threading.Event()
        self._items = items
        self._worker = threading.Thread(target=self._produce, name="import-ahead", daemon=True)
        self._worker.start()

    def _produce(self) -> None:
        try:
            for item in self._items:
                self._ready.put(("item", item))
                if self._stop.is_set():
                    return
            self._ready.put(("end", None))
        except BaseException as error:  # handed to the caller's thread
            self._ready.put(("error", error))

    def __next__(self) -> T:
        if self._stop.is_set():
            raise StopIteration
        what, item = self._ready.get()
        if what == "item":
            return item
        self.close()
        if what == "error":
            raise item
        raise StopIteration

    def close(self) -> None:
        self._stop.set()
        while self._worker.is_alive():  # a producer waiting to put its next item
            with contextlib.suppress(queue.Empty):
                self._ready.get(timeout=0.05)
        self._worker.join()


KEY = "region, period, org, profession, area"
# The table (raw, value) of each unit as Python's ``json.dumps`` writes it (``ensure_ascii=False``),
# made by the reader when it checks the units.
UNIT_JSON = "unit_json"
# A region-month's entries as JSON text: an entry per supplier, profession and care area, its units
# within it; entries and units each in the order of their texts (list_sort; an aggregate's ORDER BY
# took twice as long) – as ``SupplierCostMonth.entry_text`` writes them; each amount as DuckDB writes a
# DECIMAL(_, 2) as text, two decimals.
MONTHS = """SELECT region, period,
           '[' || array_to_string(list_sort(list(
               '["' || org || '","' || profession || '","' || area || '",' || units || ']')), ',') || ']' AS entries
    FROM (SELECT region, period, org, profession, area,
                 '{{' || array_to_string(list_sort(list(q.value || ':"' || CAST(amount AS VARCHAR) || '"')), ',')
                 || '}}' AS units
          FROM ({per_unit}) s JOIN unit_json q ON q.raw = s.unit {where}
          GROUP BY region, period, org, profession, area)
    GROUP BY region, period"""


class SupplierRows:
    """The stored rows, (region code, month, entries), of the amounts per unit selected by
    ``per_unit``; ``counts``: how many suppliers' rows (supplier × profession × care area) per region
    code; ``largest``: the largest amount of such a row or of a unit within one, without its sign
    (the row-by-row reader refuses what cannot be added up). The rows are counted here, and grouped
    with their JSON part by part as they are stored (in the thread that works ahead of the
    database)."""

    def __init__(
        self, connection: Any, workdir: tempfile.TemporaryDirectory, per_unit: str, add_up: bool
    ) -> None:
        """``per_unit``: a DuckDB query of (region, period, org, unit, profession, area, amount),
        one row per unit of a stored row unless ``add_up`` (then they are added up first)."""
        if add_up:
            connection.execute(
                f"""CREATE TABLE supplier_units AS SELECT region, period, org, unit, profession, area,
                           SUM(amount) AS amount
                    FROM ({per_unit}) GROUP BY ALL"""
            )
            per_unit = "SELECT * FROM supplier_units"
        self._connection = connection
        self._workdir = workdir
        self._per_unit = per_unit
        self.counts: dict[str, int] = {}
        self.largest = 0
        for code, count, largest in connection.execute(
            f"""SELECT region, COUNT(*), GREATEST(MAX(ABS(amount)), MAX(largest_unit))
                FROM (SELECT {KEY}, SUM(amount) AS amount, MAX(ABS(amount)) AS largest_unit
                      FROM ({per_unit}) GROUP BY {KEY})
                GROUP BY region"""
        ).fetchall():
            self.counts[code] = count
            self.largest = max(self.largest, largest)
        self.count = sum(self.counts.values())

    def _with_ids(self, region_ids: dict[str, int]) -> None:
        connection = self._connection
        connection.execute("CREATE OR REPLACE TEMP TABLE region_ids (code VARCHAR, id BIGINT)")
        connection.executemany("INSERT INTO region_ids VALUES (?, ?)", list(region_ids.items()))

    def _parts(self, region_ids: dict[str, int]) -> list[str]:
        """WHERE clauses for a few parts of about equal rows, by region in the order of the ids."""
        share = max(self.count // PARTS, 1)
        parts: list[list[str]] = [[]]
        filled = 0
        for _region_id, code in sorted((region_ids[code], code) for code in self.counts):
            if filled >= share and len(parts) < PARTS:
                parts.append([])
                filled = 0
            parts[-1].append(code)
            filled += self.counts[code]
        return [
            "WHERE region IN ({})".format(", ".join("'{}'".format(code.replace("'", "''")) for code in codes))
            for codes in parts
            if codes
        ]

    def _query(self, import_id: int, where: str = "") -> str:
        """The stored row as text, the way Django writes it: the month as ISO date; in the order of
        the table's index (region, month), which makes the inserts cheaper."""
        months = MONTHS.format(per_unit=self._per_unit, where=where)
        return f"""SELECT r.id, CAST(s.period AS VARCHAR), s.entries, {int(import_id)}
                   FROM ({months}) s JOIN region_ids r ON r.code = s.region
                   ORDER BY r.id, s.period"""

    def batches(self, region_ids: dict[str, int], import_id: int) -> in_thread[list[tuple[Any, ...]]]:
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
        with contextlib.closing(self.batches(region_ids, import_id)) as batches:  # stopped if left unread
            for batch in batches:
                yield from batch

    def csv_blocks(self, region_ids: dict[str, int], import_id: int) -> in_thread[bytes]:
        """The same rows as CSV (no header), a part at a time; DuckDB writes the next part in a
        thread while the caller sends the part before."""
        self._with_ids(region_ids)

        def write() -> Iterator[bytes]:
            for number, where in enumerate(self._parts(region_ids)):
                path = os.path.join(self._workdir.name, f"supplier_sums_{number}.csv")
                query = self._query(import_id, where)
                self._connection.execute(f"COPY ({query}) TO '{path}' (FORMAT csv, HEADER false)")
                with open(path, "rb") as file:
                    yield file.read()
                os.remove(path)

        return in_thread(write())

    def close(self) -> None:
        self._connection.close()
        self._workdir.cleanup()
