"""Who sees which region's follow-up figures. The only place this rule is written.

- The national level sees every region.
- A region's users see their own region in detail, and the other regions only for months the
  coordinator has published (the Bemanningstrend is public once published).
- Suppliers see no follow-up figures.
- What is not part of the Bemanningstrend (preliminary months, the ledger per supplier) only the
  region's own users and the national level see (``sees_region_detail``).
"""

from __future__ import annotations

import datetime
from typing import Any

from hyrkoll.accounts.models import Scope
from hyrkoll.followup.models import TrendPublication
from hyrkoll.organisation.models import Region


def published_through() -> datetime.date | None:
    latest = TrendPublication.objects.order_by("-through_month").first()
    return latest.through_month if latest else None


def can_follow_up(user: Any) -> bool:
    return bool(user.is_authenticated and (user.is_superuser or user.scope in (Scope.NATIONAL, Scope.REGION)))


def visible_region_codes(user: Any, last_month: datetime.date) -> list[str]:
    """The regions whose figures ``user`` may see for a period ending ``last_month``."""
    if not can_follow_up(user):
        return []
    every = list(Region.objects.order_by("code").values_list("code", flat=True))
    if sees_everything(user):
        return every
    published = published_through()
    if published is not None and last_month <= published:
        return every
    return [user.region.code]


def sees_everything(user: Any) -> bool:
    """The national level (and superusers): every region, published or not, and the forecasts of
    the nation and of every region."""
    return bool(can_follow_up(user) and (user.is_superuser or user.scope == Scope.NATIONAL))


def sees_region_detail(user: Any, region_code: str) -> bool:
    """Figures that are not part of the Bemanningstrend (preliminary months, the ledger per
    supplier): the region's own users and the national level only, published or not."""
    if sees_everything(user):
        return True
    return can_follow_up(user) and user.region is not None and user.region.code == region_code


def follow_up_scope(user: Any, last_month: datetime.date) -> tuple[list[str] | None, bool]:
    """What ``user`` may see of a period ending ``last_month``: (the regions to list – None for
    every region –, whether the national figures may be shown). The API, the dashboards and the
    report all ask this."""
    visible = visible_region_codes(user, last_month)
    if visible and len(visible) == Region.objects.count():
        return None, True
    return visible, False


def latest_visible_month(user: Any, month: datetime.date, region_code: str | None = None) -> datetime.date:
    """``month`` capped at the last published month, for a region's user looking at the nation
    (``region_code`` None) or at another region; unchanged otherwise or when nothing is published."""
    if sees_everything(user):
        return month
    if region_code is not None and user.region is not None and region_code == user.region.code:
        return month
    published = published_through()
    return min(month, published) if published is not None else month
