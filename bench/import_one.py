"""One cost import in a process of its own, for clean time and memory figures.

``python -m bench.import_one FILE`` with ``SQLITE_PATH`` or ``DATABASE_URL`` set (a migrated
database: ``migrate`` runs in a process of its own first, so that its memory does not count). The
file is handed over by its path, as ``hyrkoll import_costs`` and the upload job do. Prints
one JSON line: seconds, lines, rows stored, which reader read the file, the resident memory before
the file was read and the peak during the import.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path


def _rss_mb() -> float:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def _peak_rss_mb() -> float:
    """This process's own peak (VmHWM). Not ``ru_maxrss``: Linux keeps that across exec, so a
    process started by the benchmark (over 400 MB by then) reported the benchmark's peak."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    raise RuntimeError("no VmHWM in /proc/self/status")


def main(path: Path) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hyrkoll.settings")
    import django

    django.setup()
    from hyrkoll.followup import importing
    from hyrkoll.followup.importing import columnar
    from hyrkoll.followup.models import ImportKind, SupplierCostMonth

    used: list[str] = []
    read_columnar = columnar.read_columnar

    def spying(*args, **kwargs):  # which reader read the file
        parsed = read_columnar(*args, **kwargs)
        used.append("columnar (DuckDB)" if parsed is not None else "row by row")
        return parsed

    columnar.read_columnar = spying
    rss_before = _rss_mb()
    started = time.perf_counter()
    # As the command and the upload job do: the file's path, not its bytes.
    record = importing.import_file(ImportKind.COSTS, path, path.name, actor=None, replace=True)
    seconds = time.perf_counter() - started
    peak = _peak_rss_mb()
    print(
        json.dumps(
            {
                "status": str(record.status),
                "errors": record.errors[:3],
                "seconds": seconds,
                "lines": record.lines,
                "entries": record.entries,
                "supplier_rows": SupplierCostMonth.objects.filter(cost_import=record).count(),
                "reader": used[0] if used else "?",
                "file_mb": path.stat().st_size / 2**20,
                "rss_before_mb": rss_before,
                "peak_rss_mb": peak,
            }
        )
    )


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    main(Path(sys.argv[1]))
