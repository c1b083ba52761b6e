"""Who may do what with deviations, suspensions, direct purchases and contract fidelity.
The only place these rules are written.

- Deviations: a region's call-off unit or region administrator records and withdraws them for
  the region; suppliers read the deviations about themselves (``visible_to``).
- Suspensions: only the national coordinator; everyone reads them (a supplier only its own).
- Direct purchases: the region's call-off unit (any unit) or an authorised orderer (their units).
- Direct purchases and contract fidelity are read by the region's users and the national level;
  suppliers never see them.
"""

from __future__ import annotations

from typing import Any

from hyrkoll.accounts.models import Role, Scope
from hyrkoll.ordering import permissions as ordering_permissions
from hyrkoll.organisation.models import OrgUnit


def is_national(user: Any) -> bool:
    return bool(user.is_authenticated and (user.is_superuser or user.scope == Scope.NATIONAL))


def is_region_user(user: Any, region_id: int | None = None) -> bool:
    return bool(
        user.is_authenticated
        and user.scope == Scope.REGION
        and user.region_id is not None
        and (region_id is None or user.region_id == region_id)
    )


def can_read_region_data(user: Any) -> bool:
    """Direct purchases and contract fidelity: the regions and the national level."""
    return is_national(user) or is_region_user(user)


def can_record_deviation(user: Any, region_id: int) -> bool:
    if ordering_permissions.is_call_off_unit(user, region_id):
        return True
    return is_region_user(user, region_id) and user.has_role(Role.REGION_ADMIN)


def can_suspend(user: Any) -> bool:
    return bool(user.is_authenticated and user.is_coordinator)


def can_register_purchase(user: Any, unit: OrgUnit) -> bool:
    return ordering_permissions.is_call_off_unit(user, unit.region_id) or ordering_permissions.can_order_for(
        user, unit
    )


def may_register_purchases(user: Any) -> bool:
    """Whether to offer the registration form at all (the unit is checked on saving)."""
    return is_region_user(user) and user.has_role(Role.CALL_OFF_UNIT, Role.ORDERER)
