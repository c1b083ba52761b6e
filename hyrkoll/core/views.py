"""Health check and the role-based start page."""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required, login_required
from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from hyrkoll.core.start import start_page
from hyrkoll.followup import outlook


@login_not_required
@require_GET
@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """200 with ``{"status": "ok", "database": "ok"}``; 503 if the database does not answer."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        database_ok = True
    except DatabaseError:
        database_ok = False
    status = 200 if database_ok else 503
    return JsonResponse(
        {"status": "ok" if database_ok else "error", "database": "ok" if database_ok else "unavailable"},
        status=status,
    )


@login_required
def start(request: HttpRequest) -> HttpResponse:
    page = start_page(request.user)
    context = {"page": page, "sections": page.sections, "outlook": outlook.start_notice(request.user)}
    return render(request, "core/start.html", context)
