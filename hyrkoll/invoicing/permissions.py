"""Who may act on invoices. The only place these rules are written."""

from __future__ import annotations

from typing import Any

from hyrkoll.assignments import permissions as assignment_permissions
from hyrkoll.ordering import permissions as ordering_permissions
from hyrkoll.organisation.models import OrgUnit


def can_import(user: Any, region_id: int) -> bool:
    """Importing a file of invoices received by the region: its call-off unit."""
    return ordering_permissions.is_call_off_unit(user, region_id)


def can_submit(user: Any) -> bool:
    """Submitting invoices in the portal or through the API: a supplier's user."""
    return ordering_permissions.is_supplier_user(user)


def can_decide(user: Any, invoice: Any) -> bool:
    """Accepting deviations, approving and rejecting: the region's call-off unit, or the manager of
    every unit the invoice's known assignments are at."""
    if ordering_permissions.is_call_off_unit(user, invoice.region_id):
        return True
    unit_ids = set(invoice.lines.exclude(assignment=None).values_list("assignment__unit_id", flat=True))
    if not unit_ids:
        return False
    return all(
        assignment_permissions.can_manage_unit(user, unit) for unit in OrgUnit.objects.filter(pk__in=unit_ids)
    )
