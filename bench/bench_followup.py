"""Follow-up at scale: a 2M-line ledger imported, indicators for every period, the PDF report, vs DuckDB.

One run, side by side (spec: issue 5, "Scale and speed"):

1. ``bench/ledger.py`` writes ten years (2016–2025) of ledger lines for all 21 regions from a fixed
   seed to a temp dir (deleted afterwards).
2. The baseline: DuckDB reads the same CSV and computes the national half-year aggregates.
3. Where the import spends its time: cProfile of the import of the first 200,000 lines (rolled back).
4. The import itself (``import_costs(..., replace=True)``) into the benchmark database: lines, rows
   stored, rows per second, its phases and the ratio to DuckDB; then the same file imported in a
   fresh process on a fresh SQLite database and on a throwaway PostgreSQL server
   (``bench/import_one.py``): time, ratio to DuckDB (target: at most 5 ×) and peak memory beyond the
   process (target: under 2 × the file's size); and a 1,000,000-row .xlsx of the same ledger,
   streamed row by row (time and memory).
5. The indicators: ``figures_for`` (nation + all regions, one query) for every half-year and every
   rolling-12 month, ``rolling12_shares`` for 36 months; checked against DuckDB's half-year sums.
6. The Bemanningstrend report for one half-year: web page and PDF (WeasyPrint), as the coordinator.

Set ``BENCH_FOLLOWUP_LINES`` for a smaller or larger ledger (default ~2.1 million lines).
"""

from __future__ import annotations

import cProfile
import io
import json
import os
import pstats
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path
from unittest import mock

from django.db import transaction
from django.test import Client

from bench.ledger import FIRST_YEAR, LAST_YEAR, TARGET_LINES, write_ledger
from bench.timing import measure
from hyrkoll.accounts.models import User
from hyrkoll.followup import importing
from hyrkoll.followup.importing import reading, storing
from hyrkoll.followup.indicators import Period, figures_for, month, rolling12_shares
from hyrkoll.followup.models import CostEntry, ImportStatus, SupplierCostEntry

PROFILE_LINES = 200_000
XLSX_LINES = int(os.environ.get("BENCH_FOLLOWUP_XLSX_LINES", 1_000_000))
REPO = Path(__file__).resolve().parent.parent
# The importer's functions timed during the import ((module, attribute) → label).
PHASES = {
    (reading, "read"): "read + validate + aggregate",
    (storing, "earlier_same_file"): "same file imported before?",
    (storing, "store"): "store in one transaction (delete, insert, audit)",
    (storing, "insert_entries"): "  of which: inserting the rows",
}

DUCKDB_SQL = """
SELECT CAST(substr(period, 1, 4) AS INTEGER) AS year,
       CASE WHEN CAST(substr(period, 6, 2) AS INTEGER) <= 6 THEN 1 ELSE 2 END AS half,
       SUM(amount_sek) FILTER (WHERE cost_type = 'hired') AS hired,
       SUM(amount_sek) FILTER (WHERE cost_type = 'own') AS own,
       round(100 * SUM(amount_sek) FILTER (WHERE cost_type = 'hired')
             / SUM(amount_sek) FILTER (WHERE cost_type = 'own'), 2) AS share_pct,
       COUNT(*) AS lines
FROM read_csv(?, header = true, columns = {
    'region': 'VARCHAR', 'period': 'VARCHAR', 'cost_type': 'VARCHAR', 'profession': 'VARCHAR',
    'care_area': 'VARCHAR', 'amount_sek': 'DECIMAL(18,2)', 'supplier_org_no': 'VARCHAR',
    'unit': 'VARCHAR'})
GROUP BY ALL
ORDER BY ALL
"""


def _line(label: str, value: str) -> None:
    print(f"  {label:<53} {value}")


def _max_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


@contextmanager
def _timed_phases(phases: dict[str, float]):
    """Time the importer's phases (read + aggregate, look for an earlier same file, store) by
    wrapping its module functions for the duration; the importer itself is unchanged."""

    def wrap(name: str, function):
        def timed(*args, **kwargs):
            started = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                phases[name] = phases.get(name, 0.0) + time.perf_counter() - started

        return timed

    patches = [
        mock.patch.object(module, name, wrap(label, getattr(module, name)))
        for (module, name), label in PHASES.items()
    ]
    for patch in patches:
        patch.start()
    try:
        yield
    finally:
        for patch in reversed(patches):
            patch.stop()


# --- 1. the ledger -----------------------------------------------------------------------------------------


