"""Supplier deviations: counting them in the window, the escalation step, recording and withdrawing."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Count, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from hyrkoll.agreement.models import AgreementParameter, ParameterKey, Supplier
from hyrkoll.audit import services as audit
from hyrkoll.audit.models import AuditAction
from hyrkoll.compliance import permissions
from hyrkoll.compliance.models import DeviationKind, EscalationStep, SupplierDeviation
from hyrkoll.compliance.services_common import field_error as _field_error
from hyrkoll.lib.dates import shift_months
from hyrkoll.ordering.workflow import WorkflowError
from hyrkoll.organisation.models import Region

DEFAULT_DEVIATIONS_BEFORE_PENALTY = Decimal(3)
WINDOW_MONTHS = 12


def deviations_before_penalty(on: datetime.date) -> int:
    return int(
        AgreementParameter.value_in_force(
            ParameterKey.DEVIATIONS_BEFORE_PENALTY, on, DEFAULT_DEVIATIONS_BEFORE_PENALTY
        )
    )


def counting_window(on: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The days whose deviations count on ``on``: the last 12 months, ``on`` included."""
    return shift_months(on, -WINDOW_MONTHS) + datetime.timedelta(days=1), on


def escalation_step(count: int, limit: int) -> EscalationStep:
    """Below the agreement's number: noted; at it: a contractual penalty; beyond: consider suspension."""
    if count <= 0:
        return EscalationStep.NONE
    if count < limit:
        return EscalationStep.NOTED
    if count == limit:
        return EscalationStep.PENALTY
    return EscalationStep.CONSIDER_SUSPENSION


@dataclass(frozen=True)
class DeviationCount:
    supplier_id: int
    supplier_name: str
    region_code: str | None  # None: every region together
    region_name: str
    count: int
    step: EscalationStep


def deviation_counts(
    deviations: QuerySet[SupplierDeviation], on: datetime.date, *, per_region: bool = True
) -> list[DeviationCount]:
    """Active deviations in the counting window, per supplier (and region), with the step.
    One query."""
    limit = deviations_before_penalty(on)
    start, end = counting_window(on)
    fields = ["supplier_id", "supplier__name"] + (["region__code", "region__name"] if per_region else [])
    rows = (
        deviations.filter(withdrawn_at__isnull=True, occurred_on__range=(start, end))
        .values(*fields)
        .annotate(n=Count("pk"))
        .order_by()
    )
    counts = [
        DeviationCount(
            supplier_id=row["supplier_id"],
            supplier_name=row["supplier__name"],
            region_code=row.get("region__code"),
            region_name=row.get("region__name", ""),
            count=row["n"],
            step=escalation_step(row["n"], limit),
        )
        for row in rows
    ]
    return sorted(counts, key=lambda c: (-c.count, c.supplier_name, c.region_code or ""))


@transaction.atomic
def record_deviation(
    actor: Any,
    supplier: Supplier,
    region: Region,
    kind: str,
    description: str,
    occurred_on: datetime.date,
    assignment: Any = None,
    *,
    call_off: Any = None,
    enforce_role: bool = True,
) -> SupplierDeviation:
    """Record a deviation of ``supplier`` in ``region``.

    The call-off unit and the region administrator record deviations. Another flow that records one
    as part of its own decision (an invoice rejected by the region: kind ``invoice_error``) passes
    ``enforce_role=False``; the actor must still belong to the region.
    """
    allowed = (
        permissions.can_record_deviation(actor, region.pk)
        if enforce_role
        else permissions.is_region_user(actor, region.pk)
    )
    if not allowed:
        raise WorkflowError(
            _("Only the region's call-off unit or administrator records supplier deviations.")
        )
    if kind not in DeviationKind.values:
        raise _field_error(str(_("Kind")), _("choose one of the listed kinds."))
    if not (description or "").strip():
        raise _field_error(str(_("Description")), _("describe what happened."))
    if occurred_on is None:
        raise _field_error(str(_("Date")), _("give the date of the deviation."))
    if occurred_on > timezone.localdate():
        raise _field_error(str(_("Date")), _("the date cannot be in the future."))
    if assignment is not None and (
        assignment.region_id != region.pk or assignment.supplier_id != supplier.pk
    ):
        raise _field_error(
            str(_("Assignment")), _("the assignment must be one of the region's with this supplier.")
        )
    if call_off is not None and call_off.region_id != region.pk:
        raise _field_error(str(_("Call-off")), _("the call-off must be one of the region's."))
    deviation = SupplierDeviation.objects.create(
        region=region,
        supplier=supplier,
        kind=kind,
        description=description.strip(),
        occurred_on=occurred_on,
        assignment=assignment,
        call_off=call_off,
        recorded_by=actor,
    )
    audit.record(actor, AuditAction.CREATE, deviation)
    return deviation


@transaction.atomic
def withdraw_deviation(actor: Any, deviation: SupplierDeviation, reason: str) -> SupplierDeviation:
    """Withdraw a deviation recorded in error: it stays, marked, and no longer counts."""
    if not permissions.can_record_deviation(actor, deviation.region_id):
        raise WorkflowError(
            _("Only the region's call-off unit or administrator withdraws supplier deviations.")
        )
    if not (reason or "").strip():
        raise _field_error(str(_("Reason")), _("give a reason for the withdrawal."))
    before = audit.snapshot(deviation)
    now = timezone.now()
    updated = SupplierDeviation.objects.filter(pk=deviation.pk, withdrawn_at__isnull=True).update(
        withdrawn_at=now, withdrawn_by=actor, withdrawal_reason=reason.strip()
    )
    if updated != 1:
        raise WorkflowError(_("The deviation has already been withdrawn."))
    deviation.refresh_from_db()
    audit.record(actor, AuditAction.UPDATE, deviation, before=before, reason=reason.strip())
    return deviation
