"""Fixtures: the shared ``world`` (region A = 14, region B = 01, suppliers A and B) with assignments
written straight to the database (many, at chosen dates, in both regions – the award workflow makes
one future assignment of region A at a time) and invoices with their lines.

``spend`` is the hand-computed case of ``test_analysis``; period 2025-01 – 2025-06.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from conftest import make_unit_tree
from hyrkoll.agreement.models import Competence, CompetenceLevel, PriceList, Profession, SubArea, Supplier
from hyrkoll.assignments.models import Assignment, AssignmentStatus
from hyrkoll.compliance.tests.conftest import client_for, english  # noqa: F401
from hyrkoll.consultants.models import Consultant
from hyrkoll.followup.indicators import Period
from hyrkoll.invoicing.models import Invoice, InvoiceLine, InvoiceStatus, LineKind
from hyrkoll.ordering.models import CallOff, Need, NeedReason, Offer
from hyrkoll.organisation.models import OrgUnit, Region

D = datetime.date
PERIOD = Period(D(2025, 1, 1), D(2025, 6, 1))


def make_assignment(
    world: dict[str, Any],
    unit: OrgUnit,
    consultant: Consultant,
    starts_on: datetime.date,
    ends_on: datetime.date,
    *,
    profession: str = "doctor",
    level: str = "doctor_specialist_a",
    **fields: Any,
) -> Assignment:
    """An assignment with its need, call-off and offer, written directly (no workflow, no checks)."""
    region: Region = unit.region
    owner = world["admin_a"] if region.code == "14" else world["admin_b"]
    price_level = CompetenceLevel.objects.get(code=level)
    need = Need.objects.create(
        region=region, unit=unit, created_by=owner, profession=Profession.objects.get(code=profession),
        competence=Competence.objects.filter(level=price_level).first(), level=price_level,
        starts_on=starts_on, ends_on=ends_on, hours_per_week=40, reason=NeedReason.VACANCY,
    )  # fmt: skip
    now = timezone.now()
    call_off = CallOff.objects.create(
        need=need, region=region, sub_area=SubArea.objects.get(code=price_level.sub_area_code),
        published_at=now, response_deadline=now,
    )  # fmt: skip
    offer = Offer.objects.create(
        call_off=call_off, supplier=consultant.supplier, consultant=consultant, available_from=starts_on,
        available_to=ends_on, submitted_by=owner,
    )  # fmt: skip
    return Assignment.objects.create(
        region=region, call_off=call_off, offer=offer, consultant=consultant, supplier=consultant.supplier,
        unit=unit, starts_on=starts_on, ends_on=ends_on, hours_per_week=40,
        price_list=PriceList.objects.order_by("pk").first(), level=price_level, zone=1,
        hourly_price_sek=1000, **fields,
    )  # fmt: skip


def make_invoice(
    number: str,
    lines: list[tuple[Any, ...]],
    *,
    status: str = InvoiceStatus.APPROVED,
    region: Region | None = None,
    supplier: Supplier | None = None,
) -> Invoice:
    """``lines``: (assignment or None, first day, amount, quantity[, kind]); the invoice's region and
    supplier are the first assignment's unless given."""
    first = lines[0][0]
    invoice = Invoice.objects.create(
        region=region or first.region, supplier=supplier or first.supplier, number=number,
        invoice_date=D(2025, 7, 1), source="api", content_hash=number, status=status,
    )  # fmt: skip
    InvoiceLine.objects.bulk_create(
        InvoiceLine(
            invoice=invoice, line_no=index, assignment_ref=str(assignment.pk) if assignment else "X-1",
            assignment=assignment, date_from=day, date_to=day + datetime.timedelta(days=6),
            kind=rest[0] if rest else LineKind.HOURS, quantity=Decimal(quantity),
            unit_price_sek=Decimal(1), amount_sek=Decimal(amount),
        )
        for index, (assignment, day, amount, quantity, *rest) in enumerate(lines, start=1)
    )  # fmt: skip
    return invoice


def consultant(world: dict[str, Any], supplier: Supplier, first: str, last: str) -> Consultant:
    return Consultant.objects.create(
        supplier=supplier, first_name=first, last_name=last, profession=Profession.objects.get(code="doctor")
    )


@pytest.fixture
def spend(world: dict[str, Any]) -> dict[str, Any]:
    """Region A: Anna (supplier A) twice at A-3, a week apart; Bertil and Cecilia (supplier B) at
    C-3. Region B: Doris (Bemanning C AB) at B-3. See ``test_analysis`` for the figures."""
    units_c = make_unit_tree(world["region_a"], "C")
    supplier_c = Supplier.objects.create(name="Bemanning C AB", org_no="556000-0019")
    cecilia = consultant(world, world["supplier_b"], "Cecilia", "Carlsson")
    doris = consultant(world, supplier_c, "Doris", "Dahl")
    a3, c3, b3 = world["units_a"]["care_unit"], units_c["care_unit"], world["units_b"]["care_unit"]
    anna, bertil = world["consultant_a"], world["consultant_b"]
    a1 = make_assignment(world, a3, anna, D(2025, 1, 1), D(2025, 3, 31))
    a2 = make_assignment(world, a3, anna, D(2025, 4, 8), D(2025, 6, 30))
    a3_nurse = make_assignment(
        world, c3, cecilia, D(2025, 2, 1), D(2025, 2, 28), profession="nurse", level="nurse_high"
    )
    a4 = make_assignment(world, c3, bertil, D(2025, 3, 1), D(2025, 5, 31), level="doctor_licensed")
    # Cancelled before it began: no stay, whatever its dates.
    make_assignment(
        world, c3, anna, D(2025, 2, 1), D(2025, 12, 31),
        status=AssignmentStatus.CANCELLED, cancelled_from=D(2025, 2, 1),
    )  # fmt: skip
    b1 = make_assignment(world, b3, doris, D(2025, 1, 1), D(2025, 6, 30))
    make_invoice("A-1", [
        (a1, D(2025, 1, 6), 120_000, 100),
        (a1, D(2025, 1, 6), 5_000, 10, LineKind.ON_CALL),
        (a2, D(2025, 4, 14), 60_000, 50),
        (a1, D(2024, 12, 20), 10_000, 8),  # before the period, inside the 12 months
        (None, D(2025, 1, 6), 7_777, 7),  # an unknown assignment
    ], region=world["region_a"], supplier=world["supplier_a"])  # fmt: skip
    make_invoice("B-1", [(a3_nurse, D(2025, 2, 3), 40_000, 40), (a4, D(2025, 3, 3), 75_000, 80)])
    make_invoice("A-2", [(a1, D(2025, 2, 3), 99_999, 99)], status=InvoiceStatus.RECEIVED)
    make_invoice("A-3", [(a2, D(2025, 5, 5), 88_888, 88)], status=InvoiceStatus.REJECTED)
    make_invoice("A-4", [(a2, D(2025, 7, 7), 55_555, 55)])  # after the period
    make_invoice("C-1", [(b1, D(2025, 3, 3), 50_000, 40)])
    return {**world, "units_c": units_c, "supplier_c": supplier_c, "a1": a1, "a2": a2, "a4": a4, "b1": b1}
