"""Deviations, suspensions and direct purchases: every change goes through here.

Like the ordering workflow, each step checks who acts, validates its input, changes state with a
compare-and-set update where two people could act at once, writes the audit trail, and raises
:class:`WorkflowError` with a message for the user when the step is not allowed (nothing is changed
then).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from hyrkoll.agreement.models import AgreementParameter, CompetenceLevel, ParameterKey, Supplier
from hyrkoll.agreement.pricing import NoAgreementPrice, quote
from hyrkoll.audit import services as audit
from hyrkoll.audit.models import AuditAction
from hyrkoll.compliance import permissions
from hyrkoll.compliance.models import (
    DeviationKind,
    DirectPurchase,
    EscalationStep,
    SupplierDeviation,
    Suspension,
)
from hyrkoll.compliance.suspensions import is_suspended, suspended_supplier_ids
from hyrkoll.lib.dates import shift_months
from hyrkoll.lib.orgno import normalise_org_no
from hyrkoll.ordering.models import Need, NeedStatus
from hyrkoll.ordering.workflow import WorkflowError, off_agreement_figures, off_agreement_value
from hyrkoll.organisation.models import OrgUnit, Region

__all__ = [
    "WorkflowError",
    "is_suspended",
    "suspended_supplier_ids",
    "record_deviation",
    "withdraw_deviation",
    "suspend",
    "lift_suspension",
    "register_purchase",
]

DEFAULT_DEVIATIONS_BEFORE_PENALTY = Decimal(3)
WINDOW_MONTHS = 12
WARNING_PCT = Decimal(80)


def _field_error(label: str, message: str) -> WorkflowError:
    """A refusal naming the field, as the forms do."""
    return WorkflowError(f"{label}: {message}")


# --- deviations ------------------------------------------------------------------------------------------


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


# --- suspensions ------------------------------------------------------------------------------------------


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


# --- direct purchases -----------------------------------------------------------------------------------


def eligible_needs(region_id: int) -> QuerySet[Need]:
    """Approved dispensations for purchases outside the agreement not yet registered as a purchase."""
    return (
        Need.objects.filter(
            region_id=region_id,
            outside_agreement=True,
            status=NeedStatus.APPROVED,
            direct_purchase__isnull=True,
        )
        .select_related("unit", "level", "competence")
        .order_by("starts_on", "pk")
    )


@dataclass(frozen=True)
class PurchaseFigures:
    total_sek: Decimal
    agreement_hourly_sek: Decimal | None
    agreement_cost_sek: Decimal | None
    premium_sek: Decimal | None


def purchase_figures(
    unit: OrgUnit,
    level: CompetenceLevel,
    starts_on: datetime.date,
    ends_on: datetime.date,
    hours_per_week: Decimal,
    hourly_price_sek: Decimal,
) -> PurchaseFigures:
    """The purchase's total (the workflow's formula for a purchase outside the agreement) and its
    premium over what the same hours cost at the agreement price of the level and unit."""
    transient = Need(
        starts_on=starts_on,
        ends_on=ends_on,
        hours_per_week=hours_per_week,
        outside_hourly_price_sek=hourly_price_sek,
    )
    total = off_agreement_value(transient)
    try:
        price = quote(level, unit, starts_on)
    except NoAgreementPrice:
        return PurchaseFigures(total, None, None, None)
    agreement_cost = price.cost(starts_on, ends_on, hours_per_week)
    return PurchaseFigures(total, price.hourly_sek, agreement_cost, total - agreement_cost)


@transaction.atomic
def register_purchase(
    actor: Any,
    *,
    supplier_name: str,
    supplier_org_no: str,
    hourly_price_sek: Decimal,
    starts_on: datetime.date,
    ends_on: datetime.date,
    hours_per_week: Decimal,
    need: Need | None = None,
    unit: OrgUnit | None = None,
    level: CompetenceLevel | None = None,
    explanation: str = "",
) -> DirectPurchase:
    """Register a purchase outside the agreement: carrying out an approved dispensation (``need``),
    or found without one (``unit``, ``level`` and an ``explanation`` required)."""
    if need is not None:
        need = Need.objects.select_for_update().select_related("unit", "level").get(pk=need.pk)
        unit, level = need.unit, need.level
    if unit is None:
        raise _field_error(str(_("Care unit")), _("choose the unit the staff worked for."))
    if not permissions.can_register_purchase(actor, unit):
        raise WorkflowError(
            _("Only the region's call-off unit or an orderer for the unit registers purchases.")
        )
    if need is not None:
        if not need.outside_agreement or need.status != NeedStatus.APPROVED:
            raise _field_error(
                str(_("Dispensation")), _("the need must be an approved purchase outside the agreement.")
            )
        if DirectPurchase.objects.filter(need=need).exists():
            raise _field_error(str(_("Dispensation")), _("a purchase is already registered for this need."))
    elif not (explanation or "").strip():
        raise _field_error(str(_("Explanation")), _("explain the purchase made without a dispensation."))
    if level is None:
        raise _field_error(str(_("Competence level")), _("choose the competence level bought."))
    if not (supplier_name or "").strip():
        raise _field_error(str(_("Supplier")), _("give the supplier's name."))
    try:
        org_no = normalise_org_no(supplier_org_no or "")
    except ValidationError as error:
        raise _field_error(str(_("Organisation number")), " ".join(error.messages)) from None
    if hourly_price_sek is None or hourly_price_sek <= 0:
        raise _field_error(str(_("Hourly price (SEK)")), _("must be more than 0."))
    if hours_per_week is None or hours_per_week <= 0:
        raise _field_error(str(_("Hours per week")), _("must be more than 0."))
    if starts_on is None or ends_on is None:
        raise _field_error(str(_("End")), _("give the start and the end of the period."))
    if ends_on < starts_on:
        raise _field_error(str(_("End")), _("the end cannot be before the start."))
    figures = purchase_figures(unit, level, starts_on, ends_on, hours_per_week, hourly_price_sek)
    purchase = DirectPurchase(
        region_id=unit.region_id,
        need=need,
        explanation=(explanation or "").strip(),
        unit=unit,
        level=level,
        supplier_name=supplier_name.strip(),
        supplier_org_no=org_no,
        hourly_price_sek=hourly_price_sek,
        starts_on=starts_on,
        ends_on=ends_on,
        hours_per_week=hours_per_week,
        total_sek=figures.total_sek,
        agreement_hourly_sek=figures.agreement_hourly_sek,
        agreement_cost_sek=figures.agreement_cost_sek,
        premium_sek=figures.premium_sek,
        recorded_by=actor,
    )
    try:
        purchase.full_clean(exclude=["recorded_by"])
    except ValidationError as error:
        raise WorkflowError(" ".join(error.messages)) from None
    purchase.save()
    audit.record(actor, AuditAction.CREATE, purchase, reason=purchase.explanation)
    return purchase


@dataclass(frozen=True)
class PurchaseYear:
    """A region's purchases outside the agreement in one year (by start date) against the threshold."""

    year: int
    with_dispensation_sek: Decimal
    without_dispensation_sek: Decimal
    pending_sek: Decimal  # approved dispensations not yet registered as purchases
    premium_sek: Decimal
    threshold_sek: Decimal | None
    count: int

    @property
    def registered_sek(self) -> Decimal:
        return self.with_dispensation_sek + self.without_dispensation_sek

    @property
    def running_total_sek(self) -> Decimal:
        return self.registered_sek + self.pending_sek

    @property
    def share_of_threshold(self) -> Decimal | None:
        if not self.threshold_sek:
            return None
        return (self.running_total_sek / self.threshold_sek * 100).quantize(Decimal("0.1"))

    @property
    def warning(self) -> bool:
        share = self.share_of_threshold
        return share is not None and WARNING_PCT <= share <= 100

    @property
    def crossed(self) -> bool:
        share = self.share_of_threshold
        return share is not None and share > 100


