"""The columnar reader: a large CSV file read, checked and added up by DuckDB in one pass.

It accepts a file only when it can prove the file valid, and then gives exactly the sums the
row-by-row reader would; for anything else (a workbook, Windows-1252 text, a cell it cannot prove
valid, a row shorter or longer than the header) it declines with None, and the row-by-row reader
reads the file and names each bad row and field. So it never accepts what the other rejects, nor
reads a value differently:

- every key cell (region, month, code, profession, care area), organisation number and unit is
  checked by the same Python functions, once per distinct value;
- an amount is accepted only in two plain shapes, ``-1234.50`` and ``-1234,50`` (at most two
  decimals, fewer digits than the stored field holds), which both readers read alike; any other
  (``1 234,50``, ``1e5``, a space around it) sends the file to the row-by-row reader;
- percentages must lie in 0–100 and not be given twice for a key; the sums are checked as in
  ``aggregation.check_sums``.

The lines are grouped once, by their raw key cells and (for lines with a supplier) supplier and
unit – the finest grain needed – into a table of DuckDB's database, a file in the import's temp
dir (compressed, so it takes little memory); the distinct values are validated in Python and
mapped to codes in DuckDB (``columnar_maps``). The sums per key are added up from the groups and come back to Python
(a few tens of thousands). The groups with a supplier, mapped, are the amounts per unit (added up
first when two raw spellings map to one code); they stay in DuckDB, which writes them as the stored
rows – a region-month each, its entries as JSON text – streamed to the database by ``storing``
(``supplier_rows.SupplierRows``): COPY on PostgreSQL, batched inserts elsewhere.
"""

from __future__ import annotations

import csv
import logging
import os
import tempfile
from pathlib import Path
from typing import Any

from django.conf import settings

from hyrkoll.followup.importing.aggregation import Parsed, Progress
from hyrkoll.followup.importing.columnar_maps import KEY_NAMES, Declined, validated_keys, validated_suppliers
from hyrkoll.followup.importing.errors import ErrorList
from hyrkoll.followup.importing.formats import PERCENT_METRICS, FileKind
from hyrkoll.followup.importing.supplier_rows import SupplierRows
from hyrkoll.followup.importing.validation import Header
from hyrkoll.followup.models import CostType
from hyrkoll.lib import tabular
from hyrkoll.organisation.models import Region

logger = logging.getLogger(__name__)

DEFAULT_MIN_BYTES = 4 * 1024 * 1024  # smaller files: the row-by-row reader is as quick
# DuckDB spills to the import's temp dir beyond this. Its database is a file there, not memory: the
# groups (the benchmark ledger: 567k) are stored compressed (~7 MB, not ~70 MB in memory), and
# the grouping spills sooner – peak memory beyond the process 235 → ~195 MB for the 107 MB ledger.
# (128 MB: the benchmark ledger's grouping ran out of memory – some of it cannot spill.) A larger
# file gets 1.5 × its size, so that its grouping has room in the same proportion.
MEMORY_LIMIT_MB = 160


def memory_limit(size: int) -> str:
    """DuckDB's memory limit for a file of ``size`` bytes."""
    return f"{max(MEMORY_LIMIT_MB, size * 3 // 2 // 2**20)}MB"


def min_bytes() -> int:
    return int(getattr(settings, "FOLLOWUP_IMPORT_COLUMNAR_MIN_BYTES", DEFAULT_MIN_BYTES))


def _header(kind: FileKind, data: bytes, errors: ErrorList) -> tuple[Header, str, int]:
    """The header (the first line, as the row-by-row reader finds it), the delimiter and the
    number of cells it has."""
    first = data[:65536].split(b"\n", 1)
    if len(first) < 2:
        raise Declined  # no line end in the sample
    line = first[0].decode("utf-8").lstrip("\ufeff")
    if '"' in line or "\r" in line.rstrip("\r") or not line.strip():
        raise Declined  # quoted names, old Mac line ends or a blank first line: read row by row
    delimiter = tabular.sniff_delimiter(line)
    values = next(csv.reader([line.rstrip("\r")], delimiter=delimiter))
    header = Header(kind, values, 1, errors)
    if errors:
        raise Declined
    return header, delimiter, len(values)


