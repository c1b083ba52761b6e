from django.conf import settings
from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import set_language

from hyrkoll.accounts.urls import login_view, logout_view
from hyrkoll.core import views as core_views

urlpatterns = [
    path("healthz", core_views.healthz, name="healthz"),
    path("", core_views.start, name="start"),
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("login/", login_view, name="login"),
    path("logout/", logout_view, name="logout"),
    path("account/", include("hyrkoll.accounts.urls")),
    path("agreement/", include("hyrkoll.agreement.urls")),
    path("organisation/", include("hyrkoll.organisation.urls")),
    path("audit/", include("hyrkoll.audit.urls")),
    path("outbox/", include("hyrkoll.outbox.urls")),
    path("ordering/", include("hyrkoll.ordering.urls")),
    path("assignments/", include("hyrkoll.assignments.urls")),
    path("invoices/", include("hyrkoll.invoicing.urls")),
    path("rules/", include("hyrkoll.rules.urls")),
    path("pool/", include("hyrkoll.pool.urls")),
    path("consultants/", include("hyrkoll.consultants.urls")),
    path("follow-up/", include("hyrkoll.followup.urls")),
    path("governance/", include("hyrkoll.governance.urls")),
    path("compliance/", include("hyrkoll.compliance.urls")),
    path("spending/", include("hyrkoll.spending.urls")),
    path("api/v1/", include("hyrkoll.api.urls")),
    path("admin/", admin.site.urls),
]

if settings.OIDC_ENABLED:
    # Without an IdP configured, its views would answer 500 (ImproperlyConfigured); now 404.
    urlpatterns.append(path("oidc/", include("mozilla_django_oidc.urls")))
