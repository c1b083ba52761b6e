"""Who may read and change the governance pages (action plans, decisions, registers)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404

from hyrkoll.accounts.models import Role, Scope
from hyrkoll.organisation.models import Region

PLAN_ROLES = (Role.REGION_ADMIN, Role.STEERING_GROUP, Role.CONTROLLER)
DECISION_ROLES = (Role.REGION_ADMIN, Role.STEERING_GROUP)


def is_national(user: Any) -> bool:
    return bool(user.is_superuser or user.scope == Scope.NATIONAL)


def can_read_governance(user: Any) -> bool:
    return bool(user.is_authenticated and (is_national(user) or user.scope == Scope.REGION))


def require_reader(user: Any) -> None:
    if not can_read_governance(user):
        raise PermissionDenied


def _own_region_role(user: Any, region_id: int | None, roles: tuple[str, ...]) -> bool:
    return bool(
        user.is_authenticated
        and region_id is not None
        and user.scope == Scope.REGION
        and user.region_id == region_id
        and user.has_role(*roles)
    )


def can_change_plan(user: Any, region_id: int | None) -> bool:
    return _own_region_role(user, region_id, PLAN_ROLES)


def can_record_decisions(user: Any, region_id: int | None) -> bool:
    return _own_region_role(user, region_id, DECISION_ROLES)


def chosen_region(request: HttpRequest) -> Region | None:
    """A national user's ``?region=`` filter (None: every region); a region user's own region."""
    user: Any = request.user
    if not is_national(user):
        return user.region
    code = request.GET.get("region", "").strip()
    return get_object_or_404(Region.objects.all(), code=code) if code else None


def region_choices(request: HttpRequest) -> QuerySet[Region] | list[Region]:
    return Region.objects.order_by("code") if is_national(request.user) else []
