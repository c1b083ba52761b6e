from django.contrib import admin
from django.urls import include, path
from django.views.i18n import set_language

from hyrkoll.accounts.urls import login_view, logout_view
from hyrkoll.core import views as core_views

urlpatterns = [
    path("healthz", core_views.healthz, name="healthz"),
    path("", core_views.start, name="start"),
    path("i18n/setlang/", set_language, name="set_language"),
    path("login/", login_view, name="login"),
    path("logout/", logout_view, name="logout"),
    path("account/", include("hyrkoll.accounts.urls")),
    path("agreement/", include("hyrkoll.agreement.urls")),
    path("organisation/", include("hyrkoll.organisation.urls")),
    path("audit/", include("hyrkoll.audit.urls")),
    path("ordering/", include("hyrkoll.ordering.urls")),
    path("assignments/", include("hyrkoll.assignments.urls")),
    path("invoices/", include("hyrkoll.invoicing.urls")),
    path("rules/", include("hyrkoll.rules.urls")),
    path("pool/", include("hyrkoll.pool.urls")),
    path("consultants/", include("hyrkoll.consultants.urls")),
    path("follow-up/", include("hyrkoll.followup.urls")),
    path("governance/", include("hyrkoll.governance.urls")),
    path("compliance/", include("hyrkoll.compliance.urls")),
    path("api/v1/", include("hyrkoll.api.urls")),
    path("oidc/", include("mozilla_django_oidc.urls")),
    path("admin/", admin.site.urls),
]