def _percentages(kind: FileKind) -> bool:
    return any(code in PERCENT_METRICS for code in kind.codes.values())


def _group(connection: Any, kind: FileKind, header: Header, path: str, delimiter: str, width: int) -> None:
    """One pass over the file: lines grouped by their raw key cells (and, for lines with a supplier,
    supplier and unit), with the sum, the count, the smallest and largest value and the bad ones."""
    columns = ", ".join(f"'c{i}': 'VARCHAR'" for i in range(width))
    index = header.index
    cell = {column: f"coalesce(c{position}, '')" for column, position in index.items()}
    digits = kind.max_digits - 2
    amount = cell[kind.value_column]
    # Two plain shapes only; the comma is the decimal comma (see the module docstring).
    valid = f"regexp_full_match({amount}, '-?[0-9]{{1,{digits}}}([.,][0-9]{{1,2}})?')"
    value = f"TRY_CAST(replace({amount}, ',', '.') AS DECIMAL(18, 2))"
    has_org = "supplier_org_no" in index
    org = cell["supplier_org_no"] if has_org else "''"
    unit = f"CASE WHEN {org} <> '' THEN {cell['unit']} ELSE '' END" if "unit" in index else "''"
    keys = ", ".join(
        f"{cell[column]} AS {name}" for column, name in zip(kind.key_columns, KEY_NAMES, strict=True)
    )
    not_blank = " OR ".join(f"c{i} IS NOT NULL" for i in range(width))
    # The smallest and largest value only where percentages are checked (a metrics file).
    extremes = f"MIN({value}) AS smallest, MAX({value}) AS largest," if _percentages(kind) else ""
    connection.execute(
        f"""CREATE TABLE groups AS
            SELECT {keys}, {org} AS k_org, {unit} AS k_unit,
                   SUM({value}) AS amount, COUNT(*) AS lines, {extremes}
                   COUNT(*) FILTER (WHERE NOT {valid}) AS bad
            FROM read_csv(?, delim = ?, quote = '"', escape = '"', header = false, skip = 1,
                          auto_detect = false, columns = {{{columns}}}, null_padding = false,
                          strict_mode = true, encoding = 'utf-8')
            WHERE {not_blank}
            GROUP BY ALL""",
        [path, delimiter],
    )


# Groups with their raw cells mapped to codes (every raw value is in its map: no group is lost).
MAPPED = """FROM {groups} g
           JOIN map_k_region r ON r.raw = g.k_region
           JOIN map_k_period p ON p.raw = g.k_period
           JOIN map_k_code c ON c.raw = g.k_code
           JOIN map_k_profession pr ON pr.raw = g.k_profession
           JOIN map_k_area a ON a.raw = g.k_area"""


def _sums(connection: Any, kind: FileKind, parsed: Parsed, lines_read: int) -> None:
    # Added up by the raw key cells first: the joins then see tens of thousands of rows, not the
    # hundreds of thousands of supplier groups.
    names = ", ".join(KEY_NAMES)
    extremes = "MIN(smallest) AS smallest, MAX(largest) AS largest"
    if not _percentages(kind):
        extremes = "0 AS smallest, 0 AS largest"
    keyed = f"""(SELECT {names}, SUM(amount) AS amount, SUM(lines) AS lines, {extremes}
                 FROM groups GROUP BY {names})"""
    rows = connection.execute(
        f"""SELECT r.value, p.value, c.value, pr.value, a.value, SUM(g.amount), SUM(g.lines),
                   MIN(g.smallest), MAX(g.largest)
            {MAPPED.format(groups=keyed)} GROUP BY ALL
            ORDER BY ALL"""  # in the order of the table's unique key: SQLite inserts them faster
    ).fetchall()
    if sum(row[6] for row in rows) != lines_read:
        raise Declined  # a value the mapping lost: cannot happen, but must not go unnoticed
    limit = kind.limit
    sums = {}
    for region, period, code, profession, area, total, lines, smallest, largest in rows:
        if code in PERCENT_METRICS and (lines > 1 or smallest < 0 or largest > 100):
            raise Declined  # given twice, or not a percentage: the row-by-row reader says where
        if abs(total) >= limit or (total < 0 and not kind.may_be_negative(code)):
            raise Declined
        sums[(region, period, code, profession, area)] = total
    parsed.sums = sums


