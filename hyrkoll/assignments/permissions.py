"""Who may act on an assignment and its time reports. The only place these rules are written."""

from __future__ import annotations

from typing import Any

from hyrkoll.accounts.models import Role
from hyrkoll.ordering import permissions as ordering_permissions
from hyrkoll.ordering.permissions import _region_roles, unit_chain_ids
from hyrkoll.organisation.models import OrgUnit


def can_manage_unit(user: Any, unit: OrgUnit) -> bool:
    """The unit's manager: an approver (any decision level) whose role covers the unit, or an
    orderer for the unit. Approves and returns time reports."""
    chain = unit_chain_ids(unit)
    if any(
        a.org_unit_id is None or a.org_unit_id in chain
        for a in _region_roles(user, Role.APPROVER, unit.region_id)
    ):
        return True
    return ordering_permissions.can_order_for(user, unit)


def can_change(user: Any, assignment: Any) -> bool:
    """Extensions and cancellations: the region's call-off unit."""
    return ordering_permissions.is_call_off_unit(user, assignment.region_id)


def can_report_time(user: Any, assignment: Any) -> bool:
    """The assignment's own supplier."""
    return ordering_permissions.is_supplier_user(user) and user.supplier_id == assignment.supplier_id
