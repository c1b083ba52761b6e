"""Demo: a consultant who came back to the same unit, worked and invoiced in the past.

The ordering demo awards one consultant twice in a row at the same unit in Västra Götaland (the
continuity scenario), in the coming weeks. Here both needs are moved back in time together (the
second ends two weeks ago), every week is reported and approved, and each assignment is invoiced
at the agreement's price and approved – so "Where the hired cost sits" shows a consultant with
repeated assignments at one unit (a candidate for recruitment) from real records.
"""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.utils import timezone

from hyrkoll.assignments import services as assignment_services
from hyrkoll.assignments.models import Assignment, AssignmentStatus
from hyrkoll.demo.invoicing import (
    call_off_unit,
    hours_line,
    parsed_invoice,
    shift_need,
    supplier_user,
    unit_manager,
)
from hyrkoll.invoicing import services as invoice_services
from hyrkoll.invoicing.models import Invoice, InvoiceSource

D = datetime.timedelta
REGION = "14"
ENDED_DAYS_AGO = 14


def _returning(region_code: str) -> list[Assignment]:
    """The first consultant with two or more active assignments at the same unit, by start."""
    grouped: dict[tuple[int, int], list[Assignment]] = defaultdict(list)
    for assignment in (
        Assignment.objects.filter(region__code=region_code, status=AssignmentStatus.ACTIVE)
        .select_related("call_off__need", "unit", "supplier")
        .order_by("starts_on", "pk")
    ):
        grouped[assignment.consultant_id, assignment.unit_id].append(assignment)
    return next((rows for rows in grouped.values() if len(rows) > 1), [])


def _weeks(assignment: Assignment) -> list[tuple[datetime.date, dict[datetime.date, tuple[int, int, int]]]]:
    """(Monday, {weekday in the assignment: 8 hours}) for every week the assignment touches."""
    monday = assignment.starts_on - D(days=assignment.starts_on.weekday())
    weeks = []
    while monday <= assignment.ends_on:
        days = {
            monday + D(days=offset): (8, 0, 0)
            for offset in range(5)
            if assignment.starts_on <= monday + D(days=offset) <= assignment.ends_on
        }
        if days:
            weeks.append((monday, days))
        monday += D(weeks=1)
    return weeks


def load_returning_demo(today: datetime.date, counts: dict[str, int]) -> None:
    today = max(today, timezone.localdate())
    assignments = _returning(REGION)
    if not assignments:
        return
    days = (assignments[-1].ends_on - (today - D(days=ENDED_DAYS_AGO))).days
    ids = [a.pk for a in assignments]
    earliest, latest = assignments[0].starts_on - D(days=days), assignments[-1].ends_on - D(days=days)
    if (
        Assignment.objects.overlapping(earliest, latest)
        .filter(consultant_id=assignments[0].consultant_id)
        .exclude(pk__in=ids)
        .exists()
    ):
        return  # the consultant is booked elsewhere then
    for assignment in assignments:
        shift_need(assignment.call_off.need, days)
    controller = call_off_unit(REGION)
    invoiced = hours_total = 0
    for assignment in (
        Assignment.objects.filter(pk__in=ids).select_related("unit", "supplier").order_by("starts_on")
    ):
        supplier, manager = supplier_user(assignment), unit_manager(assignment)
        if supplier is None or manager is None:
            return
        lines = []
        for week, hours in _weeks(assignment):
            report = assignment_services.submit_time_report(supplier, assignment, week, hours)
            assignment_services.approve_time_report(manager, report, "")
            hours_total += 8 * len(hours)
            lines.append(
                hours_line(
                    assignment, min(hours), 8 * len(hours), assignment.hourly_price_sek, end=max(hours)
                )
            )
        on = assignment.ends_on + D(days=3)
        received = invoice_services.receive(
            supplier, assignment.region, [parsed_invoice(f"{on.year}R{assignment.pk:04d}", assignment, on, lines)],
            InvoiceSource.API,
        )  # fmt: skip
        for invoice in received.created:
            Invoice.objects.filter(pk=invoice.pk).update(
                received_at=timezone.make_aware(datetime.datetime.combine(on, datetime.time(8)))
            )
            invoice_services.approve(controller, invoice, "Stämmer mot godkänd tid.")
            invoiced += 1
    counts["invoices"] = counts.get("invoices", 0) + invoiced
    counts["hours invoiced by a returning consultant"] = hours_total
