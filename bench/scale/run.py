"""``make bench-scale [SCALE=small|default] [BENCH_SCALE_SECONDS=300]``: the load benchmark.

A throwaway PostgreSQL server (``tools/with_postgres.py``, with ``pg_stat_statements``), the data set
(``dataset.py``: the national-scale generator, or the demo data until it exists; cached as a dump
under ``var/bench-scale/``), the app under gunicorn with production settings, and Locust driving the
journeys of ``locustfile.py`` headless. Prints the figures per request name, the throughput and the
ten slowest SQL statements, and whether the targets are met (printed, never asserted).
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import os
import secrets
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

import psycopg  # noqa: E402

from bench.scale import dataset, report  # noqa: E402
from tools import with_postgres  # noqa: E402

BIN = ROOT / ".venv" / "bin"
STATIC_ROOT = dataset.CACHE_DIR / "static"
PG_OPTIONS = (
    "-c shared_preload_libraries=pg_stat_statements,auto_explain -c pg_stat_statements.track=top"
    " -c shared_buffers=512MB"
)
# Statements slower than this under load have their plans logged (``auto_explain``, switched on for the
# load run only) and copied to ``var/bench-scale/last-run/slow-plans.log``; ``BENCH_SCALE_SLOW_PLAN_MS``
# lowers it to see the plans of the statements that take the most time in all (each a few ms).
SLOW_PLAN_MS = int(os.environ.get("BENCH_SCALE_SLOW_PLAN_MS") or 300)


def parse_args() -> argparse.Namespace:
    """Scale, duration, users and gunicorn workers (defaults from the environment)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", default=os.environ.get("SCALE", "default"), choices=["small", "default"])
    parser.add_argument("--seconds", type=int, default=int(os.environ.get("BENCH_SCALE_SECONDS") or 300))
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument(
        "--wait",
        default=os.environ.get("BENCH_SCALE_WAIT") or "0.5,2",
        help="seconds between a user's tasks, min,max (default 0.5,2)",
    )
    # Users started per second. One a second: the 20 log in over 20 s. At 5 a second (4 s) the run's
    # first seconds were 20 logins and 5 tokens at once – each hashes the password (PBKDF2, ~0.3–0.7 s
    # of a core) – while the suppliers' systems read every consultant: run 32's six misses included the
    # consultants' list (p95 1500 ms) and GET /login/ (820 ms), all in that burst; at 1 a second (run
    # 33, the same code) neither missed (66 and 100 ms).
    parser.add_argument(
        "--spawn-rate", type=float, default=float(os.environ.get("BENCH_SCALE_SPAWN_RATE") or 1)
    )
    # Cores + 1: the requests are CPU-bound, and Locust and PostgreSQL share the machine's cores with the
    # workers. Back to back on 2 cores (SCALE=small, runs 30 and 31 of the README): 3 workers p50/p95/p99
    # 32/90/150 ms, 4 request names missing the target; 5 workers (2 × cores + 1) 38/120/210 ms, 17 missing –
    # five workers shared two cores, so every request in flight ran at a fraction of a core.
    default_workers = min((os.cpu_count() or 2) + 1, 9)
    parser.add_argument(
        "--workers", type=int, default=int(os.environ.get("BENCH_SCALE_WORKERS") or default_workers)
    )
    return parser.parse_args()


def app_env(url: str, tmp: Path) -> dict[str, str]:
    """Production settings (DEBUG off, WhiteNoise's manifest) on plain HTTP at 127.0.0.1."""
    env = {k: v for k, v in os.environ.items() if k not in ("HYRKOLL_TESTING", "DEBUG", "SQLITE_PATH")}
    env.update(
        DATABASE_URL=url,
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(48),
        # A fixed key, so the keyed hashes in a cached dump still match in the next run.
        PERSONAL_NUMBER_HASH_KEY="bench-scale-personal-number-key",
        ALLOWED_HOSTS="127.0.0.1,localhost",
        # No TLS proxy here: no redirect to https and cookies that travel over plain HTTP.
        SECURE_SSL_REDIRECT="0",
        SESSION_COOKIE_SECURE="0",
        CSRF_COOKIE_SECURE="0",
        SECURE_HSTS_SECONDS="0",
        STATIC_ROOT=str(STATIC_ROOT),
        MEDIA_ROOT=str(tmp / "media"),
        # The workers' shared cache starts empty in every run: charts and forecasts are drawn under load.
        CACHE_DIR=str(tmp / "cache"),
        LOG_LEVEL="WARNING",
    )
    return env


