"""The per-region invoice totals, kept by database triggers: equal to an aggregate of the invoices per
region after every kind of write (the same tests on SQLite and PostgreSQL; a few need PostgreSQL),
and the invoice list reading them instead of aggregating when it is unfiltered."""

from __future__ import annotations

import datetime
import itertools
import re
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.db.models import Count, F, Sum
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from conftest import make_user
from hyrkoll.accounts.models import Scope
from hyrkoll.invoicing.models import Invoice, InvoiceSource, InvoiceStatus, RegionInvoiceTotals
from hyrkoll.invoicing.tests.conftest import D, first_monday, line, report_week, send
from hyrkoll.invoicing.tests.test_pages_and_api import client_for
from hyrkoll.invoicing.totals import kept_totals
from hyrkoll.lib import sums
from hyrkoll.lib.bulk import insert_rows
from hyrkoll.ordering.tests.test_tallies import (
    CursorEditor,
    frozen,
    frozen_on_postgresql,
    installed_triggers,
    run,
)

pytestmark = pytest.mark.django_db

postgresql_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only")

# The migration's totals (hyrkoll/invoicing/migrations/0007_region_invoice_totals.py).
REGION_TOTALS = sums.Sums(
    table="invoicing_regioninvoicetotals",
    key="region_id",
    count="invoices",
    source="invoicing_invoice",
    columns=("invoiced_sek", "expected_sek"),
)
CENT = Decimal("0.01")
numbers = itertools.count(1)


def q(value: Decimal | None) -> Decimal:
    return (value or Decimal(0)).quantize(CENT)


def aggregated() -> dict[int, tuple[int, Decimal, Decimal]]:
    """Count, invoiced and expected per region, aggregated from the invoices."""
    rows = (
        Invoice.objects.order_by()
        .values("region")
        .annotate(n=Count("*"), invoiced=Sum("invoiced_sek"), expected=Sum("expected_sek"))
    )
    return {row["region"]: (row["n"], q(row["invoiced"]), q(row["expected"])) for row in rows}


def totals_exact() -> dict[int, tuple[int, Decimal, Decimal]]:
    """The kept totals of the regions with invoices, asserted equal to the aggregate (a region
    without invoices keeps zeros, or no row)."""
    kept = {
        pk: (n, q(invoiced), q(expected))
        for pk, n, invoiced, expected in RegionInvoiceTotals.objects.values_list(
            "pk", "invoices", "invoiced_sek", "expected_sek"
        )
    }
    assert all(value == (0, 0, 0) for pk, value in kept.items() if value[0] == 0)
    found = {pk: value for pk, value in kept.items() if value[0]}
    assert found == aggregated()
    for region_id, (n, invoiced, expected) in found.items():  # as the brief's reader would check it
        fresh = Invoice.objects.filter(region=region_id).aggregate(
            n=Count("*"), invoiced=Sum("invoiced_sek"), expected=Sum("expected_sek")
        )
        assert (fresh["n"], q(fresh["invoiced"]), q(fresh["expected"])) == (n, invoiced, expected)
    return found


def make(
    flow: dict[str, Any], invoiced: str, expected: str, region: str = "region_a", **fields: Any
) -> Invoice:
    return Invoice.objects.create(**_fields(flow, invoiced, expected, region), **fields)


def _fields(flow: dict[str, Any], invoiced: str, expected: str, region: str = "region_a") -> dict[str, Any]:
    number = next(numbers)
    return {
        "region": flow[region],
        "supplier": flow["supplier_a"],
        "number": f"T-{number}",
        "invoice_date": datetime.date(2026, 1, 15),
        "source": InvoiceSource.API,
        "content_hash": f"{number:064d}",
        "invoiced_sek": Decimal(invoiced),
        "expected_sek": Decimal(expected),
    }


# --- every write path ---------------------------------------------------------------------------------


def test_the_migration_installed_the_triggers() -> None:
    found = installed_triggers()
    for name in sums.trigger_names(REGION_TOTALS, connection.vendor):
        # PostgreSQL: ENABLE ALWAYS ('A'), so they fire under session_replication_role = replica.
        assert found.get(name) == ("A" if connection.vendor == "postgresql" else "O"), name
    assert sums.maintained(connection.vendor)


