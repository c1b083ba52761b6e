"""Imports, targets and publication, under ``/follow-up/imports/`` in the ``followup`` namespace."""

from django.urls import path

from hyrkoll.followup import views_imports as views

urlpatterns = [
    path("", views.import_list, name="imports"),
    path("upload/", views.import_upload, name="import_upload"),
    path("<int:pk>/", views.import_detail, name="import_detail"),
    path("<int:pk>/status/", views.import_status, name="import_status"),
    path("targets/", views.targets, name="targets"),
    path("publish/", views.publish, name="publish"),
]
