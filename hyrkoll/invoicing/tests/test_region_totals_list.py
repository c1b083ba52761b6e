"""The invoice list reads the per-region invoice totals kept by triggers when it is unfiltered
(a region user's or the national level's), with the totals it showed before; otherwise – a filter,
a supplier user, a database without the triggers – it aggregates the rows as before."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.db.models import Count, F, Sum
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conftest import make_user
from hyrkoll.accounts.models import Scope
from hyrkoll.invoicing.models import Invoice, InvoiceStatus
from hyrkoll.invoicing.tests.test_pages_and_api import client_for
from hyrkoll.invoicing.tests.test_region_totals import make, q
from hyrkoll.invoicing.totals import kept_totals
from hyrkoll.lib import sums

pytestmark = pytest.mark.django_db

TOTALS_LINE = re.compile(r"<p>\d+ invoices? ·.*?</p>", re.DOTALL)


def listed(user: Any, params: dict[str, str] | None = None) -> tuple[dict[str, Any], str, list[str]]:
    """The list page's totals, its rendered totals line and the SQL of its queries."""
    with CaptureQueriesContext(connection) as queries:
        response = client_for(user).get(reverse("invoicing:list"), params or {})
    assert response.status_code == 200
    match = TOTALS_LINE.search(response.content.decode())
    assert match
    return response.context["totals"], match.group(0), [each["sql"] for each in queries.captured_queries]


def rounded(totals: dict[str, Any]) -> dict[str, Any]:
    return {key: q(value) if isinstance(value, Decimal) else value for key, value in totals.items()}


def aggregates_invoices(sqls: list[str]) -> bool:
    return any("SUM(" in sql.upper() and '"invoicing_invoice"' in sql for sql in sqls)


@pytest.fixture
def invoices(flow: dict[str, Any]) -> None:
    for invoiced, expected in (("100.10", "90.00"), ("0.10", "0.20"), ("5.00", "5.00")):
        make(flow, invoiced, expected)
    make(flow, "1000.00", "1.00", region="region_b", status=InvoiceStatus.APPROVED)


@pytest.mark.parametrize("who", ["admin_a", "admin_b", "coordinator"])
def test_an_unfiltered_list_reads_the_kept_totals(
    flow: dict[str, Any], invoices: None, who: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    user = flow[who]
    totals, shown, sqls = listed(user)
    assert not aggregates_invoices(sqls)
    assert not aggregates_invoices(listed(user, {"sort": "-invoiced"})[2])  # sorting is no filter
    monkeypatch.setattr(sums, "maintained", lambda vendor: False)  # as before: aggregated
    before, shown_before, sqls_before = listed(user)
    assert aggregates_invoices(sqls_before)  # the check above would have caught an aggregate
    # The same line shown; the values equal to the cent (SQLite's Sum(invoiced - expected) drifts in
    # the 14th digit, e.g. 9.99999999999999 for 10.00; the kept totals are exact).
    assert shown == shown_before and rounded(totals) == rounded(before)
    expected = {
        "admin_a": (3, Decimal("105.20"), Decimal("95.20")),
        "admin_b": (1, Decimal("1000.00"), Decimal("1.00")),
        "coordinator": (4, Decimal("1105.20"), Decimal("96.20")),
    }[who]
    assert (totals["count"], totals["invoiced"], totals["expected"]) == expected
    assert totals["deviation"] == expected[1] - expected[2]


def test_an_empty_region_shows_what_it_showed(flow: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> None:
    make(flow, "1.00", "1.00", region="region_b")
    Invoice.objects.all().delete()  # region B keeps a row of zeros, region A has none
    for user in (flow["admin_a"], flow["admin_b"]):
        kept, shown, _sqls = listed(user)
        with monkeypatch.context() as patched:
            patched.setattr(sums, "maintained", lambda vendor: False)
            assert listed(user)[:2] == (kept, shown)
        assert kept == {"invoiced": None, "expected": None, "deviation": None, "count": 0}


def test_a_filtered_list_aggregates_its_rows(flow: dict[str, Any], invoices: None) -> None:
    totals, _shown, sqls = listed(flow["coordinator"], {"status": InvoiceStatus.APPROVED})
    assert aggregates_invoices(sqls)
    assert (totals["count"], totals["invoiced"]) == (1, Decimal("1000.00"))
    totals, _shown, sqls = listed(flow["admin_a"], {"from": "2026-01-01"})
    assert aggregates_invoices(sqls) and totals["count"] == 3


def test_a_filter_value_that_does_not_validate_leaves_the_kept_totals(
    flow: dict[str, Any], invoices: None
) -> None:
    # The rows ignore it (the form leaves it out), and so do the totals: the region's kept ones.
    totals, _shown, sqls = listed(flow["admin_a"], {"status": "no-such-status"})
    assert not aggregates_invoices(sqls)
    assert (totals["count"], totals["invoiced"]) == (3, Decimal("105.20"))


def test_a_supplier_user_aggregates(flow: dict[str, Any], invoices: None) -> None:
    assert kept_totals(flow["supplier_user_a"]) is None
    totals, _shown, sqls = listed(flow["supplier_user_a"])
    assert aggregates_invoices(sqls) and totals["count"] == 4


def test_the_kept_totals_are_what_each_user_may_see(flow: dict[str, Any], invoices: None) -> None:
    """``kept_totals`` mirrors ``visible_to``: a region's invoices, or all of them (the national
    level, a superuser, even one with a region); a supplier user's are not kept."""
    superuser = make_user("root", scope=Scope.REGION, region=flow["region_b"], is_superuser=True)
    for user in (flow["admin_a"], flow["admin_b"], flow["coordinator"], superuser):
        fresh = Invoice.objects.visible_to(user).aggregate(
            invoiced=Sum("invoiced_sek"),
            expected=Sum("expected_sek"),
            deviation=Sum(F("invoiced_sek") - F("expected_sek")),
            count=Count("*"),
        )
        kept = kept_totals(user)
        assert kept is not None and rounded(kept) == rounded(fresh), user
    assert kept_totals(superuser)["count"] == 4
    assert kept_totals(flow["supplier_user_b"]) is None
