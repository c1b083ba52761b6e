"""Joint procurements, included under ``governance/procurements/`` (namespace ``governance``)."""

from __future__ import annotations

from django.urls import path

from hyrkoll.governance import views_procurement as views

urlpatterns = [
    path("", views.procurement_list, name="procurements"),
    path("new/", views.ProcurementCreateView.as_view(), name="procurement_create"),
    path("<int:pk>/", views.procurement_detail, name="procurement_detail"),
    path("<int:pk>/edit/", views.ProcurementUpdateView.as_view(), name="procurement_edit"),
    path("<int:pk>/declare/", views.declaration_create, name="declaration_create"),
    path("declarations/<int:pk>/document/", views.declaration_document, name="declaration_document"),
]
