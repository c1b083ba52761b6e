from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from hyrkoll.consultants.imports import ImportFileError, import_former_employees
from hyrkoll.organisation.models import Region


class Command(BaseCommand):
    help = (
        "Replace a region's list of former employees with a CSV or .xlsx file with the columns "
        "personal_number,employed_until. Only a keyed hash of each personal identity number is stored."
    )

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
            result = import_former_employees(None, region, data, path.name)
        except ImportFileError as error:
            raise CommandError("Nothing was imported:\n" + "\n".join(error.errors)) from None
        self.stdout.write(
            f"{region}: {result.rows} former employees imported; {result.removed} earlier rows replaced."
        )