def collect_static(env: dict[str, str]) -> None:
    """``collectstatic`` (WhiteNoise compresses every file: about a minute) only when the app's static
    files or the locked packages changed since the last run."""
    digest = hashlib.sha256((ROOT / "requirements" / "base.txt").read_bytes())
    for path in sorted(ROOT.glob("hyrkoll/**/static/**/*")):
        if path.is_file():
            digest.update(str(path.relative_to(ROOT)).encode() + path.read_bytes())
    marker = STATIC_ROOT / ".bench-scale-key"
    if marker.exists() and marker.read_text() == digest.hexdigest():
        print(f"bench-scale: static files unchanged in {STATIC_ROOT.relative_to(ROOT)}", flush=True)
        return
    command = [str(BIN / "hyrkoll"), "collectstatic", "--no-input", "--clear", "-v", "0"]
    dataset.run_step(command, env, "collectstatic")
    marker.write_text(digest.hexdigest())


def enable_pg_stat_statements(url: str) -> None:
    """Create the extension (the library is preloaded by the server options)."""
    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute("CREATE EXTENSION IF NOT EXISTS pg_stat_statements")


def open_call_offs_answerable(url: str) -> int:
    """The data set's history ends on 31 December 2025, so its open call-offs' response deadlines
    passed long ago and the suppliers' systems would find nothing to offer on: their deadlines are
    moved to 3–7 days after now (nothing else changes). Returns how many."""
    with psycopg.connect(url, autocommit=True) as connection:
        moved = connection.execute(
            "UPDATE ordering_calloff SET response_deadline = now() + interval '1 day' * (3 + id % 5) "
            "WHERE status = 'open' AND response_deadline < now() + interval '1 day'"
        ).rowcount
    print(f"bench-scale: {moved} open call-offs answerable again (deadlines 3–7 days ahead)", flush=True)
    return moved


def reset_statements(url: str) -> None:
    """Forget the statements of migrating and generating: only the load run counts. VACUUM sets the
    visibility map a restored or freshly copied database lacks (autovacuum would, in production), so
    index-only scans read no heap pages."""
    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute("VACUUM ANALYZE")
        connection.execute("SELECT pg_stat_statements_reset()")
        connection.execute(f"ALTER SYSTEM SET auto_explain.log_min_duration = {SLOW_PLAN_MS}")
        connection.execute("SELECT pg_reload_conf()")


def copy_slow_plans(url: str, target: Path) -> int:
    """The plans ``auto_explain`` logged during the load run, from the server's log; returns how many."""
    with psycopg.connect(url, autocommit=True) as connection:
        datadir = Path(connection.execute("SHOW data_directory").fetchone()[0])
    text = (datadir / "log").read_text(errors="replace")
    plans = text.count("LOG:  duration:")
    target.write_text(text[text.find("LOG:  duration:") :] if plans else "")
    return plans


