"""Changes to an assignment: extension (a new priced period) and cancellation (with its charge).

Like the ordering workflow, every step checks who acts, validates its input, moves the status with a
compare-and-set update, writes an event and the audit trail, and raises :class:`WorkflowError` with a
message for the user when the step is not allowed (nothing is changed then).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hyrkoll.agreement.models import AgreementParameter, ParameterKey, SupplierAdmission
from hyrkoll.agreement.pricing import NoAgreementPrice, quote
from hyrkoll.assignments import permissions
from hyrkoll.assignments.models import (
    Assignment,
    AssignmentEvent,
    AssignmentEventKind,
    AssignmentPeriod,
    AssignmentPeriodKind,
    AssignmentStatus,
)
from hyrkoll.assignments.periods import (
    CENT,
    ensure_initial_period,
    hourly_price_on,
    known_hlr_date,
    latest_end_allowed,
)
from hyrkoll.audit import services as audit
from hyrkoll.audit.models import AuditAction
from hyrkoll.lib.dates import shift_months
from hyrkoll.ordering.call_off_length import max_call_off_months
from hyrkoll.ordering.errors import WorkflowError
from hyrkoll.ordering.suspension import refuse_if_suspended

_parameter = AgreementParameter.value_in_force


def _hlr_problem(trained_on: datetime.date | None, on: datetime.date) -> str:
    if trained_on is None:
        return _("No CPR/HLR training date is known; give a new one.")
    months = int(_parameter(ParameterKey.HLR_VALID_MONTHS, on, Decimal(12)))
    if trained_on > timezone.localdate():
        return _("The CPR/HLR training date is in the future.")
    if trained_on < shift_months(on, -months):
        return _(
            "CPR/HLR training on %(date)s is more than %(months)d months before the extension starts "
            "(%(start)s); give a new training date."
        ) % {"date": trained_on, "months": months, "start": on}
    return ""


def _lock_active(assignment: Assignment) -> Assignment:
    stored = Assignment.objects.select_for_update().select_related("call_off", "offer").get(pk=assignment.pk)
    if stored.status != AssignmentStatus.ACTIVE:
        raise WorkflowError(
            _("The assignment is '%(status)s'; it can no longer be changed.")
            % {"status": stored.get_status_display()}
        )
    return stored


# --- extension --------------------------------------------------------------------------------------


@transaction.atomic
def extend(
    actor: Any,
    assignment: Assignment,
    new_end: datetime.date,
    hlr_trained_on: datetime.date | None = None,
    reason: str = "",
) -> AssignmentPeriod:
    """Extend an active assignment to ``new_end``, priced from the price list in force on the
    extension's first day; the consultant's HLR and the supplier's admission are checked again."""
    if not permissions.can_change(actor, assignment):
        raise WorkflowError(_("Only the call-off unit extends an assignment."))
    if not reason.strip():
        raise WorkflowError(_("Give a reason."))
    stored = _lock_active(assignment)
    if new_end <= stored.ends_on:
        raise WorkflowError(
            _("The new end must be after the current end (%(end)s).") % {"end": stored.ends_on}
        )
    limit = latest_end_allowed(stored)
    if new_end > limit:
        months = max_call_off_months(stored.starts_on)
        raise WorkflowError(
            _(
                "An assignment may be at most %(months)d months long including extensions: "
                "the latest possible end is %(limit)s."
            )
            % {"months": months, "limit": limit}
        )
    start = stored.ends_on + datetime.timedelta(days=1)
    hlr = hlr_trained_on or known_hlr_date(stored)
    problem = _hlr_problem(hlr, start)
    if problem:
        raise WorkflowError(problem)
    sub_area_id = stored.call_off.sub_area_id
    for day in sorted({timezone.localdate(), start}):
        refuse_if_suspended(stored.supplier, day)  # an extension is a new commitment to the supplier
        if (
            not SupplierAdmission.objects.in_force(day)
            .filter(supplier_id=stored.supplier_id, sub_area_id=sub_area_id)
            .exists()
        ):
            raise WorkflowError(
                _("%(supplier)s is not admitted to the agreement on %(date)s.")
                % {"supplier": stored.supplier, "date": day}
            )
    clash = (
        Assignment.objects.overlapping(start, new_end)
        .filter(consultant_id=stored.consultant_id)
        .exclude(pk=stored.pk)
        .first()
    )
    if clash is not None:
        raise WorkflowError(
            _("The consultant is already assigned %(start)s – %(end)s.")
            % {"start": clash.starts_on, "end": clash.ends_on}
        )
    try:
        price = quote(stored.level, stored.unit, start)
    except NoAgreementPrice as error:
        raise WorkflowError(str(error)) from None
    ensure_initial_period(stored)
    old_end = stored.ends_on
    updated = Assignment.objects.filter(pk=stored.pk, status=AssignmentStatus.ACTIVE, ends_on=old_end).update(
        ends_on=new_end
    )
    if updated != 1:
        raise WorkflowError(_("Someone else changed the assignment; reload it."))
    period = AssignmentPeriod.objects.create(
        assignment=stored,
        kind=AssignmentPeriodKind.EXTENSION,
        starts_on=start,
        ends_on=new_end,
        price_list=price.price_list,
        hourly_price_sek=price.hourly_sek,
        travel_supplement_sek_per_week=price.travel_sek_per_week,
        hlr_trained_on=hlr,
    )
    data = {
        "previous_end": old_end.isoformat(),
        "new_end": new_end.isoformat(),
        "hourly_price_sek": str(price.hourly_sek),
        "price_list": price.price_list.version,
        "hlr_trained_on": hlr.isoformat() if hlr else None,
    }
    AssignmentEvent.objects.create(
        assignment=stored,
        kind=AssignmentEventKind.EXTENSION,
        actor=audit.acting_user(actor),
        reason=reason,
        data=data,
    )
    audit.record(
        actor,
        AuditAction.DECISION,
        stored,
        before={"ends_on": old_end.isoformat()},
        after={"ends_on": new_end.isoformat(), **data},
        reason=reason,
    )
    assignment.ends_on = new_end
    return period


