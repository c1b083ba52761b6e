"""An orderer's need list counted in two parts (``queues.orderer_need_parts``): the needs of their units
and the needs they created elsewhere – no need in both, together exactly the needs they may open, and
the list's number their sum, filtered or not, without the "unit or orderer" condition."""

from __future__ import annotations

import datetime
import json
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from conftest import make_user
from hyrkoll.accounts.models import Role, RoleAssignment, Scope
from hyrkoll.ordering.models import Need, NeedStatus
from hyrkoll.ordering.queues import needs_visible_to, orderer_need_parts
from hyrkoll.ordering.tests.conftest import make_need
from hyrkoll.ordering.tests.test_tallies import postgresql_only
from hyrkoll.organisation.models import OrgUnit, OrgUnitKind

pytestmark = pytest.mark.django_db


@pytest.fixture
def scene(flow: dict[str, Any]) -> dict[str, Any]:
    """An orderer of region A's care unit; needs of that unit by them and by another orderer, needs
    they created at another unit of the region, another orderer's need there, and region B's."""
    units = flow["units_a"]
    elsewhere = OrgUnit.objects.create(
        region=flow["region_a"],
        kind=OrgUnitKind.CARE_UNIT,
        parent=units["department"],
        code="A-4",
        name="Vårdcentral A2",
        municipality=units["care_unit"].municipality,
        care_area=units["care_unit"].care_area,
    )
    orderer = make_user("orderer.parts", scope=Scope.REGION, region=flow["region_a"])
    RoleAssignment.objects.create(user=orderer, role=Role.ORDERER, org_unit=units["care_unit"])
    other = flow["orderer_a"]
    level = flow["competence"].level

    def needs(unit: OrgUnit, by: Any, count: int, status: str = NeedStatus.DRAFT) -> list[Need]:
        return Need.objects.bulk_create(
            make_need(flow, unit=unit, region=unit.region, created_by=by, level=level, status=status)
            for _n in range(count)
        )

    made = {
        "own unit, by them": needs(units["care_unit"], orderer, 2),
        "own unit, by another": needs(units["care_unit"], other, 3, NeedStatus.CANCELLED),
        "elsewhere, by them": needs(elsewhere, orderer, 2, NeedStatus.CANCELLED),
        "elsewhere, by another": needs(elsewhere, other, 4),
        "region B": needs(flow["units_b"]["care_unit"], flow["admin_b"], 1),
    }
    return {"orderer": orderer, "made": made, **flow}


def _ids(needs: Any) -> set[int]:
    return set(needs.values_list("pk", flat=True))


def test_the_parts_are_disjoint_and_make_up_the_needs_the_orderer_may_open(scene: dict[str, Any]) -> None:
    orderer, made = scene["orderer"], scene["made"]
    parts = orderer_need_parts(orderer)
    assert parts is not None
    units, created = (_ids(part) for part in parts)
    assert not units & created
    assert units | created == _ids(needs_visible_to(orderer))
    expected = made["own unit, by them"] + made["own unit, by another"] + made["elsewhere, by them"]
    assert units | created == {need.pk for need in expected}


def test_only_an_orderer_of_some_units_has_parts(scene: dict[str, Any]) -> None:
    assert orderer_need_parts(scene["call_off_unit"]) is None  # sees the whole region: the tally counts
    assert orderer_need_parts(scene["coordinator"]) is None
    whole_region = make_user("orderer.region", scope=Scope.REGION, region=scene["region_a"])
    RoleAssignment.objects.create(user=whole_region, role=Role.ORDERER, org_unit=None)
    assert orderer_need_parts(whole_region) is None


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, 7),
        ({"status": NeedStatus.CANCELLED}, 5),
        ({"status": NeedStatus.DRAFT}, 2),
        ({"sort": "-since"}, 7),
    ],
)
def test_the_list_counts_the_two_parts(
    client: Client, scene: dict[str, Any], params: dict[str, str], expected: int
) -> None:
    client.force_login(scene["orderer"])
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("ordering:needs"), params)
    assert response.status_code == 200
    assert response.context["page"].paginator.count == expected
    assert len(response.context["page"].object_list) == expected  # the rows shown agree (one page)
    counts = [
        query["sql"]
        for query in queries.captured_queries
        if "COUNT(" in query["sql"] and 'FROM "ordering_need"' in query["sql"]
    ]
    assert len(counts) == 2, counts
    assert all(" OR " not in sql for sql in counts), counts  # each part's own condition, from one index