def threshold_on(year: int) -> datetime.date:
    """The day whose threshold applies to a year: today in the current year, else its last day."""
    today = timezone.localdate()
    return min(datetime.date(year, 12, 31), max(datetime.date(year, 1, 1), today))


def purchase_year(
    region_id: int, year: int, purchases: Iterable[DirectPurchase] | None = None
) -> PurchaseYear:
    """The running total of a region-year: registered purchases (with and without dispensation)
    plus approved dispensations not yet registered (their value as the workflow computes it)."""
    if purchases is None:
        purchases = DirectPurchase.objects.filter(region_id=region_id, starts_on__year=year)
    with_dispensation = without = premium = Decimal(0)
    count = 0
    for purchase in purchases:
        count += 1
        if purchase.has_dispensation:
            with_dispensation += purchase.total_sek
        else:
            without += purchase.total_sek
        premium += purchase.premium_sek or Decimal(0)
    pending = Decimal(0)
    for need in eligible_needs(region_id).filter(starts_on__year=year):
        pending += off_agreement_value(need)
        premium += off_agreement_figures(need).premium_sek or Decimal(0)
    threshold = AgreementParameter.value_in_force(
        ParameterKey.DIRECT_AWARD_THRESHOLD_SEK, threshold_on(year), Decimal(0)
    )
    return PurchaseYear(
        year=year,
        with_dispensation_sek=with_dispensation,
        without_dispensation_sek=without,
        pending_sek=pending,
        premium_sek=premium,
        threshold_sek=threshold or None,
        count=count,
    )
