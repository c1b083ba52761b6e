from django.urls import path

from hyrkoll.organisation import views

app_name = "organisation"

urlpatterns = [
    path("", views.unit_tree, name="units"),
    path("units/new/", views.OrgUnitCreateView.as_view(), name="unit_create"),
    path("units/<int:pk>/", views.unit_detail, name="unit_detail"),
    path("units/<int:pk>/edit/", views.OrgUnitUpdateView.as_view(), name="unit_edit"),
]
