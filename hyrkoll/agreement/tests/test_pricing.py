"""The agreement price of a need: ``quote()`` against the reference price lists, and the agreement
parameter in force; both read with a fixed, small number of queries."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.utils import translation

from conftest import make_unit_tree
from hyrkoll.agreement.models import (
    AgreementParameter,
    CompetenceLevel,
    FrameworkAgreement,
    ParameterKey,
    Price,
    PriceList,
    Supplement,
    SupplementKind,
    SupplementUnit,
)
from hyrkoll.agreement.pricing import NoAgreementPrice, PriceQuote, quote
from hyrkoll.organisation.models import OrgUnit, Region

pytestmark = pytest.mark.django_db

ON = datetime.date(2026, 3, 2)  # price list 2026-demo
TRAVEL = Decimal(2500)  # the reference data's default northern travel flat rate


@pytest.fixture(autouse=True)
def _english() -> Any:
    """The messages in their source language."""
    with translation.override("en"):
        yield


def _unit(region_code: str, prefix: str) -> OrgUnit:
    """A care unit with its municipality read along, as the need's page reads it."""
    care_unit = make_unit_tree(Region.objects.get(code=region_code), prefix)["care_unit"]
    return OrgUnit.objects.select_related("municipality").get(pk=care_unit.pk)


@pytest.fixture
def north() -> OrgUnit:
    return _unit("25", "N")  # Norrbotten: the travel flat rate applies


@pytest.fixture
def south() -> OrgUnit:
    return _unit("14", "S")  # Västra Götaland: it does not


def _level(code: str = "doctor_specialist_a") -> CompetenceLevel:
    return CompetenceLevel.objects.get(code=code)


def _expected(unit: OrgUnit, level: CompetenceLevel, version: str, travel: Decimal) -> PriceQuote:
    price_list = PriceList.objects.get(version=version)
    zone = unit.municipality.zone
    hourly = Price.objects.get(price_list=price_list, level=level, zone=zone).hourly_sek
    return PriceQuote(price_list=price_list, zone=zone, hourly_sek=hourly, travel_sek_per_week=travel)


def _travel(sub_area_code: str, amount: int, regions: tuple[str, ...] = ()) -> Supplement:
    supplement = Supplement.objects.create(
        price_list=PriceList.objects.get(version="2026-demo"),
        kind=SupplementKind.TRAVEL_FLAT_RATE,
        unit=SupplementUnit.PER_ASSIGNMENT_WEEK,
        sub_area_code=sub_area_code,
        amount_sek=Decimal(amount),
    )
    supplement.regions.set(Region.objects.filter(code__in=regions))
    return supplement


def test_the_travel_flat_rate_is_added_in_the_unit_s_region(north: OrgUnit) -> None:
    level = _level()
    price = quote(level, north, ON)
    assert price == _expected(north, level, "2026-demo", TRAVEL)
    assert price.travel_sek_per_week == TRAVEL and isinstance(price.travel_sek_per_week, Decimal)
    assert price.price_list.version == "2026-demo" and price.hourly_sek > 0


def test_the_older_price_list_is_used_in_its_period(north: OrgUnit) -> None:
    level = _level()
    assert quote(level, north, datetime.date(2025, 6, 1)) == _expected(north, level, "2024-demo", TRAVEL)


def test_a_supplement_restricted_to_other_regions_is_not_added(south: OrgUnit) -> None:
    level = _level()
    price = quote(level, south, ON)
    assert price == _expected(south, level, "2026-demo", Decimal(0))
    assert price.travel_sek_per_week == 0 and isinstance(price.travel_sek_per_week, Decimal)


def test_a_supplement_of_another_sub_area_is_not_added(north: OrgUnit, south: OrgUnit) -> None:
    _travel("nurses", 300)  # every region, nurses only
    _travel("doctors", 70, regions=("14",))  # doctors, Västra Götaland only
    doctor, nurse = _level(), _level("nurse_base")
    assert quote(doctor, north, ON) == _expected(north, doctor, "2026-demo", TRAVEL)
    assert quote(nurse, north, ON) == _expected(north, nurse, "2026-demo", TRAVEL + 300)
    assert quote(doctor, south, ON) == _expected(south, doctor, "2026-demo", Decimal(70))
    assert quote(nurse, south, ON) == _expected(south, nurse, "2026-demo", Decimal(300))


