"""The assignment tallies per region (``assignments.RegionAssignmentTally``, ``hyrkoll.lib.sums`` with no
summed column) and per supplier (``SupplierAssignmentTally``, ``hyrkoll.lib.tallies``): every write
path keeps them equal to a COUNT of the assignments, and the unfiltered assignment lists – the web
list of a region's users or the nation's, the API's of a supplier, a region or the nation – take
their number from them instead of counting."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.db import connection
from django.db.models import Count
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from hyrkoll.assignments.models import (
    Assignment,
    AssignmentStatus,
    RegionAssignmentTally,
    SupplierAssignmentTally,
)
from hyrkoll.lib import sums, tallies
from hyrkoll.ordering import workflow
from hyrkoll.ordering.tests.test_checks import offer_on, publish_need
from hyrkoll.ordering.tests.test_tallies import (
    CursorEditor,
    counted,
    frozen,
    installed_triggers,
    run,
    tallied,
)

pytestmark = pytest.mark.django_db

# The migration's tally (hyrkoll/assignments/migrations/0008_region_assignment_tally.py).
ASSIGNMENT_TALLY = sums.Sums(
    table="assignments_regionassignmenttally",
    key="region_id",
    count="assignments",
    source="assignments_assignment",
    columns=(),
)
# (hyrkoll/assignments/migrations/0009_supplier_assignment_tally.py)
SUPPLIER_TALLY = tallies.Tally(
    table="assignments_supplierassignmenttally",
    count="assignments",
    source="assignments_assignment",
    key="supplier_id",
)


def award(flow: dict[str, Any], consultant: str = "consultant_a") -> Assignment:
    """An assignment of region A through the workflow, each in a period of its own."""
    start = timezone.localdate() + datetime.timedelta(days=30 + 100 * Assignment.objects.count())
    end = start + datetime.timedelta(days=89)
    call_off = publish_need(flow, starts_on=start, ends_on=end)
    offer = offer_on(flow, call_off, consultant, available_from=start, available_to=end)
    return workflow.award(flow["call_off_unit"], offer)


def assignments_exact() -> dict[int, int]:
    """The tally's non-zero counts per region, checked against a COUNT of the assignments."""
    found = {pk: n for pk, n in RegionAssignmentTally.objects.values_list("pk", "assignments") if n}
    counted = Assignment.objects.order_by().values("region").annotate(n=Count("pk"))
    assert found == {row["region"]: row["n"] for row in counted}
    return found


def suppliers_exact() -> dict[int, int]:
    found = tallied(SupplierAssignmentTally, "assignments")
    assert found == counted(Assignment, "supplier")
    return found


def test_the_migration_installed_the_triggers() -> None:
    found = installed_triggers()
    names = [
        *sums.trigger_names(ASSIGNMENT_TALLY, connection.vendor),
        *tallies.trigger_names(SUPPLIER_TALLY, connection.vendor),
    ]
    for name in names:
        # PostgreSQL: ENABLE ALWAYS ('A'), so they fire under session_replication_role = replica.
        assert found.get(name) == ("A" if connection.vendor == "postgresql" else "O"), name


def test_every_write_path_keeps_the_count(flow: dict[str, Any]) -> None:
    a, b = flow["region_a"].pk, flow["region_b"].pk
    supplier_a, supplier_b = flow["supplier_a"].pk, flow["supplier_b"].pk
    first, second = award(flow), award(flow, "consultant_b")  # through the workflow
    assert assignments_exact() == {a: 2}
    assert suppliers_exact() == {supplier_a: 1, supplier_b: 1}
    Assignment.objects.filter(pk=second.pk).update(region_id=b)  # (only the count is checked)
    assert assignments_exact() == {a: 1, b: 1}
    Assignment.objects.filter(pk=second.pk).update(supplier_id=supplier_a)
    assert suppliers_exact() == {supplier_a: 2}
    # a status change leaves the tallies alone
    with frozen("assignments_regionassignmenttally"):
        Assignment.objects.filter(pk=first.pk).update(status=AssignmentStatus.CANCELLED)
    with frozen("assignments_supplierassignmenttally"):
        Assignment.objects.filter(pk=first.pk).update(status=AssignmentStatus.ACTIVE)
    Assignment.objects.filter(pk=second.pk).delete()
    assert assignments_exact() == {a: 1}
    assert suppliers_exact() == {supplier_a: 1}


