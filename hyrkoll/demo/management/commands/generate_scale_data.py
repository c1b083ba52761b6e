"""``hyrkoll generate_scale_data [--scale small] [--call-offs N] [--ledger-lines N] [--seed S]``.

The national-scale data set on PostgreSQL (see ``hyrkoll.demo.scale``); refuses SQLite unless
``--allow-sqlite``. Progress goes to stderr, the counts, times and database size to stdout.
"""

from __future__ import annotations

from typing import Any

from django.core.cache import cache
from django.core.management.base import BaseCommand, CommandError, CommandParser, no_translations
from django.db import connection

from hyrkoll.demo.scale.run import DEFAULT_SEED, SCALES, ScaleDataError, generate


class Command(BaseCommand):
    help = "Write a deterministic national-scale history 2016–2025 (needs, call-offs, assignments, ledger)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--scale", choices=sorted(SCALES), default="national", help="Preset volumes.")
        parser.add_argument("--call-offs", type=int, help="Needs (call-offs and the states before them).")
        parser.add_argument(
            "--ledger-lines", type=int, help="Ledger lines imported through import_costs' path."
        )
        parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
        parser.add_argument(
            "--allow-sqlite", action="store_true", help="Run on SQLite anyway (slow; for small scales only)."
        )

    @no_translations
    def handle(self, *args: Any, **options: Any) -> None:
        if connection.vendor != "postgresql" and not options["allow_sqlite"]:
            raise CommandError(
                f"generate_scale_data writes with PostgreSQL's COPY and is meant for PostgreSQL; this database "
                f"is {connection.vendor}. Set DATABASE_URL=postgres://… or pass --allow-sqlite for a small scale."
            )
        call_offs, ledger_lines = SCALES[options["scale"]]
        if options["call_offs"] is not None:
            call_offs = options["call_offs"]
        if options["ledger_lines"] is not None:
            ledger_lines = options["ledger_lines"]
        try:
            report = generate(options["seed"], call_offs, ledger_lines)
        except ScaleDataError as error:
            raise CommandError(str(error)) from None
        cache.clear()  # forecasts and figures cached for an earlier database
        for line in report:
            self.stdout.write(line)
