"""Contract fidelity on a small hand-computed ledger covering all three classes.

Region A (14) has one assignment of supplier A at its care unit A-3 (under department A-2), moved
to 10 March – 20 May 2025. The ledger of April 2025 (SEK):

====  ===============================  ======  =========  ===================================
line  supplier                         unit    amount     class
====  ===============================  ======  =========  ===================================
1     A (admitted, assignment)         A-3     100 000    through (the unit itself)
2     A                                A-2      50 000    through (the assignment is below)
3     A                                (none)   10 000    through (anywhere in the region)
4     B (admitted, no assignment)      A-3      40 000    without: bypassed Hyrkoll
5     Direktläkarna (dispensation)     A-3      30 000    with dispensation
6     Okänd AB (not admitted)          A-3      20 000    without: not admitted
7     A                                ZZZ       5 000    without: unknown unit
8     Hittad AB (registered, no disp.) A-1      15 000    without (registered without one)
====  ===============================  ======  =========  ===================================

Total 270 000: through 160 000 (59.26 %), with 30 000 (11.11 %), without 80 000 (29.63 %).
February 2025 (before the assignment): supplier A at A-3, 25 000 → without.
Region B: supplier A, 70 000 in April → without (no assignment in region B).
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse

from hyrkoll.assignments.models import Assignment, AssignmentStatus
from hyrkoll.assignments.tests.conftest import award
from hyrkoll.compliance import fidelity
from hyrkoll.compliance.fidelity import (
    NO_ASSIGNMENT,
    NOT_ADMITTED,
    THROUGH,
    UNKNOWN_UNIT,
    WITH_DISPENSATION,
    WITHOUT_DISPENSATION,
)
from hyrkoll.compliance.models import DirectPurchase
from hyrkoll.followup.models import CostImport, ImportStatus, SupplierCostMonth
from hyrkoll.ordering.tests.test_off_agreement import approved_outside

APRIL, FEBRUARY = datetime.date(2025, 4, 1), datetime.date(2025, 2, 1)
DIREKT, OKAND, HITTAD = "556036-0793", "556016-0680", "556703-7485"


@pytest.fixture
def ledger(cast: dict[str, Any]) -> dict[str, Any]:
    assignment = award(cast)
    Assignment.objects.filter(pk=assignment.pk).update(
        starts_on=datetime.date(2025, 3, 10), ends_on=datetime.date(2025, 5, 20)
    )
    need = approved_outside(cast, price=3000)
    unit = cast["units_a"]["care_unit"]
    common = {"region": cast["region_a"], "unit": unit, "level": need.level, "hours_per_week": 40,
              "hourly_price_sek": 2000, "total_sek": 1, "recorded_by": cast["call_off_unit"]}  # fmt: skip
    DirectPurchase.objects.create(
        need=need, supplier_name="Direktläkarna", supplier_org_no=DIREKT,
        starts_on=datetime.date(2025, 4, 1), ends_on=datetime.date(2025, 4, 30), **common,
    )  # fmt: skip
    DirectPurchase.objects.create(
        explanation="Hittad i huvudboken", supplier_name="Hittad AB", supplier_org_no=HITTAD,
        starts_on=datetime.date(2025, 4, 1), ends_on=datetime.date(2025, 4, 30), **common,
    )  # fmt: skip
    cost_import = CostImport.objects.create(status=ImportStatus.DONE, filename="ledger.csv", sha256="0" * 64)
    a, b = cast["supplier_a"].org_no, cast["supplier_b"].org_no
    lines = [
        ("region_a", APRIL, a, "A-3", 100_000, "doctor", "primary"),
        ("region_a", APRIL, a, "A-2", 50_000, "doctor", "primary"),
        ("region_a", APRIL, a, "", 10_000, "nurse", "somatic"),
        ("region_a", APRIL, b, "A-3", 40_000, "doctor", "primary"),
        ("region_a", APRIL, DIREKT, "A-3", 30_000, "doctor", "primary"),
        ("region_a", APRIL, OKAND, "A-3", 20_000, "doctor", "primary"),
        ("region_a", APRIL, a, "ZZZ", 5_000, "doctor", "primary"),
        ("region_a", APRIL, HITTAD, "A-1", 15_000, "doctor", "primary"),
        ("region_a", FEBRUARY, a, "A-3", 25_000, "doctor", "primary"),
        ("region_b", APRIL, a, "B-3", 70_000, "doctor", "primary"),
    ]
    # Stored as the import stores them: one row per region and month, an entry per supplier, profession
    # and care area with the amount per unit (region A's April: one row, the first three lines in one
    # entry of three units).
    per_unit: dict[tuple, Decimal] = {}
    for region, period, org, unit_code, amount, profession, area in lines:
        per_unit[cast[region].pk, period, org, unit_code, profession, area] = Decimal(amount)
    SupplierCostMonth.objects.bulk_create(
        SupplierCostMonth(
            region_id=region_id, period=period, entries=json.loads(text), cost_import=cost_import
        )
        for (region_id, period), text in SupplierCostMonth.entries_by_month(per_unit).items()
    )
    assert SupplierCostMonth.objects.count() == 3
    return {"assignment": assignment, "need": need}


def amounts(shares: fidelity.Shares) -> tuple[int, int, int]:
    return tuple(int(shares.amounts[c]) for c in (THROUGH, WITH_DISPENSATION, WITHOUT_DISPENSATION))  # type: ignore[return-value]


def test_hand_computed_classification(cast: dict[str, Any], ledger: dict[str, Any]) -> None:
    result = fidelity.compute([cast["region_a"]], 2025, month=4)
    assert result.lines == 8
    assert amounts(result.total) == (160_000, 30_000, 80_000)
    assert result.total.through_pct == Decimal("59.26")
    assert result.total.with_pct == Decimal("11.11")
    assert result.total.without_pct == Decimal("29.63")
    reasons = {(r.org_no, r.unit_code): (r.cls, r.reason, int(r.amount)) for r in result.outside}
    assert reasons == {
        (cast["supplier_b"].org_no, "A-3"): (WITHOUT_DISPENSATION, NO_ASSIGNMENT, 40_000),
        (DIREKT, "A-3"): (WITH_DISPENSATION, WITH_DISPENSATION, 30_000),
        (OKAND, "A-3"): (WITHOUT_DISPENSATION, NOT_ADMITTED, 20_000),
        (cast["supplier_a"].org_no, "ZZZ"): (WITHOUT_DISPENSATION, UNKNOWN_UNIT, 5_000),
        (HITTAD, "A-1"): (WITHOUT_DISPENSATION, NOT_ADMITTED, 15_000),
    }
    names = {r.org_no: r.supplier_name for r in result.outside}
    assert names[cast["supplier_b"].org_no] == "Bemanning B AB" and names[OKAND] == ""


def test_whole_year_months_filters_and_regions(cast: dict[str, Any], ledger: dict[str, Any]) -> None:
    year = fidelity.compute([cast["region_a"]], 2025)
    assert list(year.by_month) == [FEBRUARY, APRIL]
    assert amounts(year.by_month[FEBRUARY]) == (0, 0, 25_000)  # before the assignment began
    assert amounts(year.total) == (160_000, 30_000, 105_000)
    nurses = fidelity.compute([cast["region_a"]], 2025, profession="nurse")
    assert amounts(nurses.total) == (10_000, 0, 0)
    somatic = fidelity.compute([cast["region_a"]], 2025, care_area="primary", month=4)
    assert amounts(somatic.total) == (150_000, 30_000, 80_000)
    nation = fidelity.compute([cast["region_a"], cast["region_b"]], 2025, month=4)
    assert amounts(nation.by_region["01"]) == (0, 0, 70_000)
    assert amounts(nation.by_region["14"]) == (160_000, 30_000, 80_000)


def test_assignment_cancelled_before_the_month_does_not_count(
    cast: dict[str, Any], ledger: dict[str, Any]
) -> None:
    Assignment.objects.filter(pk=ledger["assignment"].pk).update(
        status=AssignmentStatus.CANCELLED, cancelled_from=datetime.date(2025, 4, 1)
    )
    result = fidelity.compute([cast["region_a"]], 2025, month=4)
    assert amounts(result.total) == (0, 30_000, 240_000)
    # Cancelled from mid-April: April still counts.
    Assignment.objects.filter(pk=ledger["assignment"].pk).update(cancelled_from=datetime.date(2025, 4, 15))
    assert amounts(fidelity.compute([cast["region_a"]], 2025, month=4).total) == (160_000, 30_000, 80_000)


def test_a_handful_of_queries_whatever_the_ledger(
    cast: dict[str, Any], ledger: dict[str, Any], django_assert_max_num_queries: Any
) -> None:
    cost_import = CostImport.objects.get()
    SupplierCostMonth.objects.bulk_create(  # 2,000 entries in one row, 2,000 in 200 rows of ten
        SupplierCostMonth(region=cast["region_a"], period=APRIL, cost_import=cost_import,
                          entries=[[f"55{i:04d}-0000", "", "", {"A-3": "1.00"}] for i in range(first, first + size)])
        for first, size in [(0, 2000), *((2000 + 10 * n, 10) for n in range(200))]
    )  # fmt: skip
    with django_assert_max_num_queries(7):
        result = fidelity.compute([cast["region_a"], cast["region_b"]], 2025)
    assert result.lines == 4010


def test_region_page_and_exports(
    cast: dict[str, Any], ledger: dict[str, Any], client_for: Callable[..., Any]
) -> None:
    client = client_for(cast["controller_a"])
    page = client.get(reverse("compliance:fidelity"), {"year": 2025})
    body = page.content.decode()
    assert page.status_code == 200
    assert "59.26" in body and "Okänd" not in body  # names only for known suppliers
    assert DIREKT in body and OKAND in body and "Bemanning B AB" in body
    csv = client.get(reverse("compliance:fidelity"), {"year": 2025, "month": 4, "format": "csv"})
    text = csv.content.decode("utf-8-sig")
    assert "160000.00" in text and "Outside the agreement, without dispensation" in text
    xlsx = client.get(reverse("compliance:fidelity"), {"year": 2025, "format": "xlsx"})
    assert xlsx.status_code == 200 and xlsx["Content-Disposition"].endswith('.xlsx"')


def test_isolation(cast: dict[str, Any], ledger: dict[str, Any], client_for: Callable[..., Any]) -> None:
    region_b = client_for(cast["admin_b"])
    body = region_b.get(reverse("compliance:fidelity"), {"year": 2025}).content.decode()
    assert (
        DIREKT not in body and "160" not in body.split("Contract fidelity per month")[1].split("</table>")[0]
    )
    assert region_b.get(reverse("compliance:fidelity"), {"year": 2025, "region": "14"}).status_code == 404
    assert client_for(cast["supplier_user_a"]).get(reverse("compliance:fidelity")).status_code == 403
    national = (
        client_for(cast["coordinator"]).get(reverse("compliance:fidelity"), {"year": 2025}).content.decode()
    )
    assert "Contract fidelity per region" in national and "?region=14" in national
    drill = client_for(cast["coordinator"]).get(
        reverse("compliance:fidelity"), {"year": 2025, "region": "14"}
    )
    assert DIREKT in drill.content.decode()


def test_cost_through_the_agreement_is_matched_against_approved_invoices(
    cast: dict[str, Any], ledger: dict[str, Any]
) -> None:
    """April: 160 000 through supplier A. An approved invoice of 120 000 explains that much; a
    received (not yet approved) one of 30 000 does not. The gap is 40 000."""
    from hyrkoll.invoicing.models import Invoice, InvoiceLine, InvoiceStatus

    assignment = ledger["assignment"]

    def invoice(number: str, status: str, amount: int) -> None:
        stored = Invoice.objects.create(
            region=cast["region_a"], supplier=cast["supplier_a"], number=number,
            invoice_date=datetime.date(2025, 5, 2), source="api", content_hash=number, status=status,
        )  # fmt: skip
        InvoiceLine.objects.create(
            invoice=stored, line_no=1, assignment_ref=str(assignment.pk), assignment=assignment,
            date_from=datetime.date(2025, 4, 7), date_to=datetime.date(2025, 4, 13), quantity=40,
            unit_price_sek=Decimal(amount) / 40, amount_sek=amount,
        )  # fmt: skip

    assert [int(g.difference) for g in fidelity.compute([cast["region_a"]], 2025, month=4).invoice_gaps] == [
        160_000
    ]
    invoice("F-1", InvoiceStatus.APPROVED, 120_000)
    invoice("F-2", InvoiceStatus.RECEIVED, 30_000)
    result = fidelity.compute([cast["region_a"]], 2025, month=4)
    assert result.through_invoiced == Decimal(120_000)
    (gap,) = result.invoice_gaps
    assert (gap.org_no, gap.unit_codes, gap.month) == (cast["supplier_a"].org_no, "A-2, A-3, –", APRIL)
    assert (int(gap.ledger), int(gap.invoiced), int(gap.difference)) == (160_000, 120_000, 40_000)


def test_a_long_table_shows_its_largest_rows_and_the_downloads_hold_all(
    cast: dict[str, Any], ledger: dict[str, Any], client_for: Callable[..., Any], monkeypatch: Any
) -> None:
    """At national scale a year has tens of thousands of lines outside the agreement: the page shows
    the largest ``WEB_ROWS`` of each table and says so; the CSV has every row."""
    from hyrkoll.compliance import views_fidelity

    monkeypatch.setattr(views_fidelity, "WEB_ROWS", 2)
    client = client_for(cast["controller_a"])
    body = client.get(reverse("compliance:fidelity"), {"year": 2025}).content.decode()
    # Region 14's rows without dispensation: B at A-3 40,000, A at A-3 (February) 25,000, Okänd
    # 20,000, Hittad 15,000, A at ZZZ 5,000 – the two largest shown.
    assert "The 2 largest of 5 rows" in body
    assert cast["supplier_b"].org_no in body and OKAND not in body and HITTAD not in body
    csv = client.get(reverse("compliance:fidelity"), {"year": 2025, "format": "csv"}).content.decode(
        "utf-8-sig"
    )
    assert HITTAD in csv and "ZZZ" in csv
