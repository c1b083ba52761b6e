"""The regions' need tally (``ordering.RegionNeedStatusTally`` per region and status,
``hyrkoll.lib.sums`` with no summed column): every write path keeps it equal to a COUNT of the needs,
and the need list of a user who sees the whole region (or the nation), unfiltered or filtered by
status alone, takes its number from it instead of counting."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.db.models import Count
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conftest import make_user
from hyrkoll.accounts.models import Role, RoleAssignment, Scope
from hyrkoll.lib import sums
from hyrkoll.ordering import workflow
from hyrkoll.ordering.models import Need, NeedStatus, RegionNeedStatusTally
from hyrkoll.ordering.tests.conftest import make_need
from hyrkoll.ordering.tests.test_tallies import (
    CursorEditor,
    installed_triggers,
    postgresql_only,
    run,
)

pytestmark = pytest.mark.django_db

# The migration's tally (hyrkoll/ordering/migrations/0013_region_status_tallies.py).
STATUS_TALLY = sums.Sums(
    table="ordering_regionneedstatustally",
    key=("region_id", "status"),
    count="needs",
    source="ordering_need",
    columns=(),
)


def needs_exact() -> dict[int, int]:
    """The tally's non-zero counts per region (added up over the statuses), checked against a COUNT of
    the needs per region and status."""
    by_status = {
        (region, status): n
        for region, status, n in RegionNeedStatusTally.objects.values_list("region_id", "status", "needs")
        if n
    }
    counted = Need.objects.order_by().values("region", "status").annotate(n=Count("pk"))
    assert by_status == {(row["region"], row["status"]): row["n"] for row in counted}
    assert all(n >= 0 for n in RegionNeedStatusTally.objects.values_list("needs", flat=True))
    found: dict[int, int] = {}
    for (region, _status), n in by_status.items():
        found[region] = found.get(region, 0) + n
    return found


def drafts(flow: dict[str, Any], count: int, region: str = "a") -> list[Need]:
    unit = flow[f"units_{region}"]["care_unit"]
    orderer = flow["orderer_a"] if region == "a" else flow["admin_b"]
    if region == "a":
        return [workflow.save_draft(orderer, make_need(flow)) for _n in range(count)]
    return Need.objects.bulk_create(
        [
            make_need(flow, unit=unit, region=unit.region, created_by=orderer, level=flow["competence"].level)
            for _n in range(count)
        ]
    )


def test_the_migration_installed_the_triggers() -> None:
    found = installed_triggers()
    for name in sums.trigger_names(STATUS_TALLY, connection.vendor):
        # PostgreSQL: ENABLE ALWAYS ('A'), so they fire under session_replication_role = replica.
        assert found.get(name) == ("A" if connection.vendor == "postgresql" else "O"), name
    # The per-region tally of migration 0009 (the statuses' sum) was dropped by 0015 with its triggers.
    region_tally = sums.Sums(
        table="ordering_regionneedtally", key="region_id", count="needs", source="ordering_need", columns=()
    )
    assert not set(sums.trigger_names(region_tally, connection.vendor)) & set(found)


def test_every_write_path_keeps_the_count(flow: dict[str, Any]) -> None:
    a, b = flow["region_a"].pk, flow["region_b"].pk
    drafts(flow, 3)  # saved one by one through the workflow
    drafts(flow, 2, region="b")  # bulk_create
    assert needs_exact() == {a: 3, b: 2}
    moved = Need.objects.filter(region_id=b).first()
    Need.objects.filter(pk=moved.pk).update(
        region_id=a
    )  # (a unit of the other region: only the count is checked)
    assert needs_exact() == {a: 4, b: 1}
    Need.objects.filter(region_id=a).order_by("pk")[:1].get().delete()
    Need.objects.filter(region_id=b).delete()
    assert needs_exact() == {a: 3}


def test_a_status_change_moves_one_between_the_status_rows(flow: dict[str, Any]) -> None:
    [need, other] = drafts(flow, 2)
    a = flow["region_a"].pk
    before = needs_exact()
    workflow.submit(flow["orderer_a"], need)
    Need.objects.filter(pk=need.pk).update(status=NeedStatus.CANCELLED)
    assert needs_exact() == before  # (and, inside it, the tally equals a COUNT per status)
    assert RegionNeedStatusTally.objects.get(region_id=a, status=NeedStatus.CANCELLED).needs == 1
    assert RegionNeedStatusTally.objects.get(region_id=a, status=NeedStatus.DRAFT).needs == 1
    # One statement moving two needs between statuses the other way round: on PostgreSQL (one trigger
    # call per statement) the moves cancel out and no tally row is written.
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE ordering_need SET status = CASE status WHEN %s THEN %s ELSE %s END WHERE id IN (%s, %s)",
            [NeedStatus.DRAFT, NeedStatus.CANCELLED, NeedStatus.DRAFT, need.pk, other.pk],
        )
    needs_exact()


def test_install_fills_the_tally_from_the_rows_there_are(flow: dict[str, Any]) -> None:
    drafts(flow, 3)
    run(sums.drop_statements(STATUS_TALLY, connection.vendor))
    drafts(flow, 1)  # not counted: no triggers
    assert RegionNeedStatusTally.objects.get(region_id=flow["region_a"].pk).needs == 3
    sums.install(STATUS_TALLY, CursorEditor())
    assert needs_exact() == {flow["region_a"].pk: 4}
    drafts(flow, 1, region="b")  # the triggers are back
    assert needs_exact() == {flow["region_a"].pk: 4, flow["region_b"].pk: 1}


@postgresql_only
def test_copy_under_replica_role_and_truncate(flow: dict[str, Any]) -> None:
    from hyrkoll.demo.scale.copying import without_row_triggers

    with without_row_triggers() as skipped:
        assert skipped, "the test cluster's user is a superuser"
        drafts(flow, 2, region="b")
    assert needs_exact() == {flow["region_b"].pk: 2}
    run(["TRUNCATE ordering_need CASCADE"])
    assert needs_exact() == {}


# --- the need list ----------------------------------------------------------------------------------


def counts_the_needs(queries: CaptureQueriesContext) -> bool:
    return any(
        "COUNT(" in query["sql"] and 'FROM "ordering_need"' in query["sql"]
        for query in queries.captured_queries
    )


def listed(client: Client, user: Any, params: dict[str, str] | None = None) -> tuple[int, bool]:
    client.force_login(user)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("ordering:needs"), params or {})
    assert response.status_code == 200
    return response.context["page"].paginator.count, counts_the_needs(queries)


def test_the_whole_regions_list_reads_its_number_from_the_tally(client: Client, flow: dict[str, Any]) -> None:
    drafts(flow, 3)
    drafts(flow, 2, region="b")
    Need.objects.filter(pk=Need.objects.filter(region=flow["region_a"]).first().pk).update(
        status=NeedStatus.CANCELLED
    )
    unit = flow["call_off_unit"]
    assert listed(client, unit) == (3, False)  # region B's needs not among them
    assert listed(client, unit, {"sort": "-since"}) == (3, False)  # a sort is no filter
    assert listed(client, unit, {"status": NeedStatus.DRAFT}) == (2, False)  # the status tally
    assert listed(client, unit, {"status": NeedStatus.CANCELLED, "sort": "-since"}) == (1, False)
    assert listed(client, unit, {"status": "no-such-status"}) == (3, False)  # ignored, as by the rows
    # another filter (with or without the status) counts the rows
    competence = str(flow["competence"].pk)
    assert listed(client, unit, {"status": NeedStatus.DRAFT, "competence": competence}) == (2, True)
    assert listed(client, unit, {"competence": competence}) == (3, True)
    assert listed(client, flow["coordinator"], {"status": NeedStatus.DRAFT}) == (4, False)
    assert listed(client, flow["coordinator"]) == (5, False)  # the nation: the regions' tallies added up
    assert listed(client, flow["admin_b"]) == (2, False)


def test_an_orderer_of_some_units_counts_the_rows(client: Client, flow: dict[str, Any]) -> None:
    drafts(flow, 2)
    drafts(flow, 1, region="b")
    orderer = make_user("orderer.unit", scope=Scope.REGION, region=flow["region_a"])
    RoleAssignment.objects.create(user=orderer, role=Role.ORDERER, org_unit=flow["units_a"]["care_unit"])
    assert listed(client, orderer) == (2, True)  # only the units' needs: not the region's tally
