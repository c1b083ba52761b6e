"""How many time reports and assignments a supplier has and how many assignments a region has: the
exact totals of unfiltered lists, read from tallies kept by triggers."""

from __future__ import annotations

from typing import Any

from hyrkoll.assignments.models import (
    Assignment,
    RegionAssignmentTally,
    SupplierAssignmentTally,
    SupplierTimeReportTally,
    TimeReport,
)
from hyrkoll.lib import sums, tallies


def reports_count(supplier_id: int) -> int:
    """The reports of the supplier's assignments: read from its tally, kept by triggers, where the
    database keeps tallies; else counted through the assignments."""
    found = tallies.count_of(SupplierTimeReportTally, "reports", supplier_id)
    if found is not None:
        return found
    return TimeReport.objects.filter(assignment__supplier_id=supplier_id).count()


def assignments_count(user: Any) -> int | None:
    """How many assignments ``Assignment.objects.visible_to(user)`` holds – a region user's region's,
    every region's for the national level – read from the regions' assignment tallies kept by
    triggers; None where they are not kept or for a supplier (the caller counts the rows)."""
    kept = sums.region_rows(RegionAssignmentTally, user)
    return None if kept is None else sum(kept.values_list("assignments", flat=True))


def supplier_assignments_count(supplier_id: int) -> int:
    """The supplier's assignments (every status): read from its tally, kept by triggers, where the
    database keeps tallies; else counted from the assignments' supplier index."""
    found = tallies.count_of(SupplierAssignmentTally, "assignments", supplier_id)
    return found if found is not None else Assignment.objects.filter(supplier_id=supplier_id).count()
