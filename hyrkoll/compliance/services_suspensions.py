"""Suspensions: the coordinator suspends a supplier and lifts the suspension early.
Whether a supplier is suspended on a day is the leaf module ``suspensions``."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hyrkoll.agreement.models import Supplier
from hyrkoll.audit import services as audit
from hyrkoll.audit.models import AuditAction
from hyrkoll.compliance import permissions
from hyrkoll.compliance.models import Suspension
from hyrkoll.compliance.services_common import field_error as _field_error
from hyrkoll.ordering.workflow import WorkflowError


@transaction.atomic
def suspend(
    actor: Any, supplier: Supplier, starts_on: datetime.date, ends_on: datetime.date, reason: str
) -> Suspension:
    """The coordinator suspends a supplier from ``starts_on`` through ``ends_on``."""
    if not permissions.can_suspend(actor):
        raise WorkflowError(_("Only the national coordinator suspends suppliers."))
    if not (reason or "").strip():
        raise _field_error(str(_("Reason")), _("give a reason for the suspension."))
    if starts_on is None or ends_on is None:
        raise _field_error(str(_("Suspended until")), _("give both the first and the last day."))
    if ends_on < starts_on:
        raise _field_error(str(_("Suspended until")), _("the end cannot be before the start."))
    if ends_on < timezone.localdate():
        raise _field_error(str(_("Suspended until")), _("the suspension would already be over."))
    # Lock the supplier's row so two coordinators cannot add overlapping suspensions at once.
    Supplier.objects.select_for_update().get(pk=supplier.pk)
    overlapping = [
        s
        for s in Suspension.objects.filter(supplier=supplier, starts_on__lte=ends_on, ends_on__gte=starts_on)
        if s.effective_end >= starts_on and s.effective_end >= s.starts_on
    ]
    if overlapping:
        other = overlapping[0]
        raise WorkflowError(
            _("%(supplier)s is already suspended %(start)s – %(end)s.")
            % {"supplier": supplier, "start": other.starts_on, "end": other.effective_end}
        )
    suspension = Suspension.objects.create(
        supplier=supplier, starts_on=starts_on, ends_on=ends_on, reason=reason.strip(), created_by=actor
    )
    audit.record(
        actor, AuditAction.DECISION, suspension, after=audit.snapshot(suspension), reason=reason.strip()
    )
    return suspension


@transaction.atomic
def lift_suspension(actor: Any, suspension: Suspension, reason: str) -> Suspension:
    """Lift a suspension early: the supplier may receive call-offs again from today."""
    if not permissions.can_suspend(actor):
        raise WorkflowError(_("Only the national coordinator lifts suspensions."))
    if not (reason or "").strip():
        raise _field_error(str(_("Reason")), _("give a reason for lifting the suspension."))
    today = timezone.localdate()
    before = audit.snapshot(suspension)
    updated = Suspension.objects.filter(pk=suspension.pk, lifted_on__isnull=True, ends_on__gte=today).update(
        lifted_on=today, lifted_by=actor, lift_reason=reason.strip()
    )
    if updated != 1:
        raise WorkflowError(_("The suspension has already ended or been lifted."))
    suspension.refresh_from_db()
    audit.record(
        actor,
        AuditAction.DECISION,
        suspension,
        before=before,
        after=audit.snapshot(suspension),
        reason=reason.strip(),
    )
    return suspension
