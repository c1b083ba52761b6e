"""The regions' call-off tallies per status (``ordering.RegionCallOffStatusTally``, ``hyrkoll.lib.sums``
keyed by region and status): every write path keeps them equal to a COUNT of the call-offs, and the
region's call-off list, unfiltered or filtered by status alone, takes its numbers from them – the open
ones first, then the others – with the rows it pages through agreeing."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.db.models import Count
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from hyrkoll.lib import sums
from hyrkoll.ordering.models import CallOff, CallOffStatus, RegionCallOffStatusTally
from hyrkoll.ordering.tests.test_call_off_order import call_offs  # noqa: F401  (the fixture)
from hyrkoll.ordering.tests.test_tallies import CursorEditor, installed_triggers, run
from hyrkoll.ordering.views import common

pytestmark = pytest.mark.django_db

# The migration's tally (hyrkoll/ordering/migrations/0013_region_status_tallies.py).
CALL_OFF_TALLY = sums.Sums(
    table="ordering_regioncalloffstatustally",
    key=("region_id", "status"),
    count="call_offs",
    source="ordering_calloff",
    columns=(),
)


def call_offs_exact() -> dict[tuple[int, str], int]:
    """The tally's non-zero counts per region and status, checked against a COUNT of the call-offs."""
    found = {
        (region, status): n
        for region, status, n in RegionCallOffStatusTally.objects.values_list(
            "region_id", "status", "call_offs"
        )
        if n
    }
    counted = CallOff.objects.order_by().values("region", "status").annotate(n=Count("pk"))
    assert found == {(row["region"], row["status"]): row["n"] for row in counted}
    return found


def test_the_migration_installed_the_triggers() -> None:
    found = installed_triggers()
    for name in sums.trigger_names(CALL_OFF_TALLY, connection.vendor):
        assert found.get(name) == ("A" if connection.vendor == "postgresql" else "O"), name


def test_every_write_path_keeps_the_counts(flow: dict[str, Any], call_offs: dict[str, CallOff]) -> None:  # noqa: F811
    a, b = flow["region_a"].pk, flow["region_b"].pk
    assert call_offs_exact() == {
        (a, CallOffStatus.OPEN): 3,
        (a, CallOffStatus.AWARDED): 1,
        (a, CallOffStatus.UNFILLED): 1,
        (a, CallOffStatus.CANCELLED): 1,
    }
    CallOff.objects.filter(pk=call_offs["open_1"].pk).update(status=CallOffStatus.CANCELLED)
    CallOff.objects.filter(pk=call_offs["open_2"].pk).update(region_id=b)
    assert call_offs_exact() == {
        (a, CallOffStatus.OPEN): 1,
        (b, CallOffStatus.OPEN): 1,
        (a, CallOffStatus.AWARDED): 1,
        (a, CallOffStatus.UNFILLED): 1,
        (a, CallOffStatus.CANCELLED): 2,
    }
    CallOff.objects.filter(pk=call_offs["closed_2024"].pk).delete()
    assert call_offs_exact()[(a, CallOffStatus.CANCELLED)] == 1


def test_install_fills_the_tally_from_the_rows_there_are(
    flow: dict[str, Any],
    call_offs: dict[str, CallOff],  # noqa: F811
) -> None:
    run(sums.drop_statements(CALL_OFF_TALLY, connection.vendor))
    CallOff.objects.filter(pk=call_offs["open_1"].pk).update(status=CallOffStatus.CANCELLED)  # not counted
    assert RegionCallOffStatusTally.objects.get(status=CallOffStatus.OPEN).call_offs == 3
    sums.install(CALL_OFF_TALLY, CursorEditor())
    assert call_offs_exact()[(flow["region_a"].pk, CallOffStatus.OPEN)] == 2


def listed(client: Client, params: dict[str, str]) -> tuple[int, list[int], bool]:
    """The list's number, the ids over its pages and whether any request counted the call-offs."""
    shown: list[int] = []
    counted = False
    number = 1
    while True:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("ordering:call_offs"), {**params, "page": number})
        assert response.status_code == 200
        counted = counted or any(
            "COUNT(" in query["sql"] and 'FROM "ordering_calloff"' in query["sql"]
            for query in queries.captured_queries
        )
        page = response.context["page"]
        shown += [row.pk for row in page.object_list]
        if not page.has_next():
            return page.paginator.count, shown, counted
        number += 1


@pytest.mark.parametrize(
    ("params", "expected", "counts"),
    [
        ({}, 6, False),
        ({"status": CallOffStatus.OPEN}, 3, False),
        ({"status": CallOffStatus.AWARDED}, 1, False),
        ({"sort": "-reference"}, 6, False),
        ({"status": CallOffStatus.CANCELLED, "sort": "deadline"}, 1, False),
        ({"status": "no-such-status"}, 6, False),  # ignored, as by the rows
        ({"competence": "{competence}"}, 6, True),  # another filter: the rows are counted
    ],
)
def test_the_list_takes_its_numbers_from_the_tally(
    client: Client,
    flow: dict[str, Any],
    call_offs: dict[str, CallOff],  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
    params: dict[str, str],
    expected: int,
    counts: bool,
) -> None:
    monkeypatch.setattr(common, "PAGE_SIZE", 4)  # across the seam between open and other call-offs
    params = {key: value.format(competence=flow["competence"].pk) for key, value in params.items()}
    client.force_login(flow["call_off_unit"])
    count, shown, counted = listed(client, params)
    assert count == len(shown) == len(set(shown)) == expected
    assert counted == counts


def test_the_national_level_adds_the_regions_up(
    client: Client,
    flow: dict[str, Any],
    call_offs: dict[str, CallOff],  # noqa: F811
) -> None:
    CallOff.objects.filter(pk=call_offs["open_2"].pk).update(region_id=flow["region_b"].pk)
    client.force_login(flow["coordinator"])
    assert listed(client, {}) == (6, listed(client, {})[1], False)
    assert listed(client, {"status": CallOffStatus.OPEN})[0] == 3
    client.force_login(flow["call_off_unit"])
    assert listed(client, {})[0] == 5  # region A's
