"""The supplier invoice tally, kept by database triggers: equal to the invoices (credit notes too)
per supplier after every kind of write (SQLite and PostgreSQL; a few need PostgreSQL).

Invoices have no parent that deletes them along (the supplier, the region, the file and the credited
invoice protect them), so there is no cascade to follow.
"""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.db import connection
from django.utils import timezone

from hyrkoll.assignments.models import Assignment
from hyrkoll.invoicing.models import Invoice, InvoiceSource, InvoiceStatus, SupplierInvoiceTally
from hyrkoll.invoicing.tests.conftest import first_monday, line, send
from hyrkoll.lib import tallies
from hyrkoll.lib.bulk import insert_rows
from hyrkoll.ordering.tests.test_tallies import (
    CursorEditor,
    counted,
    frozen,
    frozen_on_postgresql,
    installed_triggers,
    postgresql_only,
    run,
    tallied,
)

pytestmark = pytest.mark.django_db

# The migration's tally (hyrkoll/invoicing/migrations/0006_supplier_invoice_tally.py).
INVOICE_TALLY = tallies.Tally(
    table="invoicing_supplierinvoicetally", count="invoices", source="invoicing_invoice", key="supplier_id"
)


def invoices_exact() -> dict[int, int]:
    found = tallied(SupplierInvoiceTally, "invoices")
    assert found == counted(Invoice, "supplier")
    return found


def bare_invoices(flow: dict[str, Any], supplier_key: str, count: int, prefix: str = "B") -> list[Invoice]:
    """Unsaved invoices of the supplier to region A, without lines (the tally counts invoices)."""
    return [
        Invoice(
            region=flow["region_a"],
            supplier=flow[supplier_key],
            number=f"{prefix}-{n}",
            invoice_date=datetime.date(2026, 1, 15),
            source=InvoiceSource.API,
            content_hash=f"{prefix}-{n}",
        )
        for n in range(count)
    ]


def test_the_migration_installed_the_triggers() -> None:
    found = installed_triggers()
    for name in tallies.trigger_names(INVOICE_TALLY, connection.vendor):
        # PostgreSQL: ENABLE ALWAYS ('A'), so they fire under session_replication_role = replica.
        assert found.get(name) == ("A" if connection.vendor == "postgresql" else "O"), name


def test_invoices_through_the_service(flow: dict[str, Any], assignment: Assignment) -> None:
    week = first_monday(assignment)
    price = assignment.hourly_price_sek
    for number in ("F-1", "F-2"):
        send(flow, number, [line(assignment, week, week + datetime.timedelta(days=6), 40, price)])
    send(flow, "F-1", [line(assignment, week, week + datetime.timedelta(days=6), 40, price)])  # stored once
    assert invoices_exact() == {flow["supplier_a"].pk: 2}


def test_bulk_create_and_delete(flow: dict[str, Any]) -> None:
    Invoice.objects.bulk_create(
        [*bare_invoices(flow, "supplier_a", 3), *bare_invoices(flow, "supplier_b", 1)]
    )
    bare_invoices(flow, "supplier_b", 1, "C")[0].save()
    assert invoices_exact() == {flow["supplier_a"].pk: 3, flow["supplier_b"].pk: 2}
    Invoice.objects.filter(supplier=flow["supplier_a"], number__in=["B-0", "B-1"]).delete()
    assert invoices_exact() == {flow["supplier_a"].pk: 1, flow["supplier_b"].pk: 2}
    Invoice.objects.get(supplier=flow["supplier_a"]).delete()  # the instance's delete (lines go along)
    assert invoices_exact() == {flow["supplier_b"].pk: 2}


