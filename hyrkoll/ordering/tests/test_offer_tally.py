"""The supplier offer tally, kept by database triggers: equal to the offers per supplier after every
kind of write (the same tests on SQLite and PostgreSQL; a few need PostgreSQL).

Offers have no parent that deletes them along (the call-off and the supplier protect them), so
there is no cascade to follow.
"""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.db import connection
from django.utils import timezone

from hyrkoll.lib import tallies
from hyrkoll.lib.bulk import insert_rows
from hyrkoll.ordering.models import CallOff, Offer, OfferStatus, SupplierOfferTally
from hyrkoll.ordering.tests.test_checks import offer_on, publish_need
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

# The migration's tally (hyrkoll/ordering/migrations/0008_supplier_offer_tally.py).
OFFER_TALLY = tallies.Tally(
    table="ordering_supplieroffertally", count="offers", source="ordering_offer", key="supplier_id"
)


def offers_exact() -> dict[int, int]:
    found = tallied(SupplierOfferTally, "offers")
    assert found == counted(Offer, "supplier")
    return found


def bare_offers(
    flow: dict[str, Any], call_offs: list[CallOff], supplier_key: str = "supplier_a"
) -> list[Offer]:
    """Unsaved offers of consultant A on each call-off, under ``supplier_key`` (the database does
    not tie a consultant to its supplier)."""
    start = timezone.localdate() + datetime.timedelta(days=30)
    return [
        Offer(
            call_off=call_off,
            supplier=flow[supplier_key],
            consultant=flow["consultant_a"],
            available_from=start,
            available_to=start + datetime.timedelta(days=90),
            submitted_by=flow["supplier_user_a"],
        )
        for call_off in call_offs
    ]


def test_the_migration_installed_the_triggers() -> None:
    found = installed_triggers()
    for name in tallies.trigger_names(OFFER_TALLY, connection.vendor):
        # PostgreSQL: ENABLE ALWAYS ('A'), so they fire under session_replication_role = replica.
        assert found.get(name) == ("A" if connection.vendor == "postgresql" else "O"), name


def test_offers_through_the_workflow(flow: dict[str, Any]) -> None:
    first, second = publish_need(flow), publish_need(flow)
    for call_off in (first, second):
        offer_on(flow, call_off, "consultant_a")
    offer_on(flow, first, "consultant_b")
    assert offers_exact() == {flow["supplier_a"].pk: 2, flow["supplier_b"].pk: 1}


def test_bulk_create_and_delete(flow: dict[str, Any]) -> None:
    call_offs = [publish_need(flow) for _n in range(3)]
    Offer.objects.bulk_create(bare_offers(flow, call_offs))
    offer_on(flow, call_offs[0], "consultant_b")
    assert offers_exact() == {flow["supplier_a"].pk: 3, flow["supplier_b"].pk: 1}
    Offer.objects.filter(call_off__in=call_offs[:2], supplier=flow["supplier_a"]).delete()
    assert offers_exact() == {flow["supplier_a"].pk: 1, flow["supplier_b"].pk: 1}
    Offer.objects.get(supplier=flow["supplier_b"]).delete()  # the instance's delete (its checks go along)
    assert offers_exact() == {flow["supplier_a"].pk: 1}


def test_moving_an_offer_to_another_supplier(flow: dict[str, Any]) -> None:
    call_offs = [publish_need(flow) for _n in range(3)]
    offers = Offer.objects.bulk_create(bare_offers(flow, call_offs))
    moved = Offer.objects.get(pk=offers[0].pk)
    moved.supplier = flow["supplier_b"]
    moved.save()
    Offer.objects.filter(pk=offers[1].pk).update(supplier=flow["supplier_b"])
    found = offers_exact()
    assert found == {flow["supplier_a"].pk: 1, flow["supplier_b"].pk: 2}
    # One statement moving an offer from B to A and another from A to B: nothing moves in total,
    # so on PostgreSQL (one trigger call per statement) no tally row is written.
    a, b = flow["supplier_a"].pk, flow["supplier_b"].pk
    with frozen_on_postgresql("ordering_supplieroffertally"), connection.cursor() as cursor:
        cursor.execute(
            "UPDATE ordering_offer SET supplier_id = CASE supplier_id WHEN %s THEN %s ELSE %s END "
            "WHERE id IN (%s, %s)",
            [a, b, a, offers[0].pk, offers[2].pk],
        )
    assert offers_exact() == found


def test_an_update_changing_no_supplier_leaves_the_tally_alone(flow: dict[str, Any]) -> None:
    offer = offer_on(flow, publish_need(flow), "consultant_a")
    before = offers_exact()
    with frozen("ordering_supplieroffertally"):
        Offer.objects.filter(pk=offer.pk).update(status=OfferStatus.WITHDRAWN, checked_at=timezone.now())
        with connection.cursor() as cursor:
            cursor.execute("UPDATE ordering_offer SET supplier_id = supplier_id")
    assert offers_exact() == before


def test_install_fills_the_tally_from_the_rows_there_are(flow: dict[str, Any]) -> None:
    offer_on(flow, publish_need(flow), "consultant_a")
    run(tallies.drop_statements(OFFER_TALLY, connection.vendor))
    offer_on(flow, publish_need(flow), "consultant_a")  # not counted: no triggers
    SupplierOfferTally.objects.create(supplier=flow["supplier_b"], offers=7)
    assert tallied(SupplierOfferTally, "offers") == {flow["supplier_a"].pk: 1, flow["supplier_b"].pk: 7}
    run([])
    tallies.install(OFFER_TALLY, CursorEditor())
    assert offers_exact() == {flow["supplier_a"].pk: 2}
    offer_on(flow, publish_need(flow), "consultant_b")  # the triggers are back
    assert offers_exact() == {flow["supplier_a"].pk: 2, flow["supplier_b"].pk: 1}


@postgresql_only
def test_copy_under_replica_role_counts(flow: dict[str, Any]) -> None:
    """The national-scale generator COPYs with ``session_replication_role = replica``."""
    from hyrkoll.demo.scale.copying import without_row_triggers

    call_offs = [publish_need(flow) for _n in range(3)]
    fields = (
        "call_off",
        "supplier",
        "consultant",
        "licence_number",
        "available_from",
        "available_to",
        "references",
        "submitted_by",
        "submitted_at",
        "status",
        "checks_passed",
    )
    start, now = timezone.localdate(), timezone.now()
    rows = [
        (
            call_off.pk,
            flow[supplier].pk,
            flow[consultant].pk,
            "",
            start,
            start,
            "",
            flow["supplier_user_a"].pk,
            now,
            OfferStatus.SUBMITTED,
            False,
        )
        for call_off in call_offs
        for supplier, consultant in (("supplier_a", "consultant_a"), ("supplier_b", "consultant_b"))
    ]
    with without_row_triggers() as skipped:
        assert skipped, "the test cluster's user is a superuser"
        insert_rows(Offer, fields, rows)
        Offer.objects.filter(call_off=call_offs[0], supplier=flow["supplier_b"]).delete()
    assert offers_exact() == {flow["supplier_a"].pk: 3, flow["supplier_b"].pk: 2}


@postgresql_only
def test_truncate_resets_the_tally(flow: dict[str, Any]) -> None:
    offer_on(flow, publish_need(flow), "consultant_a")
    run(["TRUNCATE ordering_offer CASCADE"])
    assert offers_exact() == {}
    assert not SupplierOfferTally.objects.exists()
    offer_on(flow, publish_need(flow), "consultant_b")
    assert offers_exact() == {flow["supplier_b"].pk: 1}
