"""Preliminary hired cost (months after the last ledger month) and the ledger against Hyrkoll.

Region A's ledger holds hired cost up to August 2026; "today" is 10 November 2026, so September and
October 2026 are preliminary. One assignment of supplier A at 1 000 SEK an hour:

- September: an approved invoice line of 8 000 SEK (and approved time of 10 h, which the invoice
  covers: not counted again) → 8 000 from invoices, 0 from time;
- October: approved time of 3 × 8 h = 24 h (no invoice) → 24 000 from time; a received (not yet
  approved) invoice would make it count as invoiced instead – see the second test; a returned
  report's hours never count.

The ledger's supplier rows for August 2026: supplier A 12 000 (Hyrkoll approved 5 000 in August)
and an unknown supplier 3 000 → differences +7 000 and +3 000.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from conftest import make_user
from hyrkoll.accounts.models import Role, Scope
from hyrkoll.assignments.models import Assignment, TimeReport, TimeReportDay, TimeReportStatus
from hyrkoll.assignments.tests.conftest import award
from hyrkoll.followup import preliminary
from hyrkoll.followup.models import CostEntry, CostImport, ImportStatus, SupplierCostMonth, TrendPublication
from hyrkoll.invoicing.models import Invoice, InvoiceLine, InvoiceSource, InvoiceStatus
from hyrkoll.ordering.tests.conftest import flow  # noqa: F401

TODAY = datetime.date(2026, 11, 10)
AUGUST, SEPTEMBER, OCTOBER = datetime.date(2026, 8, 1), datetime.date(2026, 9, 1), datetime.date(2026, 10, 1)
UNKNOWN = "556016-0680"


def _report(
    assignment: Assignment, week: datetime.date, hours: dict[datetime.date, int], status: str
) -> None:
    report = TimeReport.objects.create(assignment=assignment, week=week, status=status)
    for day, worked in hours.items():
        TimeReportDay.objects.create(report=report, date=day, normal_hours=worked)


def _invoice(flow: dict[str, Any], assignment: Assignment, number: str, day: datetime.date, amount: int,  # noqa: F811
             status: str) -> None:  # fmt: skip
    invoice = Invoice.objects.create(
        region=flow["region_a"], supplier=flow["supplier_a"], number=number, invoice_date=day,
        source=InvoiceSource.API, content_hash=number, status=status, invoiced_sek=amount,
    )  # fmt: skip
    InvoiceLine.objects.create(
        invoice=invoice, line_no=1, assignment_ref=str(assignment.pk), assignment=assignment, date_from=day,
        date_to=day + datetime.timedelta(days=6), quantity=amount // 1000, unit_price_sek=1000, amount_sek=amount,
    )  # fmt: skip


@pytest.fixture
def history(flow: dict[str, Any]) -> dict[str, Any]:  # noqa: F811
    assignment = award(flow)
    Assignment.objects.filter(pk=assignment.pk).update(
        starts_on=datetime.date(2026, 8, 3), ends_on=datetime.date(2026, 12, 31), hourly_price_sek=1000
    )
    assignment.refresh_from_db()
    region = flow["region_a"]
    for month in (datetime.date(2026, 7, 1), AUGUST):
        CostEntry.objects.create(region=region, period=month, cost_type="hired", profession="doctor",
                                 care_area="primary", amount_sek=50_000)  # fmt: skip
        CostEntry.objects.create(region=region, period=month, cost_type="own", care_area="primary",
                                 amount_sek=5_000_000)  # fmt: skip
    _invoice(flow, assignment, "AUG-1", datetime.date(2026, 8, 10), 5_000, InvoiceStatus.APPROVED)
    _invoice(flow, assignment, "SEP-1", datetime.date(2026, 9, 7), 8_000, InvoiceStatus.APPROVED)
    _invoice(flow, assignment, "SEP-2", datetime.date(2026, 9, 14), 4_000, InvoiceStatus.REJECTED)
    _report(assignment, datetime.date(2026, 9, 7), {datetime.date(2026, 9, 7): 10}, TimeReportStatus.APPROVED)
    october = {datetime.date(2026, 10, 5) + datetime.timedelta(days=i): 8 for i in range(3)}
    _report(assignment, datetime.date(2026, 10, 5), october, TimeReportStatus.APPROVED)
    _report(
        assignment, datetime.date(2026, 10, 12), {datetime.date(2026, 10, 12): 8}, TimeReportStatus.RETURNED
    )
    cost_import = CostImport.objects.create(status=ImportStatus.DONE, filename="ledger.csv", sha256="0" * 64)
    entries = [
        [org, "doctor", "primary", {"": f"{amount}.00"}]
        for org, amount in ((flow["supplier_a"].org_no, 12_000), (UNKNOWN, 3_000))
    ]
    SupplierCostMonth.objects.create(region=region, period=AUGUST, entries=entries, cost_import=cost_import)
    return {**flow, "assignment": assignment}


@pytest.mark.django_db
def test_preliminary_months_from_approved_invoices_and_time(history: dict[str, Any]) -> None:
    months = preliminary.preliminary_months(history["region_a"].pk, TODAY)
    assert [(m.month, m.invoiced_sek, m.time_sek, m.total_sek) for m in months] == [
        (SEPTEMBER, Decimal(8_000), Decimal(0), Decimal(8_000)),
        (OCTOBER, Decimal(0), Decimal(24_000), Decimal(24_000)),
    ]
    # Region B has no ledger: nothing is preliminary there.
    assert preliminary.preliminary_months(history["region_b"].pk, TODAY) == []


@pytest.mark.django_db
def test_hours_after_an_assignment_ended_before_the_months_still_count(history: dict[str, Any]) -> None:
    """A week's report may hold hours after the assignment's last day (flagged, not refused): they
    count in their month although the assignment ended before the preliminary months began."""
    assignment = history["assignment"]
    TimeReport.objects.filter(assignment=assignment).delete()
    Invoice.objects.filter(number__in=["SEP-1", "SEP-2"]).delete()
    Assignment.objects.filter(pk=assignment.pk).update(ends_on=datetime.date(2026, 8, 31))
    week = {datetime.date(2026, 8, 31): 8, datetime.date(2026, 9, 6): 5}  # Monday, and the Sunday after
    _report(assignment, datetime.date(2026, 8, 31), week, TimeReportStatus.APPROVED)
    months = preliminary.preliminary_months(history["region_a"].pk, TODAY)
    assert [(m.month, m.time_sek) for m in months] == [(SEPTEMBER, Decimal(5_000)), (OCTOBER, Decimal(0))]


@pytest.mark.django_db
def test_a_received_invoice_replaces_the_time_and_the_ledger_replaces_both(history: dict[str, Any]) -> None:
    region = history["region_a"]
    _invoice(
        history, history["assignment"], "OKT-1", datetime.date(2026, 10, 5), 24_000, InvoiceStatus.RECEIVED
    )
    months = preliminary.preliminary_months(region.pk, TODAY)
    assert [(m.month, m.total_sek) for m in months] == [(SEPTEMBER, 8_000), (OCTOBER, 0)]
    CostEntry.objects.create(region=region, period=SEPTEMBER, cost_type="hired", profession="doctor",
                             care_area="primary", amount_sek=9_000)  # fmt: skip
    assert [m.month for m in preliminary.preliminary_months(region.pk, TODAY)] == [OCTOBER]
    CostEntry.objects.create(region=region, period=OCTOBER, cost_type="hired", profession="doctor",
                             care_area="primary", amount_sek=9_000)  # fmt: skip
    assert preliminary.preliminary_months(region.pk, TODAY) == []


@pytest.mark.django_db
def test_ledger_against_hyrkoll_per_supplier(history: dict[str, Any]) -> None:
    rows = preliminary.supplier_differences(history["region_a"].pk)
    assert [(r.month, r.org_no, r.supplier_name, r.ledger_sek, r.hyrkoll_sek, r.difference_sek) for r in rows] == [
        (AUGUST, history["supplier_a"].org_no, history["supplier_a"].name, 12_000, 5_000, 7_000),
        (AUGUST, UNKNOWN, "", 3_000, 0, 3_000),
    ]  # fmt: skip
    assert preliminary.supplier_differences(history["region_b"].pk) == []


@pytest.mark.django_db
def test_query_count_does_not_grow_with_rows(
    history: dict[str, Any], django_assert_max_num_queries: Any
) -> None:
    region_id = history["region_a"].pk
    with django_assert_max_num_queries(4):
        preliminary.preliminary_months(region_id, TODAY)
    with django_assert_max_num_queries(4):
        preliminary.supplier_differences(region_id)


@pytest.mark.django_db
def test_dashboard_shows_them_to_the_region_only(history: dict[str, Any], monkeypatch: Any) -> None:
    monkeypatch.setattr(timezone, "localdate", lambda *args: TODAY)
    url = reverse("followup:region_dashboard", args=[history["region_a"].code])
    own = Client()
    own.force_login(
        make_user("ctrl.a", scope=Scope.REGION, region=history["region_a"], roles=(Role.CONTROLLER,))
    )
    page = own.get(url, {"month": "2026-08"}).content.decode()
    assert 'id="block-preliminary"' in page and 'id="block-ledger_vs_hyrkoll"' in page
    assert "24\xa0000" in page or "24 000" in page
    download = own.get(reverse("followup:download"), {"month": "2026-08", "region": history["region_a"].code,
                                                      "table": "preliminary", "format": "csv"})  # fmt: skip
    assert download.status_code == 200 and "2026-10" in download.content.decode("utf-8-sig")
    other = Client()
    other.force_login(
        make_user("ctrl.b", scope=Scope.REGION, region=history["region_b"], roles=(Role.CONTROLLER,))
    )
    # Region B: not before publication; after it, the Bemanningstrend but never the detail.
    assert other.get(url, {"month": "2026-08"}).status_code == 403
    TrendPublication.objects.create(through_month=AUGUST, published_by=history["call_off_unit"])
    response = other.get(url, {"month": "2026-08"})
    assert response.status_code == 200
    assert 'id="block-ledger_vs_hyrkoll"' not in response.content.decode()
    assert 'id="block-preliminary"' not in response.content.decode()
    for table in ("ledger_vs_hyrkoll", "preliminary"):
        refused = other.get(
            reverse("followup:download"),
            {"month": "2026-08", "region": history["region_a"].code, "table": table, "format": "csv"},
        )
        assert refused.status_code == 404


@pytest.mark.django_db
def test_cached_figures_follow_an_approved_time_report(
    history: dict[str, Any], settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    """With the figures cache on (as in production), approving time changes the preliminary month
    as soon as the approval commits."""
    from django.core.cache import cache

    from hyrkoll.assignments import services as assignment_services
    from hyrkoll.followup.preliminary_tables import PRELIMINARY, detail_tables

    settings.FOLLOWUP_FIGURES_CACHE_SECONDS = 3600
    cache.clear()
    region_id = history["region_a"].pk

    def october_total() -> str:
        rows = detail_tables(region_id, "A", TODAY)[PRELIMINARY].rows
        return str(next(row[-1] for row in rows if "2026-10" in str(row[0])))

    assert Decimal(october_total()) == 24_000
    report = TimeReport.objects.create(
        assignment=history["assignment"], week=datetime.date(2026, 10, 19), status=TimeReportStatus.SUBMITTED
    )
    TimeReportDay.objects.create(report=report, date=datetime.date(2026, 10, 19), normal_hours=6)
    assert Decimal(october_total()) == 24_000  # submitted time does not count; the cache holds
    with django_capture_on_commit_callbacks(execute=True):
        assignment_services.approve_time_report(history["verksamhetschef"], report)
    assert Decimal(october_total()) == 30_000
    cache.clear()
