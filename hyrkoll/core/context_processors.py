from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from hyrkoll.core.start import start_sections


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    sections = start_sections(user) if user is not None and user.is_authenticated else []
    return {"nav_sections": sections, "oidc_enabled": settings.OIDC_ENABLED}