def test_create_and_save_a_re_checked_invoice(flow: dict[str, Any]) -> None:
    a, b = flow["region_a"].pk, flow["region_b"].pk
    first = make(flow, "1000.10", "900.20")
    make(flow, "0.10", "0.20")
    make(flow, "50.00", "50.00", region="region_b")
    assert totals_exact() == {a: (2, Decimal("1000.20"), Decimal("900.40")), b: (1, 50, 50)}
    first.invoiced_sek, first.expected_sek = Decimal("999.99"), Decimal("1000.01")  # re-checked
    first.save()
    assert totals_exact()[a] == (2, Decimal("1000.09"), Decimal("1000.21"))


def test_bulk_create_update_and_delete_many(flow: dict[str, Any]) -> None:
    amounts = [("0.10", "0.20"), ("0.20", "0.10"), ("1234567.89", "1234567.80"), ("-0.30", "0.00")]
    Invoice.objects.bulk_create([Invoice(**_fields(flow, *pair)) for pair in amounts * 5])
    assert totals_exact()[flow["region_a"].pk] == (20, Decimal("6172839.45"), Decimal("6172840.50"))
    Invoice.objects.filter(invoiced_sek__lt=1).update(expected_sek=F("expected_sek") + Decimal("0.01"))
    Invoice.objects.filter(invoiced_sek=Decimal("0.10")).update(invoiced_sek=Decimal("0.70"))
    totals_exact()
    Invoice.objects.filter(invoiced_sek__lt=1).delete()
    assert totals_exact()[flow["region_a"].pk] == (5, Decimal("6172839.45"), Decimal("6172839.00"))
    Invoice.objects.all().delete()
    assert totals_exact() == {}


def test_many_small_amounts_sum_exactly(flow: dict[str, Any]) -> None:
    """SQLite keeps the sums as REAL: rounded at every step, they do not drift from the exact sum."""
    Invoice.objects.bulk_create([Invoice(**_fields(flow, "0.10", "0.07")) for _ in range(300)])
    for pk in Invoice.objects.values_list("pk", flat=True)[:150]:
        Invoice.objects.filter(pk=pk).update(invoiced_sek=Decimal("0.30"))
    Invoice.objects.filter(pk__in=Invoice.objects.values_list("pk", flat=True)[:75]).delete()
    assert totals_exact()[flow["region_a"].pk] == (225, Decimal("37.50"), Decimal("15.75"))


def test_moving_an_invoice_to_another_region(flow: dict[str, Any]) -> None:
    a, b = flow["region_a"].pk, flow["region_b"].pk
    first, second, third = (
        make(flow, "100.00", "90.00"),
        make(flow, "7.50", "7.50"),
        make(flow, "1.00", "2.00"),
    )
    first.region = flow["region_b"]
    first.save()
    Invoice.objects.filter(pk=second.pk).update(region=flow["region_b"], invoiced_sek=Decimal("8.00"))
    assert totals_exact() == {a: (1, 1, 2), b: (2, Decimal("108.00"), Decimal("97.50"))}
    # One statement moving an invoice from A to B and one of the same amounts from B to A: nothing
    # changes in total, so on PostgreSQL (one trigger call per statement) no totals row is written.
    same = make(flow, "1.00", "2.00", region="region_b")
    with frozen_on_postgresql("invoicing_regioninvoicetotals"), connection.cursor() as cursor:
        cursor.execute(
            "UPDATE invoicing_invoice SET region_id = CASE region_id WHEN %s THEN %s ELSE %s END WHERE id IN (%s, %s)",
            [a, b, a, third.pk, same.pk],
        )
    assert totals_exact() == {a: (1, 1, 2), b: (3, Decimal("109.00"), Decimal("99.50"))}
    third.delete()  # now in B
    assert totals_exact() == {a: (1, 1, 2), b: (2, Decimal("108.00"), Decimal("97.50"))}


def test_an_update_changing_nothing_summed_leaves_the_totals_alone(flow: dict[str, Any]) -> None:
    make(flow, "100.00", "90.00")
    before = totals_exact()
    with frozen("invoicing_regioninvoicetotals"):
        Invoice.objects.update(status=InvoiceStatus.APPROVED, decided_at=timezone.now())
        Invoice.objects.update(invoiced_sek=F("invoiced_sek"))
        flow["orderer_a"].delete()  # received_by and decided_by set to NULL: an update
    assert totals_exact() == before


