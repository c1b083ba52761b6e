from django.urls import path

from hyrkoll.invoicing import views

app_name = "invoicing"

urlpatterns = [
    path("", views.invoice_list, name="list"),
    path("import/", views.invoice_import, name="import"),
    path("new/", views.invoice_create, name="create"),
    path("<int:pk>/", views.invoice_detail, name="detail"),
    path("<int:pk>/decide/", views.invoice_decide, name="decide"),
    path("deviations/<int:pk>/accept/", views.deviation_accept, name="deviation_accept"),
]