def _generate(path: Path, lines: int):
    started = time.perf_counter()
    stats = write_ledger(path, target_lines=lines)
    elapsed = time.perf_counter() - started
    print("ledger (bench/ledger.py, seed 2026)")
    _line(
        "lines", f"{stats.lines:,} ({stats.hired_lines:,} hired, {stats.corrections:,} negative corrections)"
    )
    _line(
        "keys (region × month × type × profession × area)",
        f"{stats.keys:,} ({stats.lines / stats.keys:.0f} lines per key)",
    )
    _line("file size", f"{stats.bytes / 1e6:.0f} MB")
    _line("generated in", f"{elapsed:.1f} s")
    for year in (FIRST_YEAR, 2020, 2023, LAST_YEAR):
        hired, own = stats.national_bn(year, "hired"), stats.national_bn(year, "own")
        _line(
            f"national {year}",
            f"hired {hired:.2f} bn SEK, own {own:.1f} bn SEK, share {100 * hired / own:.2f} %",
        )
    return stats


# --- 2. DuckDB ------------------------------------------------------------------------------------------------


def _duckdb_seconds(path: Path, threads: int | None) -> tuple[float, list[tuple]]:
    """Median of 3 runs, each a fresh in-memory DuckDB reading the CSV."""
    import duckdb

    samples, rows = [], []
    for _ in range(3):
        started = time.perf_counter()
        connection = duckdb.connect()
        if threads is not None:
            connection.execute(f"SET threads = {threads}")
        rows = connection.execute(DUCKDB_SQL, [str(path)]).fetchall()
        connection.close()
        samples.append(time.perf_counter() - started)
    return statistics.median(samples), rows


SUPPLIER_GRAIN_SQL = """
SELECT COUNT(DISTINCT (region, period, supplier_org_no, unit)),
       COUNT(DISTINCT (region, period, supplier_org_no, unit, profession, care_area))
FROM read_csv(?, header = true, all_varchar = true)
WHERE cost_type = 'hired' AND coalesce(supplier_org_no, '') <> ''
"""


def _supplier_grain(path: Path) -> None:
    """How many supplier rows the ledger gives per grain (the stored grain includes profession and
    care area; without them, region × month × supplier × unit)."""
    import duckdb

    without, stored = duckdb.connect().execute(SUPPLIER_GRAIN_SQL, [str(path)]).fetchone()
    _line("supplier rows, region × month × supplier × unit", f"{without:,}")
    _line("  and × profession × care area (the stored grain)", f"{stored:,} ({stored / without:.3f} ×)")


def _duckdb(path: Path) -> tuple[float, float, dict[tuple[int, int], tuple[Decimal, Decimal]]]:
    import duckdb

    threads = duckdb.connect().execute("SELECT current_setting('threads')").fetchone()[0]
    elapsed, rows = _duckdb_seconds(path, None)
    single, _rows = _duckdb_seconds(path, 1)
    lines = sum(row[5] for row in rows)
    print(f"\nDuckDB {duckdb.__version__} baseline (read the CSV, national half-year aggregates)")
    _line(f"time, {threads} threads (median of 3)", f"{elapsed:.2f} s  ({lines / elapsed:,.0f} lines/s)")
    _line("time, 1 thread (median of 3)", f"{single:.2f} s  ({lines / single:,.0f} lines/s)")
    for year, half, hired, own, share, _lines in (rows[0], rows[-1]):
        _line(f"{year}-H{half}", f"hired {hired:,.2f}  own {own:,.2f}  share {share} %")
    _supplier_grain(path)
    return elapsed, single, {(row[0], row[1]): (row[2], row[3]) for row in rows}


# --- 3. where the import spends its time ----------------------------------------------------------------


def _profile_sample(path: Path) -> None:
    with path.open("rb") as source:
        sample = b"".join(line for _, line in zip(range(PROFILE_LINES + 1), source, strict=False))
    profiler = cProfile.Profile()
    with transaction.atomic():
        started = time.perf_counter()
        profiler.enable()
        record = importing.import_costs(None, sample, "ledger-sample.csv", replace=True)
        profiler.disable()
        elapsed = time.perf_counter() - started
        transaction.set_rollback(True)
    assert record.status == ImportStatus.DONE, record.errors[:5]
    print(f"\ncProfile: import of the first {PROFILE_LINES:,} lines (rolled back)")
    _line("time under the profiler", f"{elapsed:.2f} s")
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    stats.sort_stats("tottime").print_stats(12)
    table = out.getvalue()
    start = table.find("   ncalls")
    print("  top functions by own time:")
    for text in table[start:].rstrip().splitlines():
        print(f"    {text}")


# --- 4. the import -----------------------------------------------------------------------------------------------


