"""Fixtures: an awarded assignment of region A with approved time, and helpers to invoice it."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest

from hyrkoll.assignments import services as assignment_services
from hyrkoll.assignments.models import Assignment, TimeReport
from hyrkoll.assignments.tests.conftest import award, english  # noqa: F401
from hyrkoll.invoicing import services
from hyrkoll.invoicing.models import Invoice, InvoiceSource
from hyrkoll.invoicing.parsing import ParsedInvoice, ParsedLine
from hyrkoll.ordering.tests.conftest import flow, make_need, make_offer  # noqa: F401

D = datetime.timedelta


@pytest.fixture
def assignment(flow: dict[str, Any]) -> Assignment:  # noqa: F811
    return award(flow)


def first_monday(assignment: Assignment) -> datetime.date:
    """The first Monday on or after the start: a whole week inside the period."""
    start = assignment.starts_on
    return start + D(days=(7 - start.weekday()) % 7)


def report_week(
    flow: dict[str, Any],  # noqa: F811
    assignment: Assignment,
    week: datetime.date,
    hours: list[Any],
    *,
    approve: bool = True,
    on_call: list[Any] | None = None,
) -> TimeReport:
    on_call = on_call or [0] * 7
    days = {week + D(days=i): (h, on_call[i], 0) for i, h in enumerate(hours)}
    report = assignment_services.submit_time_report(flow["supplier_user_a"], assignment, week, days)
    if approve:
        assignment_services.approve_time_report(flow["verksamhetschef"], report)
    return report


def line(
    assignment: Assignment | str,
    start: datetime.date,
    end: datetime.date,
    quantity: Any,
    price: Any,
    amount: Any = None,
    kind: str = "hours",
) -> ParsedLine:
    quantity, price = Decimal(str(quantity)), Decimal(str(price))
    ref = assignment if isinstance(assignment, str) else str(assignment.pk)
    amount = Decimal(str(amount)) if amount is not None else (quantity * price).quantize(Decimal("0.01"))
    return ParsedLine(None, ref, start, end, kind, quantity, price, amount)


def send(
    flow: dict[str, Any],  # noqa: F811
    number: str,
    lines: list[ParsedLine],
    supplier_key: str = "supplier_a",
    region_key: str = "region_a",
) -> services.Received:
    parsed = ParsedInvoice(flow[supplier_key], number, datetime.date(2026, 1, 15), None, lines)
    return services.receive(
        flow[f"supplier_user_{supplier_key[-1]}"], flow[region_key], [parsed], InvoiceSource.API
    )


def deviations_of(invoice: Invoice) -> dict[str, Decimal]:
    found: dict[str, Decimal] = {}
    for deviation in invoice.deviations.all():
        found[deviation.kind] = found.get(deviation.kind, Decimal(0)) + deviation.amount_sek
    return found
