from django.urls import path

from hyrkoll.outbox import views

app_name = "outbox"

urlpatterns = [
    path("", views.OutboxListView.as_view(), name="messages"),
    path("<int:pk>/retry/", views.retry, name="retry"),
]
