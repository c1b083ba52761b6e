from django.contrib.auth import views as auth_views
from django.urls import path

from hyrkoll.accounts import views

app_name = "accounts"

urlpatterns = [
    path("token/", views.api_token, name="token"),
    path("users/", views.UserListView.as_view(), name="users"),
    path("users/new/", views.UserCreateView.as_view(), name="user_create"),
    path("users/<int:pk>/", views.UserDetailView.as_view(), name="user_detail"),
    path("users/<int:pk>/edit/", views.UserUpdateView.as_view(), name="user_edit"),
    path("users/<int:pk>/roles/new/", views.RoleAssignmentCreateView.as_view(), name="role_create"),
    path("roles/<int:pk>/remove/", views.remove_role, name="role_remove"),
]

# Login and logout live at the top level (/login/, /logout/): see hyrkoll/urls.py.
login_view = auth_views.LoginView.as_view(redirect_authenticated_user=True)
logout_view = auth_views.LogoutView.as_view()
