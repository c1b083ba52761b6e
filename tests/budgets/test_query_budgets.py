"""Query budgets: every list page, main detail page and API list answers with a number of SQL
queries that does not grow with the number of rows it shows.

``BUDGETS`` is the one table. Each row names the URL, the persona who opens it, a builder that adds
rows of what the page lists (for region A and supplier A) and the budget: the most queries one GET
may make. The test builds a few rows, requests the page once to warm the per-process caches
(content types, translations), counts the queries of a second GET, builds many rows and counts
again: both counts must be within the budget and equal. A failure prints the larger run's queries
grouped by SQL, so the query repeated once per row stands out.
"""

from __future__ import annotations

import datetime
import inspect
import re
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import get_resolver, reverse
from django.utils import translation

from conftest import make_user
from hyrkoll.accounts.models import Role, Scope
from hyrkoll.api import urls as api_urls
from hyrkoll.ordering.tests.conftest import flow, make_need, make_offer  # noqa: F401
from tests.budgets import builders
from tests.coverage.patterns import web_patterns

Scene = dict[str, Any]
SMALL, LARGE = 3, 30


@dataclass(frozen=True)
class Budget:
    """One row of the table.

    ``build(scene, count)`` adds ``count`` rows and returns the URL's arguments. A list page's rows
    accumulate (3, then 27 more: the page shows 30); a detail page's builder makes a new object
    with ``count`` items of its collection each time.
    """

    url_name: str
    persona: str  # key of the scene's user
    build: Callable[[Scene, int], tuple[Any, ...]]
    budget: int
    detail: bool = False
    large: int = LARGE  # fewer when the page's size or the object's period holds fewer
    query: str = ""  # appended to the URL, e.g. a filter that leaves out the reference data
    # What marks one shown row in the HTML (``None``: the page does not list the built rows, they
    # are what it must not grow with); an API list's rows are its ``results``.
    row_marker: str | None = "<tr"
    marks: tuple[Any, ...] = field(default=())
    # Tells apart a second row of the same URL, for a persona whose page does more (the national
    # overview of every region beside a region's own page).
    label: str = ""

    @property
    def id(self) -> str:
        return f"{self.url_name}[{self.label}]" if self.label else self.url_name


def _rows(builder: Callable[[Scene, int], Any]) -> Callable[[Scene, int], tuple[Any, ...]]:
    """A list's builder: the rows are added, the URL takes no arguments."""

    def build(scene: Scene, count: int) -> tuple[Any, ...]:
        builder(scene, count)
        return ()

    return build


# --- detail pages: one object with ``count`` items of its collection ----------------------------


def need_with_offers(scene: Scene, count: int) -> tuple[Any, ...]:
    (call_off,) = builders.published(scene, 1)
    for _ in range(count):
        builders.offer(scene, call_off)
    return (call_off.need_id,)


def call_off_with_offers(scene: Scene, count: int) -> tuple[Any, ...]:
    (call_off,) = builders.published(scene, 1)
    for _ in range(count):
        builders.offer(scene, call_off)
    return (call_off.pk,)


def offer_among_offers(scene: Scene, count: int) -> tuple[Any, ...]:
    (call_off,) = builders.published(scene, 1)
    offers = [builders.offer(scene, call_off) for _ in range(count)]
    return (offers[0].pk,)


def assignment_with_time(scene: Scene, count: int) -> tuple[Any, ...]:
    (assignment,) = builders.awarded(scene, 1)
    builders.time_reported(scene, assignment, count)
    return (assignment.pk,)


def invoice_with_lines(scene: Scene, count: int) -> tuple[Any, ...]:
    (assignment,) = builders.awarded(scene, 1)
    return (builders.invoice(scene, assignment, count).pk,)


def invoices(scene: Scene, count: int) -> None:
    if "_invoiced" not in scene:
        (scene["_invoiced"],) = builders.awarded(scene, 1)
    for _ in range(count):
        builders.invoice(scene, scene["_invoiced"], 1)