def test_moving_an_invoice_to_another_supplier(flow: dict[str, Any]) -> None:
    invoices = Invoice.objects.bulk_create(bare_invoices(flow, "supplier_a", 3))
    moved = Invoice.objects.get(pk=invoices[0].pk)
    moved.supplier = flow["supplier_b"]
    moved.save()
    Invoice.objects.filter(pk=invoices[1].pk).update(supplier=flow["supplier_b"])
    found = invoices_exact()
    assert found == {flow["supplier_a"].pk: 1, flow["supplier_b"].pk: 2}
    # One statement moving an invoice from B to A and another from A to B: nothing moves in total,
    # so on PostgreSQL (one trigger call per statement) no tally row is written.
    a, b = flow["supplier_a"].pk, flow["supplier_b"].pk
    with frozen_on_postgresql("invoicing_supplierinvoicetally"), connection.cursor() as cursor:
        cursor.execute(
            "UPDATE invoicing_invoice SET supplier_id = CASE supplier_id WHEN %s THEN %s ELSE %s END "
            "WHERE id IN (%s, %s)",
            [a, b, a, invoices[0].pk, invoices[2].pk],
        )
    assert invoices_exact() == found


def test_deciding_an_invoice_leaves_the_tally_alone(flow: dict[str, Any]) -> None:
    Invoice.objects.bulk_create(bare_invoices(flow, "supplier_a", 2))
    before = invoices_exact()
    with frozen("invoicing_supplierinvoicetally"):
        Invoice.objects.update(status=InvoiceStatus.APPROVED, decided_at=timezone.now())
        with connection.cursor() as cursor:
            cursor.execute("UPDATE invoicing_invoice SET supplier_id = supplier_id")
    assert invoices_exact() == before


def test_install_fills_the_tally_from_the_rows_there_are(flow: dict[str, Any]) -> None:
    Invoice.objects.bulk_create(bare_invoices(flow, "supplier_a", 1))
    run(tallies.drop_statements(INVOICE_TALLY, connection.vendor))
    Invoice.objects.bulk_create(bare_invoices(flow, "supplier_a", 2, "C"))  # not counted: no triggers
    SupplierInvoiceTally.objects.create(supplier=flow["supplier_b"], invoices=7)
    assert tallied(SupplierInvoiceTally, "invoices") == {flow["supplier_a"].pk: 1, flow["supplier_b"].pk: 7}
    run([])
    tallies.install(INVOICE_TALLY, CursorEditor())
    assert invoices_exact() == {flow["supplier_a"].pk: 3}
    Invoice.objects.bulk_create(bare_invoices(flow, "supplier_b", 1))  # the triggers are back
    assert invoices_exact() == {flow["supplier_a"].pk: 3, flow["supplier_b"].pk: 1}


@postgresql_only
def test_copy_under_replica_role_counts(flow: dict[str, Any]) -> None:
    """The national-scale generator COPYs with ``session_replication_role = replica``."""
    from hyrkoll.demo.scale.copying import without_row_triggers

    fields = (
        "region",
        "supplier",
        "number",
        "invoice_date",
        "source",
        "document_type",
        "content_hash",
        "status",
        "invoiced_sek",
        "expected_sek",
        "received_at",
        "decision_comment",
    )
    now = timezone.now()
    rows = [
        (
            flow["region_a"].pk,
            flow[supplier].pk,
            f"K-{n}",
            datetime.date(2026, 1, 15),
            InvoiceSource.FILE,
            "invoice",
            f"K-{n}",
            InvoiceStatus.RECEIVED,
            0,
            0,
            now,
            "",
        )
        for supplier in ("supplier_a", "supplier_b")
        for n in range(3)
    ]
    with without_row_triggers() as skipped:
        assert skipped, "the test cluster's user is a superuser"
        insert_rows(Invoice, fields, rows)
        Invoice.objects.filter(supplier=flow["supplier_b"], number="K-0").delete()
    assert invoices_exact() == {flow["supplier_a"].pk: 3, flow["supplier_b"].pk: 2}


@postgresql_only
def test_truncate_resets_the_tally(flow: dict[str, Any]) -> None:
    Invoice.objects.bulk_create(bare_invoices(flow, "supplier_a", 2))
    run(["TRUNCATE invoicing_invoice CASCADE"])
    assert invoices_exact() == {}
    assert not SupplierInvoiceTally.objects.exists()
    Invoice.objects.bulk_create(bare_invoices(flow, "supplier_b", 1))
    assert invoices_exact() == {flow["supplier_b"].pk: 1}
