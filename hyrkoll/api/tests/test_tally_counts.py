"""A supplier's call-off and time-report lists: the exact ``count`` read from the tallies the database
keeps, with no COUNT over the recipients or the time reports, and the rows it pages through."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from hyrkoll.accounts.models import User
from hyrkoll.assignments.models import Assignment
from hyrkoll.assignments.tests import test_tallies as time_report_tallies
from hyrkoll.lib import tallies
from hyrkoll.ordering.tests import conftest as ordering_fixtures
from hyrkoll.ordering.tests.test_checks import publish_need

flow = ordering_fixtures.flow
assignments = time_report_tallies.assignments

pytestmark = pytest.mark.django_db


def api(user: User) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def page_through(client: APIClient, url: str) -> tuple[int, list[int], list[str]]:
    """The first page's ``count``, the ids of every page (two rows a page) and the first page's SQL."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, {"limit": 2})
    assert response.status_code == 200, response.content
    body = response.json()
    assert list(body) == ["count", "next", "previous", "results"]
    count, ids = body["count"], [row["id"] for row in body["results"]]
    while body["next"]:
        body = client.get(body["next"]).json()
        ids.extend(row["id"] for row in body["results"])
    return count, ids, [query["sql"] for query in queries.captured_queries]


def counts_over(sqls: list[str], table: str) -> list[str]:
    return [sql for sql in sqls if "COUNT(*)" in sql.upper() and table in sql]


def test_a_suppliers_call_offs(flow: dict[str, Any]) -> None:
    for _n in range(3):
        publish_need(flow)
    for user in ("supplier_user_a", "supplier_user_b"):
        count, ids, sqls = page_through(api(flow[user]), "/api/v1/call-offs/")
        assert count == len(set(ids)) == len(ids) == 3
        assert not counts_over(sqls, "calloffrecipient"), sqls


def test_a_suppliers_time_reports(flow: dict[str, Any], assignments: tuple[Assignment, Assignment]) -> None:
    a, b = assignments
    time_report_tallies.report(flow, a, 3)
    time_report_tallies.report(flow, b, 1)
    for user, expected in (("supplier_user_a", 3), ("supplier_user_b", 1)):
        count, ids, sqls = page_through(api(flow[user]), "/api/v1/time-reports/")
        assert count == len(set(ids)) == expected
        assert not counts_over(sqls, "timereport"), sqls


def test_filtered_lists_and_region_users_count_their_rows(
    flow: dict[str, Any], assignments: tuple[Assignment, Assignment]
) -> None:
    a, _b = assignments
    reports = time_report_tallies.report(flow, a, 3)
    supplier = api(flow["supplier_user_a"])
    for url in (
        f"/api/v1/time-reports/?assignment={a.pk}",
        "/api/v1/time-reports/?status=submitted",
        "/api/v1/call-offs/?status=awarded",
    ):
        count, ids, _sqls = page_through(supplier, url)
        assert count == len(ids) > 0
    count, ids, _sqls = page_through(api(flow["call_off_unit"]), "/api/v1/time-reports/")
    assert count == len(ids) == len(reports)


def test_without_tallies_the_rows_are_counted(
    flow: dict[str, Any], assignments: tuple[Assignment, Assignment], monkeypatch: pytest.MonkeyPatch
) -> None:
    """On a database without the triggers (another vendor) the lists count their rows."""
    time_report_tallies.report(flow, assignments[0], 2)
    monkeypatch.setattr(tallies, "maintained", lambda vendor: False)
    supplier = api(flow["supplier_user_a"])
    count, ids, sqls = page_through(supplier, "/api/v1/time-reports/")
    assert count == len(ids) == 2 and counts_over(sqls, "timereport")
    count, ids, sqls = page_through(supplier, "/api/v1/call-offs/")
    assert count == len(ids) == 2 and counts_over(sqls, "calloffrecipient")
