"""The agreement register loaded by the data migration: agreement, sub-areas, price lists, rules."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from hyrkoll.agreement.models import (
    AgreementParameter,
    CompetenceLevel,
    ExcludedSpecialty,
    FrameworkAgreement,
    Price,
    PriceList,
    SubArea,
    Supplement,
    SupplementKind,
)

pytestmark = pytest.mark.django_db

REFERENCE = "RS 2022-03983"


def _agreement() -> FrameworkAgreement:
    return FrameworkAgreement.objects.get(reference=REFERENCE)


def _prices(version: str, level: str) -> list[Decimal]:
    return list(
        Price.objects.filter(price_list__version=version, level__code=level)
        .order_by("zone")
        .values_list("hourly_sek", flat=True)
    )


def test_the_agreement_and_its_two_sub_areas_exist() -> None:
    agreement = _agreement()

    assert agreement.starts_on == datetime.date(2024, 1, 1)
    assert agreement.ends_on > agreement.starts_on
    assert set(SubArea.objects.filter(agreement=agreement).values_list("code", flat=True)) == {
        "doctors",
        "nurses",
    }


def test_narrow_specialties_such_as_pathology_are_excluded_for_doctors() -> None:
    excluded = list(ExcludedSpecialty.objects.filter(sub_area__code="doctors").values_list("name", flat=True))

    assert excluded
    assert any("patologi" in name.lower() for name in excluded)


def test_there_are_six_competence_levels_three_per_sub_area() -> None:
    levels = CompetenceLevel.objects.values_list("sub_area_code", "code")

    assert len(levels) == 6
    assert sorted(code for sub_area, code in levels if sub_area == "doctors") == [
        "doctor_licensed",
        "doctor_specialist_a",
        "doctor_specialist_b",
    ]
    assert sorted(code for sub_area, code in levels if sub_area == "nurses") == [
        "nurse_base",
        "nurse_high",
        "nurse_middle",
    ]


def test_the_two_demo_price_lists_follow_each_other() -> None:
    lists = {pl.version: pl for pl in PriceList.objects.filter(agreement=_agreement())}

    assert set(lists) == {"2024-demo", "2026-demo"}
    assert lists["2024-demo"].valid_from == datetime.date(2024, 1, 1)
    assert lists["2024-demo"].valid_to == datetime.date(2025, 12, 31)
    assert lists["2026-demo"].valid_from == datetime.date(2026, 1, 1)
    assert lists["2026-demo"].valid_to is None
    assert all(pl.is_demo for pl in lists.values())
    assert [pl.version for pl in PriceList.objects.in_force(datetime.date(2025, 12, 31))] == ["2024-demo"]
    assert [pl.version for pl in PriceList.objects.in_force(datetime.date(2026, 1, 1))] == ["2026-demo"]


@pytest.mark.parametrize("version", ["2024-demo", "2026-demo"])
def test_each_price_list_has_a_price_per_level_and_zone(version: str) -> None:
    prices = Price.objects.filter(price_list__version=version)

    assert prices.count() == 18
    assert set(prices.values_list("zone", flat=True)) == {1, 2, 3}
    assert prices.values("level").distinct().count() == 6


def test_the_2026_prices() -> None:
    assert _prices("2026-demo", "doctor_specialist_a") == [Decimal(1238), Decimal(1513), Decimal(1787)]
    assert _prices("2026-demo", "nurse_high") == [Decimal(770), Decimal(824), Decimal(880)]


def test_the_2024_specialist_prices_are_the_announced_figures() -> None:
    assert _prices("2024-demo", "doctor_specialist_a") == [Decimal(1125), Decimal(1375), Decimal(1625)]


def test_prices_rise_from_zone_1_to_zone_3() -> None:
    for level in CompetenceLevel.objects.all():
        for version in ("2024-demo", "2026-demo"):
            zone_1, zone_2, zone_3 = _prices(version, level.code)
            assert zone_1 < zone_2 < zone_3, (version, level.code)


def test_hourly_price_looks_up_level_and_zone() -> None:
    price_list = PriceList.objects.get(version="2026-demo")
    level = CompetenceLevel.objects.get(code="doctor_specialist_a")

    assert price_list.hourly_price(level, 2) == Decimal(1513)


@pytest.mark.parametrize("version", ["2024-demo", "2026-demo"])
def test_the_travel_flat_rate_applies_only_in_the_four_northern_regions(version: str) -> None:
    travel = Supplement.objects.get(price_list__version=version, kind=SupplementKind.TRAVEL_FLAT_RATE)

    assert sorted(travel.regions.values_list("code", flat=True)) == ["22", "23", "24", "25"]
    assert travel.is_default_value
    assert travel.amount_sek > 0


def test_unsocial_hours_supplements_exist_for_nurses() -> None:
    kinds = set(
        Supplement.objects.filter(price_list__version="2026-demo", sub_area_code="nurses").values_list(
            "kind", flat=True
        )
    )

    assert {
        SupplementKind.WEEKDAY_EVENING,
        SupplementKind.WEEKEND_NIGHT,
        SupplementKind.HOLIDAY_NIGHT,
    } <= kinds


def test_parameter_value_on_a_day() -> None:
    agreement = _agreement()

    assert AgreementParameter.value_on(agreement, "max_call_off_months", datetime.date(2026, 1, 1)) == 12
    assert AgreementParameter.value_on(agreement, "max_call_off_months", datetime.date(2023, 12, 31)) is None


def test_a_later_parameter_value_takes_over_from_its_date() -> None:
    agreement = _agreement()
    AgreementParameter.objects.create(
        agreement=agreement, key="max_call_off_months", value=18, valid_from=datetime.date(2027, 1, 1)
    )

    assert AgreementParameter.value_on(agreement, "max_call_off_months", datetime.date(2026, 12, 31)) == 12
    assert AgreementParameter.value_on(agreement, "max_call_off_months", datetime.date(2027, 1, 1)) == 18
