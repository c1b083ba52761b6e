"""The agreement price of a need or an assignment – computed, never typed in.

Hourly price = the price-list version in force on the start date × the competence level × the
zone of the care unit's municipality; plus the supplements that apply to the unit's region (the
northern travel flat rate, per assignment week).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import DecimalField, Exists, OuterRef, Q, QuerySet, Subquery, Sum
from django.utils.translation import gettext as _

from hyrkoll.agreement.models import (
    CompetenceLevel,
    Price,
    PriceList,
    Supplement,
    SupplementKind,
    SupplementUnit,
)
from hyrkoll.organisation.models import OrgUnit

CENT = Decimal("0.01")


class NoAgreementPrice(Exception):
    """No price-list version or no price for the level and zone on that date."""


@dataclass(frozen=True)
class PriceQuote:
    price_list: PriceList
    zone: int
    hourly_sek: Decimal
    travel_sek_per_week: Decimal

    def cost(self, starts_on: datetime.date, ends_on: datetime.date, hours_per_week: Decimal) -> Decimal:
        """Estimated cost of the period: hours at the hourly price plus weekly supplements."""
        weeks = Decimal((ends_on - starts_on).days + 1) / Decimal(7)
        total = weeks * (Decimal(hours_per_week) * self.hourly_sek + self.travel_sek_per_week)
        return total.quantize(CENT, ROUND_HALF_UP)


def _price_lists_in_force(on: datetime.date) -> QuerySet[PriceList]:
    """The price lists in force on ``on`` whose agreement has started, the one in force first."""
    return PriceList.objects.in_force(on).filter(agreement__starts_on__lte=on).order_by("-valid_from", "-pk")


def _travel_per_week(level: CompetenceLevel, unit: OrgUnit) -> Subquery:
    """The sum of the price list's weekly travel supplements for the level's sub-area (or every
    sub-area) that apply in the unit's region (or in every region); NULL when none does."""
    regions = Supplement.regions.through.objects
    supplements = (
        Supplement.objects.filter(
            price_list=OuterRef("price_list"),
            kind=SupplementKind.TRAVEL_FLAT_RATE,
            unit=SupplementUnit.PER_ASSIGNMENT_WEEK,
        )
        .filter(Q(sub_area_code="") | Q(sub_area_code=level.sub_area_code))
        .filter(
            ~Exists(regions.filter(supplement=OuterRef("pk")))
            | Exists(regions.filter(supplement=OuterRef("pk"), region_id=unit.region_id))
        )
        .order_by()
        .values("price_list")
        .annotate(total=Sum("amount_sek"))
        .values("total")
    )
    return Subquery(supplements, output_field=DecimalField(max_digits=14, decimal_places=2))


def quote(level: CompetenceLevel, unit: OrgUnit, on: datetime.date) -> PriceQuote:
    """The price of ``level`` at ``unit`` on ``on``: one query (the price with its price list and
    the travel supplements), a second only to tell why there is none."""
    if unit.municipality_id is None:
        raise NoAgreementPrice(_("The unit has no municipality, so its price zone is unknown."))
    zone = unit.municipality.zone
    price = (
        Price.objects.filter(price_list=Subquery(_price_lists_in_force(on).values("pk")[:1]))
        .filter(level=level, zone=zone)
        .select_related("price_list")
        .annotate(travel=_travel_per_week(level, unit))
        .order_by()
        .first()
    )
    if price is None:
        price_list = _price_lists_in_force(on).first()
        if price_list is None:
            raise NoAgreementPrice(_("No price list is in force on %(date)s.") % {"date": on})
        raise NoAgreementPrice(
            _("Price list %(version)s has no price for %(level)s in zone %(zone)d.")
            % {"version": price_list.version, "level": level, "zone": zone}
        )
    return PriceQuote(
        price_list=price.price_list,
        zone=zone,
        hourly_sek=price.hourly_sek,
        travel_sek_per_week=Decimal(0) + (price.travel or 0),  # type: ignore[attr-defined]
    )
