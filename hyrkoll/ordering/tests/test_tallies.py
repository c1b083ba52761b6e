"""The supplier call-off tally, kept by database triggers: equal to the recipient rows per supplier
after every kind of write (the same tests on SQLite and PostgreSQL; a few need PostgreSQL)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from django.db import connection
from django.db.models import Count, Model
from django.utils import timezone

from hyrkoll.agreement.models import Supplier
from hyrkoll.lib import tallies
from hyrkoll.lib.bulk import insert_rows
from hyrkoll.ordering.models import CallOff, CallOffRecipient, SupplierCallOffTally
from hyrkoll.ordering.tests.test_checks import publish_need

pytestmark = pytest.mark.django_db

postgresql_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only")

# The migration's tally (hyrkoll/ordering/migrations/0006_supplier_tally.py).
CALL_OFF_TALLY = tallies.Tally(
    table="ordering_suppliercallofftally",
    count="received",
    source="ordering_calloffrecipient",
    key="supplier_id",
)


# --- helpers (also used by the time-report tally's tests) --------------------------------------------


def counted(model: type[Model], supplier: str) -> dict[int, int]:
    """The rows of ``model`` per supplier (``supplier`` the lookup to it), by COUNT."""
    rows = model._default_manager.order_by().values(supplier).annotate(n=Count("pk"))
    return {row[supplier]: row["n"] for row in rows}


def tallied(model: type[Model], field: str) -> dict[int, int]:
    """The tally's non-zero counts per supplier."""
    return {pk: n for pk, n in model._default_manager.values_list("pk", field) if n}


@contextmanager
def frozen(table: str) -> Iterator[None]:
    """Any write to ``table`` inside the block fails (a trigger raising on every row written)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "CREATE FUNCTION test_frozen() RETURNS trigger LANGUAGE plpgsql AS "
                "$body$ BEGIN RAISE EXCEPTION 'tally written'; END $body$"
            )
            cursor.execute(
                f"CREATE TRIGGER test_frozen BEFORE INSERT OR UPDATE OR DELETE ON {table} "
                "FOR EACH ROW EXECUTE FUNCTION test_frozen()"
            )
        else:
            for event in ("INSERT", "UPDATE", "DELETE"):
                cursor.execute(
                    f"CREATE TRIGGER test_frozen_{event} BEFORE {event} ON {table} "
                    "BEGIN SELECT RAISE(ABORT, 'tally written'); END"
                )
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute(f"DROP TRIGGER test_frozen ON {table}")
                cursor.execute("DROP FUNCTION test_frozen()")
            else:
                for event in ("INSERT", "UPDATE", "DELETE"):
                    cursor.execute(f"DROP TRIGGER test_frozen_{event}")


@contextmanager
def frozen_on_postgresql(table: str) -> Iterator[None]:
    """:func:`frozen` on PostgreSQL; nothing on SQLite (its row triggers write per row moved)."""
    if connection.vendor != "postgresql":
        yield
        return
    with frozen(table):
        yield


class CursorEditor:
    """What :func:`tallies.install` needs of a schema editor, on the test's connection (a real
    schema editor refuses to run inside the test's transaction on SQLite)."""

    connection = connection

    def execute(self, sql: str, params: Any = None) -> None:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)


def run(sqls: list[str]) -> None:
    if connection.vendor == "postgresql":  # no deferred foreign-key checks pending on the tables
        sqls = ["SET CONSTRAINTS ALL IMMEDIATE", *sqls]
    for sql in sqls:
        CursorEditor().execute(sql)


