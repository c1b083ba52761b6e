from django.urls import include, path

app_name = "followup"

urlpatterns = [
    path("", include("hyrkoll.followup.urls_dashboards")),
    path("imports/", include("hyrkoll.followup.urls_imports")),
]
