"""Outside the agreement: a direct purchase's value, its premium over the agreement price, and the
region's running total against the direct-award threshold."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from hyrkoll.agreement.models import AgreementParameter, ParameterKey
from hyrkoll.ordering.models import Need, NeedStatus

_parameter = AgreementParameter.value_in_force


@dataclass(frozen=True)
class OffAgreementFigures:
    value_sek: Decimal
    premium_sek: Decimal | None
    year_total_sek: Decimal
    threshold_sek: Decimal | None

    @property
    def share_of_threshold(self) -> Decimal | None:
        if not self.threshold_sek:
            return None
        return (self.year_total_sek + self.value_sek) / self.threshold_sek * 100

    @property
    def warning(self) -> bool:
        share = self.share_of_threshold
        return share is not None and share >= 80

    @property
    def crosses(self) -> bool:
        share = self.share_of_threshold
        return share is not None and share > 100


def off_agreement_value(need: Need) -> Decimal:
    weeks = Decimal(need.length_days) / Decimal(7)
    return (weeks * need.hours_per_week * (need.outside_hourly_price_sek or Decimal(0))).quantize(
        Decimal("0.01")
    )


def off_agreement_premium(need: Need) -> Decimal | None:
    """The purchase's premium over its estimated cost at the agreement price (``None``: no estimate).
    No query, unlike :func:`off_agreement_figures`: the registers add it up over many needs."""
    if need.estimated_cost_sek is None:
        return None
    return off_agreement_value(need) - need.estimated_cost_sek


def off_agreement_figures(need: Need) -> OffAgreementFigures:
    """The purchase's value, its premium over the agreement price, and the region's running total
    of approved direct purchases this year against the direct-award threshold."""
    value = off_agreement_value(need)
    premium = off_agreement_premium(need)
    total = approved_off_agreement_total(need.region_id, need.starts_on.year, exclude_pk=need.pk)
    threshold = _parameter(ParameterKey.DIRECT_AWARD_THRESHOLD_SEK, need.starts_on, Decimal(0)) or None
    return OffAgreementFigures(
        value_sek=value, premium_sek=premium, year_total_sek=total, threshold_sek=threshold
    )


def approved_off_agreement_total(region_id: int, year: int, exclude_pk: int | None = None) -> Decimal:
    """The value of the region's approved purchases outside the agreement starting in ``year``."""
    needs = Need.objects.filter(
        region_id=region_id, outside_agreement=True, status=NeedStatus.APPROVED, starts_on__year=year
    ).exclude(pk=exclude_pk)
    return sum((off_agreement_value(need) for need in needs), Decimal(0))