def test_per_hour_supplements_are_not_travel(north: OrgUnit) -> None:
    level = _level("nurse_base")
    Supplement.objects.create(
        price_list=PriceList.objects.get(version="2026-demo"),
        kind=SupplementKind.ON_CALL,
        sub_area_code="",
        amount_sek=Decimal(99),
    )
    assert quote(level, north, ON).travel_sek_per_week == TRAVEL


def test_no_price_list_in_force() -> None:
    unit = _unit("14", "S")
    with pytest.raises(NoAgreementPrice) as error:
        quote(_level(), unit, datetime.date(2023, 6, 1))
    assert str(error.value) == "No price list is in force on 2023-06-01."


def test_no_price_for_the_level_and_zone(north: OrgUnit) -> None:
    level = _level()
    zone = north.municipality.zone
    Price.objects.filter(price_list__version="2026-demo", level=level, zone=zone).delete()
    with pytest.raises(NoAgreementPrice) as error:
        quote(level, north, ON)
    assert str(error.value) == f"Price list 2026-demo has no price for {level} in zone {zone}."


def test_a_unit_without_municipality_has_no_zone() -> None:
    unit = make_unit_tree(Region.objects.get(code="14"), "S")["department"]
    with pytest.raises(NoAgreementPrice) as error:
        quote(_level(), unit, ON)
    assert str(error.value) == "The unit has no municipality, so its price zone is unknown."


def _agreement(reference: str, starts_on: datetime.date) -> FrameworkAgreement:
    return FrameworkAgreement.objects.create(
        reference=reference,
        name=reference,
        procuring_authority="Region",
        starts_on=starts_on,
        ends_on=starts_on + datetime.timedelta(days=1000),
    )


def test_the_newest_price_list_of_an_agreement_started_is_used(north: OrgUnit) -> None:
    level = _level()
    # In force on ON, but its agreement starts later: not used.
    later = _agreement("RS later", datetime.date(2026, 6, 1))
    PriceList.objects.create(agreement=later, version="later", valid_from=datetime.date(2026, 2, 1))
    assert quote(level, north, ON) == _expected(north, level, "2026-demo", TRAVEL)
    # Newer than 2026-demo and its agreement has started, but without prices: it is the list in
    # force, so there is no price (the older list is not used instead).
    newer = _agreement("RS newer", datetime.date(2026, 2, 1))
    PriceList.objects.create(agreement=newer, version="newer", valid_from=datetime.date(2026, 3, 1))
    with pytest.raises(NoAgreementPrice) as error:
        quote(level, north, ON)
    assert str(error.value) == (
        f"Price list newer has no price for {level} in zone {north.municipality.zone}."
    )
    assert quote(level, north, datetime.date(2026, 2, 27)) == _expected(north, level, "2026-demo", TRAVEL)


def test_quote_reads_one_query_and_two_without_a_price(
    north: OrgUnit, django_assert_num_queries: Any
) -> None:
    level = _level()
    with django_assert_num_queries(1):
        quote(level, north, ON)
    with django_assert_num_queries(2), pytest.raises(NoAgreementPrice):
        quote(level, north, datetime.date(2023, 6, 1))
    Price.objects.filter(price_list__version="2026-demo", level=level).delete()
    with django_assert_num_queries(2), pytest.raises(NoAgreementPrice):
        quote(level, north, ON)


def test_the_parameter_in_force_under_the_agreement_started(django_assert_num_queries: Any) -> None:
    key = ParameterKey.MAX_CALL_OFF_MONTHS
    with django_assert_num_queries(1):
        assert AgreementParameter.value_in_force(key, ON, Decimal(99)) == 12
    # Before the agreement: the default.
    assert AgreementParameter.value_in_force(key, datetime.date(2023, 6, 1), Decimal(99)) == 99
    # A newer agreement started: its value, or the default when it has none (not the older one's).
    newer = _agreement("RS newer", datetime.date(2026, 2, 1))
    assert AgreementParameter.value_in_force(key, ON, Decimal(99)) == 99
    AgreementParameter.objects.create(agreement=newer, key=key, value=6, valid_from=datetime.date(2026, 2, 1))
    AgreementParameter.objects.create(agreement=newer, key=key, value=9, valid_from=datetime.date(2026, 3, 1))
    assert AgreementParameter.value_in_force(key, ON, Decimal(99)) == 9
    assert AgreementParameter.value_in_force(key, datetime.date(2026, 2, 20), Decimal(99)) == 6
    assert AgreementParameter.value_in_force(key, datetime.date(2026, 1, 20), Decimal(99)) == 12
