"""The load benchmark's data set: the national-scale generator when it exists, else the demo data.

A generated database is dumped (``pg_dump -Fc``) under ``var/bench-scale/`` with a key made of the
scale and a hash of the generator's source files, and restored from there while the key matches, so
only the first run after a change to the generator pays for generating.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CACHE_DIR = ROOT / "var" / "bench-scale"
HYRKOLL = str(ROOT / ".venv" / "bin" / "hyrkoll")


@dataclass(frozen=True)
class DataSet:
    """Which data set a run uses, how to make it and the files its cache key is hashed from."""

    name: str
    command: list[str]
    sources: list[Path]

    def key(self) -> str:
        """Hash of the name, the command and every source file (path and bytes)."""
        digest = hashlib.sha256(" ".join([self.name, *self.command[1:]]).encode())
        for path in sorted(self.sources):
            digest.update(str(path.relative_to(ROOT)).encode())
            digest.update(path.read_bytes())
        return digest.hexdigest()[:16]


def choose(scale: str) -> DataSet:
    """The generator ``hyrkoll generate_scale_data`` if it has landed, else ``load_demo_data``."""
    found = sorted(ROOT.glob("hyrkoll/*/management/commands/generate_scale_data.py"))
    if found:
        app = found[0].parents[2]
        command = [HYRKOLL, "generate_scale_data"]
        if scale != "default":
            command += ["--scale", scale]
        return DataSet(f"generate_scale_data ({scale})", command, _sources(app))
    demo = ROOT / "hyrkoll" / "demo"
    return DataSet(
        "load_demo_data (generator not found; scale ignored)", [HYRKOLL, "load_demo_data"], _sources(demo)
    )


def _sources(app: Path) -> list[Path]:
    """The app's Python files that make the data (its tests do not)."""
    return sorted(path for path in app.rglob("*.py") if "tests" not in path.relative_to(app).parts)


def run_step(command: list[str], env: dict[str, str], what: str, *, quiet: bool = True) -> None:
    """Run a step, stopping the benchmark with its output if it fails (``quiet=False``: shown as it runs)."""
    started = time.monotonic()
    result = subprocess.run(command, env=env, capture_output=quiet, text=True)
    if result.returncode != 0:
        sys.stderr.write((result.stdout or "")[-4000:] + (result.stderr or "")[-4000:])
        raise SystemExit(f"bench-scale: {what} failed (exit {result.returncode})")
    print(f"bench-scale: {what} in {time.monotonic() - started:.1f} s", flush=True)


def prepare(data_set: DataSet, scale: str, env: dict[str, str], bindir: Path) -> str:
    """Fill the database at ``env['DATABASE_URL']``: restore the cached dump or generate and dump.

    Returns a line saying what was done. Migrations run after a restore too, so a dump made before a
    new migration still works.
    """
    url = env["DATABASE_URL"]
    CACHE_DIR.mkdir(parents=True, exist_ok=True)
    dump = CACHE_DIR / f"{scale}-{data_set.key()}.dump"
    if dump.exists():
        run_step(
            [str(bindir / "pg_restore"), "--no-owner", "-j", "2", "-d", url, str(dump)],
            env,
            f"pg_restore {dump.name}",
        )
        run_step([HYRKOLL, "migrate", "--no-input", "-v", "0"], env, "migrate")
        return f"{data_set.name}, restored from {dump.relative_to(ROOT)}"
    run_step([HYRKOLL, "migrate", "--no-input", "-v", "0"], env, "migrate")
    run_step(
        data_set.command, env, " ".join([Path(data_set.command[0]).name, *data_set.command[1:]]), quiet=False
    )
    partial = dump.with_suffix(".partial")
    run_step(
        [str(bindir / "pg_dump"), "-Fc", "-Z", "1", "-f", str(partial), url], env, f"pg_dump {dump.name}"
    )
    for old in CACHE_DIR.glob(f"{scale}-*.dump"):
        old.unlink()
    os.replace(partial, dump)
    return f"{data_set.name}, generated and cached as {dump.relative_to(ROOT)}"
