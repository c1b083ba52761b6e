"""Row visibility, enforced in one place.

Every model that belongs to a region or a supplier uses :class:`ScopedQuerySet` as its default
manager and declares the lookup paths from itself to its region and supplier. Views, the API and
exports start from ``Model.objects.visible_to(user)``; none of them filters by region on its own.

- The national level (coordinators, national readers) and superusers see every row.
- A region user sees rows whose ``scope_region_path`` points at their region.
- A supplier user sees rows whose ``scope_supplier_path`` points at their supplier.
- Models marked ``scope_public = True`` (the agreement register) are visible to every signed-in
  user: the prices and admitted suppliers are the agreement's public terms.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import models

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from hyrkoll.accounts.models import User


class ScopedQuerySet(models.QuerySet):
    def visible_to(self, user: User | AnonymousUser) -> ScopedQuerySet:
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser or user.is_national:  # type: ignore[union-attr]
            return self
        model: Any = self.model
        if getattr(model, "scope_public", False):
            return self
        region_path: str | None = getattr(model, "scope_region_path", None)
        supplier_path: str | None = getattr(model, "scope_supplier_path", None)
        if user.region_id is not None and region_path is not None:  # type: ignore[union-attr]
            return self.filter(**{region_path: user.region_id})  # type: ignore[union-attr]
        if user.supplier_id is not None and supplier_path is not None:  # type: ignore[union-attr]
            return self.filter(**{supplier_path: user.supplier_id})  # type: ignore[union-attr]
        return self.none()


ScopedManager = models.Manager.from_queryset(ScopedQuerySet)
