"""Changes to an assignment: extension, cancellation and the time reports (the facade).

The steps live in modules of their own: :mod:`~hyrkoll.assignments.periods` (the priced periods and
the assignment's dates), :mod:`~hyrkoll.assignments.changes` (extension and cancellation) and
:mod:`~hyrkoll.assignments.time_reports` (submitting, approving and returning time reports). This
module re-exports their public names, so ``services.extend``, ``services.submit_time_report`` and the
like keep working; the parts never import it.
"""

from __future__ import annotations

from hyrkoll.assignments.changes import CancellationCharge, cancel, cancellation_charge, extend
from hyrkoll.assignments.models import AssignmentPeriod
from hyrkoll.assignments.periods import (
    CENT,
    ensure_initial_period,
    hourly_price_on,
    known_hlr_date,
    last_day,
    latest_end_allowed,
    periods,
)
from hyrkoll.assignments.time_reports import (
    HOURS_PER_DAY,
    DayHours,
    approve_time_report,
    monday_of,
    resubmit_time_report,
    return_time_report,
    submit_time_report,
)
from hyrkoll.ordering.errors import WorkflowError

__all__ = [
    "CENT",
    "HOURS_PER_DAY",
    "AssignmentPeriod",
    "CancellationCharge",
    "DayHours",
    "WorkflowError",
    "approve_time_report",
    "cancel",
    "cancellation_charge",
    "ensure_initial_period",
    "extend",
    "hourly_price_on",
    "known_hlr_date",
    "last_day",
    "latest_end_allowed",
    "monday_of",
    "periods",
    "resubmit_time_report",
    "return_time_report",
    "submit_time_report",
]
