"""The cost ledger through the real import path: the benchmark's ledger generator
(``bench.ledger.write_ledger``, seeded, 2016–2025, all 21 regions) writes a CSV file, which
``hyrkoll.followup.importing.import_file`` reads, validates and adds up as ``hyrkoll import_costs``
does."""

from __future__ import annotations

import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from hyrkoll.followup import importing
from hyrkoll.followup.models import CostImport, ImportKind, ImportStatus


class LedgerError(Exception):
    """The generated ledger was not imported."""


def _ledger_writer() -> Callable[..., Any]:
    """``bench.ledger.write_ledger``: the benchmark's generator, so the benchmark and the scale data
    share one ledger. ``bench`` lives beside the package in the source tree (it is not installed),
    so the checkout's root is put on the path when the console script started elsewhere."""
    root = str(Path(__file__).resolve().parents[3])
    if (Path(root) / "bench" / "ledger.py").is_file() and root not in sys.path:
        sys.path.append(root)
    try:
        from bench.ledger import write_ledger
    except ImportError as error:
        raise LedgerError(
            f"The ledger generator (bench/ledger.py in the source tree) is missing: {error}"
        ) from None
    return write_ledger


def import_ledger(
    seed: int, lines: int, step: Callable[[str, int, int], None], *, keep: Path | None = None
) -> tuple[int, CostImport]:
    """Write ``lines`` ledger lines and import them; returns (lines written, the import)."""
    write_ledger = _ledger_writer()

    with tempfile.TemporaryDirectory(prefix="hyrkoll-scale-") as directory:
        path = keep or Path(directory) / "ledger.csv"
        stats = write_ledger(path, seed=seed, target_lines=lines)
        step("ledger lines written", stats.lines, stats.lines)
        record = importing.import_file(
            ImportKind.COSTS,
            path,
            path.name,
            actor=None,
            replace=True,
            progress=lambda done, total: step("ledger lines imported", done, total),
        )
    if record.status != ImportStatus.DONE:
        errors = [importing.format_error(error) for error in (record.errors or [])[:5]]
        raise LedgerError("The generated ledger was rejected: " + "; ".join(errors))
    return stats.lines, record
