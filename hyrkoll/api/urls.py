"""URLs of the REST API, mounted at ``/api/v1/`` by ``hyrkoll.urls``."""

from __future__ import annotations

from django.urls import path
from drf_spectacular.views import SpectacularJSONAPIView, SpectacularSwaggerView
from rest_framework.permissions import AllowAny
from rest_framework.routers import DefaultRouter

from hyrkoll.api import (
    account_views,
    assignment_views,
    compliance_views,
    decision_views,
    feed_views,
    followup_views,
    governance_views,
    import_views,
    invoicing_views,
    ordering_views,
    org_unit_views,
    procurement_views,
    views,
)

router = DefaultRouter()
router.register("regions", views.RegionViewSet, basename="api-region")
router.register("zones", views.ZoneViewSet, basename="api-zone")
router.register("care-areas", views.CareAreaViewSet, basename="api-care-area")
router.register("agreements", views.AgreementViewSet, basename="api-agreement")
router.register("sub-areas", views.SubAreaViewSet, basename="api-sub-area")
router.register("professions", views.ProfessionViewSet, basename="api-profession")
router.register("competence-levels", views.CompetenceLevelViewSet, basename="api-competence-level")
router.register("competences", views.CompetenceViewSet, basename="api-competence")
router.register("suppliers", views.SupplierViewSet, basename="api-supplier")
router.register("admissions", views.AdmissionViewSet, basename="api-admission")
router.register("price-lists", views.PriceListViewSet, basename="api-price-list")
router.register("accessions", views.AccessionViewSet, basename="api-accession")
router.register("org-units", org_unit_views.OrgUnitWriteViewSet, basename="api-org-unit")
router.register("consultants", views.ConsultantViewSet, basename="api-consultant")
router.register("needs", decision_views.NeedWithDecisionsViewSet, basename="api-need")
router.register("call-offs", ordering_views.CallOffViewSet, basename="api-call-off")
router.register("offers", ordering_views.OfferViewSet, basename="api-offer")
router.register("measures", governance_views.MeasureViewSet, basename="api-measure")
router.register("action-plans", governance_views.ActionPlanViewSet, basename="api-action-plan")
router.register(
    "steering-decisions", governance_views.SteeringDecisionViewSet, basename="api-steering-decision"
)
router.register("assignments", assignment_views.AssignmentViewSet, basename="api-assignment")
router.register("time-reports", assignment_views.TimeReportViewSet, basename="api-time-report")
router.register("invoices", invoicing_views.InvoiceViewSet, basename="api-invoice")
router.register("procurements", procurement_views.ProcurementViewSet, basename="api-procurement")
router.register(
    "supplier-deviations", compliance_views.SupplierDeviationViewSet, basename="api-supplier-deviation"
)
router.register("suspensions", compliance_views.SuspensionViewSet, basename="api-suspension")
router.register("direct-purchases", compliance_views.DirectPurchaseViewSet, basename="api-direct-purchase")
router.register("cost-imports", import_views.CostImportViewSet, basename="api-cost-import")

urlpatterns = [
    path("openapi.json", SpectacularJSONAPIView.as_view(permission_classes=[AllowAny]), name="api-schema"),
    path(
        "docs",
        SpectacularSwaggerView.as_view(url_name="api-schema", permission_classes=[AllowAny]),
        name="api-docs",
    ),
    path("token/", account_views.ObtainTokenView.as_view(), name="api-token"),
    path("me/", account_views.MeView.as_view(), name="api-me"),
    path("events/", feed_views.EventFeedView.as_view(), name="api-events"),
    path("trend/", followup_views.TrendView.as_view(), name="api-trend"),
    path("targets/", followup_views.TargetListView.as_view(), name="api-targets"),
    path("bemanningstrend/", followup_views.BemanningstrendView.as_view(), name="api-bemanningstrend"),
    path("contract-fidelity/", compliance_views.ContractFidelityView.as_view(), name="api-contract-fidelity"),
    *router.urls,
]
