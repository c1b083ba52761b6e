"""``hyrkoll import_invoices --region CODE FILE``: import a file of invoices the region received.

The whole file is checked first; a file with errors is rejected with the errors listed (the first 50
and how many in all) and nothing changes. The same file twice changes nothing. See
``hyrkoll.invoicing.parsing`` for the format.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import Count, Sum

from hyrkoll.invoicing import services
from hyrkoll.invoicing.models import InvoiceDeviation
from hyrkoll.organisation.models import Region

SHOWN_ERRORS = 50


class Command(BaseCommand):
    help = "Import invoices (one row per invoice line) from a CSV or Excel file and check them."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--region", required=True, help="The region's county code, e.g. 14.")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        region = Region.objects.filter(code=options["region"].zfill(2)).first()
        if region is None:
            raise CommandError(f"No region with code {options['region']}.")
        try:
            data = path.read_bytes()
        except OSError as error:
            raise CommandError(f"{path}: {error.strerror}") from None
        try:
            result = services.import_file(None, region, data, path.name)
        except services.FileRejected as rejected:
            for error in rejected.errors[:SHOWN_ERRORS]:
                self.stderr.write(str(error))
            raise CommandError(
                f"{path.name}: rejected, {rejected.total} errors; nothing was imported."
            ) from None
        if result.already_imported:
            self.stdout.write(f"{path.name}: already imported; nothing changed.")
            return
        created = result.received.created
        found = (
            InvoiceDeviation.objects.filter(invoice__in=created)
            .values("kind")
            .annotate(count=Count("pk"), amount=Sum("amount_sek"))
            .order_by("kind")
        )
        self.stdout.write(
            f"{path.name}: {len(created)} invoices, {result.record.lines if result.record else 0} lines imported; "
            f"{len(result.received.already_received)} already received."
        )
        for row in found:
            self.stdout.write(f"  {row['kind']}: {row['count']} deviations, {row['amount']} SEK")
