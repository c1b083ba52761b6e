"""Who may act on a need or a call-off. The only place these rules are written."""

from __future__ import annotations

from typing import Any

from hyrkoll.accounts.models import Role, Scope
from hyrkoll.organisation.models import OrgUnit


def unit_chain_ids(unit: OrgUnit) -> set[int]:
    """The unit and every unit above it: a role limited to any of them covers the unit."""
    return {unit.pk, *(ancestor.pk for ancestor in unit.ancestors())}


def _region_roles(user: Any, role: str, region_id: int) -> list[Any]:
    if not user.is_authenticated or user.scope != Scope.REGION or user.region_id != region_id:
        return []
    return [assignment for assignment in user.loaded_role_assignments() if assignment.role == role]


def can_order_for(user: Any, unit: OrgUnit) -> bool:
    """Only authorised orderers (behöriga beställare), for their own units."""
    chain = unit_chain_ids(unit)
    return any(
        a.org_unit_id is None or a.org_unit_id in chain
        for a in _region_roles(user, Role.ORDERER, unit.region_id)
    )


def deciding_level(user: Any, need: Any) -> int | None:
    """The highest level at which ``user`` may decide ``need``: an approver assignment at (or
    above) the level the rules require, covering the need's part of the region. ``None`` if none."""
    if need.required_level is None:
        return None
    chain = unit_chain_ids(need.unit)
    levels = [
        a.decision_level
        for a in _region_roles(user, Role.APPROVER, need.region_id)
        if a.decision_level is not None
        and a.decision_level >= need.required_level
        and (a.org_unit_id is None or a.org_unit_id in chain)
    ]
    return max(levels, default=None)


def can_decide(user: Any, need: Any) -> bool:
    return deciding_level(user, need) is not None


def is_approver(user: Any, region_id: int) -> bool:
    """Holds an approver role in the region, at some level (``can_decide`` checks the need's)."""
    return bool(_region_roles(user, Role.APPROVER, region_id))


def is_call_off_unit(user: Any, region_id: int) -> bool:
    return bool(_region_roles(user, Role.CALL_OFF_UNIT, region_id))


def is_steering_group(user: Any, region_id: int) -> bool:
    return bool(_region_roles(user, Role.STEERING_GROUP, region_id))


def is_supplier_user(user: Any) -> bool:
    return bool(user.is_authenticated and user.scope == Scope.SUPPLIER and user.has_role(Role.SUPPLIER_USER))