def test_received_checked_and_deleted_with_its_lines(flow: dict[str, Any], assignment: Any) -> None:
    """The real path: received, checked by the control (amounts set), deleted with its lines and
    deviations (an invoice has no parent deleting it: region, supplier and file are PROTECT)."""
    week = first_monday(assignment)
    report_week(flow, assignment, week, [8, 8, 8, 8, 8, 0, 0])
    price = assignment.hourly_price_sek
    invoice = send(flow, "F-1", [line(assignment, week, week + D(days=6), 40, price + 10)]).created[0]
    n, invoiced, expected = totals_exact()[flow["region_a"].pk]
    assert (n, invoiced, expected) == (1, q(40 * (price + 10)), q(40 * price)) and invoiced != expected
    assert invoice.lines.exists() and invoice.deviations.exists()
    invoice.delete()
    assert totals_exact() == {}


def test_install_fills_the_totals_from_the_invoices_there_are(flow: dict[str, Any]) -> None:
    make(flow, "10.10", "10.00")
    run(sums.drop_statements(REGION_TOTALS, connection.vendor))
    make(flow, "0.20", "0.30", region="region_b")  # not summed: no triggers
    RegionInvoiceTotals.objects.filter(pk=flow["region_a"].pk).update(invoices=7)
    run([])
    sums.install(REGION_TOTALS, CursorEditor())
    assert totals_exact()[flow["region_b"].pk] == (1, Decimal("0.20"), Decimal("0.30"))
    make(flow, "0.01", "0.02")  # the triggers are back
    assert totals_exact()[flow["region_a"].pk] == (2, Decimal("10.11"), Decimal("10.02"))


@postgresql_only
def test_copy_under_replica_role_counts(flow: dict[str, Any]) -> None:
    """The national-scale generator COPYs with ``session_replication_role = replica``."""
    from hyrkoll.demo.scale.copying import without_row_triggers

    names = ("region", "supplier", "number", "invoice_date", "source", "content_hash", "document_type")
    names += ("status", "invoiced_sek", "expected_sek", "received_at", "decision_comment")
    rows = []
    for region in ("region_a", "region_b", "region_a"):
        fields = _fields(flow, "12.34", "10.00", region)
        rows.append(
            (fields["region"].pk, flow["supplier_a"].pk, fields["number"], fields["invoice_date"], "api")
            + (fields["content_hash"], "invoice", "received", fields["invoiced_sek"], fields["expected_sek"])
            + (timezone.now(), "")
        )
    with without_row_triggers() as skipped:
        assert skipped, "the test cluster's user is a superuser"
        insert_rows(Invoice, names, rows)
        Invoice.objects.filter(region=flow["region_b"]).update(expected_sek=Decimal("1.00"))
    found = totals_exact()
    assert found == {
        flow["region_a"].pk: (2, Decimal("24.68"), Decimal("20.00")),
        flow["region_b"].pk: (1, Decimal("12.34"), Decimal("1.00")),
    }


@postgresql_only
def test_truncate_resets_the_totals(flow: dict[str, Any]) -> None:
    make(flow, "1.00", "1.00")
    run(["TRUNCATE invoicing_invoice CASCADE"])
    assert totals_exact() == {}
    assert not RegionInvoiceTotals.objects.exists()
    make(flow, "2.00", "1.00")
    assert totals_exact()[flow["region_a"].pk] == (1, 2, 1)


def test_other_vendors_install_nothing() -> None:
    assert sums.statements(REGION_TOTALS, "oracle") == []
    assert sums.fill_statements(REGION_TOTALS, "mysql") == []
    assert sums.trigger_names(REGION_TOTALS, "oracle") == []


# --- the invoice list ---------------------------------------------------------------------------------

TOTALS_LINE = re.compile(r"<p>\d+ invoices? ·.*?</p>", re.DOTALL)


def listed(user: Any, params: dict[str, str] | None = None) -> tuple[dict[str, Any], str, list[str]]:
    """The list page's totals, its rendered totals line and the SQL of its queries."""
    with CaptureQueriesContext(connection) as queries:
        response = client_for(user).get(reverse("invoicing:list"), params or {})
    assert response.status_code == 200
    match = TOTALS_LINE.search(response.content.decode())
    assert match
    return response.context["totals"], match.group(0), [each["sql"] for each in queries.captured_queries]


