"""The dashboards, their downloads and the Bemanningstrend report, under ``/follow-up/`` in the
``followup`` namespace."""

from django.urls import path

from hyrkoll.followup import views_dashboards, views_downloads, views_report

urlpatterns = [
    path("", views_dashboards.dashboard, name="dashboard"),
    path("regions/<str:code>/", views_dashboards.region_dashboard, name="region_dashboard"),
    path("download/", views_downloads.download, name="download"),
    path("report/", views_report.report, name="report"),
    path("report/pdf/", views_report.report_pdf, name="report_pdf"),
    path("report/xlsx/", views_report.report_xlsx, name="report_xlsx"),
]
