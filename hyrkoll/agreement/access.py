"""Who may change the agreement register: the national coordinator; everyone signed in reads it."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest


def is_coordinator(user: Any) -> bool:
    return bool(user.is_authenticated and user.is_coordinator)


def require_coordinator(request: HttpRequest) -> None:
    if not is_coordinator(request.user):
        raise PermissionDenied


class CoordinatorOnly:
    def can_change(self, user: Any) -> bool:
        return is_coordinator(user)
