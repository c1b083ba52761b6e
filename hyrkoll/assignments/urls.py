from django.urls import path

from hyrkoll.assignments import views

app_name = "assignments"

urlpatterns = [
    path("", views.assignment_list, name="list"),
    path("<int:pk>/", views.assignment_detail, name="detail"),
    path("<int:pk>/time-reports.csv", views.time_report_csv, name="time_report_csv"),
    path("<int:pk>/extend/", views.assignment_extend, name="extend"),
    path("<int:pk>/cancel/", views.assignment_cancel, name="cancel"),
    path("time-reports/<int:pk>/decide/", views.time_report_decide, name="time_report_decide"),
    # the supplier portal
    path("supplier/", views.supplier_list, name="supplier_list"),
    path("supplier/<int:pk>/time-reports/new/", views.time_report_create, name="time_report_create"),
    path("supplier/time-reports/<int:pk>/correct/", views.time_report_correct, name="time_report_correct"),
]
