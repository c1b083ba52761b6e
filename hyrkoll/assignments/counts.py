"""How many time reports a supplier has: the exact total of its unfiltered time-report list."""

from __future__ import annotations

from hyrkoll.assignments.models import SupplierTimeReportTally, TimeReport
from hyrkoll.lib import tallies


def reports_count(supplier_id: int) -> int:
    """The reports of the supplier's assignments: read from its tally, kept by triggers, where the
    database keeps tallies; else counted through the assignments."""
    found = tallies.count_of(SupplierTimeReportTally, "reports", supplier_id)
    if found is not None:
        return found
    return TimeReport.objects.filter(assignment__supplier_id=supplier_id).count()
