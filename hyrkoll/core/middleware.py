"""Security headers Django does not set by itself."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.auth import middleware as auth_middleware
from django.http import HttpRequest, HttpResponse

# Same-origin only: the app ships its own CSS and the API docs' assets (drf-spectacular-sidecar).
# Swagger UI needs inline script/style, so its pages get a wider policy below.
_CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "frame-ancestors 'none'; form-action 'self'; base-uri 'self'; object-src 'none'"
)
_CSP_API_DOCS = (
    "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
    "script-src 'self' 'unsafe-inline'; frame-ancestors 'none'; base-uri 'self'; object-src 'none'"
)


class SecurityHeadersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        is_docs = request.path.startswith("/api/v1/docs") or request.path.startswith("/admin/")
        response.headers.setdefault("Content-Security-Policy", _CSP_API_DOCS if is_docs else _CSP)
        response.headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        if request.user.is_authenticated if hasattr(request, "user") else False:
            # Pages with personal or regional data are not kept in shared caches.
            response.headers.setdefault("Cache-Control", "private, no-store")
        return response


class LoginRequiredMiddleware(auth_middleware.LoginRequiredMiddleware):
    """Every page asks an anonymous visitor to sign in first, unless its view is marked
    ``login_not_required`` (login, language, health check). Without this, a page whose role check
    ran before the sign-in check answered 403 to someone who had merely not signed in yet.

    The API and OIDC are left to themselves: the API authenticates each request (token or session)
    and answers 401; the OIDC views are the sign-in flow."""

    self_authenticating_prefixes = ("/api/", "/oidc/")

    def process_view(
        self, request: HttpRequest, view_func: Callable[..., Any], view_args: Any, view_kwargs: Any
    ) -> HttpResponse | None:
        if request.path_info.startswith(self.self_authenticating_prefixes):
            return None
        return super().process_view(request, view_func, view_args, view_kwargs)
