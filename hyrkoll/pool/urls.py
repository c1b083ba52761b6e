from django.urls import path

from hyrkoll.pool import views

app_name = "pool"

urlpatterns = [
    path("", views.member_list, name="members"),
    path("new/", views.PoolMemberCreateView.as_view(), name="member_create"),
    path("<int:pk>/edit/", views.PoolMemberUpdateView.as_view(), name="member_edit"),
]