def _import(path: Path, duckdb_seconds: float, duckdb_single: float) -> None:
    data = path.read_bytes()
    rss_before = _max_rss_mb()
    phases: dict[str, float] = {}
    with _timed_phases(phases):
        started = time.perf_counter()
        record = importing.import_costs(None, data, "ledger.csv", replace=True)
        elapsed = time.perf_counter() - started
    rss_after = _max_rss_mb()
    assert record.status == ImportStatus.DONE, record.errors[:5]
    supplier_rows = SupplierCostEntry.objects.filter(cost_import=record).count()
    print("\nHyrkoll import: import_costs(None, data, 'ledger.csv', replace=True)")
    _line("lines read", f"{record.lines:,}")
    _line("monthly rows stored (CostEntry)", f"{record.entries:,}")
    _line("supplier rows stored (SupplierCostEntry)", f"{supplier_rows:,}")
    _line("region-months replaced", f"{len(record.region_months):,}")
    _line("time", f"{elapsed:.2f} s")
    for label in PHASES.values():
        _line(f"  {label}", f"{phases.get(label, 0.0):.2f} s")
    _line("rows per second", f"{record.lines / elapsed:,.0f} lines/s")
    _line(
        "ratio to DuckDB",
        f"{elapsed / duckdb_seconds:.1f} × DuckDB's time ({elapsed / duckdb_single:.1f} × single-threaded)",
    )
    _line("peak RSS (ru_maxrss) before the import", f"{rss_before:,.0f} MB (the file's bytes already read)")
    _line("peak RSS (ru_maxrss) after the import", f"{rss_after:,.0f} MB")
    del data


# --- 4b. the import in a fresh process, on SQLite and on PostgreSQL; the large workbook --------------


def _fresh_import(path: Path, env: dict[str, str]) -> dict:
    """Migrate the database in one process, import ``path`` in another (bench/import_one.py)."""
    env = {**os.environ, **env}
    subprocess.run(
        [sys.executable, "-m", "hyrkoll.manage", "migrate", "-v", "0"], env=env, cwd=REPO, check=True
    )
    done = subprocess.run(
        [sys.executable, "-m", "bench.import_one", str(path)],
        env=env,
        cwd=REPO,
        check=True,
        capture_output=True,
        text=True,
    )
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["status"] == "done", result
    return result


def _print_fresh(label: str, result: dict, duckdb_seconds: float, duckdb_single: float) -> None:
    seconds, grown = result["seconds"], result["peak_rss_mb"] - result["rss_before_mb"]
    _line(
        f"{label}: time ({result['reader']})",
        f"{seconds:.2f} s = {seconds / duckdb_seconds:.1f} × DuckDB's time "
        f"({seconds / duckdb_single:.1f} × single-threaded); target ≤ 5 ×",
    )
    _line(
        f"{label}: rows stored",
        f"{result['lines']:,} lines → {result['entries']:,} monthly + {result['supplier_rows']:,} supplier rows",
    )
    _line(
        f"{label}: peak memory beyond the process",
        f"{grown:,.0f} MB = {grown / result['file_mb']:.2f} × the file's {result['file_mb']:,.0f} MB "
        f"(target < 2 ×)",
    )


def _import_fresh(path: Path, duckdb_seconds: float, duckdb_single: float) -> None:
    sys.path.insert(0, str(REPO / "tools"))
    from with_postgres import throwaway_cluster

    print("\nThe same import in a fresh process on a fresh database (bench/import_one.py)")
    with tempfile.TemporaryDirectory(prefix="hyrkoll-sqlite-") as tmp:
        sqlite = _fresh_import(path, {"SQLITE_PATH": str(Path(tmp) / "fresh.sqlite3")})
    _print_fresh("SQLite", sqlite, duckdb_seconds, duckdb_single)
    with throwaway_cluster() as url:
        postgres = _fresh_import(path, {"DATABASE_URL": url})
    _print_fresh("PostgreSQL", postgres, duckdb_seconds, duckdb_single)


def _write_xlsx(source: Path, target: Path, lines: int) -> int:
    """The first ``lines`` lines of the ledger as a workbook (amounts as numbers), streamed."""
    import csv

    import openpyxl

    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet("Huvudbok")
    written = 0
    with source.open(encoding="utf-8", newline="") as file:
        reader = csv.reader(file)
        sheet.append(next(reader))
        for row in reader:
            if written == lines:
                break
            row[5] = float(row[5])
            sheet.append(row)
            written += 1
    workbook.save(target)
    return written


