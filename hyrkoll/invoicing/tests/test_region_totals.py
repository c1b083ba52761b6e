"""The per-region invoice totals, kept by database triggers: equal to an aggregate of the invoices per
region after every kind of write (the same tests on SQLite and PostgreSQL; a few need PostgreSQL).
The invoice list reading them: ``test_region_totals_list``."""

from __future__ import annotations

import datetime
import itertools
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.db.models import Count, F, Sum
from django.utils import timezone

from hyrkoll.invoicing.models import Invoice, InvoiceSource, InvoiceStatus, RegionInvoiceTotals
from hyrkoll.invoicing.tests.conftest import D, first_monday, line, report_week, send
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