def time_reports(scene: Scene, count: int) -> None:
    """Weekly time reports, at most ten on each new assignment (an assignment lasts 13 weeks)."""
    while count > 0:
        (assignment,) = builders.awarded(scene, 1)
        builders.time_reported(scene, assignment, min(count, 10))
        count -= 10


def feed_events(scene: Scene, count: int) -> None:
    """Published call-offs: a ``call_off.published`` event each for supplier A, positioned as the
    worker does after commit."""
    from hyrkoll.feed.positions import assign_positions

    builders.published(scene, count)
    assign_positions()


def plan_with_measures(scene: Scene, count: int) -> tuple[Any, ...]:
    return (builders.action_plan(scene, count).pk,)


def supplier_with_history(scene: Scene, count: int) -> tuple[Any, ...]:
    """A supplier whose page shows its audit history (the coordinator's view, the last 20)."""
    from hyrkoll.agreement.models import Supplier
    from hyrkoll.audit import services as audit
    from hyrkoll.audit.models import AuditAction

    builders.suppliers(scene, 1)
    supplier = Supplier.objects.order_by("-pk").first()
    for _ in range(count):
        audit.record(scene["coordinator"], AuditAction.UPDATE, supplier, before={"name": "?"})
    return (supplier.pk,)


def unit_with_children(scene: Scene, count: int) -> tuple[Any, ...]:
    """A department of region A with ``count`` care units under it."""
    from hyrkoll.organisation.models import OrgUnit, OrgUnitKind

    department = OrgUnit.objects.create(
        region=scene["region_a"],
        kind=OrgUnitKind.DEPARTMENT,
        parent=scene["units_a"]["administration"],
        code=f"A-dep-{count}",
        name=f"Verksamhet {count}",
    )
    scene["units_a"] = {**scene["units_a"], "department": department}
    builders.org_units(scene, count)
    return (department.pk,)


def rule_with_versions(scene: Scene, count: int) -> tuple[Any, ...]:
    """A rule of region A replaced ``count - 1`` times; the page shows every version."""
    from hyrkoll.rules.models import RegionRule

    builders.rules(scene, 1)
    rule = RegionRule.objects.order_by("-pk").first()
    for version in range(count - 1):
        rule.valid_to = datetime.date(2024, 1, 1) + datetime.timedelta(days=version)
        rule.save(update_fields=["valid_to"])
        rule = RegionRule.objects.create(
            **{
                field.attname: getattr(rule, field.attname)
                for field in RegionRule._meta.concrete_fields
                if field.attname not in ("id", "replaces_id", "valid_from", "valid_to")
            },
            valid_from=rule.valid_to + datetime.timedelta(days=1),
            replaces=rule,
        )
    return (rule.pk,)


def procurement_with_declarations(scene: Scene, count: int) -> tuple[Any, ...]:
    """A procurement declared on by ``count`` new regions (the page lists every region)."""
    from hyrkoll.governance.models import Declaration, Procurement

    builders.procurements(scene, 1)
    procurement = Procurement.objects.order_by("-pk").first()
    made = builders.regions(scene, count)
    Declaration.objects.bulk_create(
        Declaration(
            procurement=procurement,
            region=region,
            joins=True,
            sub_areas="doctors",
            decided_by="Regionstyrelsen",
            decided_on=datetime.date(2026, 1, 1),
            filed_by=scene["coordinator"],
        )
        for region in made
    )
    return (procurement.pk,)


