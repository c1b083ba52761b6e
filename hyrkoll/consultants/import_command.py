"""The shared body of the commands that replace a region's imported list from a file."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from hyrkoll.consultants.imports import ImportFileError
from hyrkoll.organisation.models import Region


class RegionFileImportCommand(BaseCommand):
    """Subclasses set ``importer`` (actor, region, data, filename) and ``what`` (for the summary)."""

    importer: Callable[..., Any]
    what: str

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("region_code", help="The region's county code, e.g. 14.")
        parser.add_argument("file", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        region = Region.objects.filter(code=options["region_code"]).first()
        if region is None:
            raise CommandError(f"No region with the code {options['region_code']!r}.")
        path: Path = options["file"]
        try:
            data = path.read_bytes()
        except OSError as error:
            raise CommandError(f"{path}: {error.strerror}") from None
        try:
            result = type(self).importer(None, region, data, path.name)
        except ImportFileError as error:
            raise CommandError("Nothing was imported:\n" + "\n".join(error.errors)) from None
        self.stdout.write(
            f"{region}: {result.rows} {self.what} imported; {result.removed} earlier rows replaced."
        )