def test_the_list_pages_the_two_parts_newest_first(client: Client, scene: dict[str, Any]) -> None:
    """More needs than a page, the two parts' creation times interleaved: every page shows the rows
    that ordering all the needs the orderer may open newest first would, each part counted and read
    on its own (no "unit or orderer" condition; the page's rows are then read by their ids), and the status filter pages the same way."""
    orderer, units = scene["orderer"], scene["units_a"]
    elsewhere = scene["made"]["elsewhere, by them"][0].unit
    start = timezone.now() - datetime.timedelta(days=100)
    made = Need.objects.bulk_create(
        make_need(
            scene,
            unit=units["care_unit"] if n % 3 else elsewhere,
            region=scene["region_a"],
            created_by=orderer,
            level=scene["competence"].level,
            status=NeedStatus.DRAFT if n % 2 else NeedStatus.CANCELLED,
        )
        for n in range(110)
    )
    for n, need in enumerate(made):  # creation times interleaved between the parts, some alike
        Need.objects.filter(pk=need.pk).update(created_at=start + datetime.timedelta(hours=(n * 7) % 40))
    client.force_login(orderer)
    for params in ({}, {"status": NeedStatus.DRAFT}):
        expected = list(
            needs_visible_to(orderer)
            .filter(**params)
            .order_by("-created_at", "-pk")
            .values_list("pk", flat=True)
        )
        assert len(expected) > 50  # more than a page
        shown: list[int] = []
        for number in range(1, len(expected) // 50 + 2):
            with CaptureQueriesContext(connection) as queries:
                response = client.get(reverse("ordering:needs"), {**params, "page": number})
            assert response.status_code == 200
            assert response.context["page"].paginator.count == len(expected)
            shown += [need.pk for need in response.context["page"].object_list]
            reads = [
                query["sql"]
                for query in queries.captured_queries
                if 'FROM "ordering_need"' in query["sql"]
                and ("COUNT(" in query["sql"] or "ORDER BY" in query["sql"])
            ]
            assert len(reads) == 4, reads  # two counts, two parts' pages (the page's rows are read by id)
            assert all(" OR " not in sql for sql in reads), reads
        assert shown == expected, params


@postgresql_only
def test_the_planner_knows_that_an_orderer_decides_the_region(scene: dict[str, Any]) -> None:
    """Extended statistics (migration 0014): an orderer's needs in their region are estimated as many
    as there are, not as if orderer and region were independent (then PostgreSQL read all of them
    and sorted them for one page of the part they created elsewhere)."""
    orderer, other = scene["orderer"], scene["admin_b"]
    level = scene["competence"].level
    unit_a, unit_b = scene["units_a"]["care_unit"], scene["units_b"]["care_unit"]
    Need.objects.bulk_create(
        [
            make_need(scene, unit=unit_a, region=unit_a.region, created_by=orderer, level=level)
            for _n in range(100)
        ]
        + [
            make_need(scene, unit=unit_b, region=unit_b.region, created_by=other, level=level)
            for _n in range(300)
        ]
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE ordering_need")
        cursor.execute(
            "EXPLAIN (FORMAT JSON) SELECT id FROM ordering_need WHERE created_by_id = %s AND region_id = %s",
            [orderer.pk, scene["region_a"].pk],
        )
        [[plan]] = cursor.fetchall()
    estimated = (plan if isinstance(plan, list) else json.loads(plan))[0]["Plan"]["Plan Rows"]
    # 104 match; taken as independent, 413 × 104/413 × 111/413 ≈ 28 would be the estimate.
    assert estimated > 80, plan
