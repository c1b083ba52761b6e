"""``hyrkoll run_jobs [--once | --loop]``: run the imports uploaded in the web app and send the
outbox's e-mails.

Without options, runs every queued import, sends every due e-mail and exits; ``--once`` runs at most
one import and sends the e-mails due now; ``--loop`` keeps waiting for new uploads and e-mails (run
it as a service). See ``hyrkoll.followup.jobs`` and ``hyrkoll.outbox.services``.
"""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import close_old_connections

from hyrkoll.followup import jobs
from hyrkoll.followup.models import CostImport
from hyrkoll.outbox import services as outbox

#: E-mails sent per round of ``--loop`` before it looks at the imports again.
MAIL_BATCH = 50


class Command(BaseCommand):
    help = "Run queued cost and metrics imports and send the outbox's due e-mails."

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

    def send_mail(self, limit: int | None = None) -> int:
        """Send due e-mails; report what happened; the number tried."""
        outcome = outbox.process_due(limit)
        if outcome.total:
            self.stdout.write(
                f"E-mail: {outcome.sent} sent, {outcome.retrying} to retry later, {outcome.failed} failed."
            )
        return outcome.total

    def handle(self, *args: Any, **options: Any) -> None:
        if options["requeue_running"]:
            self.stdout.write(f"Queued again: {jobs.requeue_running()}.")
        if options["once"]:
            cost_import = jobs.run_next()
            if cost_import is None:
                self.stdout.write("No queued imports.")
            else:
                self.report(cost_import)
            self.send_mail()
            return
        if not options["loop"]:
            for cost_import in jobs.run_pending():
                self.report(cost_import)
            self.send_mail()
            return
        try:
            while True:
                close_old_connections()
                cost_import = jobs.run_next()
                if cost_import is not None:
                    self.report(cost_import)
                if self.send_mail(MAIL_BATCH) or cost_import is not None:
                    continue
                time.sleep(options["interval"])
        except KeyboardInterrupt:
            self.stdout.write("Stopped.")
