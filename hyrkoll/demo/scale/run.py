"""The phases of ``generate_scale_data`` and its closing report (counts, times, database size)."""

from __future__ import annotations

import datetime

from django.db import connection

from hyrkoll.accounts.models import RoleAssignment, User
from hyrkoll.agreement.models import Supplier
from hyrkoll.consultants.models import Consultant
from hyrkoll.demo.scale.base import load_base, load_cast
from hyrkoll.demo.scale.copying import database_size, reset_sequences, table_size, without_row_triggers
from hyrkoll.demo.scale.ledger import LedgerError, import_ledger
from hyrkoll.demo.scale.ordering import Ordering
from hyrkoll.demo.scale.progress import Progress
from hyrkoll.followup.models import CostEntry
from hyrkoll.organisation.models import OrgUnit

DEFAULT_SEED = 2026
TODAY = datetime.date(2026, 1, 1)  # the day after the history ends: the demo plan's "today"
SCALES = {"national": (1_000_000, 20_000_000), "small": (20_000, 1_000_000)}


class ScaleDataError(Exception):
    """The scale data cannot be written here."""


def generate(seed: int, call_offs: int, ledger_lines: int) -> list[str]:
    """Write the whole data set; returns the report's lines."""
    if Supplier.objects.exists() or OrgUnit.objects.exists():
        raise ScaleDataError(
            "The database already holds suppliers or organisational units: generate the scale data into a "
            "freshly migrated database."
        )
    progress = Progress()
    progress.phase("reference data, organisation, users, consultants")
    load_base(seed, TODAY, call_offs)
    cast = load_cast(seed)
    progress.phase("needs, call-offs, recipients, offers, checks, assignments, time, invoices")
    ordering = Ordering(cast, seed)
    with without_row_triggers() as skipped:
        ordering.run(call_offs, seed, lambda done, total: progress.step("needs", done, total))
    lines = 0
    if ledger_lines:
        progress.phase("cost ledger (generate, import_costs' import path)")
        try:
            lines, _record = import_ledger(
                seed,
                ledger_lines,
                lambda what, done, total: progress.step(what, done, total, force=done == total),
            )
        except LedgerError as error:
            raise ScaleDataError(str(error)) from None
    progress.phase("sequences and statistics")
    models = [table.model for table in ordering.tables] + [Consultant]
    reset_sequences(models)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    progress.end_phase()
    counts = {
        "users": User.objects.count(),
        "role assignments": RoleAssignment.objects.count(),
        "consultants": Consultant.objects.count(),
        **{table.label: table.model.objects.count() for table in ordering.tables},
        "ledger lines imported": lines,
        "cost entries (monthly rows)": CostEntry.objects.count(),
    }
    report = [f"Scale data (seed {seed}):"]
    report += [f"  {name:<28} {count:>12,}" for name, count in counts.items()]
    report.append("COPY per table (rows, seconds, size with indexes):")
    report += [
        f"  {table.label:<28} {table.written:>12,} {table.seconds:8.1f} s {table_size(table.model) / 2**20:9.1f} MB"
        for table in ordering.tables
    ]
    if skipped:
        report.append("  (foreign-key triggers skipped while copying: session_replication_role = replica)")
    report += [f"  {name:<78} {seconds:8.1f} s" for name, seconds in progress.phases]
    report.append(f"Total {progress.total_seconds:.1f} s; database size {database_size()}.")
    return report
