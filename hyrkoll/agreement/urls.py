from django.urls import path

from hyrkoll.agreement import views, views_price_lists, views_suppliers, views_zones

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
    path("suppliers/", views_suppliers.suppliers, name="suppliers"),
    path("suppliers/new/", views_suppliers.SupplierCreateView.as_view(), name="supplier_create"),
    path("suppliers/<int:pk>/", views_suppliers.supplier_detail, name="supplier_detail"),
    path("suppliers/<int:pk>/edit/", views_suppliers.SupplierUpdateView.as_view(), name="supplier_edit"),
    path(
        "suppliers/<int:pk>/admissions/new/",
        views_suppliers.AdmissionCreateView.as_view(),
        name="admission_create",
    ),
    path("admissions/<int:pk>/edit/", views_suppliers.AdmissionUpdateView.as_view(), name="admission_edit"),
    path("price-lists/", views_price_lists.price_lists, name="price_lists"),
    path("price-lists/new/", views_price_lists.price_list_create, name="price_list_create"),
    path("price-lists/<int:pk>/", views_price_lists.price_list_detail, name="price_list_detail"),
    path("price-lists/<int:pk>/edit/", views_price_lists.price_list_edit, name="price_list_edit"),
    path("zones/", views_zones.zones, name="zones"),
    path("zones/import/", views_zones.zone_import, name="zone_import"),
    path("accessions/", views_zones.accessions, name="accessions"),
    path("accessions/new/", views_zones.AccessionCreateView.as_view(), name="accession_create"),
    path("accessions/<int:pk>/edit/", views_zones.AccessionUpdateView.as_view(), name="accession_edit"),
]