def installed_triggers() -> dict[str, str]:
    """Trigger name → how it is enabled (PostgreSQL: pg_trigger.tgenabled; SQLite: 'O')."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT tgname, tgenabled FROM pg_trigger WHERE NOT tgisinternal")
            return {name: str(enabled) for name, enabled in cursor.fetchall()}
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        return {name: "O" for (name,) in cursor.fetchall()}


# --- the call-off tally -------------------------------------------------------------------------------


def call_offs_exact() -> dict[int, int]:
    found = tallied(SupplierCallOffTally, "received")
    assert found == counted(CallOffRecipient, "supplier")
    return found


def more_suppliers(count: int) -> list[Supplier]:
    return [Supplier.objects.create(name=f"Extra {n} AB", org_no=f"559900-{n:04d}") for n in range(count)]


def test_the_migration_installed_the_triggers() -> None:
    found = installed_triggers()
    for name in tallies.trigger_names(CALL_OFF_TALLY, connection.vendor):
        # PostgreSQL: ENABLE ALWAYS ('A'), so they fire under session_replication_role = replica.
        assert found.get(name) == ("A" if connection.vendor == "postgresql" else "O"), name
    assert tallies.maintained(connection.vendor)


def test_publishing_counts_each_recipient(flow: dict[str, Any]) -> None:
    publish_need(flow)
    publish_need(flow)
    found = call_offs_exact()
    assert found[flow["supplier_a"].pk] == found[flow["supplier_b"].pk] == 2


def test_bulk_create_and_delete_with_cascade(flow: dict[str, Any]) -> None:
    first, second = publish_need(flow), publish_need(flow)
    extra = more_suppliers(3)
    CallOffRecipient.objects.bulk_create(
        [CallOffRecipient(call_off=call_off, supplier=s) for call_off in (first, second) for s in extra]
    )
    assert call_offs_exact()[extra[0].pk] == 2
    CallOff.objects.filter(pk=first.pk).delete()  # the recipients go with it
    found = call_offs_exact()
    assert found[extra[0].pk] == found[flow["supplier_a"].pk] == 1
    CallOffRecipient.objects.filter(supplier__in=extra).delete()
    assert extra[0].pk not in call_offs_exact()


def test_moving_a_recipient_to_another_supplier(flow: dict[str, Any]) -> None:
    first, second = publish_need(flow), publish_need(flow)
    (other,) = more_suppliers(1)
    recipient = CallOffRecipient.objects.get(call_off=first, supplier=flow["supplier_a"])
    recipient.supplier = other
    recipient.save()
    CallOffRecipient.objects.filter(call_off=second, supplier=flow["supplier_b"]).update(supplier=other)
    found = call_offs_exact()
    assert (found[flow["supplier_a"].pk], found[flow["supplier_b"].pk], found[other.pk]) == (1, 1, 2)
    # One statement moving a row from B to A and another from A to B: nothing moves in total, so on
    # PostgreSQL (one trigger call per statement) no tally row is written.
    a, b = flow["supplier_a"].pk, flow["supplier_b"].pk
    with frozen_on_postgresql("ordering_suppliercallofftally"), connection.cursor() as cursor:
        cursor.execute(
            "UPDATE ordering_calloffrecipient SET supplier_id = CASE supplier_id WHEN %s THEN %s ELSE %s END "
            "WHERE (call_off_id = %s AND supplier_id = %s) OR (call_off_id = %s AND supplier_id = %s)",
            [a, b, a, first.pk, b, second.pk, a],
        )
    assert call_offs_exact() == found


def test_an_update_changing_no_supplier_leaves_the_tally_alone(flow: dict[str, Any]) -> None:
    publish_need(flow)
    before = call_offs_exact()
    with frozen("ordering_suppliercallofftally"):
        CallOffRecipient.objects.update(notified_at=timezone.now())
        with connection.cursor() as cursor:
            cursor.execute("UPDATE ordering_calloffrecipient SET supplier_id = supplier_id")
    assert call_offs_exact() == before


def test_install_fills_the_tally_from_the_rows_there_are(flow: dict[str, Any]) -> None:
    publish_need(flow)
    run(tallies.drop_statements(CALL_OFF_TALLY, connection.vendor))
    publish_need(flow)  # not counted: no triggers
    SupplierCallOffTally.objects.filter(pk=flow["supplier_b"].pk).update(received=7)
    assert tallied(SupplierCallOffTally, "received")[flow["supplier_a"].pk] == 1
    run([])
    tallies.install(CALL_OFF_TALLY, CursorEditor())
    assert call_offs_exact()[flow["supplier_a"].pk] == 2
    publish_need(flow)  # the triggers are back
    assert call_offs_exact()[flow["supplier_a"].pk] == 3


@postgresql_only
def test_copy_under_replica_role_counts(flow: dict[str, Any]) -> None:
    """The national-scale generator COPYs with ``session_replication_role = replica``."""
    from hyrkoll.demo.scale.copying import without_row_triggers

    first, second = publish_need(flow), publish_need(flow)
    extra = more_suppliers(2)
    with without_row_triggers() as skipped:
        assert skipped, "the test cluster's user is a superuser"
        rows = [(call_off.pk, s.pk, None) for call_off in (first, second) for s in extra]
        insert_rows(CallOffRecipient, ("call_off", "supplier", "notified_at"), rows)
        CallOffRecipient.objects.filter(call_off=first, supplier=extra[1]).delete()
    found = call_offs_exact()
    assert (found[extra[0].pk], found[extra[1].pk]) == (2, 1)


@postgresql_only
def test_truncate_resets_the_tally(flow: dict[str, Any]) -> None:
    publish_need(flow)
    run(["TRUNCATE ordering_calloffrecipient"])
    assert call_offs_exact() == {}
    assert not SupplierCallOffTally.objects.exists()
    publish_need(flow)
    assert call_offs_exact()[flow["supplier_a"].pk] == 1


def test_other_vendors_install_nothing() -> None:
    assert tallies.statements(CALL_OFF_TALLY, "oracle") == []
    assert tallies.fill_statements(CALL_OFF_TALLY, "mysql") == []
    assert not tallies.maintained("oracle")
