"""``hyrkoll import_metrics FILE [--replace]``: import staffing metrics
(``region,period,metric,profession,care_area,value``), with the same rules as ``import_costs``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import CommandParser

from hyrkoll.followup import importing
from hyrkoll.followup.management.commands import import_costs
from hyrkoll.followup.models import CostImport, ImportKind


class Command(import_costs.Command):
    help = (
        "Import staffing metrics from a CSV or Excel file (region,period,metric,profession,care_area,value)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--replace",
            action="store_true",
            help="Replace the figures of exactly the region-months the file covers.",
        )

    def run_import(self, data: bytes | Path, path: Path, options: dict[str, Any]) -> CostImport:
        return importing.import_file(
            ImportKind.METRICS,
            data,
            path.name,
            actor=None,
            replace=options["replace"],
            progress=self.progress_printer(options),
        )
