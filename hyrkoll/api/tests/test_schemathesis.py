"""The whole API, covered the generated way: Schemathesis over every operation of the published schema.

The schema is the one the app serves at ``/api/v1/openapi.json``. For each operation and each persona
(region A: a user with every write role, an orderer and a reader; a region B user with every write
role; a user of supplier A and of supplier B; the national coordinator and a national reader; no
token) Hypothesis generates requests from the schema – half of them, on detail operations, aimed at
real objects of region A / supplier A – and every response must

- not be a server error,
- have a status code, content type, headers and body the schema documents,
- refuse a write the persona may not make (``WRITERS``): 401 without a token, otherwise 403 – or
  404 when the persona cannot even read the object, which a GET of it must confirm – and never
  refuse with 403 a write the persona may make on its own tenant's object.

``test_write_refused_without_the_role`` makes the same refusal deterministic: every write operation,
with an empty body, on the real object, for every persona without the role.

Then, for every detail operation (a path with a parameter), the real objects of region A and supplier A
are requested with the tokens of region B and supplier B: a tenant's row answers 404 to the others.
The paths come from the schema; ``test_every_detail_path_has_a_real_object`` and
``test_every_write_operation_has_writers`` fail when a new path has no fixture object or a new write
operation no row in ``WRITERS``.

The data is built once for the module inside a transaction that is rolled back at the end.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections, transaction
from django.test import override_settings
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error
from schemathesis.generation.feedback import FeedbackSources
from schemathesis.python._constants.orchestrator import make_constants_value_source
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from conftest import make_unit_tree, make_user
from hyrkoll.accounts.models import DecisionLevel, Role, RoleAssignment, Scope
from hyrkoll.agreement.models import (
    Competence,
    CompetenceLevel,
    FrameworkAgreement,
    PriceList,
    Profession,
    RegionAccession,
    SubArea,
    Supplier,
    SupplierAdmission,
)
from hyrkoll.assignments import services as assignment_services
from hyrkoll.compliance import services as compliance_services
from hyrkoll.compliance.models import DeviationKind, DirectPurchase
from hyrkoll.consultants.models import Consultant, LicenceRegisterEntry
from hyrkoll.followup.models import CostImport, ImportKind, ImportStatus
from hyrkoll.governance.models import ActionPlan, Measure, Procurement, SteeringDecision
from hyrkoll.invoicing import services as invoice_services
from hyrkoll.invoicing.models import InvoiceSource
from hyrkoll.invoicing.parsing import ParsedInvoice, ParsedLine
from hyrkoll.ordering import workflow
from hyrkoll.ordering.models import DecisionOutcome, Need, NeedReason, NeedStatus, Offer
from hyrkoll.organisation.models import CareArea, Municipality, Region

# Each test runs in a savepoint inside the module's transaction: its writes are undone after it.
pytestmark = pytest.mark.django_db

SCHEMA_PATH = "/api/v1/openapi.json"
APP = get_wsgi_application()
SCHEMA = schemathesis.openapi.from_wsgi(SCHEMA_PATH, APP)
OPERATIONS = {op.label: op for op in (result.ok() for result in SCHEMA.get_all_operations())}
WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
DETAIL_PATHS = sorted({op.path for op in OPERATIONS.values() if "{" in op.path})
# The values Schemathesis mines from the app's source, extracted once instead of for every strategy
# (as its own pytest plugin does; ``as_strategy`` without ``feedback`` would extract them each time).
FEEDBACK = FeedbackSources(constants_value_source=make_constants_value_source(SCHEMA))

# Examples per operation and persona: with nine personas and every operation the module stays within
# its time budget (about two minutes on SQLite).
MAX_EXAMPLES = 5

# The checks every response must pass. Left out on purpose:
# - positive_data_acceptance: schema-valid input is still refused for good reasons here (unknown ids,
#   a step in the wrong state, a persona without the role), so 4xx answers to valid input are expected;
# - negative_data_rejection: only positive data is generated (see the strategy);
# - ignored_auth, use_after_free, ensure_resource_availability: they replay requests or need a
#   stateful run; authentication is covered by the anonymous persona and the cross-tenant test.
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]


# --- personas -------------------------------------------------------------------------------------------------


# Keys of ``world_data["tokens"]``; the anonymous persona sends no token.
PERSONAS = [
    "writer_a",  # region A: every region role (admin, orderer, approver, call-off unit, steering, controller)
    "orderer_a",  # region A: orderer only
    "reader_a",  # region A: reader, may not write
    "writer_b",  # region B: every region role
    "supplier_a",
    "supplier_b",
    "coordinator",  # national coordinator
    "national_reader",
    "anonymous",
]
SIGNED_IN = frozenset(PERSONAS) - {"anonymous"}
REGION_A_READERS = frozenset({"writer_a", "orderer_a", "reader_a", "coordinator", "national_reader"})

# Who may make each write: for a detail operation, on the fixture's object of region A / supplier A
# (region B holds the same roles, but for its own objects: region A's answer it 404); for a create,
# in the persona's own tenant. Everyone else is refused. The rules are ``hyrkoll.ordering.permissions``,
# ``hyrkoll.assignments.permissions`` and ``hyrkoll.invoicing.permissions``: an orderer manages its
# units (approves time reports, decides on their invoices); the national level writes nothing here.
ORDERERS_A = frozenset({"writer_a", "orderer_a"})
SUPPLIERS = frozenset({"supplier_a", "supplier_b"})
WRITERS: dict[str, frozenset[str]] = {
    "POST /api/v1/token/": frozenset(PERSONAS),
    "POST /api/v1/needs/": frozenset({"writer_a", "orderer_a", "writer_b"}),
    "POST /api/v1/needs/{id}/submit/": ORDERERS_A,
    "POST /api/v1/needs/{id}/cancel/": ORDERERS_A,  # an orderer or the call-off unit
    "POST /api/v1/call-offs/{id}/award/": frozenset({"writer_a"}),  # the call-off unit
    "POST /api/v1/offers/": SUPPLIERS,
    "POST /api/v1/time-reports/": SUPPLIERS,
    "POST /api/v1/time-reports/{id}/approve/": ORDERERS_A,  # the unit's manager
    "POST /api/v1/time-reports/{id}/return/": ORDERERS_A,
    "POST /api/v1/invoices/": SUPPLIERS,
    "POST /api/v1/invoices/{id}/approve/": ORDERERS_A,  # the call-off unit or the units' manager
    "POST /api/v1/invoices/{id}/reject/": ORDERERS_A,
    "POST /api/v1/invoices/{id}/deviations/{deviation}/accept/": ORDERERS_A,
    # A region's controller (their own region) or the national coordinator (any).
    "POST /api/v1/cost-imports/": frozenset({"writer_a", "writer_b", "coordinator"}),
    # The region administrator, in their own region.
    "POST /api/v1/org-units/": frozenset({"writer_a", "writer_b"}),
    "PATCH /api/v1/org-units/{id}/": frozenset({"writer_a"}),
    # An approver at the required level (writer_a: the department head's level, region-wide).
    "POST /api/v1/needs/{id}/approve/": frozenset({"writer_a"}),
    "POST /api/v1/needs/{id}/reject/": frozenset({"writer_a"}),
    "POST /api/v1/needs/{id}/return/": frozenset({"writer_a"}),
    "POST /api/v1/needs/{id}/internal-attempts/": frozenset({"writer_a"}),  # the call-off unit
}


# --- data, once for the module --------------------------------------------------------------------------------


def _cast() -> dict[str, Any]:
    """Region A (14) and B (01), suppliers A and B (both admitted to doctors), the ordering cast of A."""
    today = timezone.localdate()
    region_a, region_b = Region.objects.get(code="14"), Region.objects.get(code="01")
    doctors = SubArea.objects.get(code="doctors")
    doctor = Profession.objects.get(code="doctor")
    competence = Competence.objects.get(code="spec_general_medicine")
    cast: dict[str, Any] = {
        "region_a": region_a,
        "region_b": region_b,
        "units_a": make_unit_tree(region_a, "A"),
        "units_b": make_unit_tree(region_b, "B"),
        "competence": competence,
    }
    for key, name, org_no in (("a", "Bemanning A AB", "556677-8899"), ("b", "Bemanning B AB", "556000-0001")):
        supplier = Supplier.objects.create(name=name, org_no=org_no)
        SupplierAdmission.objects.create(
            supplier=supplier, sub_area=doctors, admitted_on=datetime.date(2024, 1, 1)
        )
        consultant = Consultant.objects.create(
            supplier=supplier,
            first_name=f"Konsult {key.upper()}",
            last_name="Läkare",
            profession=doctor,
            licence_number=f"10000{1 if key == 'a' else 2}",
            personal_number_hash=f"hash-{key}",
        )
        LicenceRegisterEntry.objects.create(
            region=region_a,
            licence_number=consultant.licence_number,
            first_name=consultant.first_name,
            last_name=consultant.last_name,
            profession=doctor,
            competence=competence,
            licensed_on=today - datetime.timedelta(days=365 * 12),
            specialist_since=today - datetime.timedelta(days=365 * 5),
        )
        cast[f"supplier_{key}"] = supplier
        cast[f"consultant_{key}"] = consultant
        cast[f"supplier_user_{key}"] = make_user(
            f"supplier.{key}", scope=Scope.SUPPLIER, supplier=supplier, roles=(Role.SUPPLIER_USER,)
        )
    RegionAccession.objects.create(region=region_a, sub_area=doctors, acceded_on=datetime.date(2024, 3, 1))
    all_region_roles = (
        Role.REGION_ADMIN,
        Role.ORDERER,
        Role.CALL_OFF_UNIT,
        Role.STEERING_GROUP,
        Role.CONTROLLER,
        Role.APPROVER,
    )
    for key, region in (("a", region_a), ("b", region_b)):
        # make_user gives an approver the department head's level, region-wide.
        cast[f"writer_{key}"] = make_user(
            f"writer.{key}", scope=Scope.REGION, region=region, roles=all_region_roles
        )
    # Region-wide orderer: may order for, and manage, every unit of region A.
    cast["orderer_a"] = make_user("orderer.a", scope=Scope.REGION, region=region_a, roles=(Role.ORDERER,))
    cast["call_off_unit"] = make_user(
        "avrop.a", scope=Scope.REGION, region=region_a, roles=(Role.CALL_OFF_UNIT,)
    )
    cast["verksamhetschef"] = make_user("vc.a", scope=Scope.REGION, region=region_a)
    RoleAssignment.objects.create(
        user=cast["verksamhetschef"], role=Role.APPROVER, decision_level=DecisionLevel.DEPARTMENT_HEAD
    )
    cast["reader_a"] = make_user("reader.a", scope=Scope.REGION, region=region_a, roles=(Role.READER,))
    cast["coordinator"] = make_user("coordinator", scope=Scope.NATIONAL, roles=(Role.COORDINATOR,))
    cast["national_reader"] = make_user(
        "national.reader", scope=Scope.NATIONAL, roles=(Role.NATIONAL_READER,)
    )
    return cast


def _need(cast: dict[str, Any], start: datetime.date) -> Need:
    return Need(
        unit=cast["units_a"]["care_unit"],
        profession=Profession.objects.get(code="doctor"),
        competence=cast["competence"],
        starts_on=start,
        ends_on=start + datetime.timedelta(days=90),
        hours_per_week=Decimal(40),
        reason=NeedReason.VACANCY,
    )


def _offer(cast: dict[str, Any], key: str, start: datetime.date) -> Offer:
    consultant = cast[f"consultant_{key}"]
    return Offer(
        consultant=consultant,
        licence_number=consultant.licence_number,
        competence=cast["competence"],
        hlr_trained_on=timezone.localdate() - datetime.timedelta(days=60),
        available_from=start,
        available_to=start + datetime.timedelta(days=90),
        references="Chef 1, 070-1111111\nChef 2, 070-2222222",
    )


def build_world() -> dict[str, Any]:
    """Every kind of object the API serves, owned by region A and supplier A where it has an owner."""
    cast = _cast()
    today = timezone.localdate()
    start = today + datetime.timedelta(days=30)

    # A published call-off with offers from both suppliers, awarded to supplier A.
    need = workflow.save_draft(cast["orderer_a"], _need(cast, start))
    workflow.submit(cast["orderer_a"], need)
    workflow.exhaust_internal(cast["call_off_unit"], need, "Poolen tillfrågad, ingen ledig")
    workflow.decide(cast["verksamhetschef"], need, DecisionOutcome.APPROVE, "Vakans")
    need.refresh_from_db()
    assert need.status == NeedStatus.PUBLISHED
    call_off = need.call_off
    offer_a = workflow.submit_offer(cast["supplier_user_a"], call_off, _offer(cast, "a", start))
    workflow.submit_offer(cast["supplier_user_b"], call_off, _offer(cast, "b", start))
    assignment = workflow.award(cast["call_off_unit"], offer_a)
    # A second call-off, still open, so that award and offers have a target in the generated run.
    open_need = workflow.save_draft(cast["orderer_a"], _need(cast, start + datetime.timedelta(days=120)))
    workflow.submit(cast["orderer_a"], open_need)
    workflow.exhaust_internal(cast["call_off_unit"], open_need, "Poolen tillfrågad")
    workflow.decide(cast["verksamhetschef"], open_need, DecisionOutcome.APPROVE, "Vakans")
    open_need.refresh_from_db()
    open_offer = workflow.submit_offer(
        cast["supplier_user_a"], open_need.call_off, _offer(cast, "a", start + datetime.timedelta(days=120))
    )
    draft = workflow.save_draft(cast["orderer_a"], _need(cast, start + datetime.timedelta(days=7)))
    # A need in the internal search, and one awaiting the approver's decision.
    searching = workflow.save_draft(cast["orderer_a"], _need(cast, start + datetime.timedelta(days=14)))
    workflow.submit(cast["orderer_a"], searching)
    awaiting = workflow.save_draft(cast["orderer_a"], _need(cast, start + datetime.timedelta(days=21)))
    workflow.submit(cast["orderer_a"], awaiting)
    workflow.exhaust_internal(cast["call_off_unit"], awaiting, "Poolen tillfrågad")
    # A finished import of region A's ledger, with a row error.
    cost_import = CostImport.objects.create(
        kind=ImportKind.COSTS,
        status=ImportStatus.REJECTED,
        region=cast["region_a"],
        created_by=cast["writer_a"],
        filename="huvudbok.csv",
        sha256="0" * 64,
        lines=2,
        lines_done=2,
        errors=[{"row": 2, "field": "amount_sek", "value": "abc", "message": "Inte ett belopp."}],
    )

    # Time: one approved week, one submitted week.
    monday = assignment.starts_on + datetime.timedelta(days=(7 - assignment.starts_on.weekday()) % 7)
    weeks = [monday, monday + datetime.timedelta(days=7)]
    reports = []
    for week in weeks:
        days = {week + datetime.timedelta(days=i): (8 if i < 5 else 0, 0, 0) for i in range(7)}
        reports.append(
            assignment_services.submit_time_report(cast["supplier_user_a"], assignment, week, days)
        )
    assignment_services.approve_time_report(cast["verksamhetschef"], reports[0])

    # An invoice of supplier A for the approved week, at a wrong price (one deviation).
    price = assignment.hourly_price_sek + Decimal(100)
    quantity = Decimal(40)
    parsed_line = ParsedLine(
        None,
        str(assignment.pk),
        weeks[0],
        weeks[0] + datetime.timedelta(days=4),
        "hours",
        quantity,
        price,
        (quantity * price).quantize(Decimal("0.01")),
    )
    parsed = ParsedInvoice(
        cast["supplier_a"], "F-1001", weeks[0] + datetime.timedelta(days=7), None, [parsed_line]
    )
    received = invoice_services.receive(
        cast["supplier_user_a"], cast["region_a"], [parsed], InvoiceSource.API
    )
    invoice = received.created[0]
    deviation = invoice.deviations.first()
    assert deviation is not None

    # Compliance and governance.
    supplier_deviation = compliance_services.record_deviation(
        cast["call_off_unit"], cast["supplier_a"], cast["region_a"], DeviationKind.LATE_DELIVERY, "Sen", today
    )
    suspension = compliance_services.suspend(
        cast["coordinator"],
        cast["supplier_a"],
        today + datetime.timedelta(days=400),
        today + datetime.timedelta(days=410),
        "Vite x3",
    )
    direct_purchase = DirectPurchase.objects.create(
        region=cast["region_a"],
        unit=cast["units_a"]["care_unit"],
        level=assignment.level,
        explanation="Hittad i huvudboken",
        supplier_name="Direktläkarna AB",
        supplier_org_no="556036-0793",
        hourly_price_sek=Decimal(2000),
        starts_on=datetime.date(2025, 4, 1),
        ends_on=datetime.date(2025, 4, 30),
        hours_per_week=Decimal(40),
        total_sek=Decimal(1),
        recorded_by=cast["call_off_unit"],
    )
    plan = ActionPlan.objects.create(
        region=cast["region_a"], name="Plan A", starts_on=datetime.date(2025, 1, 1)
    )
    decision = SteeringDecision.objects.create(
        region=cast["region_a"],
        decided_on=datetime.date(2025, 5, 1),
        decision="Beslut A",
        recorded_by=cast["writer_a"],
    )
    decision.plans.add(plan)
    procurement = Procurement.objects.create(
        name="Nationell upphandling",
        declaration_deadline=today + datetime.timedelta(days=20),
        starts_on=today + datetime.timedelta(days=90),
        min_regions=3,
        sub_areas="doctors",
    )

    tokens = {
        key: Token.objects.create(user=cast[key]).key
        for key in (
            "writer_a",
            "orderer_a",
            "reader_a",
            "supplier_user_a",
            "coordinator",
            "national_reader",
            "writer_b",
            "supplier_user_b",
        )
    }
    tokens["supplier_a"] = tokens.pop("supplier_user_a")
    tokens["supplier_b"] = tokens.pop("supplier_user_b")
    return {
        **cast,
        "tokens": tokens,
        "objects": {
            "need": draft,
            "searching_need": searching,
            "awaiting_need": awaiting,
            "cost_import": cost_import,
            "published_need": need,
            "call_off": open_need.call_off,
            "offer": open_offer,
            "assignment": assignment,
            "time_report": reports[1],
            "invoice": invoice,
            "deviation": deviation,
            "supplier_deviation": supplier_deviation,
            "suspension": suspension,
            "direct_purchase": direct_purchase,
            "action_plan": plan,
            "steering_decision": decision,
            "procurement": procurement,
        },
    }


@pytest.fixture(scope="module")
def world_data(
    django_db_setup: Any, django_db_blocker: Any, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[dict[str, Any]]:
    """The module's data in one transaction, rolled back when the module is done.

    Uploaded files (cost imports) go to a temporary media directory and are never run inline.

    Requests go straight to the WSGI app, which closes "obsolete" connections at the start and end of
    each request – inside the transaction that would drop it – so that handler is disconnected for the
    module, as Django's own test client does.
    """
    media = override_settings(
        MEDIA_ROOT=tmp_path_factory.mktemp("media"), FOLLOWUP_IMPORT_INLINE_THREAD=False
    )
    with django_db_blocker.unblock(), media:
        request_started.disconnect(close_old_connections)
        request_finished.disconnect(close_old_connections)
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            yield build_world()
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
            request_started.connect(close_old_connections)
            request_finished.connect(close_old_connections)


# --- the real objects behind each detail path --------------------------------------------------------------------

# Who owns the object at a path: "region" (region A's), "supplier" (supplier A's), "both" (region A's
# row about supplier A) or "public" (the agreement register and other rows every signed-in user sees).
Owner = str


@dataclass(frozen=True)
class Target:
    owner: Owner
    params: Callable[[dict[str, Any]], dict[str, Any]]
    # Personas outside the owner who legitimately see the object (e.g. a call-off is sent to every
    # admitted supplier); region B and supplier B are then expected to get it rather than 404.
    shared_with: frozenset[str] = frozenset()

    def readers(self) -> frozenset[str]:
        """Who may read the object (used for the write operations' targets)."""
        owners = {
            "region": REGION_A_READERS,
            "both": REGION_A_READERS | {"supplier_a"},
            "supplier": frozenset({"supplier_a", "coordinator", "national_reader"}),
            "public": SIGNED_IN,
        }
        return owners[self.owner] | self.shared_with


def _pk(name: str) -> Callable[[dict[str, Any]], dict[str, Any]]:
    return lambda data: {"id": data["objects"][name].pk}


def _first(
    model: type[Any], field: str = "pk", key: str = "id"
) -> Callable[[dict[str, Any]], dict[str, Any]]:
    return lambda data: {key: getattr(model.objects.order_by("pk").first(), field)}


TARGETS: dict[str, Target] = {
    # Region A's rows.
    "/api/v1/needs/{id}/": Target("region", _pk("need")),
    "/api/v1/needs/{id}/cancel/": Target("region", _pk("need")),
    "/api/v1/needs/{id}/events/": Target("region", _pk("need")),
    "/api/v1/needs/{id}/submit/": Target("region", _pk("need")),
    "/api/v1/needs/{id}/approve/": Target("region", _pk("awaiting_need")),
    "/api/v1/needs/{id}/reject/": Target("region", _pk("awaiting_need")),
    "/api/v1/needs/{id}/return/": Target("region", _pk("awaiting_need")),
    "/api/v1/needs/{id}/internal-attempts/": Target("region", _pk("searching_need")),
    "/api/v1/cost-imports/{id}/": Target("region", _pk("cost_import")),
    "/api/v1/org-units/{id}/": Target("region", lambda data: {"id": data["units_a"]["care_unit"].pk}),
    "/api/v1/action-plans/{id}/": Target("region", _pk("action_plan")),
    "/api/v1/steering-decisions/{id}/": Target("region", _pk("steering_decision")),
    "/api/v1/direct-purchases/{id}/": Target("region", _pk("direct_purchase")),
    # Region A's call-off, sent to both suppliers.
    "/api/v1/call-offs/{id}/": Target("region", _pk("call_off"), shared_with=SUPPLIERS),
    "/api/v1/call-offs/{id}/award/": Target("region", _pk("call_off"), shared_with=SUPPLIERS),
    # Rows of region A with supplier A.
    "/api/v1/offers/{id}/": Target("both", _pk("offer")),
    "/api/v1/assignments/{id}/": Target("both", _pk("assignment")),
    "/api/v1/time-reports/{id}/": Target("both", _pk("time_report")),
    "/api/v1/time-reports/{id}/approve/": Target("both", _pk("time_report")),
    "/api/v1/time-reports/{id}/return/": Target("both", _pk("time_report")),
    "/api/v1/invoices/{id}/": Target("both", _pk("invoice")),
    "/api/v1/invoices/{id}/approve/": Target("both", _pk("invoice")),
    "/api/v1/invoices/{id}/reject/": Target("both", _pk("invoice")),
    "/api/v1/invoices/{id}/deviations/{deviation}/accept/": Target(
        "both",
        lambda data: {"id": data["objects"]["invoice"].pk, "deviation": data["objects"]["deviation"].pk},
    ),
    "/api/v1/supplier-deviations/{id}/": Target("both", _pk("supplier_deviation")),
    # Supplier A's rows. Suspensions are visible to every region (they stop call-offs), not to other
    # suppliers.
    "/api/v1/consultants/{id}/": Target("supplier", lambda data: {"id": data["consultant_a"].pk}),
    "/api/v1/suspensions/{id}/": Target("supplier", _pk("suspension"), shared_with=frozenset({"writer_b"})),
    # The agreement register, the organisation's reference data and the national procurements.
    "/api/v1/accessions/{id}/": Target("public", _first(RegionAccession)),
    "/api/v1/admissions/{id}/": Target("public", _first(SupplierAdmission)),
    "/api/v1/agreements/{id}/": Target("public", _first(FrameworkAgreement)),
    "/api/v1/sub-areas/{id}/": Target("public", _first(SubArea)),
    "/api/v1/price-lists/{id}/": Target("public", _first(PriceList)),
    "/api/v1/suppliers/{id}/": Target("public", lambda data: {"id": data["supplier_a"].pk}),
    "/api/v1/measures/{id}/": Target("public", _first(Measure)),
    "/api/v1/procurements/{id}/": Target("public", _pk("procurement")),
    "/api/v1/regions/{code}/": Target("public", lambda data: {"code": data["region_a"].code}),
    "/api/v1/zones/{code}/": Target("public", _first(Municipality, "code", "code")),
    "/api/v1/care-areas/{code}/": Target("public", _first(CareArea, "code", "code")),
    "/api/v1/professions/{code}/": Target("public", _first(Profession, "code", "code")),
    "/api/v1/competence-levels/{code}/": Target("public", _first(CompetenceLevel, "code", "code")),
    "/api/v1/competences/{code}/": Target("public", _first(Competence, "code", "code")),
}


def test_every_write_operation_has_writers() -> None:
    """A new write operation needs a row in WRITERS, or its refusals go unchecked."""
    writes = sorted(label for label, op in OPERATIONS.items() if op.method.upper() in WRITE_METHODS)
    assert writes, "the schema has no write operations"
    assert sorted(WRITERS) == writes
    assert all(writers <= set(PERSONAS) for writers in WRITERS.values())


def test_every_detail_path_has_a_real_object(world_data: dict[str, Any]) -> None:
    """A new path with a parameter needs an entry in TARGETS, or it escapes the cross-tenant test."""
    assert DETAIL_PATHS, "the schema has no detail paths"
    missing = [path for path in DETAIL_PATHS if path not in TARGETS]
    assert not missing, f"no real object for {missing}"
    stale = sorted(set(TARGETS) - set(DETAIL_PATHS))
    assert not stale, f"TARGETS names paths the schema does not have: {stale}"
    for path in DETAIL_PATHS:
        params = TARGETS[path].params(world_data)
        assert set(params) == set(re.findall(r"{(\w+)}", path)), path
        assert all(value not in (None, "") for value in params.values()), path
        # The id is real: the national level, which sees every row, reads it.
        read = next(
            (op for op in OPERATIONS.values() if op.path == path and op.method.upper() == "GET"), None
        )
        if read is not None:
            case = read.Case(path_parameters=params)
            _authorize(case, world_data["tokens"]["coordinator"])
            assert case.call().status_code == 200, path


# --- the generated run ---------------------------------------------------------------------------------------------


def _authorize(case: Any, token: str | None) -> None:
    """Replace the generated credentials (the schema's security schemes) by the persona's token."""
    case.headers = {k: v for k, v in (case.headers or {}).items() if k.lower() != "authorization"}
    case.cookies = {}
    if token is not None:
        case.headers["Authorization"] = f"Token {token}"


def _strategy(operation: Any, data: dict[str, Any]) -> st.SearchStrategy[Any]:
    generated = operation.as_strategy(feedback=FEEDBACK)
    if operation.path not in TARGETS:
        return generated
    real = operation.as_strategy(feedback=FEEDBACK, path_parameters=TARGETS[operation.path].params(data))
    return st.one_of(generated, real)


def _read_path(path: str) -> str:
    """The object a detail operation acts on: ``/needs/{id}/cancel/`` → ``/needs/{id}/``."""
    return path[: path.index("}/") + 2]


def _status_of_read(path: str, params: dict[str, Any], token: str | None) -> int:
    read_path = _read_path(path)
    names = set(re.findall(r"{(\w+)}", read_path))
    case = OPERATIONS[f"GET {read_path}"].Case(
        path_parameters={k: v for k, v in params.items() if k in names}
    )
    _authorize(case, token)
    return int(case.call().status_code)


def _check_refusal(label: str, persona: str, case: Any, response: Any, token: str | None) -> None:
    """A write the persona may not make: 401 without a token; otherwise 403, or 404 when the persona
    cannot read the object either (the same id answers 404 to a GET) – never a 400 on the input or a
    409 on the state, which would tell it more than that it lacks the role."""
    answer = f"{persona} may not {label}, but it answered {response.status_code}: {response.text[:300]}"
    if persona == "anonymous":
        assert response.status_code == 401, answer
    elif response.status_code == 404 and "{" in case.operation.path:
        read = _status_of_read(case.operation.path, case.path_parameters or {}, token)
        assert read == 404, f"{answer} (but a GET of the object answers {read})"
    else:
        assert response.status_code == 403, answer


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("label", sorted(OPERATIONS))
def test_operation(label: str, persona: str, world_data: dict[str, Any]) -> None:
    operation = OPERATIONS[label]
    token = world_data["tokens"].get(persona)
    refused = label in WRITERS and persona not in WRITERS[label]
    target = TARGETS.get(operation.path)
    own_object = target.params(world_data) if target is not None and label in WRITERS else None

    @settings(
        max_examples=MAX_EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(case=_strategy(operation, world_data))
    def run(case: Any) -> None:
        _authorize(case, token)
        response = case.call()
        case.validate_response(response, checks=CHECKS)
        if refused:
            _check_refusal(label, persona, case, response, token)
        elif own_object is not None and case.path_parameters == own_object:
            # A persona with the role, on the object it holds the role for: a 400 or a 409 may come
            # from the input or the state, a 403 may not.
            assert response.status_code != 403, f"{persona} {label}: 403 {response.text[:300]}"

    run()


@pytest.mark.parametrize(
    ("label", "persona"),
    [(label, persona) for label in sorted(WRITERS) for persona in PERSONAS if persona not in WRITERS[label]],
)
def test_write_refused_without_the_role(label: str, persona: str, world_data: dict[str, Any]) -> None:
    """On the real object (or as a create), with an empty body: the refusal comes before the input is
    read, so a persona without the role gets 403 (401 without a token; 404 if it cannot see the object),
    never a 400 about the body."""
    operation = OPERATIONS[label]
    token = world_data["tokens"].get(persona)
    target = TARGETS.get(operation.path)
    params = target.params(world_data) if target is not None else {}
    case = operation.Case(path_parameters=params, body={}, media_type="application/json")
    _authorize(case, token)
    response = case.call()
    case.validate_response(response, checks=CHECKS)
    answer = f"{persona} {label}: {response.status_code} {response.text[:300]}"
    if persona == "anonymous":
        assert response.status_code == 401, answer
        return
    if target is not None:
        sees = persona in target.readers()
        assert _status_of_read(operation.path, params, token) == (200 if sees else 404), answer
        if not sees:
            assert response.status_code == 404, answer
            return
    assert response.status_code == 403, answer


# --- cross-tenant ----------------------------------------------------------------------------------------------------

# A body the write operations accept, so that a refusal cannot come from validation instead of scoping.
BODIES: dict[str, dict[str, Any]] = {
    "/api/v1/needs/{id}/cancel/": {"reason": "Behövs inte"},
    "/api/v1/needs/{id}/approve/": {"reason": "Vakans"},
    "/api/v1/needs/{id}/reject/": {"reason": "Inte nu"},
    "/api/v1/needs/{id}/return/": {"reason": "Komplettera"},
    "/api/v1/needs/{id}/internal-attempts/": {"description": "Grannenheten", "outcome": "declined"},
    "/api/v1/org-units/{id}/": {"name": "Nytt namn"},
    "/api/v1/time-reports/{id}/return/": {"reason": "Fel vecka"},
    "/api/v1/invoices/{id}/reject/": {"comment": "Fel pris"},
    "/api/v1/invoices/{id}/deviations/{deviation}/accept/": {"reason": "Avtalat"},
}

CROSS_TENANT = [
    (path, method, persona)
    for path in DETAIL_PATHS
    for method in sorted({op.method.upper() for op in OPERATIONS.values() if op.path == path})
    for persona in ("writer_b", "supplier_b")
]


def _request(path: str, method: str, persona: str, params: dict[str, Any], data: dict[str, Any]) -> Any:
    operation = OPERATIONS[f"{method} {path}"]
    body: dict[str, Any] = (
        {} if method == "GET" else {"body": BODIES.get(path, {}), "media_type": "application/json"}
    )
    case = operation.Case(path_parameters=params, **body)
    _authorize(case, data["tokens"][persona])
    response = case.call()
    case.validate_response(response, checks=CHECKS)
    return response


@pytest.mark.parametrize(("path", "method", "persona"), CROSS_TENANT)
def test_cross_tenant_ids_answer_404(
    path: str, method: str, persona: str, world_data: dict[str, Any]
) -> None:
    target = TARGETS[path]
    real = target.params(world_data)
    response = _request(path, method, persona, real, world_data)
    answer = f"{persona} {method} {path}: {response.status_code} {response.text[:300]}"

    if target.owner == "public" or persona in target.shared_with:
        # Not another tenant's row: everyone signed in reads it (a write is refused or rejected, never 404).
        if method == "GET":
            assert response.status_code == 200, answer
        assert response.status_code != 404, answer
        return
    if response.status_code == 403:
        # Allowed only when the whole kind of row is closed to the persona (suppliers and direct
        # purchases): a missing id then gets the same 403, so the answer reveals nothing.
        missing = {
            name: (999_999_999 if isinstance(value, int) else "zz-none") for name, value in real.items()
        }
        assert _request(path, method, persona, missing, world_data).status_code == 403, answer
        return
    assert response.status_code == 404, answer


# --- values at the edges ----------------------------------------------------------------------------------------

# Schema-valid values a handful of examples rarely reach, each of which once answered 500: ids beyond
# 64 bits, and years whose previous year, rolling 12 months or first day do not exist.
EDGE_QUERIES = [
    ("GET /api/v1/needs/", {"unit": 2**70}),
    ("GET /api/v1/offers/", {"call_off": -(2**70)}),
    ("GET /api/v1/time-reports/", {"assignment": 2**64}),
    ("GET /api/v1/supplier-deviations/", {"supplier": 2**63}),
    ("GET /api/v1/direct-purchases/", {"year": 0}),
    ("GET /api/v1/direct-purchases/", {"year": 10**20}),
    ("GET /api/v1/contract-fidelity/", {"year": -113}),
    ("GET /api/v1/contract-fidelity/", {"year": 99999}),
    ("GET /api/v1/trend/", {"rolling12": "0001-01"}),
    ("GET /api/v1/trend/", {"from": "0001-01", "to": "0001-02", "compare_previous_year": True}),
    ("GET /api/v1/bemanningstrend/", {"half": "0001-1"}),
    ("GET /api/v1/bemanningstrend/", {"quarter": "9999-4"}),
    # PostgreSQL refuses NUL in text comparisons.
    ("GET /api/v1/needs/", {"status": "draft\x00"}),
    ("GET /api/v1/supplier-deviations/", {"region": "1\x004"}),
    ("GET /api/v1/targets/", {"region": "\x00"}),
]


@pytest.mark.parametrize(
    ("label", "query"), EDGE_QUERIES, ids=[f"{label} {query}" for label, query in EDGE_QUERIES]
)
def test_edge_values_answer_400(label: str, query: dict[str, Any], world_data: dict[str, Any]) -> None:
    case = OPERATIONS[label].Case(query=query)
    _authorize(case, world_data["tokens"]["coordinator"])
    response = case.call()
    case.validate_response(response, checks=CHECKS)
    assert response.status_code == 400, response.text[:300]
    assert set(response.json()) <= set(query), response.text[:300]


@pytest.mark.parametrize("path", [p for p in DETAIL_PATHS if p.endswith("{code}/")])
def test_nul_in_a_code_answers_404(path: str, world_data: dict[str, Any]) -> None:
    case = OPERATIONS[f"GET {path}"].Case(path_parameters={"code": "1\x004"})
    _authorize(case, world_data["tokens"]["coordinator"])
    response = case.call()
    case.validate_response(response, checks=CHECKS)
    assert response.status_code == 404, response.text[:300]