def price_list_with_levels(scene: Scene, count: int) -> tuple[Any, ...]:
    """A price list priced for ``count`` new competence levels in every zone, with history."""
    from hyrkoll.agreement.models import CompetenceLevel, Price, PriceList
    from hyrkoll.audit import services as audit
    from hyrkoll.audit.models import AuditAction

    builders.price_lists(scene, 1)
    price_list = PriceList.objects.order_by("-pk").first()
    n = price_list.pk
    levels = CompetenceLevel.objects.bulk_create(
        CompetenceLevel(code=f"budget-{n}-{i}", name=f"Nivå {n}-{i}", sub_area_code="doctors", rank=100 + i)
        for i in range(count)
    )
    Price.objects.bulk_create(
        Price(price_list=price_list, level=level, zone=zone, hourly_sek=900 + zone)
        for level in levels
        for zone in (1, 2, 3)
    )
    for _ in range(min(count, 20)):
        audit.record(scene["coordinator"], AuditAction.UPDATE, price_list, before={"note": ""})
    return (price_list.pk,)


def deviation_with_history(scene: Scene, count: int) -> tuple[Any, ...]:
    """A supplier deviation of region A with ``count`` events in its history."""
    from hyrkoll.audit import services as audit
    from hyrkoll.audit.models import AuditAction
    from hyrkoll.compliance.models import SupplierDeviation

    builders.supplier_deviations(scene, 1)
    deviation = SupplierDeviation.objects.order_by("-pk").first()
    for _ in range(count):
        audit.record(scene["call_off_unit"], AuditAction.UPDATE, deviation, before={"description": "?"})
    return (deviation.pk,)


def user_with_roles(scene: Scene, count: int) -> tuple[Any, ...]:
    """A user of region A, orderer for ``count`` units, with as many events in their history
    (the page shows the last 20)."""
    from hyrkoll.accounts.models import RoleAssignment, User
    from hyrkoll.audit import services as audit
    from hyrkoll.audit.models import AuditAction
    from hyrkoll.organisation.models import OrgUnit

    builders.users(scene, 1)
    user = User.objects.order_by("-pk").first()
    first = OrgUnit.objects.order_by("-pk").first().pk
    builders.org_units(scene, count)
    RoleAssignment.objects.bulk_create(
        RoleAssignment(user=user, role=Role.ORDERER, org_unit=unit)
        for unit in OrgUnit.objects.filter(pk__gt=first)
    )
    for _ in range(min(count, 20)):
        audit.record(scene["admin_a"], AuditAction.UPDATE, user, before={"email": ""})
    return (user.pk,)


def rejected_import(scene: Scene, count: int) -> tuple[Any, ...]:
    """A rejected cost import of region A with ``count`` row errors."""
    from hyrkoll.followup.models import CostImport, ImportStatus

    builders.cost_imports(scene, 1)
    cost_import = CostImport.objects.order_by("-pk").first()
    cost_import.status = ImportStatus.REJECTED
    cost_import.errors = [
        {"row": row, "field": "amount_sek", "value": "x", "message": "Inte ett tal"}
        for row in range(2, count + 2)
    ]
    cost_import.save(update_fields=["status", "errors"])
    return (cost_import.pk,)


def purchase_with_history(scene: Scene, count: int) -> tuple[Any, ...]:
    """A direct purchase of region A with ``count`` events in its history."""
    from hyrkoll.audit import services as audit
    from hyrkoll.audit.models import AuditAction
    from hyrkoll.compliance.models import DirectPurchase

    builders.direct_purchases(scene, 1)
    purchase = DirectPurchase.objects.order_by("-pk").first()
    for _ in range(count):
        audit.record(scene["call_off_unit"], AuditAction.UPDATE, purchase, before={"explanation": ""})
    return (purchase.pk,)


# --- the table ------------------------------------------------------------------------------------

