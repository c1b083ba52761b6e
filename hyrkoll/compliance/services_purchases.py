"""Direct purchases (purchases outside the agreement): registering one and a region-year's running
total against the direct-award threshold."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from hyrkoll.agreement.models import AgreementParameter, CompetenceLevel, ParameterKey
from hyrkoll.agreement.pricing import NoAgreementPrice, quote
from hyrkoll.audit import services as audit
from hyrkoll.audit.models import AuditAction
from hyrkoll.compliance import permissions
from hyrkoll.compliance.models import DirectPurchase
from hyrkoll.compliance.services_common import field_error as _field_error
from hyrkoll.lib.orgno import normalise_org_no
from hyrkoll.ordering.models import Need, NeedStatus
from hyrkoll.ordering.workflow import WorkflowError, off_agreement_premium, off_agreement_value
from hyrkoll.organisation.models import OrgUnit

WARNING_PCT = Decimal(80)


def _eligible() -> QuerySet[Need]:
    return Need.objects.filter(
        outside_agreement=True, status=NeedStatus.APPROVED, direct_purchase__isnull=True
    ).order_by("starts_on", "pk")


def eligible_needs(region_id: int) -> QuerySet[Need]:
    """Approved dispensations for purchases outside the agreement not yet registered as a purchase."""
    return _eligible().filter(region_id=region_id).select_related("unit", "level", "competence")


#: What :func:`year_figures` reads of a pending need.
PENDING_FIELDS = (
    "region",
    "starts_on",
    "ends_on",
    "hours_per_week",
    "outside_hourly_price_sek",
    "estimated_cost_sek",
)


def eligible_needs_in_year(year: int) -> QuerySet[Need]:
    """Every region's eligible needs starting in ``year`` (the national overview), with only the
    fields the figures read."""
    return _eligible().filter(starts_on__year=year).only(*PENDING_FIELDS)


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


def year_threshold(year: int) -> Decimal | None:
    """The direct-award threshold that applies to ``year`` (``None``: none). Two queries, the same
    for every region: a page asks once."""
    threshold = AgreementParameter.value_in_force(
        ParameterKey.DIRECT_AWARD_THRESHOLD_SEK, threshold_on(year), Decimal(0)
    )
    return threshold or None


def year_figures(
    year: int, purchases: Iterable[DirectPurchase], pending: Iterable[Need], threshold: Decimal | None
) -> PurchaseYear:
    """A region-year's figures from its registered purchases and its pending needs (approved
    dispensations not yet registered, valued as the workflow values them). No query."""
    with_dispensation = without = premium = Decimal(0)
    count = 0
    for purchase in purchases:
        count += 1
        if purchase.has_dispensation:
            with_dispensation += purchase.total_sek
        else:
            without += purchase.total_sek
        premium += purchase.premium_sek or Decimal(0)
    pending_sek = Decimal(0)
    for need in pending:
        pending_sek += off_agreement_value(need)
        premium += off_agreement_premium(need) or Decimal(0)
    return PurchaseYear(
        year=year,
        with_dispensation_sek=with_dispensation,
        without_dispensation_sek=without,
        pending_sek=pending_sek,
        premium_sek=premium,
        threshold_sek=threshold,
        count=count,
    )


def purchase_year(
    region_id: int, year: int, purchases: Iterable[DirectPurchase] | None = None
) -> PurchaseYear:
    """The running total of a region-year: registered purchases (with and without dispensation)
    plus approved dispensations not yet registered (their value as the workflow computes it)."""
    if purchases is None:
        purchases = DirectPurchase.objects.filter(region_id=region_id, starts_on__year=year)
    pending = _eligible().filter(region_id=region_id, starts_on__year=year).only(*PENDING_FIELDS)
    return year_figures(year, purchases, pending, year_threshold(year))
