from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from hyrkoll.organisation.zones import ZoneImportError, import_zones


class Command(BaseCommand):
    help = "Import the agreement's zone list: a CSV file with the columns municipality_code,zone."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        try:
            data = path.read_bytes()
        except OSError as error:
            raise CommandError(f"{path}: {error.strerror}") from None
        try:
            result = import_zones(None, data, path.name)
        except ZoneImportError as error:
            raise CommandError("Nothing was imported:\n" + "\n".join(error.errors)) from None
        self.stdout.write(f"{result.rows} rows read; {len(result.changed)} municipalities changed.")
