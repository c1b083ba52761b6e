"""Run a command against a throwaway PostgreSQL cluster.

Usage: python tools/with_postgres.py -- CMD [ARGS...]

Starts a private cluster in a fresh temp dir, creates database ``hyrkoll``, runs CMD with
``DATABASE_URL=postgres://postgres@127.0.0.1:PORT/hyrkoll``, then stops the cluster, removes the temp dir
and exits with CMD's exit code. Standard library only. Other code can use ``throwaway_cluster()``.
"""

from __future__ import annotations

import contextlib
import glob
import os
import pwd
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from pathlib import Path

PG_USER = "postgres"
SERVER_OPTIONS = (
    "-c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
)


def log(message: str) -> None:
    """Print one prefixed line to stderr."""
    print(f"with_postgres: {message}", file=sys.stderr, flush=True)


def _is_root() -> bool:
    """Whether we run as root (PostgreSQL refuses to, so we switch to the postgres user)."""
    return os.geteuid() == 0


def _version_key(bindir: str) -> tuple[int, ...]:
    """Sort key for /usr/lib/postgresql/<version>/bin."""
    version = Path(bindir).parent.name
    return tuple(int(p) for p in version.split(".") if p.isdigit())


def _search_bindir() -> Path | None:
    """Locate a directory holding initdb, pg_ctl and createdb, or None."""
    pg_config = shutil.which("pg_config")
    if pg_config:
        with contextlib.suppress(OSError, subprocess.SubprocessError):
            out = subprocess.run([pg_config, "--bindir"], capture_output=True, text=True, check=True)
            bindir = Path(out.stdout.strip())
            if (bindir / "initdb").is_file():
                return bindir
    initdb = shutil.which("initdb")
    if initdb:
        # Resolve symlinks (e.g. /usr/local/bin/initdb) so pg_ctl/createdb are found beside it.
        bindir = Path(initdb).resolve().parent
        if (bindir / "pg_ctl").is_file():
            return bindir
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=_version_key, reverse=True)
    for candidate in candidates:
        if (Path(candidate) / "initdb").is_file():
            return Path(candidate)
    return None


def _install_postgres() -> None:
    """Install Debian's postgresql package with apt-get."""
    if not _is_root():
        raise SystemExit("with_postgres: no PostgreSQL server binaries; install postgresql (needs root)")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    for cmd in (
        ["apt-get", "update"],
        ["apt-get", "install", "-y", "--no-install-recommends", "postgresql"],
    ):
        log(f"PostgreSQL server binaries not found; running: {' '.join(cmd)}")
        subprocess.run(cmd, check=True, env=env, stdout=sys.stderr)


def find_bindir() -> Path:
    """Find the PostgreSQL server bindir, installing Debian's package if needed."""
    bindir = _search_bindir()
    if bindir is None:
        _install_postgres()
        bindir = _search_bindir()
    if bindir is None:
        raise SystemExit("with_postgres: PostgreSQL server binaries (initdb) still not found after install")
    return bindir


def free_port() -> int:
    """Return a TCP port on 127.0.0.1 that was free a moment ago."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _pg(bindir: Path, tool: str, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run a PostgreSQL tool (as the postgres user when we are root), capturing output."""
    cmd = [str(bindir / tool), *args]
    if _is_root():
        cmd = ["runuser", "-u", PG_USER, "--", *cmd]
    return subprocess.run(cmd, capture_output=True, text=True, cwd=cwd, stdin=subprocess.DEVNULL)


def _check(result: subprocess.CompletedProcess[str], what: str, logfile: Path | None = None) -> None:
    """Raise with the tool's output (and the server log tail) if it failed."""
    if result.returncode == 0:
        return
    details = (result.stdout + result.stderr).strip()
    if logfile is not None and logfile.exists():
        tail = logfile.read_text(errors="replace").splitlines()[-30:]
        details += "\n--- server log tail ---\n" + "\n".join(tail)
    raise RuntimeError(f"{what} failed (exit {result.returncode}):\n{details}")


