"""The page: who may open it, the period filter, the downloads, isolation and the query count."""

from __future__ import annotations

import datetime
import io
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from conftest import make_user
from hyrkoll.accounts.models import Role, Scope
from hyrkoll.core.start import start_sections
from hyrkoll.spending.tests.conftest import consultant, make_assignment, make_invoice

URL = "/spending/"
PERIOD = {"from": "2025-01", "to": "2025-06"}
D = datetime.date


def test_the_url() -> None:
    assert reverse("spending:overview") == URL


def test_a_region_user_sees_the_own_regions_figures(
    spend: dict[str, Any], client_for: Callable[..., Any]
) -> None:
    page = client_for(spend["orderer_a"]).get(URL, PERIOD)
    body = page.content.decode()
    assert page.status_code == 200
    assert body.count("<h1>") == 1 and "Where the hired cost sits: Västra Götaland" in body
    for text in ("Vårdcentral A", "Vårdcentral C", "Anna Andersson", "Bemanning B AB", "185,000", "61.67"):
        assert text in body, text
    assert "<svg" in body and 'role="img"' in body and '<th scope="row">' in body
    assert "the average unit" in body  # the index's definition
    for foreign in ("Vårdcentral B", "Bemanning C AB", "Doris", "556000-0019"):
        assert foreign not in body, foreign


def test_region_b_sees_only_region_b(spend: dict[str, Any], client_for: Callable[..., Any]) -> None:
    body = client_for(spend["admin_b"]).get(URL, PERIOD).content.decode()
    assert "Vårdcentral B" in body and "Doris Dahl" in body and "Bemanning C AB" in body
    for foreign in ("Vårdcentral A", "Vårdcentral C", "Anna Andersson", "Bemanning A AB", "185,000"):
        assert foreign not in body, foreign


def test_national_users_suppliers_and_regionless_superusers_are_refused(
    spend: dict[str, Any], client_for: Callable[..., Any]
) -> None:
    reader = make_user("national.reader", scope=Scope.NATIONAL, roles=(Role.NATIONAL_READER,))
    root = make_user("root", scope=Scope.NATIONAL, is_superuser=True, is_staff=True)
    for user in (spend["coordinator"], reader, spend["supplier_user_a"], root):
        assert client_for(user).get(URL, PERIOD).status_code == 403, user
        assert client_for(user).get(URL, {**PERIOD, "format": "csv"}).status_code == 403, user
    anonymous = Client().get(URL)
    assert anonymous.status_code == 302 and anonymous["Location"].startswith(reverse("login"))
    assert client_for(spend["admin_a"]).post(URL).status_code == 405


def test_csv_and_excel_of_one_table_and_of_all(spend: dict[str, Any], client_for: Callable[..., Any]) -> None:
    client = client_for(spend["admin_a"])
    csv = client.get(URL, {**PERIOD, "table": "by-unit", "format": "csv"})
    assert csv.status_code == 200 and csv["Content-Type"] == "text/csv; charset=utf-8"
    assert (
        csv["Content-Disposition"]
        == 'attachment; filename="hyrkoll-hired-cost-14-2025-01-2025-06-by-unit.csv"'
    )
    text = csv.content.decode("utf-8-sig")
    assert "Vårdcentral A,A-3,185000.00,150.00,61.67" in text and "Vårdcentral B" not in text
    xlsx = client.get(URL, {**PERIOD, "table": "long-assignments", "format": "xlsx"})
    assert xlsx["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert sheet["A2"].value == "Anna Andersson" and sheet["C2"].value == "A-3 Vårdcentral A"
    assert (sheet["F2"].value, sheet["I2"].value) == (181, 195_000)
    every = load_workbook(io.BytesIO(client.get(URL, {**PERIOD, "format": "xlsx"}).content))
    assert len(every.sheetnames) == 6
    assert client.get(URL, {**PERIOD, "table": "nonsense", "format": "csv"}).status_code == 404


def test_each_block_links_its_downloads(spend: dict[str, Any], client_for: Callable[..., Any]) -> None:
    body = client_for(spend["admin_a"]).get(URL, PERIOD).content.decode()
    for name in ("by-unit", "unit-index", "by-profession", "by-level", "by-supplier", "long-assignments"):
        assert f"from=2025-01&amp;to=2025-06&amp;table={name}&amp;format=csv" in body, name
        assert f'id="block-{name}"' in body


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ({"from": "2025-13", "to": "2025-06"}, "from", "Give the month as YYYY-MM"),
        ({"from": "januari", "to": "2025-06"}, "from", "Give the month as YYYY-MM"),
        ({"from": "2025-06", "to": "2025-01"}, "to", "The last month cannot be before the first month."),
        ({"from": "0001-01", "to": "2025-01"}, "from", "Give a month between 2000-01 and 2100-12."),
    ],
)
def test_bad_months_are_errors_beside_the_field(
    spend: dict[str, Any], client_for: Callable[..., Any], query: dict[str, str], field: str, message: str
) -> None:
    client = client_for(spend["admin_a"])
    page = client.get(URL, query)
    body = page.content.decode()
    assert page.status_code == 200
    assert f'<p class="error" id="id_{field}_error">{message}' in body
    assert f'aria-describedby="id_{field}_helptext id_{field}_error"' in body
    assert "Correct the period" in body and "<svg" not in body
    assert client.get(URL, {**query, "format": "csv"}).status_code == 400


