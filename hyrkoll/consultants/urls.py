from django.urls import path

from hyrkoll.consultants import views

app_name = "consultants"

urlpatterns = [
    path("licence-register/import/", views.licence_register_import, name="licence_register_import"),
    path("former-employees/import/", views.former_employees_import, name="former_employees_import"),
    path("credentials/", views.credentials, name="credentials"),
    path("credentials/<int:pk>/verify/", views.credential_verify, name="credential_verify"),
    path("mine/", views.mine, name="mine"),
]
