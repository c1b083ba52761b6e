from django.urls import path

from hyrkoll.compliance import views_deviations as deviations
from hyrkoll.compliance import views_fidelity as fidelity
from hyrkoll.compliance import views_purchases as purchases

app_name = "compliance"

urlpatterns = [
    path("deviations/", deviations.deviation_list, name="deviations"),
    path("deviations/new/", deviations.deviation_create, name="deviation_create"),
    path("deviations/<int:pk>/", deviations.deviation_detail, name="deviation_detail"),
    path("deviations/<int:pk>/withdraw/", deviations.deviation_withdraw, name="deviation_withdraw"),
    path("suspensions/", deviations.suspension_list, name="suspensions"),
    path("suspensions/new/", deviations.suspension_create, name="suspension_create"),
    path("suspensions/<int:pk>/lift/", deviations.suspension_lift, name="suspension_lift"),
    path("direct-purchases/", purchases.purchase_list, name="purchases"),
    path("direct-purchases/new/", purchases.purchase_create, name="purchase_create"),
    path("direct-purchases/<int:pk>/", purchases.purchase_detail, name="purchase_detail"),
    path("fidelity/", fidelity.fidelity_page, name="fidelity"),
]