def test_the_default_period_is_the_last_twelve_complete_months(
    spend: dict[str, Any], client_for: Callable[..., Any]
) -> None:
    from hyrkoll.spending.forms import default_period

    assert default_period(D(2025, 7, 15)).label == "2024-07 – 2025-06"
    assert default_period(D(2026, 1, 1)).label == "2025-01 – 2025-12"
    page = client_for(spend["admin_a"]).get(URL)
    period = default_period()
    assert page.status_code == 200 and f'value="{period.start:%Y-%m}"' in page.content.decode()
    only_to = client_for(spend["admin_a"]).get(URL, {"to": "2025-06"}).content.decode()
    assert "2024-07 – 2025-06" in only_to


def test_without_approved_invoices_the_page_says_so(
    spend: dict[str, Any], client_for: Callable[..., Any]
) -> None:
    page = client_for(spend["admin_a"]).get(URL, {"from": "2023-01", "to": "2023-06"})
    body = page.content.decode()
    assert page.status_code == 200 and "No approved invoices" in body and 'id="block-' not in body
    # June 2025: nothing invoiced, but Anna was at A-3.
    june = client_for(spend["admin_a"]).get(URL, {"from": "2025-06", "to": "2025-06"}).content.decode()
    assert "No approved invoices" in june and 'id="block-by-unit"' not in june
    assert 'id="block-long-assignments"' in june and "Anna Andersson" in june


def _more(spend: dict[str, Any], count: int) -> None:
    """``count`` more consultants, each with an assignment at a unit of its own and an invoice."""
    from conftest import make_unit_tree

    for index in range(count):
        unit = make_unit_tree(spend["region_a"], f"N{index}")["care_unit"]
        person = consultant(spend, spend["supplier_a"], f"Ny{index}", "Konsult")
        assignment = make_assignment(spend, unit, person, D(2025, 2, 1), D(2025, 4, 30))
        make_invoice(f"N-{index}", [(assignment, D(2025, 2, 3), 1_000 + index, 10)])


def test_the_number_of_queries_does_not_grow_with_the_rows(
    spend: dict[str, Any], client_for: Callable[..., Any]
) -> None:
    client = client_for(spend["admin_a"])
    client.get(URL, PERIOD)  # sessions, caches
    with CaptureQueriesContext(connection) as few:
        assert client.get(URL, PERIOD).status_code == 200
    _more(spend, 15)
    with CaptureQueriesContext(connection) as many:
        body = client.get(URL, PERIOD).content.decode()
    assert "Ny14 Konsult" in body
    assert len(many) == len(few), [q["sql"] for q in many.captured_queries]


def test_the_start_page_links_the_page_for_region_users_only(spend: dict[str, Any]) -> None:
    def links(user: Any) -> set[str]:
        return {link.url_name for section in start_sections(user) for link in section.links}

    assert "spending:overview" in links(spend["orderer_a"]) and "spending:overview" in links(spend["admin_b"])
    for user in (spend["coordinator"], spend["supplier_user_a"]):
        assert "spending:overview" not in links(user)


def test_from_a_unit_above_the_average_to_the_action_plan(
    spend: dict[str, Any], client_for: Callable[..., Any]
) -> None:
    """A-3 (185,000) is above the region's average unit (150,000), C-3 (115,000) below."""
    from hyrkoll.governance.models import ActionPlan, Measure, PlanMeasure

    a3 = spend["units_a"]["care_unit"]
    admin, orderer = client_for(spend["admin_a"]), client_for(spend["orderer_a"])

    def actions(client: Client) -> str:
        body = client.get(URL, PERIOD).content.decode()
        return body[body.index('id="unit-actions-heading"') :] if 'id="unit-actions-heading"' in body else ""

    assert reverse("governance:plan_create") in actions(admin) and a3.code in actions(admin)
    assert spend["units_c"]["care_unit"].code not in actions(admin)
    assert actions(orderer) == ""  # may not change plans: nothing to offer
    plan = ActionPlan.objects.create(region=spend["region_a"], name="Plan 2025", starts_on=D(2025, 1, 1))
    add = f"{reverse('governance:plan_measure_create', args=[plan.pk])}?org_unit={a3.pk}"
    assert add.replace("&", "&amp;") in actions(admin) or add in actions(admin)
    form = admin.get(add).content.decode()
    assert f'<option value="{a3.pk}" selected>' in form
    PlanMeasure.objects.create(plan=plan, measure=Measure.objects.first(), owner="HR", org_unit=a3,
                               starts_on=D(2025, 1, 1))  # fmt: skip
    for client in (admin, orderer):
        assert reverse("governance:plan_detail", args=[plan.pk]) in actions(client)
