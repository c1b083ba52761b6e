"""Part of ``bench_followup``: the import in a fresh process (bench/import_one.py) on a fresh SQLite and
PostgreSQL database, with its time against DuckDB's and its peak memory, and the large .xlsx streamed."""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from bench.timing import line

XLSX_LINES = int(os.environ.get("BENCH_FOLLOWUP_XLSX_LINES", 1_000_000))
REPO = Path(__file__).resolve().parent.parent


FRESH_RUNS = int(os.environ.get("BENCH_FOLLOWUP_FRESH_RUNS", 3))


def _migrate(env: dict[str, str]) -> None:
    subprocess.run(
        [sys.executable, "-m", "hyrkoll.manage", "migrate", "-v", "0"],
        env={**os.environ, **env},
        cwd=REPO,
        check=True,
    )


def _import_one(path: Path, env: dict[str, str]) -> dict:
    """Import ``path`` in a process of its own (bench/import_one.py) into a migrated database."""
    done = subprocess.run(
        [sys.executable, "-m", "bench.import_one", str(path)],
        env={**os.environ, **env},
        cwd=REPO,
        check=True,
        capture_output=True,
        text=True,
    )
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["status"] == "done", result
    return result


def _fresh_import(path: Path, env: dict[str, str]) -> dict:
    """Migrate the database in one process, import ``path`` in another."""
    _migrate(env)
    return _import_one(path, env)


def _paired(path: Path, env: dict[str, str], baseline: Callable[[], float]) -> dict:
    """DuckDB's baseline timed right before the import, so that each pair sees the machine alike
    (its speed drifted by up to 40 % within one benchmark here: a ratio of one import to a baseline
    taken minutes before said more about the drift than the import)."""
    duckdb_seconds = baseline()
    result = _import_one(path, env)
    result["duckdb_seconds"] = duckdb_seconds
    return result


def _median(results: list[dict]) -> dict:
    """The run of median time, with every run's seconds (``runs``), each run's ratio to its baseline
    (``ratios``) and the highest peak memory."""
    ordered = sorted(results, key=lambda result: result["seconds"])
    median = dict(ordered[len(ordered) // 2])
    median["runs"] = [result["seconds"] for result in results]
    median["ratios"] = [result["seconds"] / result["duckdb_seconds"] for result in results]
    worst = max(results, key=lambda result: result["peak_rss_mb"] - result["rss_before_mb"])
    median["peak_rss_mb"], median["rss_before_mb"] = worst["peak_rss_mb"], worst["rss_before_mb"]
    return median


def _sqlite_runs(path: Path, runs: int, baseline: Callable[[], float]) -> dict:
    """``runs`` imports, each into a fresh copy of one migrated SQLite database."""
    with tempfile.TemporaryDirectory(prefix="hyrkoll-sqlite-") as tmp:
        template = Path(tmp) / "migrated.sqlite3"
        _migrate({"SQLITE_PATH": str(template)})
        results = []
        for number in range(runs):
            copy = Path(tmp) / f"fresh-{number}.sqlite3"
            shutil.copyfile(template, copy)
            results.append(_paired(path, {"SQLITE_PATH": str(copy)}, baseline))
            copy.unlink()
    return _median(results)


def _postgres_runs(path: Path, url: str, runs: int, baseline: Callable[[], float]) -> dict:
    """``runs`` imports, each into a fresh database made from one migrated database (TEMPLATE)."""
    import psycopg

    _migrate({"DATABASE_URL": url})
    server, name = url.rsplit("/", 1)
    results = []
    with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
        for number in range(runs):
            fresh = f"{name}_run{number}"
            admin.execute(f"CREATE DATABASE {fresh} TEMPLATE {name}")
            results.append(_paired(path, {"DATABASE_URL": f"{server}/{fresh}"}, baseline))
            admin.execute(f"DROP DATABASE {fresh}")
    return _median(results)


def _print_fresh(label: str, result: dict, duckdb_seconds: float, duckdb_single: float) -> None:
    seconds, grown = result["seconds"], result["peak_rss_mb"] - result["rss_before_mb"]
    runs = result.get("runs", [seconds])
    line(
        f"{label}: time ({result['reader']}), median of {len(runs)}",
        f"{seconds:.2f} s = {seconds / duckdb_seconds:.1f} × DuckDB's time "
        f"({seconds / duckdb_single:.1f} × single-threaded); target ≤ 5 ×",
    )
    line(f"{label}: each run", "  ".join(f"{each:.2f} s" for each in runs))
    ratios = result["ratios"]
    line(
        f"{label}: each run against DuckDB timed just before it",
        "  ".join(f"{each:.1f} ×" for each in ratios)
        + f"  (median {statistics.median(ratios):.1f} ×; target ≤ 5 ×)",
    )
    line(
        f"{label}: rows stored",
        f"{result['lines']:,} lines → {result['entries']:,} monthly + {result['supplier_rows']:,} supplier rows (region-months)",
    )
    line(
        f"{label}: peak memory beyond the process",
        f"{grown:,.0f} MB = {grown / result['file_mb']:.2f} × the file's {result['file_mb']:,.0f} MB "
        f"(target < 2 ×; the highest of the runs)",
    )


def import_fresh(
    path: Path, duckdb_seconds: float, duckdb_single: float, baseline: Callable[[], float]
) -> None:
    """``baseline()``: DuckDB's time for the file once more, taken before each import."""
    sys.path.insert(0, str(REPO / "tools"))
    from with_postgres import throwaway_cluster

    print(
        f"\nThe same import in a fresh process on a fresh database (bench/import_one.py), {FRESH_RUNS} runs each"
    )
    _print_fresh("SQLite", _sqlite_runs(path, FRESH_RUNS, baseline), duckdb_seconds, duckdb_single)
    with throwaway_cluster() as url:
        postgres = _postgres_runs(path, url, FRESH_RUNS, baseline)
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


def large_xlsx(path: Path) -> None:
    target = path.with_suffix(".xlsx")
    started = time.perf_counter()
    written = _write_xlsx(path, target, XLSX_LINES)
    made = time.perf_counter() - started
    print(f"\nA {written:,}-row .xlsx of the same ledger, streamed (openpyxl read-only)")
    line("written in (openpyxl write-only)", f"{made:.1f} s, {target.stat().st_size / 2**20:,.0f} MB")
    with tempfile.TemporaryDirectory(prefix="hyrkoll-sqlite-") as tmp:
        result = _fresh_import(target, {"SQLITE_PATH": str(Path(tmp) / "xlsx.sqlite3")})
    grown = result["peak_rss_mb"] - result["rss_before_mb"]
    line(
        "import on SQLite, time",
        f"{result['seconds']:.1f} s ({result['lines'] / result['seconds']:,.0f} lines/s)",
    )
    line(
        "peak memory beyond the process",
        f"{grown:,.0f} MB (the workbook's {result['file_mb']:,.0f} MB included; the sheet is streamed, "
        "memory grows with the distinct keys, not the rows)",
    )
    target.unlink()
