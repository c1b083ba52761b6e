"""Who may administer which users. The only place these rules are written."""

from __future__ import annotations

from typing import Any

from hyrkoll.accounts.models import Scope


def can_administer_users(user: Any) -> bool:
    return bool(user.is_authenticated and (user.is_coordinator or user.is_region_admin))


def can_administer(user: Any, target: Any) -> bool:
    """Coordinators administer everyone; a region administrator only users of their own region."""
    if not can_administer_users(user):
        return False
    if user.is_coordinator:
        return True
    return target.scope == Scope.REGION and target.region_id == user.region_id
