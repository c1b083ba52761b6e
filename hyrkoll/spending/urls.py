from django.urls import path

from hyrkoll.spending import views

app_name = "spending"

urlpatterns = [
    path("", views.overview, name="overview"),
]
