"""The agreement price of a need or an assignment – computed, never typed in.

Hourly price = the price-list version in force on the start date × the competence level × the
zone of the care unit's municipality; plus the supplements that apply to the unit's region (the
northern travel flat rate, per assignment week).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _

from hyrkoll.agreement.models import CompetenceLevel, PriceList, SupplementKind, SupplementUnit
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


def quote(level: CompetenceLevel, unit: OrgUnit, on: datetime.date) -> PriceQuote:
    if unit.municipality_id is None:
        raise NoAgreementPrice(_("The unit has no municipality, so its price zone is unknown."))
    zone = unit.municipality.zone
    price_list = (
        PriceList.objects.in_force(on).filter(agreement__starts_on__lte=on).order_by("-valid_from").first()
    )
    if price_list is None:
        raise NoAgreementPrice(_("No price list is in force on %(date)s.") % {"date": on})
    price = price_list.prices.filter(level=level, zone=zone).first()
    if price is None:
        raise NoAgreementPrice(
            _("Price list %(version)s has no price for %(level)s in zone %(zone)d.")
            % {"version": price_list.version, "level": level, "zone": zone}
        )
    travel = Decimal(0)
    for supplement in price_list.supplements.filter(
        kind=SupplementKind.TRAVEL_FLAT_RATE, unit=SupplementUnit.PER_ASSIGNMENT_WEEK
    ).prefetch_related("regions"):
        if supplement.sub_area_code and supplement.sub_area_code != level.sub_area_code:
            continue
        regions = {region.pk for region in supplement.regions.all()}
        if not regions or unit.region_id in regions:
            travel += supplement.amount_sek
    return PriceQuote(
        price_list=price_list, zone=zone, hourly_sek=price.hourly_sek, travel_sek_per_week=travel
    )
