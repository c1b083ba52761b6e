"""``hyrkoll run_jobs [--once | --loop]``: run the imports uploaded in the web app.

Without options, runs every queued import and exits; ``--once`` runs at most one; ``--loop`` keeps
waiting for new uploads (run it as a service). See ``hyrkoll.followup.jobs``.
"""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import close_old_connections

from hyrkoll.followup import jobs
from hyrkoll.followup.models import CostImport


class Command(BaseCommand):
    help = "Run queued cost and metrics imports."

    def add_arguments(self, parser: CommandParser) -> None:
        mode = parser.add_mutually_exclusive_group()
        mode.add_argument("--once", action="store_true", help="Run at most one queued import.")
        mode.add_argument("--loop", action="store_true", help="Keep running; wait for new uploads.")
        parser.add_argument(
            "--interval", type=float, default=2.0, help="Seconds between looks at the queue (--loop)."
        )
        parser.add_argument(
            "--requeue-running",
            action="store_true",
            help="First queue again imports left running by a stopped worker (only when no worker runs).",
        )

    def report(self, cost_import: CostImport) -> None:
        self.stdout.write(
            f"Import {cost_import.pk} ({cost_import.filename}): {cost_import.get_status_display()}, "
            f"{cost_import.lines} lines, {cost_import.entries} monthly rows."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["requeue_running"]:
            self.stdout.write(f"Queued again: {jobs.requeue_running()}.")
        if options["once"]:
            cost_import = jobs.run_next()
            if cost_import is None:
                self.stdout.write("No queued imports.")
            else:
                self.report(cost_import)
            return
        if not options["loop"]:
            for cost_import in jobs.run_pending():
                self.report(cost_import)
            return
        try:
            while True:
                close_old_connections()
                cost_import = jobs.run_next()
                if cost_import is not None:
                    self.report(cost_import)
                    continue
                time.sleep(options["interval"])
        except KeyboardInterrupt:
            self.stdout.write("Stopped.")
