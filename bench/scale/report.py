"""The load benchmark's printout: Locust's per-request figures against the targets, the throughput,
the failures, and the ten slowest and ten busiest SQL statements from ``pg_stat_statements``."""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg

PAGE_TARGET_MS = 100
PDF_TARGET_MS = 3000
# Logging in hashes the password (PBKDF2, about a million iterations) on purpose: shown, no target.
NO_TARGET = ("/login/ POST", "/api/v1/token/")
# Pages a short run may not reach (the journeys pick tasks at random): named when they are missing.
EXPECTED = (
    "/follow-up/ (national)",
    "/follow-up/regions/[code]/",
    "/follow-up/report/",
    "/follow-up/report/pdf/",
    "/follow-up/report/xlsx/",
    "/ordering/offers/[id]/award/",
    "/ordering/needs/[id]/decide/",
    "/api/v1/call-offs/",
    "/api/v1/offers/",
    "/audit/",
)


@dataclass(frozen=True)
class Row:
    """One line of Locust's ``_stats.csv``."""

    method: str
    name: str
    requests: int
    failures: int
    p50: int
    p95: int
    p99: int
    rps: float


def _int(value: str) -> int:
    return int(float(value)) if value not in ("", "N/A") else 0


def read_stats(prefix: Path) -> tuple[list[Row], Row | None]:
    """The per-request rows and the aggregated row of ``<prefix>_stats.csv``."""
    rows: list[Row] = []
    total = None
    with open(f"{prefix}_stats.csv", newline="") as handle:
        for line in csv.DictReader(handle):
            row = Row(
                line["Type"],
                line["Name"],
                _int(line["Request Count"]),
                _int(line["Failure Count"]),
                _int(line["50%"]),
                _int(line["95%"]),
                _int(line["99%"]),
                float(line["Requests/s"] or 0),
            )
            if line["Name"] == "Aggregated":
                total = row
            else:
                rows.append(row)
    return rows, total


def target_ms(row: Row) -> int | None:
    """The p95 target of a request: 3 s for the PDF report, none for logging in, else 100 ms."""
    label = f"{row.name} {row.method}"
    if any(label.startswith(name) for name in NO_TARGET):
        return None
    return PDF_TARGET_MS if "pdf" in row.name.lower() else PAGE_TARGET_MS


def print_requests(rows: list[Row], total: Row | None, seconds: float) -> list[str]:
    """Print the table per request name; return the names that miss their target."""
    misses: list[str] = []
    width = max([len(r.name) + len(r.method) + 1 for r in rows] + [20])
    print(f"\n{'request':<{width}} {'reqs':>6} {'p50':>6} {'p95':>6} {'p99':>6} {'errors':>6}  target p95")
    print("-" * (width + 48))
    for row in sorted(rows, key=lambda r: r.name):
        target = target_ms(row)
        verdict = "n/a (password hashing)" if target is None else f"{target} ms "
        if target is not None:
            ok = row.p95 <= target and row.failures == 0
            verdict += "ok" if ok else "MISSED"
            if not ok:
                misses.append(f"{row.method} {row.name} (p95 {row.p95} ms, {row.failures} errors)")
        label = f"{row.method} {row.name}"
        print(
            f"{label:<{width}} {row.requests:>6} {row.p50:>6} {row.p95:>6} {row.p99:>6} {row.failures:>6}  {verdict}"
        )
    if total is not None:
        print("-" * (width + 48))
        label = "all requests"
        print(
            f"{label:<{width}} {total.requests:>6} {total.p50:>6} {total.p95:>6} {total.p99:>6} {total.failures:>6}"
        )
        print(f"\nthroughput: {total.rps:.1f} requests/s over {seconds:.0f} s ({total.requests} requests)")
    print(
        "(times in ms, as Locust measures them: to the last byte of the response, client on the same machine)"
    )
    return misses


def print_failures(prefix: Path, limit: int = 10) -> None:
    """The most frequent failures from ``<prefix>_failures.csv``."""
    path = Path(f"{prefix}_failures.csv")
    if not path.exists():
        return
    with open(path, newline="") as handle:
        lines = sorted(csv.DictReader(handle), key=lambda line: -_int(line["Occurrences"]))
    if not lines:
        return
    print("\nfailures (most frequent first):")
    for line in lines[:limit]:
        print(f"  {line['Occurrences']:>5}  {line['Method']} {line['Name']}: {line['Error'][:140]}")


def _shorten(sql: str, length: int = 150) -> str:
    """One line of at most ``length`` characters, a long column list before FROM shown as "…"."""
    text = re.sub(r"\s+", " ", sql).strip()
    columns = re.match(r"SELECT (DISTINCT )?(.*?) FROM ", text)
    if columns and len(columns.group(2)) > 40:
        text = f"SELECT {columns.group(1) or ''}… FROM {text[columns.end() :]}"
    return text if len(text) <= length else text[: length - 1] + "…"


_STATEMENTS = """
    SELECT calls, mean_exec_time, total_exec_time, rows, query
    FROM pg_stat_statements
    WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
      AND query NOT ILIKE '%%pg_stat_statements%%'
    ORDER BY {order} DESC
    LIMIT %s
"""


def print_slowest_sql(url: str, limit: int = 10) -> None:
    """The statements with the highest mean time since the last reset (the load run), then the ones
    the database spent most time on altogether (what to make cheaper to relieve a busy machine)."""
    with psycopg.connect(url) as connection:
        slowest = connection.execute(_STATEMENTS.format(order="mean_exec_time"), (limit,)).fetchall()
        busiest = connection.execute(_STATEMENTS.format(order="total_exec_time"), (limit,)).fetchall()
        all_calls, all_ms = connection.execute(
            "SELECT sum(calls), sum(total_exec_time) FROM pg_stat_statements"
            " WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())"
        ).fetchone()
    print(f"\nthe {limit} slowest SQL statements by mean time (pg_stat_statements, during the load run):")
    _print_statements(slowest)
    print(
        f"\nthe {limit} SQL statements with the most time in all (of {all_calls or 0} calls taking"
        f" {(all_ms or 0) / 1000:.1f} s of execution):"
    )
    _print_statements(busiest)


def _print_statements(statements: list[tuple[Any, ...]]) -> None:
    print(f"{'mean ms':>9} {'total ms':>10} {'calls':>7} {'rows':>8}  statement")
    for calls, mean, total, rows, sql in statements:
        print(f"{mean:>9.1f} {total:>10.0f} {calls:>7} {rows:>8}  {_shorten(sql)}")


def print_verdict(misses: list[str], total: Row | None, rows: list[Row]) -> None:
    """Whether the run met the targets (printed, never asserted), and which expected pages were not reached."""
    print("\ntargets: every page and API endpoint p95 <= 100 ms, the PDF report p95 <= 3 s, zero errors")
    missing = sorted(set(EXPECTED) - {row.name for row in rows})
    if missing:
        print(f"  not requested in this run (too short?): {', '.join(missing)}")
    if total is not None and total.failures:
        print(f"  errors: {total.failures} failed requests")
    if not misses:
        print("  all met")
        return
    print(f"  missed by {len(misses)} request names:")
    for miss in misses:
        print(f"    {miss}")
