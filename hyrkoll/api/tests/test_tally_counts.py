"""A supplier's call-off, time-report, offer and invoice lists: the exact ``count`` read from the
tallies the database keeps, with no COUNT over the recipients, time reports, offers or invoices, and
the rows it pages through."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from hyrkoll.accounts.models import User
from hyrkoll.assignments.models import Assignment
from hyrkoll.assignments.tests import test_tallies as time_report_tallies
from hyrkoll.invoicing.models import Invoice
from hyrkoll.invoicing.tests.test_tally import bare_invoices
from hyrkoll.lib import tallies
from hyrkoll.ordering.models import Offer
from hyrkoll.ordering.tests import conftest as ordering_fixtures
from hyrkoll.ordering.tests.test_checks import offer_on, publish_need

flow = ordering_fixtures.flow
assignments = time_report_tallies.assignments

pytestmark = pytest.mark.django_db


def api(user: User) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def page_through(client: APIClient, url: str) -> tuple[int, list[int], list[str]]:
    """The first page's ``count``, the ids of every page (two rows a page) and the first page's SQL.

    The limit is appended to the URL's own query (the test client's ``data`` would replace it, and
    the list would not be filtered). The SQL is read before the next page is asked for: a request's
    start empties the connection's query log, and with it what was captured."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"{url}{'&' if '?' in url else '?'}limit=2")
    sqls = [query["sql"] for query in queries.captured_queries]
    assert sqls, "no queries captured"
    assert response.status_code == 200, response.content
    body = response.json()
    assert list(body) == ["count", "next", "previous", "results"]
    count, ids = body["count"], [row["id"] for row in body["results"]]
    while body["next"]:
        body = client.get(body["next"]).json()
        ids.extend(row["id"] for row in body["results"])
    return count, ids, sqls


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


def offers(flow: dict[str, Any]) -> list[Offer]:
    """Three offers of supplier A and one of supplier B, on three call-offs."""
    call_offs = [publish_need(flow) for _n in range(3)]
    made = [offer_on(flow, call_off, "consultant_a") for call_off in call_offs]
    return [*made, offer_on(flow, call_offs[0], "consultant_b")]


def invoices(flow: dict[str, Any]) -> list[Invoice]:
    """Three invoices of supplier A (one approved) and two of supplier B, all to region A."""
    made = Invoice.objects.bulk_create(
        [*bare_invoices(flow, "supplier_a", 3), *bare_invoices(flow, "supplier_b", 2)]
    )
    Invoice.objects.filter(pk=made[0].pk).update(status="approved")
    return made


def test_a_suppliers_offers(flow: dict[str, Any]) -> None:
    offers(flow)
    for user, expected in (("supplier_user_a", 3), ("supplier_user_b", 1)):
        count, ids, sqls = page_through(api(flow[user]), "/api/v1/offers/")
        assert count == len(set(ids)) == expected
        assert not counts_over(sqls, "ordering_offer"), sqls


def test_a_suppliers_invoices(flow: dict[str, Any]) -> None:
    invoices(flow)
    for user, expected in (("supplier_user_a", 3), ("supplier_user_b", 2)):
        count, ids, sqls = page_through(api(flow[user]), "/api/v1/invoices/")
        assert count == len(set(ids)) == expected
        assert not counts_over(sqls, "invoicing_invoice"), sqls


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("/api/v1/offers/?call_off={call_off}", 1),
        ("/api/v1/offers/?status=submitted", 3),
        ("/api/v1/offers/?status=withdrawn", 0),
        ("/api/v1/invoices/?status=approved", 1),
        ("/api/v1/invoices/?status=received", 2),
        ("/api/v1/invoices/?number=B-1", 1),
    ],
)
def test_filtered_offer_and_invoice_lists_count_their_rows(
    flow: dict[str, Any], url: str, expected: int
) -> None:
    made = offers(flow)
    invoices(flow)
    table = "ordering_offer" if "offers" in url else "invoicing_invoice"
    count, ids, sqls = page_through(api(flow["supplier_user_a"]), url.format(call_off=made[0].call_off_id))
    assert count == len(ids) == expected
    assert counts_over(sqls, table), sqls


def test_region_users_count_their_offers_and_invoices(flow: dict[str, Any]) -> None:
    offers(flow)
    invoices(flow)
    region = api(flow["call_off_unit"])
    for url, expected, table in (
        ("/api/v1/offers/", 4, "ordering_offer"),
        ("/api/v1/invoices/", 5, "invoicing_invoice"),
    ):
        count, ids, sqls = page_through(region, url)
        assert count == len(ids) == expected
        assert counts_over(sqls, table), sqls


def test_without_tallies_offers_and_invoices_are_counted(
    flow: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    """On a database without the triggers (another vendor) the lists count their rows."""
    offers(flow)
    invoices(flow)
    monkeypatch.setattr(tallies, "maintained", lambda vendor: False)
    supplier = api(flow["supplier_user_b"])
    count, ids, sqls = page_through(supplier, "/api/v1/offers/")
    assert count == len(ids) == 1 and counts_over(sqls, "ordering_offer")
    count, ids, sqls = page_through(supplier, "/api/v1/invoices/")
    assert count == len(ids) == 2 and counts_over(sqls, "invoicing_invoice")