# --- cancellation -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class CancellationCharge:
    notice_days: int
    required_notice_days: int
    charged_days: int
    hourly_price_sek: Decimal
    value_sek: Decimal
    charge_pct: Decimal
    charge_sek: Decimal


def cancellation_charge(
    assignment: Assignment, effective_on: datetime.date, today: datetime.date | None = None
) -> CancellationCharge:
    """The charge for cancelling with short notice: ``cancellation_charge_pct`` % of the value of the
    cancelled assignment days that fall within the notice period (hours/week × price × days/7)."""
    today = today or timezone.localdate()
    required = int(_parameter(ParameterKey.CANCELLATION_NOTICE_DAYS, today, Decimal(30)))
    pct = _parameter(ParameterKey.CANCELLATION_CHARGE_PCT, today, Decimal(50))
    notice = (effective_on - today).days
    first = max(effective_on, assignment.starts_on)
    last = min(today + datetime.timedelta(days=required - 1), assignment.ends_on)
    days = max((last - first).days + 1, 0) if notice < required else 0
    price = hourly_price_on(assignment, first)
    value = (Decimal(assignment.hours_per_week) * price * Decimal(days) / Decimal(7)).quantize(
        CENT, ROUND_HALF_UP
    )
    charge = (value * pct / Decimal(100)).quantize(CENT, ROUND_HALF_UP)
    return CancellationCharge(notice, required, days, price, value, pct, charge)


@transaction.atomic
def cancel(
    actor: Any, assignment: Assignment, effective_on: datetime.date, reason: str
) -> CancellationCharge:
    """Cancel (avboka) the assignment from ``effective_on``; short notice costs a charge."""
    if not permissions.can_change(actor, assignment):
        raise WorkflowError(_("Only the call-off unit cancels an assignment."))
    if not reason.strip():
        raise WorkflowError(_("Give a reason."))
    stored = _lock_active(assignment)
    today = timezone.localdate()
    if effective_on < today:
        raise WorkflowError(_("The cancellation cannot take effect before today."))
    if effective_on > stored.ends_on:
        raise WorkflowError(
            _("The cancellation date is after the assignment's end (%(end)s).") % {"end": stored.ends_on}
        )
    charge = cancellation_charge(stored, effective_on, today)
    updated = Assignment.objects.filter(pk=stored.pk, status=AssignmentStatus.ACTIVE).update(
        status=AssignmentStatus.CANCELLED,
        cancelled_from=effective_on,
        cancellation_charge_sek=charge.charge_sek,
    )
    if updated != 1:
        raise WorkflowError(_("Someone else changed the assignment; reload it."))
    data = {
        "cancelled_from": effective_on.isoformat(),
        "notice_days": charge.notice_days,
        "required_notice_days": charge.required_notice_days,
        "charged_days": charge.charged_days,
        "hourly_price_sek": str(charge.hourly_price_sek),
        "value_sek": str(charge.value_sek),
        "charge_pct": str(charge.charge_pct),
        "charge_sek": str(charge.charge_sek),
    }
    AssignmentEvent.objects.create(
        assignment=stored,
        kind=AssignmentEventKind.CANCELLATION,
        actor=audit.acting_user(actor),
        reason=reason,
        data=data,
    )
    audit.record(
        actor,
        AuditAction.DECISION,
        stored,
        before={"status": AssignmentStatus.ACTIVE},
        after={"status": AssignmentStatus.CANCELLED, **data},
        reason=reason,
    )
    assignment.status = AssignmentStatus.CANCELLED
    assignment.cancelled_from = effective_on
    assignment.cancellation_charge_sek = charge.charge_sek
    return charge
