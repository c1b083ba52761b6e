"""``hyrkoll load_demo_data [--seed N] [--force]``: fill an empty database with demo data."""

from __future__ import annotations

import time
from typing import Any

from django.core.cache import cache
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import IntegrityError

from hyrkoll.demo.data import PASSWORD
from hyrkoll.demo.generator import DEFAULT_SEED, DemoDataError, load_demo_data


class Command(BaseCommand):
    help = (
        "Load demo data: suppliers, consultants, every region's organisation and users, and cost history "
        "from 2015. Refuses if data exists already, unless --force."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--seed", type=int, default=DEFAULT_SEED, help="Random seed (default %(default)s)."
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="Load even if the database already holds data (nothing is deleted; clashes abort the load).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.monotonic()
        try:
            summary = load_demo_data(options["seed"], force=options["force"])
        except DemoDataError as error:
            raise CommandError(str(error)) from error
        except IntegrityError as error:
            raise CommandError(
                f"The demo data clashes with existing data; nothing was loaded. ({error})"
            ) from error
        # The shared cache (files under var/cache) may hold forecasts and figures of the database the
        # demo data replaced, under markers the new data can repeat.
        cache.clear()
        seconds = time.monotonic() - started

        self.stdout.write(self.style.SUCCESS(f"Demo data loaded (seed {summary.seed}) in {seconds:.1f} s:"))
        width = max(len(name) for name in summary.counts)
        for name, count in summary.counts.items():
            self.stdout.write(f"  {name:<{width}}  {count:>7}")
        self.stdout.write("")
        self.stdout.write(f"Demo logins (every demo user has the password {PASSWORD}):")
        header = ("Role", "Username", "Password", "Belongs to")
        rows = [header, *summary.logins]
        widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
        for index, row in enumerate(rows):
            self.stdout.write("  " + "  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row)).rstrip())
            if index == 0:
                self.stdout.write("  " + "  ".join("-" * w for w in widths))
        self.stdout.write(
            "Other regions have the same roles as <county code>.<role>, e.g. 01.admin, 25.bestallare; "
            "suppliers' users are leverantor.<n>."
        )