def _stop(bindir: Path, datadir: Path, root: Path) -> None:
    """Stop the server immediately if it may be running; kill it if pg_ctl cannot."""
    pidfile = datadir / "postmaster.pid"
    if not pidfile.exists():
        return
    result = _pg(bindir, "pg_ctl", "-D", str(datadir), "-m", "immediate", "stop", cwd=root)
    if result.returncode != 0 and pidfile.exists():
        log(f"pg_ctl stop failed: {(result.stdout + result.stderr).strip()}; sending SIGQUIT")
        with contextlib.suppress(ValueError, IndexError, OSError):
            os.kill(int(pidfile.read_text().splitlines()[0]), signal.SIGQUIT)
            time.sleep(0.5)


@contextlib.contextmanager
def throwaway_cluster(dbname: str = "hyrkoll", extra_options: str = "") -> Iterator[str]:
    """Start a temporary PostgreSQL cluster, yield its DATABASE_URL, then stop and delete it.

    ``extra_options`` are more server options, e.g. ``-c shared_preload_libraries=pg_stat_statements``.
    """
    bindir = find_bindir()
    # Under root use /tmp so the postgres user can reach the dir whatever $TMPDIR is.
    root = Path(tempfile.mkdtemp(prefix="hyrkoll-pg-", dir="/tmp" if _is_root() else None))
    datadir = root / "data"
    logfile = datadir / "log"
    try:
        root.chmod(0o755)
        if _is_root():
            pw = pwd.getpwnam(PG_USER)
            os.chown(root, pw.pw_uid, pw.pw_gid)
        started = time.monotonic()
        initdb_args = ["-D", str(datadir), "-A", "trust", "-U", PG_USER, "--no-sync", "-E", "UTF8"]
        _check(_pg(bindir, "initdb", *initdb_args, "--locale=C", cwd=root), "initdb")
        port = free_port()
        options = f"-p {port} -k {datadir} {SERVER_OPTIONS} {extra_options}".rstrip()
        start_args = ["-D", str(datadir), "-o", options, "-l", str(logfile), "-w", "start"]
        _check(_pg(bindir, "pg_ctl", *start_args, cwd=root), "pg_ctl start", logfile)
        elapsed = time.monotonic() - started
        conn_args = ["-h", "127.0.0.1", "-p", str(port), "-U", PG_USER]
        _check(_pg(bindir, "createdb", *conn_args, dbname, cwd=root), f"createdb {dbname}", logfile)
        log(f"PostgreSQL ({bindir}) up on 127.0.0.1:{port} in {elapsed:.2f}s (initdb+start)")
        yield f"postgres://{PG_USER}@127.0.0.1:{port}/{dbname}"
    finally:
        try:
            _stop(bindir, datadir, root)
        finally:
            shutil.rmtree(root, ignore_errors=True)
            log(f"PostgreSQL stopped; removed {root}")


def _raise_on_sigterm(signum: int, frame: object) -> None:
    """Turn SIGTERM into SystemExit so cleanup runs."""
    raise SystemExit(128 + signum)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point: run CMD inside a throwaway cluster and return its exit code."""
    args = list(sys.argv[1:] if argv is None else argv)
    if args[:1] == ["--"]:
        args = args[1:]
    if not args or args[0] in ("-h", "--help"):
        print(__doc__, file=sys.stderr)
        return 2
    signal.signal(signal.SIGTERM, _raise_on_sigterm)
    try:
        with throwaway_cluster() as url:
            try:
                code = subprocess.run(args, env={**os.environ, "DATABASE_URL": url}).returncode
            except FileNotFoundError:
                log(f"command not found: {args[0]}")
                return 127
    except RuntimeError as exc:
        log(str(exc))
        return 1
    except KeyboardInterrupt:
        return 130
    return 128 - code if code < 0 else code


if __name__ == "__main__":
    sys.exit(main())
