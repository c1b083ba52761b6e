from django.urls import path

from hyrkoll.audit import views

app_name = "audit"

urlpatterns = [path("", views.AuditEventListView.as_view(), name="events")]
