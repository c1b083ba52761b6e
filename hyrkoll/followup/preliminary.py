"""Hired cost before the ledger closes, from Hyrkoll's own records – and the ledger against them.

A region imports its ledger some weeks after a month ends. For the complete months after the
region's last imported month, the hired cost is *preliminary*: the lines of the invoices approved
in Hyrkoll (by the month of each line's first day), plus, for an assignment and month with no
invoice yet (none received, or only rejected ones), the approved time at the assignment's hourly
price (worked hours only: supplements are not known before the invoice). When the ledger for the
month is imported, its figure replaces the preliminary one (the months are simply no longer after
the last imported month).

For the imported months the ledger's hired cost per supplier is set beside the approved invoices
of the same supplier and month: where the ledger holds more, money went to the supplier that never
passed through Hyrkoll's control – a contract-fidelity signal for the controller.

A fixed handful of queries, whatever the number of assignments or lines.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Max, Sum
from django.db.models.functions import TruncMonth

from hyrkoll.agreement.models import Supplier
from hyrkoll.assignments.models import TimeReportDay, TimeReportStatus
from hyrkoll.followup.indicators import add_months
from hyrkoll.followup.models import CostEntry, CostType, SupplierCostMonth
from hyrkoll.invoicing.models import InvoiceLine, InvoiceStatus
from hyrkoll.lib.dates import last_complete_month, month_end, months_between

ZERO = Decimal(0)
MAX_MONTHS = 12  # a ledger more than a year behind is not "preliminary" any more
DIFFERENCE_MONTHS = 12  # the ledger months compared with Hyrkoll's invoices


@dataclass(frozen=True)
class PreliminaryMonth:
    month: datetime.date
    invoiced_sek: Decimal  # lines of invoices approved in Hyrkoll
    time_sek: Decimal  # approved time not yet invoiced, at the assignment's hourly price

    @property
    def total_sek(self) -> Decimal:
        return self.invoiced_sek + self.time_sek


@dataclass(frozen=True)
class SupplierDifference:
    month: datetime.date
    org_no: str
    supplier_name: str
    ledger_sek: Decimal
    hyrkoll_sek: Decimal

    @property
    def difference_sek(self) -> Decimal:
        return self.ledger_sek - self.hyrkoll_sek


def ledger_through(region_id: int) -> datetime.date | None:
    """The region's last month with hired cost from its ledger."""
    return CostEntry.objects.filter(region_id=region_id, cost_type=CostType.HIRED).aggregate(
        latest=Max("period")
    )["latest"]


def preliminary_months(region_id: int, today: datetime.date) -> list[PreliminaryMonth]:
    """The complete months after the region's last ledger month (at most MAX_MONTHS), each with
    its preliminary hired cost; empty when the ledger is up to date or was never imported."""
    through = ledger_through(region_id)
    last = last_complete_month(today)
    if through is None or through >= last:
        return []
    first = max(add_months(through, 1), add_months(last, -(MAX_MONTHS - 1)))
    months = months_between(first, last)
    start, end = first, month_end(last)
    lines = InvoiceLine.objects.filter(
        invoice__region_id=region_id, assignment__isnull=False, date_from__range=(start, end)
    )
    invoiced: dict[datetime.date, Decimal] = defaultdict(Decimal)
    for month, total in (
        lines.filter(invoice__status=InvoiceStatus.APPROVED)
        .annotate(month=TruncMonth("date_from"))
        .values_list("month")
        .annotate(total=Sum("amount_sek"))
        .order_by()
    ):
        invoiced[month] += total
    with_invoice = {
        (assignment_id, month)
        for assignment_id, month in lines.exclude(invoice__status=InvoiceStatus.REJECTED)
        .annotate(month=TruncMonth("date_from"))
        .values_list("assignment_id", "month")
        .distinct()
        .order_by()
    }
    time: dict[datetime.date, Decimal] = defaultdict(Decimal)
    for assignment_id, month, price, hours in (
        TimeReportDay.objects.filter(
            report__assignment__region_id=region_id,
            # Implied by the dates (a report's week overlaps its assignment, whose end only moves
            # later), but it lets the database start from the assignments still running in the
            # window (``assignment_region_ends``) instead of every report of the region's history.
            report__assignment__ends_on__gte=start - datetime.timedelta(days=6),
            report__status=TimeReportStatus.APPROVED,
            date__range=(start, end),
        )
        .annotate(month=TruncMonth("date"))
        .values_list("report__assignment_id", "month", "report__assignment__hourly_price_sek")
        .annotate(hours=Sum("normal_hours"))
        .order_by()
    ):
        if (assignment_id, month) not in with_invoice:
            time[month] += hours * price
    return [
        PreliminaryMonth(month, invoiced.get(month, ZERO), time.get(month, ZERO).quantize(Decimal("0.01")))
        for month in months
    ]


def supplier_differences(region_id: int, through: datetime.date | None = None) -> list[SupplierDifference]:
    """Per ledger month (the last DIFFERENCE_MONTHS up to ``through``, default the last imported
    month) and supplier: the ledger's hired cost beside the invoices approved in Hyrkoll, where they
    differ; the largest excess in the ledger first."""
    through = through or ledger_through(region_id)
    if through is None:
        return []
    first = add_months(through, -(DIFFERENCE_MONTHS - 1))
    ledger: dict[tuple[datetime.date, str], Decimal] = defaultdict(Decimal)
    for month, entries in SupplierCostMonth.objects.filter(
        region_id=region_id, period__range=(first, through)
    ).values_list("period", "entries"):
        for org_no, _profession, _area, units in entries:
            ledger[month, org_no] += sum(map(Decimal, units.values()), Decimal(0))
    hyrkoll: dict[tuple[datetime.date, str], Decimal] = defaultdict(Decimal)
    names: dict[str, str] = {}
    for month, org_no, name, total in (
        InvoiceLine.objects.filter(
            invoice__region_id=region_id,
            invoice__status=InvoiceStatus.APPROVED,
            assignment__isnull=False,
            date_from__range=(first, month_end(through)),
        )
        .annotate(month=TruncMonth("date_from"))
        .values_list("month", "invoice__supplier__org_no", "invoice__supplier__name")
        .annotate(total=Sum("amount_sek"))
        .order_by()
    ):
        hyrkoll[month, org_no] += total
        names[org_no] = name
    if ledger:
        names.update(
            Supplier.objects.filter(org_no__in={org for _month, org in ledger}).values_list("org_no", "name")
        )
    rows = [
        SupplierDifference(
            month, org_no, names.get(org_no, ""), ledger[month, org_no], hyrkoll[month, org_no]
        )
        for month, org_no in set(ledger) | set(hyrkoll)
        if ledger[month, org_no] != hyrkoll[month, org_no]
    ]
    rows.sort(key=lambda row: (-row.difference_sek, row.month, row.org_no))
    return rows
