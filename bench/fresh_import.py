"""Part of ``bench_followup``: the import in a fresh process (bench/import_one.py) on a fresh SQLite and
PostgreSQL database, with its time against DuckDB's and its peak memory, and the large .xlsx streamed."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.timing import line

XLSX_LINES = int(os.environ.get("BENCH_FOLLOWUP_XLSX_LINES", 1_000_000))
REPO = Path(__file__).resolve().parent.parent


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
    line(
        f"{label}: time ({result['reader']})",
        f"{seconds:.2f} s = {seconds / duckdb_seconds:.1f} × DuckDB's time "
        f"({seconds / duckdb_single:.1f} × single-threaded); target ≤ 5 ×",
    )
    line(
        f"{label}: rows stored",
        f"{result['lines']:,} lines → {result['entries']:,} monthly + {result['supplier_rows']:,} supplier rows",
    )
    line(
        f"{label}: peak memory beyond the process",
        f"{grown:,.0f} MB = {grown / result['file_mb']:.2f} × the file's {result['file_mb']:,.0f} MB "
        f"(target < 2 ×)",
    )


def import_fresh(path: Path, duckdb_seconds: float, duckdb_single: float) -> None:
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
