from django.urls import path

from hyrkoll.ordering.views import actions, call_offs, needs, supplier

app_name = "ordering"

urlpatterns = [
    # needs (the region)
    path("needs/", needs.need_list, name="needs"),
    path("needs/new/", needs.need_create, name="need_create"),
    path("needs/<int:pk>/", needs.need_detail, name="need_detail"),
    path("needs/<int:pk>/edit/", needs.need_edit, name="need_edit"),
    path("needs/<int:pk>/submit/", actions.need_submit, name="need_submit"),
    path("needs/<int:pk>/cancel/", actions.need_cancel, name="need_cancel"),
    path("needs/<int:pk>/internal-attempts/", actions.need_attempt, name="need_attempt"),
    path("needs/<int:pk>/internal-exhausted/", actions.need_exhaust, name="need_exhaust"),
    path("needs/<int:pk>/steering-review/", actions.need_steering_review, name="need_steering_review"),
    path("needs/<int:pk>/decide/", actions.need_decide, name="need_decide"),
    path("needs/<int:pk>/publish/", actions.need_publish, name="need_publish"),
    # call-offs (the call-off unit)
    path("call-offs/", call_offs.call_off_list, name="call_offs"),
    path("call-offs/<int:pk>/close/", actions.call_off_close, name="call_off_close"),
    path("offers/<int:pk>/", supplier.offer_detail, name="offer_detail"),
    path("offers/<int:pk>/award/", actions.offer_award, name="offer_award"),
    # the supplier portal
    path("supplier/call-offs/", supplier.supplier_call_off_list, name="supplier_call_offs"),
    path("supplier/call-offs/<int:pk>/", supplier.supplier_call_off_detail, name="supplier_call_off"),
    path("supplier/call-offs/<int:pk>/offer/", supplier.offer_create, name="offer_create"),
]