def _large_xlsx(path: Path) -> None:
    target = path.with_suffix(".xlsx")
    started = time.perf_counter()
    written = _write_xlsx(path, target, XLSX_LINES)
    made = time.perf_counter() - started
    print(f"\nA {written:,}-row .xlsx of the same ledger, streamed (openpyxl read-only)")
    _line("written in (openpyxl write-only)", f"{made:.1f} s, {target.stat().st_size / 2**20:,.0f} MB")
    with tempfile.TemporaryDirectory(prefix="hyrkoll-sqlite-") as tmp:
        result = _fresh_import(target, {"SQLITE_PATH": str(Path(tmp) / "xlsx.sqlite3")})
    grown = result["peak_rss_mb"] - result["rss_before_mb"]
    _line(
        "import on SQLite, time",
        f"{result['seconds']:.1f} s ({result['lines'] / result['seconds']:,.0f} lines/s)",
    )
    _line(
        "peak memory beyond the process",
        f"{grown:,.0f} MB (the workbook's {result['file_mb']:,.0f} MB included; the sheet is streamed, "
        "memory grows with the distinct keys, not the rows)",
    )
    target.unlink()


# --- 5. the indicators --------------------------------------------------------------------------------------


def _time_each(periods: list[Period]) -> list[float]:
    figures_for(periods[0])  # warm up
    samples = []
    for period in periods:
        started = time.perf_counter()
        result = figures_for(period)
        samples.append((time.perf_counter() - started) * 1000)
        assert len(result.regions) == 21, (period, len(result.regions))
    return samples


def _indicators(duckdb_halves: dict[tuple[int, int], tuple[Decimal, Decimal]]) -> None:
    print(
        "\nIndicator queries: figures_for = nation + all 21 regions, one query "
        f"(CostEntry rows in the database: {CostEntry.objects.count():,})"
    )
    halves = [Period.half_year(year, half) for year in range(FIRST_YEAR, LAST_YEAR + 1) for half in (1, 2)]
    rolling = [
        Period.rolling12(month(year, m)) for year in range(FIRST_YEAR, LAST_YEAR + 1) for m in range(1, 13)
    ]
    rolling = [period for period in rolling if period.start.year >= FIRST_YEAR]
    for label, periods in (("half-year", halves), ("rolling-12 month", rolling)):
        samples = _time_each(periods)
        _line(
            f"figures_for, every {label}",
            f"n={len(samples)}  median {statistics.median(samples):.2f} ms  max {max(samples):.2f} ms",
        )
    measure(
        "  rolling12_shares, 36 months, national",
        lambda: rolling12_shares(month(LAST_YEAR - 2, 1), month(LAST_YEAR, 12)),
    )
    mismatches = []
    for period in halves:
        national = figures_for(period).national
        hired, own = duckdb_halves[(period.start.year, 1 if period.start.month == 1 else 2)]
        if (national.hired_sek, national.own_sek) != (hired, own):
            mismatches.append((period.label, national.hired_sek, hired, national.own_sek, own))
    shares = {period.label: figures_for(period).national.share_pct for period in (halves[0], halves[-1])}
    _line(
        "national half-year sums equal to DuckDB's",
        "yes, all 20 (hired and own, to the öre)" if not mismatches else f"NO: {mismatches[:3]}",
    )
    _line("national share", ", ".join(f"{label}: {share} %" for label, share in shares.items()))


# --- 6. the report ------------------------------------------------------------------------------------------


def _report() -> None:
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(User.objects.get(username="nationell.samordnare"))
    half = f"{LAST_YEAR}-2"
    print(f"\nBemanningstrend report, half-year {half} (national coordinator, via the views)")
    for label, url, repeat in (
        ("web page", f"/follow-up/report/?half={half}", 10),
        ("PDF (WeasyPrint)", f"/follow-up/report/pdf/?half={half}", 3),
    ):
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        size = len(response.content)
        measure(f"  {label}, {size / 1024:.0f} KiB", lambda u=url: client.get(u), repeat=repeat)
        if "/pdf/" in url:
            assert response.content.startswith(b"%PDF"), response.content[:20]


def run() -> None:
    lines = int(os.environ.get("BENCH_FOLLOWUP_LINES", TARGET_LINES))
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="hyrkoll-ledger-") as tmp:
        path = Path(tmp) / "ledger.csv"
        _generate(path, lines)
        duckdb_seconds, duckdb_single, duckdb_halves = _duckdb(path)
        _profile_sample(path)
        _import(path, duckdb_seconds, duckdb_single)
        _import_fresh(path, duckdb_seconds, duckdb_single)
        _large_xlsx(path)
    _indicators(duckdb_halves)
    _report()
    print(f"\nbench_followup total {time.perf_counter() - started:.0f} s; peak RSS {_max_rss_mb():,.0f} MB")
