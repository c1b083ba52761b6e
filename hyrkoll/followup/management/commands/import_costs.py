"""``hyrkoll import_costs FILE [--replace] [--definition-note TEXT]``: import a cost file.

The whole file is checked first; a file with errors is rejected with the errors listed (the first
50 and how many in all) and nothing changes. See ``hyrkoll.followup.importing`` for the format.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser, no_translations

from hyrkoll.followup import importing
from hyrkoll.followup.models import CostImport, ImportKind, ImportStatus

SHOWN_ERRORS = 50


class Command(BaseCommand):
    help = "Import monthly costs from a CSV or Excel file (region,period,cost_type,profession,care_area,amount_sek)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--replace",
            action="store_true",
            help="Replace the figures of exactly the region-months the file covers.",
        )
        parser.add_argument(
            "--definition-note",
            default="",
            help="What the own personnel cost includes (e.g. excl. dental care).",
        )

    def run_import(self, data: bytes | Path, path: Path, options: dict[str, Any]) -> CostImport:
        return importing.import_file(
            ImportKind.COSTS,
            data,
            path.name,
            actor=None,
            replace=options["replace"],
            progress=self.progress_printer(options),
            definition_note=options["definition_note"],
        )

    def progress_printer(self, options: dict[str, Any]) -> importing.Progress | None:
        if options["verbosity"] < 2:
            return None

        def show(done: int, total: int) -> None:
            print(f"  {done:,} / {total:,} lines", file=sys.stderr, flush=True)

        return show

    @no_translations  # one language for the whole output: the command's own lines are English
    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        try:
            with path.open("rb"):
                pass  # readable: the import reads it where it lies
        except OSError as error:
            raise CommandError(f"{path}: {error.strerror}") from None
        result = self.run_import(path, path, options)
        if getattr(result, "already_imported", False):
            self.stdout.write(
                f"{path.name}: the same file was already imported (import {result.pk}, "
                f"{result.finished_at:%Y-%m-%d %H:%M}); nothing was changed."
            )
            return
        if result.status != ImportStatus.DONE:
            errors = result.errors or []
            count = importing.error_count(result)
            shown = [importing.format_error(error) for error in errors if not error.get("more")][
                :SHOWN_ERRORS
            ]
            lines = [f"Nothing was imported: {count} error(s) in {path.name}.", *shown]
            if count > len(shown):
                lines.append(f"… and {count - len(shown)} more.")
            raise CommandError("\n".join(lines))
        months = result.region_months
        span = f" ({months[0]} … {months[-1]})" if months else ""
        self.stdout.write(
            f"{path.name}: import {result.pk}: {result.lines} lines read, {result.entries} monthly rows stored."
        )
        self.stdout.write(f"Region-months: {len(months)}{span}.")
        for code, total in result.totals.items():
            self.stdout.write(f"  {code}: {total}")
