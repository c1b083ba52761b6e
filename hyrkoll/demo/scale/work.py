"""What an award leads to: the assignment, its weekly time reports (one row per worked day) approved
by the unit's approver, and one invoice a month with its hours line, checked and approved at the
agreement price."""

from __future__ import annotations

import datetime
import hashlib
import random
from decimal import Decimal

from django.utils import timezone

from hyrkoll.assignments.models import (
    Assignment,
    AssignmentStatus,
    TimeReport,
    TimeReportDay,
    TimeReportStatus,
)
from hyrkoll.demo.scale.base import Cast
from hyrkoll.demo.scale.copying import Table
from hyrkoll.invoicing.models import Invoice, InvoiceLine, InvoiceSource, InvoiceStatus, LineKind

END = datetime.date(2025, 12, 31)  # the history's last day
OPEN_WEEKS = datetime.timedelta(days=14)  # time reports this close to the end still await approval
CENT = Decimal("0.01")
DAY = datetime.timedelta(days=1)


def at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    """An aware timestamp on ``day`` (the project's time zone)."""
    return timezone.make_aware(datetime.datetime(day.year, day.month, day.day, hour, minute))


class Work:
    """Tables of assignments, time reports, days, invoices and invoice lines."""

    def __init__(self, cast: Cast, rng: random.Random) -> None:
        self.cast = cast
        self.rng = rng
        self.assignments = Table(
            Assignment,
            ("region", "call_off", "offer", "consultant", "supplier", "unit", "starts_on", "ends_on",
             "hours_per_week", "price_list", "level", "zone", "hourly_price_sek", "status", "created_at",
             "created_by"),
        )  # fmt: skip
        self.reports = Table(
            TimeReport,
            ("assignment", "week", "status", "submitted_by", "submitted_at", "decided_by", "decided_at"),
        )
        self.days = Table(
            TimeReportDay, ("report", "date", "normal_hours", "on_call_hours", "unsocial_hours")
        )
        self.invoices = Table(
            Invoice,
            ("region", "supplier", "number", "invoice_date", "due_date", "source", "content_hash", "status",
             "invoiced_sek", "expected_sek", "checked_at", "received_at", "decided_at", "decided_by"),
        )  # fmt: skip
        self.lines = Table(
            InvoiceLine,
            ("invoice", "line_no", "assignment_ref", "assignment", "date_from", "date_to", "kind", "quantity",
             "unit_price_sek", "amount_sek", "priced_quantity", "agreement_price_sek", "expected_sek"),
        )  # fmt: skip

    @property
    def tables(self) -> list[Table]:
        return [self.assignments, self.reports, self.days, self.invoices, self.lines]

    def assignment(
        self,
        region: str,
        call_off: int,
        offer: int,
        consultant: int,
        supplier: int,
        need: dict,
        awarded_at: datetime.datetime,
        awarded_by: int,
    ) -> None:
        """The assignment of an award, with its time reports and invoices up to the history's end."""
        starts, ends, hours = need["starts_on"], need["ends_on"], need["hours"]
        status = AssignmentStatus.COMPLETED if ends < END else AssignmentStatus.ACTIVE
        pk = self.assignments.add(
            self.cast.region_ids[region], call_off, offer, consultant, supplier, need["unit"], starts, ends,
            hours, need["price_list"], need["level"], need["zone"], need["price"], status, awarded_at, awarded_by,
        )  # fmt: skip
        reporter = self.rng.choice(self.cast.supplier_users[supplier])
        approver = need["approver"]
        daily = min(Decimal(hours) / 5, Decimal(24)).quantize(CENT)
        unsocial = Decimal(2) if self.rng.random() < 0.3 else Decimal(0)
        per_month: dict[datetime.date, list[datetime.date]] = {}
        week = starts - datetime.timedelta(days=starts.weekday())
        last = min(ends, END)
        while week <= last:
            sunday = week + datetime.timedelta(days=6)
            submitted = at(min(sunday + DAY, END), 9)
            if sunday <= END - OPEN_WEEKS:
                report = self.reports.add(
                    pk, week, TimeReportStatus.APPROVED, reporter, submitted, approver, submitted + 2 * DAY
                )
            else:
                report = self.reports.add(
                    pk, week, TimeReportStatus.SUBMITTED, reporter, submitted, None, None
                )
            for offset in range(5):
                day = week + offset * DAY
                if starts <= day <= last:
                    self.days.add(report, day, daily, 0, unsocial)
                    if sunday <= END - OPEN_WEEKS:
                        per_month.setdefault(day.replace(day=1), []).append(day)
            week += 7 * DAY
        for month, days in per_month.items():
            if month.year == END.year and month.month == END.month:
                continue  # invoiced next month
            self._invoice(region, supplier, pk, month, days, daily, need["price"], approver)

    def _invoice(
        self,
        region: str,
        supplier: int,
        assignment: int,
        month: datetime.date,
        days: list[datetime.date],
        daily: Decimal,
        price: Decimal,
        approver: int,
    ) -> None:
        quantity = daily * len(days)
        amount = (quantity * price).quantize(CENT)
        number = f"F{assignment}-{month:%Y%m}"
        issued = (month + datetime.timedelta(days=32)).replace(day=self.rng.randint(2, 10))
        received = at(issued, 10)
        invoice = self.invoices.add(
            self.cast.region_ids[region], supplier, number, issued, issued + 30 * DAY, InvoiceSource.API,
            hashlib.sha256(number.encode()).hexdigest(), InvoiceStatus.APPROVED, amount, amount, received,
            received, received + 3 * DAY, approver,
        )  # fmt: skip
        self.lines.add(
            invoice, 1, f"U-{assignment}", assignment, days[0], days[-1], LineKind.HOURS, quantity, price, amount,
            quantity, price, amount,
        )  # fmt: skip