BUDGETS: list[Budget] = [
    # web lists (paginated, 50 a page)
    Budget("ordering:needs", "call_off_unit", _rows(builders.published), 11),
    Budget("ordering:call_offs", "call_off_unit", _rows(builders.offered), 10),
    Budget("ordering:supplier_call_offs", "supplier_user_a", _rows(builders.offered), 10),
    Budget("assignments:list", "call_off_unit", _rows(builders.awarded), 10),
    Budget("assignments:supplier_list", "supplier_user_a", _rows(builders.awarded), 10),
    Budget("invoicing:list", "call_off_unit", _rows(invoices), 10),
    # detail pages: their collection grows
    Budget("ordering:need_detail", "call_off_unit", need_with_offers, 13, detail=True),
    Budget("ordering:supplier_call_off", "supplier_user_a", call_off_with_offers, 9, detail=True),
    # its collection, the checks, is fixed: the other offers on the call-off must not count
    Budget("ordering:offer_detail", "call_off_unit", offer_among_offers, 8, detail=True, row_marker=None),
    Budget("assignments:detail", "call_off_unit", assignment_with_time, 20, detail=True, large=12),
    Budget("invoicing:detail", "call_off_unit", invoice_with_lines, 12, detail=True),
    Budget("governance:plan_detail", "steering", plan_with_measures, 10, detail=True),
    Budget("agreement:supplier_detail", "coordinator", supplier_with_history, 8, detail=True, large=20),
    Budget("rules:detail", "admin_a", rule_with_versions, 10, detail=True),
    Budget("governance:procurement_detail", "coordinator", procurement_with_declarations, 11, detail=True),
    Budget("agreement:price_list_detail", "coordinator", price_list_with_levels, 11, detail=True),
    Budget(
        "compliance:deviation_detail",
        "call_off_unit",
        deviation_with_history,
        12,
        detail=True,
        row_marker="<li",
    ),
    Budget("accounts:user_detail", "admin_a", user_with_roles, 10, detail=True),
    Budget("followup:import_detail", "controller_a", rejected_import, 7, detail=True),
    Budget(
        "compliance:purchase_detail",
        "call_off_unit",
        purchase_with_history,
        6,
        detail=True,
        row_marker="<li",
    ),
    Budget("organisation:unit_detail", "admin_a", unit_with_children, 9, detail=True, row_marker="<li"),
    # web lists (filtered and sorted by ``Listing``, not paginated)
    Budget("accounts:users", "admin_a", _rows(builders.users), 9),
    Budget("agreement:suppliers", "coordinator", _rows(builders.suppliers), 8),
    Budget("agreement:price_lists", "coordinator", _rows(builders.price_lists), 7),
    Budget("agreement:zones", "coordinator", _rows(builders.municipalities), 7, query="?region=ZZ"),
    Budget("agreement:accessions", "coordinator", _rows(builders.accessions), 8),
    Budget("organisation:units", "admin_a", _rows(builders.org_units), 7, row_marker="<li"),
    Budget("audit:events", "admin_a", _rows(builders.audit_events), 9),
    Budget("outbox:messages", "coordinator", _rows(builders.outbox_messages), 9),
    Budget("rules:list", "admin_a", _rows(builders.rules), 9),
    Budget("pool:members", "call_off_unit", _rows(builders.pool_members), 10),
    Budget("consultants:credentials", "call_off_unit", _rows(builders.credentials), 11),
    Budget("consultants:mine", "supplier_user_a", _rows(builders.consultants), 8),
    Budget("followup:imports", "controller_a", _rows(builders.cost_imports), 8, large=25),
    Budget("governance:catalogue", "coordinator", _rows(builders.measures), 6),
    Budget("governance:plans", "steering", _rows(builders.action_plans), 7),
    Budget("governance:hiring_stops", "steering", _rows(builders.hiring_stops), 9),
    Budget("governance:dispensations", "steering", _rows(builders.dispensations), 7),
    Budget("governance:decisions", "steering", _rows(builders.steering_decisions), 9),
    Budget("governance:procurements", "coordinator", _rows(builders.procurements), 7),
    Budget("compliance:deviations", "call_off_unit", _rows(builders.supplier_deviations), 14),
    Budget("compliance:suspensions", "coordinator", _rows(builders.suspensions), 6),
    Budget("compliance:purchases", "call_off_unit", _rows(builders.purchases_and_pending), 8),
    Budget(
        "compliance:purchases",
        "coordinator",
        _rows(builders.purchases_and_pending),
        8,
        label="national",
    ),
    # the form offers the region's pending dispensations
    Budget(
        "compliance:purchase_create",
        "call_off_unit",
        _rows(builders.pending_dispensations),
        7,
        row_marker="<option",
    ),
    # API lists (every viewset of the router; 100 a page)
    Budget("api-region-list", "coordinator", _rows(builders.regions), 6),
    Budget("api-zone-list", "coordinator", _rows(builders.municipalities), 6, query="?region=ZZ"),
    Budget("api-care-area-list", "coordinator", _rows(builders.care_areas), 6),
    Budget("api-agreement-list", "coordinator", _rows(builders.agreements), 10),
    Budget("api-sub-area-list", "coordinator", _rows(builders.sub_areas), 7),
    Budget("api-profession-list", "coordinator", _rows(builders.professions), 6),
    Budget("api-competence-level-list", "coordinator", _rows(builders.competence_levels), 6),
    Budget("api-competence-list", "coordinator", _rows(builders.competences), 6),
    Budget("api-supplier-list", "coordinator", _rows(builders.suppliers), 7),
    Budget("api-admission-list", "coordinator", _rows(builders.suppliers), 6),
    Budget("api-price-list-list", "coordinator", _rows(builders.price_lists), 9),
    Budget("api-accession-list", "coordinator", _rows(builders.accessions), 6),
    Budget("api-org-unit-list", "admin_a", _rows(builders.org_units), 6),
    Budget("api-consultant-list", "supplier_user_a", _rows(builders.consultants), 6),
    Budget("api-need-list", "call_off_unit", _rows(builders.published), 6),
    Budget("api-call-off-list", "call_off_unit", _rows(builders.offered), 6),
    Budget("api-offer-list", "supplier_user_a", _rows(builders.offered), 7),
    Budget("api-assignment-list", "call_off_unit", _rows(builders.awarded), 7),
    Budget("api-time-report-list", "call_off_unit", _rows(time_reports), 7),
    Budget("api-invoice-list", "call_off_unit", _rows(invoices), 8),
    # a supplier's own invoices: the count read from its tally instead of counted
    Budget("api-invoice-list", "supplier_user_a", _rows(invoices), 8, label="supplier"),
    Budget("api-measure-list", "coordinator", _rows(builders.measures), 6),
    Budget("api-action-plan-list", "steering", _rows(builders.action_plans), 8),
    Budget("api-steering-decision-list", "steering", _rows(builders.steering_decisions), 8),
    Budget("api-procurement-list", "coordinator", _rows(builders.procurements), 7),
    Budget("api-supplier-deviation-list", "call_off_unit", _rows(builders.supplier_deviations), 6),
    Budget("api-suspension-list", "coordinator", _rows(builders.suspensions), 6),
    Budget("api-direct-purchase-list", "call_off_unit", _rows(builders.direct_purchases), 6),
    Budget("api-cost-import-list", "controller_a", _rows(builders.cost_imports), 6),
    # the event feed, the other list a system polls
    Budget("api-events", "supplier_user_a", _rows(feed_events), 6),
]