def rounded(totals: dict[str, Any]) -> dict[str, Any]:
    return {key: q(value) if isinstance(value, Decimal) else value for key, value in totals.items()}


def aggregates_invoices(sqls: list[str]) -> bool:
    return any("SUM(" in sql.upper() and '"invoicing_invoice"' in sql for sql in sqls)


@pytest.fixture
def invoices(flow: dict[str, Any]) -> None:
    for invoiced, expected in (("100.10", "90.00"), ("0.10", "0.20"), ("5.00", "5.00")):
        make(flow, invoiced, expected)
    make(flow, "1000.00", "1.00", region="region_b", status=InvoiceStatus.APPROVED)


@pytest.mark.parametrize("who", ["admin_a", "admin_b", "coordinator"])
def test_an_unfiltered_list_reads_the_kept_totals(
    flow: dict[str, Any], invoices: None, who: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    user = flow[who]
    totals, shown, sqls = listed(user)
    assert not aggregates_invoices(sqls)
    assert not aggregates_invoices(listed(user, {"sort": "-invoiced"})[2])  # sorting is no filter
    monkeypatch.setattr(sums, "maintained", lambda vendor: False)  # as before: aggregated
    before, shown_before, sqls_before = listed(user)
    assert aggregates_invoices(sqls_before)  # the check above would have caught an aggregate
    # The same line shown; the values equal to the cent (SQLite's Sum(invoiced - expected) drifts in
    # the 14th digit, e.g. 9.99999999999999 for 10.00; the kept totals are exact).
    assert shown == shown_before and rounded(totals) == rounded(before)
    expected = {
        "admin_a": (3, Decimal("105.20"), Decimal("95.20")),
        "admin_b": (1, Decimal("1000.00"), Decimal("1.00")),
        "coordinator": (4, Decimal("1105.20"), Decimal("96.20")),
    }[who]
    assert (totals["count"], totals["invoiced"], totals["expected"]) == expected
    assert totals["deviation"] == expected[1] - expected[2]


def test_an_empty_region_shows_what_it_showed(flow: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> None:
    make(flow, "1.00", "1.00", region="region_b")
    Invoice.objects.all().delete()  # region B keeps a row of zeros, region A has none
    for user in (flow["admin_a"], flow["admin_b"]):
        kept, shown, _sqls = listed(user)
        with monkeypatch.context() as patched:
            patched.setattr(sums, "maintained", lambda vendor: False)
            assert listed(user)[:2] == (kept, shown)
        assert kept == {"invoiced": None, "expected": None, "deviation": None, "count": 0}


def test_a_filtered_list_aggregates_its_rows(flow: dict[str, Any], invoices: None) -> None:
    totals, _shown, sqls = listed(flow["coordinator"], {"status": InvoiceStatus.APPROVED})
    assert aggregates_invoices(sqls)
    assert (totals["count"], totals["invoiced"]) == (1, Decimal("1000.00"))
    totals, _shown, sqls = listed(flow["admin_a"], {"from": "2026-01-01"})
    assert aggregates_invoices(sqls) and totals["count"] == 3


def test_a_supplier_user_aggregates(flow: dict[str, Any], invoices: None) -> None:
    assert kept_totals(flow["supplier_user_a"]) is None
    totals, _shown, sqls = listed(flow["supplier_user_a"])
    assert aggregates_invoices(sqls) and totals["count"] == 4


def test_the_kept_totals_are_what_each_user_may_see(flow: dict[str, Any], invoices: None) -> None:
    """``kept_totals`` mirrors ``visible_to``: a region's invoices, or all of them (the national
    level, a superuser, even one with a region); a supplier user's are not kept."""
    superuser = make_user("root", scope=Scope.REGION, region=flow["region_b"], is_superuser=True)
    for user in (flow["admin_a"], flow["admin_b"], flow["coordinator"], superuser):
        fresh = Invoice.objects.visible_to(user).aggregate(
            invoiced=Sum("invoiced_sek"),
            expected=Sum("expected_sek"),
            deviation=Sum(F("invoiced_sek") - F("expected_sek")),
            count=Count("*"),
        )
        kept = kept_totals(user)
        assert kept is not None and rounded(kept) == rounded(fresh), user
    assert kept_totals(superuser)["count"] == 4
    assert kept_totals(flow["supplier_user_b"]) is None
