"""Real ids of region A's and supplier A's objects in the demo data, one per URL parameter.

Every ``<int:pk>`` (or ``<str:code>``) of a URL pattern is filled from ``build_objects()`` by the key its
row in ``url_table`` names, so the generated requests open real records the way a user clicking
through the demo would.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

from django.db.models import Count, Q
from django.utils import timezone

from hyrkoll.accounts.models import RoleAssignment, User
from hyrkoll.agreement.models import (
    ExcludedSpecialty,
    FrameworkAgreement,
    PriceList,
    RegionAccession,
    SubArea,
    Supplier,
    SupplierAdmission,
)
from hyrkoll.assignments.models import TimeReport, TimeReportStatus
from hyrkoll.compliance.models import DirectPurchase, SupplierDeviation, Suspension
from hyrkoll.followup.models import CostImport
from hyrkoll.governance.models import (
    Declaration,
    Measure,
    PlanMeasure,
    Procurement,
    SteeringDecision,
    SubGoal,
)
from hyrkoll.invoicing.models import Invoice, InvoiceDeviation
from hyrkoll.ordering.models import CallOff, Need, Offer
from hyrkoll.organisation.models import OrgUnit, OrgUnitKind
from hyrkoll.outbox.models import MessageStatus, OutboxMessage
from hyrkoll.pool.models import PoolMember
from hyrkoll.rules.models import RegionRule
from tests.coverage.personas import REGION_A


def pick_suppliers() -> dict[str, Supplier]:
    """Supplier A: most invoices in region A; supplier B: most invoices among the others."""
    ranked = list(
        Supplier.objects.annotate(
            in_a=Count("invoices", filter=Q(invoices__region__code=REGION_A)), total=Count("invoices")
        ).order_by("-in_a", "pk")[:1]
    )
    supplier_a = ranked[0]
    supplier_b = (
        Supplier.objects.exclude(pk=supplier_a.pk)
        .annotate(total=Count("invoices"))
        .order_by("-total", "pk")[0]
    )
    return {"a": supplier_a, "b": supplier_b}


def supplier_usernames(suppliers: dict[str, Supplier]) -> dict[str, str]:
    return {
        tenant: User.objects.filter(supplier=supplier, is_active=True).order_by("username")[0].username
        for tenant, supplier in suppliers.items()
    }


def prepare_states(supplier_a: Supplier) -> None:
    """Give two forms the record they need, where the demo has none today: a procurement open for
    declarations that regions A and B have not declared for, and a returned time report of
    supplier A's."""
    today = timezone.localdate()
    Procurement.objects.create(  # the demo's open ones have region A's and B's declarations already
        name="Open for declarations (coverage)",
        declaration_deadline=today + datetime.timedelta(days=30),
        starts_on=today + datetime.timedelta(days=60),
    )
    reports = TimeReport.objects.filter(assignment__region__code=REGION_A, assignment__supplier=supplier_a)
    if not reports.filter(status=TimeReportStatus.RETURNED).exists():
        reports.filter(pk=_first(reports).pk).update(status=TimeReportStatus.RETURNED)


def _first(queryset: Any) -> Any:
    return queryset.order_by("pk").first()


def build_objects(supplier_a: Supplier) -> dict[str, Any]:
    """Key → pk (or region code) of a region A / supplier A object in the loaded demo data."""
    in_a = {"region__code": REGION_A}
    offer = _first(
        Offer.objects.filter(call_off__region__code=REGION_A, supplier=supplier_a, assignment__isnull=False)
    )
    assignment = offer.assignment
    invoice = _first(Invoice.objects.filter(**in_a, supplier=supplier_a, deviations__isnull=False)) or _first(
        Invoice.objects.filter(**in_a, supplier=supplier_a)
    )
    plan_measure = _first(PlanMeasure.objects.filter(plan__region__code=REGION_A, sub_goals__isnull=False))
    finders: dict[str, Callable[[], Any]] = {
        "user_a": lambda: User.objects.get(username="vgr.lasare"),
        "role_a": lambda: _first(RoleAssignment.objects.filter(user__username="vgr.lasare")),
        "agreement": lambda: _first(FrameworkAgreement.objects.all()),
        "sub_area": lambda: SubArea.objects.get(code="doctors"),
        "exclusion": lambda: _first(ExcludedSpecialty.objects.all()),
        "supplier_a": lambda: supplier_a,
        "admission_a": lambda: _first(SupplierAdmission.objects.filter(supplier=supplier_a)),
        "price_list": lambda: _first(PriceList.objects.all()),
        "accession_a": lambda: _first(RegionAccession.objects.filter(**in_a)),
        "unit_a": lambda: _first(OrgUnit.objects.filter(**in_a, kind=OrgUnitKind.CARE_UNIT)),
        "need_a": lambda: offer.call_off.need,
        "draft_need_a": lambda: _first(Need.objects.filter(**in_a, status="draft")),
        "call_off_a": lambda: offer.call_off,
        "open_call_off_a": lambda: _first(
            CallOff.objects.filter(**in_a, status="open", recipients__supplier=supplier_a)
        ),
        "offer_a": lambda: offer,
        "assignment_a": lambda: assignment,
        # A returned report, so that the supplier's correction form opens.
        "time_report_a": lambda: (
            _first(
                TimeReport.objects.filter(
                    assignment__region__code=REGION_A, assignment__supplier=supplier_a, status="returned"
                )
            )
            or _first(
                TimeReport.objects.filter(assignment__region__code=REGION_A, assignment__supplier=supplier_a)
            )
        ),
        "invoice_a": lambda: invoice,
        "invoice_deviation_a": lambda: _first(
            InvoiceDeviation.objects.filter(invoice__region__code=REGION_A, invoice__supplier=supplier_a)
        ),
        "rule_a": lambda: _first(
            RegionRule.objects.filter(**in_a, replaced_by__isnull=True)
        ),  # the latest version
        "pool_member_a": lambda: _first(PoolMember.objects.filter(**in_a)),
        "consultant_a": lambda: offer.consultant,
        "region_a_code": lambda: REGION_A,
        "import_a": lambda: _first(CostImport.objects.filter(**in_a)) or _first(CostImport.objects.all()),
        "measure": lambda: _first(Measure.objects.all()),
        "plan_a": lambda: plan_measure.plan,
        "plan_measure_a": lambda: plan_measure,
        "sub_goal_a": lambda: _first(SubGoal.objects.filter(plan_measure=plan_measure)),
        "steering_decision_a": lambda: _first(SteeringDecision.objects.filter(**in_a)),
        "procurement": lambda: _first(Procurement.objects.all()),
        "open_procurement": lambda: _first(
            Procurement.objects.filter(
                declaration_deadline__gte=timezone.localdate(), starts_on__gt=timezone.localdate()
            )
        ),
        "declaration_a": lambda: _first(Declaration.objects.filter(**in_a)),
        "supplier_deviation_a": lambda: (
            _first(SupplierDeviation.objects.filter(**in_a, supplier=supplier_a))
            or _first(SupplierDeviation.objects.filter(**in_a))
        ),
        "suspension": lambda: _first(Suspension.objects.all()),
        "direct_purchase_a": lambda: _first(DirectPurchase.objects.filter(**in_a)),
        "outbox_message_failed": lambda: _first(OutboxMessage.objects.filter(status=MessageStatus.FAILED)),
    }
    found = {key: finder() for key, finder in finders.items()}
    missing = sorted(key for key, value in found.items() if value is None)
    assert not missing, f"the demo data has no object for {missing}: extend the demo or the finder"
    return {key: value if isinstance(value, str) else value.pk for key, value in found.items()}
