"""Who sees where the hired cost sits: a region's own users, for their own region only.

National users, suppliers and a superuser without a region get 403 – the figures name consultants
and units and stay inside the region.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied

from hyrkoll.accounts.models import Scope
from hyrkoll.organisation.models import Region


def own_region(user: Any) -> Region | None:
    """The region whose figures ``user`` may see: their own, if they are a region's user."""
    if not getattr(user, "is_authenticated", False) or getattr(user, "scope", None) != Scope.REGION:
        return None
    return user.region if user.region_id else None


def require_own_region(user: Any) -> Region:
    region = own_region(user)
    if region is None:
        raise PermissionDenied
    return region