def test_install_fills_the_tally_from_the_rows_there_are(flow: dict[str, Any]) -> None:
    award(flow)
    run(sums.drop_statements(ASSIGNMENT_TALLY, connection.vendor))
    award(flow)  # not counted: no triggers
    assert RegionAssignmentTally.objects.get(pk=flow["region_a"].pk).assignments == 1
    sums.install(ASSIGNMENT_TALLY, CursorEditor())
    assert assignments_exact() == {flow["region_a"].pk: 2}
    award(flow)  # the triggers are back
    assert assignments_exact() == {flow["region_a"].pk: 3}
    run(tallies.drop_statements(SUPPLIER_TALLY, connection.vendor))
    award(flow)
    assert SupplierAssignmentTally.objects.get(pk=flow["supplier_a"].pk).assignments == 3
    tallies.install(SUPPLIER_TALLY, CursorEditor())
    assert suppliers_exact() == {flow["supplier_a"].pk: 4}


def listed(client: Client, user: Any, params: dict[str, str] | None = None) -> tuple[int, bool]:
    """The list's number and whether it counted the assignments."""
    client.force_login(user)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("assignments:list"), params or {})
    assert response.status_code == 200
    counts = any(
        "COUNT(" in query["sql"] and 'FROM "assignments_assignment"' in query["sql"]
        for query in queries.captured_queries
    )
    return response.context["page"].paginator.count, counts


def test_the_list_reads_its_number_from_the_tally(client: Client, flow: dict[str, Any]) -> None:
    first, second, third = award(flow), award(flow), award(flow)
    Assignment.objects.filter(pk=third.pk).update(region_id=flow["region_b"].pk)
    Assignment.objects.filter(pk=first.pk).update(status=AssignmentStatus.CANCELLED)
    controller = flow["call_off_unit"]
    assert listed(client, controller) == (2, False)  # region B's assignment not among them
    assert listed(client, controller, {"sort": "-price"}) == (2, False)  # a sort is no filter
    assert listed(client, controller, {"status": AssignmentStatus.ACTIVE}) == (1, True)  # a filter counts
    # A value that does not validate is ignored by the rows, and so by the number: still the tally's.
    assert listed(client, controller, {"status": "no-such-status"}) == (2, False)
    assert listed(client, controller, {"competence": "not-a-number", "sort": "-price"}) == (2, False)
    assert listed(client, flow["coordinator"]) == (3, False)  # the nation: the regions' tallies added up
    assert listed(client, flow["admin_b"]) == (1, False)
    client.force_login(controller)
    shown = client.get(reverse("assignments:list")).context["page"].object_list
    assert sorted(row.pk for row in shown) == sorted([first.pk, second.pk])  # the rows agree with the number


def api_listed(client: Client, user: Any, params: str = "") -> tuple[int, bool]:
    """The API list's ``count`` and whether it counted the assignments."""
    client.force_login(user)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"/api/v1/assignments/{params}")
    assert response.status_code == 200, response.content
    counts = any(
        "COUNT(" in query["sql"] and 'FROM "assignments_assignment"' in query["sql"]
        for query in queries.captured_queries
    )
    return response.json()["count"], counts


def test_the_api_reads_its_count_from_the_tallies(client: Client, flow: dict[str, Any]) -> None:
    first, _second, third = award(flow), award(flow, "consultant_b"), award(flow)
    Assignment.objects.filter(pk=third.pk).update(region_id=flow["region_b"].pk)
    Assignment.objects.filter(pk=first.pk).update(status=AssignmentStatus.CANCELLED)
    assert api_listed(client, flow["supplier_user_a"]) == (2, False)  # both regions' of supplier A
    assert api_listed(client, flow["supplier_user_b"]) == (1, False)
    assert api_listed(client, flow["supplier_user_a"], "?status=active") == (1, True)  # a filter counts
    assert api_listed(client, flow["call_off_unit"]) == (2, False)  # region A's, both suppliers
    assert api_listed(client, flow["call_off_unit"], "?status=cancelled") == (1, True)
    assert api_listed(client, flow["coordinator"]) == (3, False)


def test_without_the_triggers_the_lists_count_their_rows(
    client: Client, flow: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    """On a database without the triggers (another vendor) the lists count their rows."""
    award(flow)
    monkeypatch.setattr(tallies, "maintained", lambda vendor: False)
    monkeypatch.setattr(sums, "maintained", lambda vendor: False)
    assert api_listed(client, flow["supplier_user_a"]) == (1, True)
    assert api_listed(client, flow["call_off_unit"]) == (1, True)
    assert listed(client, flow["call_off_unit"]) == (1, True)