# --- the test -------------------------------------------------------------------------------------


@pytest.fixture
def scene(flow: Scene) -> Iterator[Scene]:  # noqa: F811
    """The ordering cast of region A (``flow``) plus a controller, under English."""
    cast = dict(flow)
    cast["controller_a"] = make_user(
        "controller.a", scope=Scope.REGION, region=flow["region_a"], roles=(Role.CONTROLLER,)
    )
    with translation.override("en"):
        yield cast


def grouped(queries: list[dict[str, Any]]) -> str:
    """The queries grouped by their SQL with the literals masked, most repeated first."""
    masked = Counter(re.sub(r"\b\d+\b|'[^']*'", "?", query["sql"]) for query in queries)
    return "\n".join(f"{count:4d} × {sql[:400]}" for sql, count in masked.most_common())


def count_queries(client: Client, url: str, row_marker: str | None) -> tuple[int, list[dict[str, Any]], int]:
    """The queries of one GET, and how many rows the answer shows (table rows of a page, results of
    an API list)."""
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    if response["Content-Type"].startswith("application/json"):
        body = response.json()
        shown = len(body["results"] if "results" in body else body["events"])
    else:
        shown = response.content.decode().count(row_marker) if row_marker else 0
    return len(captured.captured_queries), captured.captured_queries, shown


