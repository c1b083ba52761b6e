from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest


def navigation(request: HttpRequest) -> dict[str, Any]:
    # The menu itself is in base.html; the work queues are computed on the start page only.
    return {"oidc_enabled": settings.OIDC_ENABLED}
