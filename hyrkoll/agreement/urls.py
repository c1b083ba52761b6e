from django.urls import path

from hyrkoll.agreement import views

app_name = "agreement"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("<int:pk>/edit/", views.AgreementUpdateView.as_view(), name="agreement_edit"),
    path("<int:pk>/extensions/new/", views.ExtensionCreateView.as_view(), name="extension_create"),
    path("<int:pk>/parameters/new/", views.ParameterCreateView.as_view(), name="parameter_create"),
    path(
        "sub-areas/<int:pk>/exclusions/new/",
        views.ExcludedSpecialtyCreateView.as_view(),
        name="excluded_create",
    ),
    path("exclusions/<int:pk>/remove/", views.excluded_specialty_remove, name="excluded_remove"),
    path("suppliers/", views.suppliers, name="suppliers"),
    path("suppliers/new/", views.SupplierCreateView.as_view(), name="supplier_create"),
    path("suppliers/<int:pk>/", views.supplier_detail, name="supplier_detail"),
    path("suppliers/<int:pk>/edit/", views.SupplierUpdateView.as_view(), name="supplier_edit"),
    path("suppliers/<int:pk>/admissions/new/", views.AdmissionCreateView.as_view(), name="admission_create"),
    path("admissions/<int:pk>/edit/", views.AdmissionUpdateView.as_view(), name="admission_edit"),
    path("price-lists/", views.price_lists, name="price_lists"),
    path("price-lists/new/", views.price_list_create, name="price_list_create"),
    path("price-lists/<int:pk>/", views.price_list_detail, name="price_list_detail"),
    path("price-lists/<int:pk>/edit/", views.price_list_edit, name="price_list_edit"),
    path("zones/", views.zones, name="zones"),
    path("zones/import/", views.zone_import, name="zone_import"),
    path("accessions/", views.accessions, name="accessions"),
    path("accessions/new/", views.AccessionCreateView.as_view(), name="accession_create"),
    path("accessions/<int:pk>/edit/", views.AccessionUpdateView.as_view(), name="accession_edit"),
]