def _supplier_rows(
    connection: Any, kind: FileKind, workdir: tempfile.TemporaryDirectory, distinct: bool
) -> SupplierRows:
    """The hired cost per supplier, by the stored grain (``supplier_rows``). When every map keeps
    distinct raw values distinct (the usual ledger), each group with a supplier is one unit of it."""
    select = f"""SELECT r.value AS region, p.value AS period, o.value AS org, g.k_unit AS unit,
                        pr.value AS profession, a.value AS area, g.amount AS amount
                 {MAPPED.format(groups="groups")} JOIN map_k_org o ON o.raw = g.k_org
                 WHERE c.value = '{CostType.HIRED}' AND g.k_org <> ''"""
    # Two spellings of one key (01 and 1, hired and Inhyrd): a unit's groups are added up first.
    rows = SupplierRows(connection, workdir, select, add_up=not distinct)
    if rows.largest >= kind.limit:
        raise Declined
    return rows


def _holds_nul(data: bytes | Path) -> bool:
    """Whether the file holds a NUL byte (text cannot; PostgreSQL refuses it)."""
    if isinstance(data, bytes):
        return b"\x00" in data
    with data.open("rb") as file:
        while block := file.read(1 << 22):
            if b"\x00" in block:
                return True
    return False


def estimated_lines(head: bytes, size: int) -> int:
    """The file's data lines as the first block's line density suggests, for the progress bar
    until DuckDB has read them all (counting the line ends took a third as long as DuckDB's
    whole grouping of the benchmark ledger: 0.27 s of Python's byte loop)."""
    line_ends = head.count(b"\n")
    if len(head) >= size:
        return max(line_ends - 1, 1)
    return max(round(size * line_ends / max(len(head), 1)) - 1, 1)


def read_columnar(
    kind: FileKind, data: bytes | Path, filename: str, region: Region | None, progress: Progress | None
) -> Parsed | None:
    """The file's sums, read by DuckDB; None when the file is not one this reader proves valid.
    ``data``: the file's bytes, or its path (then DuckDB reads it where it is)."""
    if isinstance(data, Path):
        size = data.stat().st_size
        with data.open("rb") as file:
            head = file.read(65536)
    else:
        size, head = len(data), data[:65536]
    if size < min_bytes() or tabular.is_xlsx(head, filename):
        return None
    if _holds_nul(data):
        return None
    import duckdb  # only here: the small files and the workbooks never need it

    parsed = Parsed()
    workdir = tempfile.TemporaryDirectory(prefix="hyrkoll-import-")
    connection = duckdb.connect(
        os.path.join(workdir.name, "import.duckdb"),
        config={
            "threads": os.cpu_count() or 1,
            "memory_limit": memory_limit(size),
            "temp_directory": workdir.name,
            "preserve_insertion_order": False,
        },
    )
    # The database file is deleted with the temp dir: nothing to write back when it closes.
    connection.execute("PRAGMA disable_checkpoint_on_shutdown")
    keep_open = False
    try:
        header, delimiter, width = _header(kind, head, ErrorList())
        if progress is not None:
            progress(0, estimated_lines(head, size))
        if isinstance(data, Path):
            path = str(data)
        else:
            path = os.path.join(workdir.name, "file.csv")
            with open(path, "wb") as file:
                file.write(data)
        _group(connection, kind, header, path, delimiter, width)
        lines, bad = connection.execute("SELECT SUM(lines), SUM(bad) FROM groups").fetchone()
        if not lines or bad:
            raise Declined
        distinct = validated_keys(connection, kind, header, region)
        distinct = validated_suppliers(connection) and distinct
        _sums(connection, kind, parsed, lines)
        parsed.lines = int(lines)
        if kind.has_suppliers:
            parsed.supplier_rows = _supplier_rows(connection, kind, workdir, distinct)
            keep_open = True
    except (Declined, UnicodeDecodeError, csv.Error):
        return None
    except duckdb.Error as error:  # a ragged row or bad UTF-8 – or too little memory: say which
        logger.info("Columnar import of %s declined: %s", filename, str(error).splitlines()[0])
        return None
    finally:
        if not keep_open:
            connection.close()
            workdir.cleanup()
    if progress is not None:
        progress(parsed.lines, parsed.lines)
    return parsed
