"""E-mail about time reports: a returned report to the supplier's users (queued in the outbox inside
the step's transaction; see ``hyrkoll.outbox.services``)."""

from __future__ import annotations

from hyrkoll.assignments.models import TimeReport
from hyrkoll.ordering.notifications import supplier_addresses
from hyrkoll.outbox.models import MessageKind
from hyrkoll.outbox.services import queue


def notify_time_report_returned(report_id: int) -> int:
    """Tell the supplier's users (or, if none has an address, the company) what to correct."""
    report = TimeReport.objects.select_related(
        "assignment__consultant", "assignment__unit", "assignment__region", "assignment__supplier"
    ).get(pk=report_id)
    assignment = report.assignment
    supplier = assignment.supplier
    addresses = supplier_addresses(supplier, company=False) or supplier_addresses(supplier)
    year, week, _day = report.week.isocalendar()
    context = {
        "report": report,
        "assignment": assignment,
        "supplier": supplier,
        "week": f"{year}-W{week:02d}",
    }
    message = queue(
        MessageKind.TIME_REPORT_RETURNED,
        "time_report_returned",
        context,
        addresses,
        region=assignment.region,
        supplier=supplier,
        about=report,
    )
    return int(message is not None)