@pytest.mark.parametrize("row", [pytest.param(row, id=row.id, marks=row.marks) for row in BUDGETS])
def test_queries_do_not_grow_with_rows(scene: Scene, row: Budget) -> None:
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(scene[row.persona])

    args = row.build(scene, SMALL)
    small_url = reverse(row.url_name, args=args) + row.query
    client.get(small_url)  # warm-up: per-process caches are not the page's cost
    small, _, small_shown = count_queries(client, small_url, row.row_marker)

    if row.detail:
        large_url = reverse(row.url_name, args=row.build(scene, row.large)) + row.query
        client.get(large_url)
    else:
        row.build(scene, row.large - SMALL)
        large_url = small_url
    large, queries, large_shown = count_queries(client, large_url, row.row_marker)
    # The larger run must show the rows it was given: a page that shows none proves nothing.
    if row.row_marker or "api" in row.url_name:
        assert large_shown - small_shown >= row.large - SMALL, (row.url_name, small_shown, large_shown)

    report = (
        f"{row.url_name}: {small} queries with {SMALL} rows, {large} with {row.large}\n{grouped(queries)}"
    )
    print(f"budget {row.url_name}: {small} at {SMALL} rows, {large} at {row.large}, budget {row.budget}")
    assert small <= row.budget and large <= row.budget, report
    assert large == small, report


# --- every list has a budget ------------------------------------------------------------------------

#: What makes a web page a list: its view filters and sorts rows with ``Listing`` or pages them.
LIST_VIEW = re.compile(r"\b(Listing|paginate|Paginator)\(")


def list_pages() -> set[str]:
    """The web app's URL patterns whose view (function or class) builds a ``Listing`` or pages."""
    found = set()
    for pattern in web_patterns():
        match = get_resolver().resolve(reverse_route(pattern))
        view = getattr(match.func, "view_class", None) or inspect.unwrap(match.func)
        if LIST_VIEW.search(inspect.getsource(view)):
            found.add(pattern.name)
    return found


def reverse_route(pattern: Any) -> str:
    return "/" + re.sub(r"<(?:\w+:)?\w+>", "1", pattern.route)


def api_lists() -> set[str]:
    """Every viewset registered with the API's router: its list route."""
    return {f"{basename}-list" for _, _, basename in api_urls.router.registry}


#: The main detail pages, each showing a collection that grows with the object's life.
DETAIL_PAGES = {
    "ordering:need_detail",  # offers, history, decisions
    "ordering:supplier_call_off",  # the supplier's offers
    "ordering:offer_detail",
    "assignments:detail",  # time reports
    "invoicing:detail",  # lines and deviations
    "governance:plan_detail",  # measures and sub-goals
    "agreement:supplier_detail",  # admissions and history
    "rules:detail",  # versions
    "compliance:purchase_detail",  # history
}


def test_every_list_has_a_budget() -> None:
    budgeted = {row.url_name for row in BUDGETS}
    assert not list_pages() - budgeted, "list pages without a query budget"
    assert not DETAIL_PAGES - budgeted, "detail pages without a query budget"
    assert not api_lists() - budgeted, "API lists without a query budget"
    assert len({row.id for row in BUDGETS}) == len(BUDGETS), "one row per URL name (and label)"