@contextlib.contextmanager
def gunicorn(env: dict[str, str], workers: int, logfile: Path) -> Iterator[str]:
    """Serve the app on a free port; yield its base URL once /healthz answers."""
    port = with_postgres.free_port()
    command = [
        str(BIN / "gunicorn"),
        "hyrkoll.wsgi",
        "--preload",  # the app and its views imported once, before the workers are forked
        "--workers",
        str(workers),
        "--bind",
        f"127.0.0.1:{port}",
    ]
    command += ["--timeout", "60", "--error-logfile", "-"]
    with open(logfile, "w") as log:
        process = subprocess.Popen(command, env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(120):
            with (
                contextlib.suppress(OSError),
                urllib.request.urlopen(f"{base}/healthz", timeout=2) as response,
            ):
                if response.status == 200:
                    break
            if process.poll() is not None:
                raise SystemExit(f"bench-scale: gunicorn exited; see {logfile}")
            time.sleep(0.5)
        else:
            raise SystemExit(f"bench-scale: gunicorn did not answer /healthz; see {logfile}")
        print(f"bench-scale: gunicorn with {workers} workers on {base}", flush=True)
        yield base
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()


def run_locust(base: str, args: argparse.Namespace, prefix: Path, env: dict[str, str]) -> None:
    """Locust headless: ``args.users`` users for ``args.seconds`` seconds, figures to ``prefix``_*.csv."""
    command = [str(BIN / "locust"), "-f", str(Path(__file__).with_name("locustfile.py")), "--headless"]
    command += ["-u", str(args.users), "-r", str(args.spawn_rate), "-t", f"{args.seconds}s", "--host", base]
    command += ["--csv", str(prefix), "--only-summary", "--loglevel", "WARNING", "--stop-timeout", "10"]
    print(f"bench-scale: Locust, {args.users} users for {args.seconds} s ...", flush=True)
    locust_env = {**env, "PYTHONPATH": str(ROOT), "BENCH_SCALE_WAIT": args.wait}
    for stale in prefix.parent.glob(f"{prefix.name}_*"):
        stale.unlink()  # a crashed run must not show the previous run's figures
    with open(f"{prefix}_locust.log", "w") as log:
        subprocess.run(command, env=locust_env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
    if not Path(f"{prefix}_stats.csv").exists():
        tail = Path(f"{prefix}_locust.log").read_text(errors="replace").splitlines()[-30:]
        raise SystemExit("bench-scale: Locust wrote no figures:\n" + "\n".join(tail))


def main() -> int:
    """Set up, load, print."""
    args = parse_args()
    started = time.monotonic()
    data_set = dataset.choose(args.scale)
    print(f"bench-scale: scale {args.scale}; data set: {data_set.name}", flush=True)
    out = ROOT / "var" / "bench-scale" / "last-run"
    out.mkdir(parents=True, exist_ok=True)
    bindir = with_postgres.find_bindir()
    with tempfile.TemporaryDirectory(prefix="hyrkoll-bench-scale-") as tmp_name:
        tmp = Path(tmp_name)
        with with_postgres.throwaway_cluster(extra_options=PG_OPTIONS) as url:
            env = app_env(url, tmp)
            enable_pg_stat_statements(url)
            used = dataset.prepare(data_set, args.scale, env, bindir)
            print(f"bench-scale: data set: {used}", flush=True)
            collect_static(env)
            open_call_offs_answerable(url)
            reset_statements(url)
            load_before = os.getloadavg()[0]
            with gunicorn(env, args.workers, out / "gunicorn.log") as base:
                run_locust(base, args, out / "locust", env)
            load = f"load average {load_before:.1f} before, {os.getloadavg()[0]:.1f} after, {os.cpu_count()} cores"
            rows, total = report.read_stats(out / "locust")
            wait = "–".join(args.wait.split(","))
            print(
                f"\n== bench-scale: {used}; {args.users} users (started {args.spawn_rate:g} a second), {args.seconds} s, {wait} s between a user's "
                f"tasks, {args.workers} gunicorn workers"
            )
            print(f"   machine: {load} (others' work on the machine slows every figure)")
            misses = report.print_requests(rows, total, args.seconds)
            report.print_failures(out / "locust")
            report.print_slowest_sql(url)
            plans = copy_slow_plans(url, out / "slow-plans.log")
            print(
                f"   {plans} plans of statements over {SLOW_PLAN_MS} ms under load: {out.relative_to(ROOT)}/slow-plans.log"
            )
            report.print_verdict(misses, total, rows)
    print(
        f"\nbench-scale: done in {time.monotonic() - started:.0f} s (Locust's CSV and logs in {out.relative_to(ROOT)})"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
