from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from hyrkoll.core.navigation import menu_for


def navigation(request: HttpRequest) -> dict[str, Any]:
    """The main menu for the signed-in user (computed only when a template shows it); the work
    queues are computed on the start page only."""
    user = getattr(request, "user", None)
    return {
        "oidc_enabled": settings.OIDC_ENABLED,
        "menu": SimpleLazyObject(lambda: menu_for(user, request.path)),
    }
