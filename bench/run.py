"""Run every benchmark under bench/ (modules named bench_*.py, each with a ``run()``) and print
their figures. One command: ``make bench``.

The benchmarks share one fresh SQLite database in a temp dir with the reference data and the demo
data, so figures are comparable between runs on the same machine.
"""

from __future__ import annotations

import importlib
import os
import sys
import tempfile
import time
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent


def main() -> int:
    sys.path.insert(0, str(BENCH_DIR.parent))
    with tempfile.TemporaryDirectory(prefix="hyrkoll-bench-") as tmp:
        os.environ.setdefault("SQLITE_PATH", str(Path(tmp) / "bench.sqlite3"))
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hyrkoll.settings")
        os.environ.setdefault("HYRKOLL_TESTING", "1")
        import django
        from django.core.management import call_command

        django.setup()
        started = time.perf_counter()
        call_command("migrate", verbosity=0)
        call_command("load_demo_data", verbosity=0)
        print(f"setup: migrate + demo data {time.perf_counter() - started:.1f} s")
        selected = sys.argv[1:]
        for path in sorted(BENCH_DIR.glob("bench_*.py")):
            if selected and path.stem not in selected:
                continue
            module = importlib.import_module(f"bench.{path.stem}")
            print(f"\n== {path.stem}: {(module.__doc__ or '').strip().splitlines()[0]}")
            module.run()
    return 0


if __name__ == "__main__":
    sys.exit(main())
