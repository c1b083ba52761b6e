"""The regions, municipalities with their price zones and care areas loaded by the data migration."""

from __future__ import annotations

from collections import Counter

import pytest

from hyrkoll.organisation.models import CareArea, Municipality, Region

pytestmark = pytest.mark.django_db

EXPECTED_REGION_CODES = [f"{n:02d}" for n in range(1, 26) if n not in (2, 11, 15, 16)]


def test_there_are_21_regions_with_the_county_codes() -> None:
    codes = list(Region.objects.order_by("code").values_list("code", flat=True))

    assert len(codes) == 21
    assert codes == EXPECTED_REGION_CODES
    assert not Region.objects.filter(code__in=["02", "11", "15", "16"]).exists()


def test_there_are_290_municipalities_coded_under_their_region() -> None:
    municipalities = list(Municipality.objects.select_related("region"))

    assert len(municipalities) == 290
    for municipality in municipalities:
        assert len(municipality.code) == 4 and municipality.code.isdigit(), municipality.code
        assert municipality.code[:2] == municipality.region.code, municipality.code


def test_every_region_has_municipalities() -> None:
    per_region = Counter(Municipality.objects.values_list("region__code", flat=True))

    assert set(per_region) == set(EXPECTED_REGION_CODES)
    assert per_region["01"] == 26
    assert per_region["25"] == 14
    assert per_region["09"] == 1


def test_every_municipality_has_exactly_one_zone_from_1_to_3() -> None:
    zones = Counter(Municipality.objects.values_list("zone", flat=True))

    assert set(zones) == {1, 2, 3}
    assert sum(zones.values()) == 290
    assert not Municipality.objects.filter(zone__isnull=True).exists()


@pytest.mark.parametrize(("code", "name"), [("0180", "Stockholm"), ("1480", "Göteborg"), ("1280", "Malmö")])
def test_the_three_metropolitan_cities_are_in_zone_1(code: str, name: str) -> None:
    municipality = Municipality.objects.get(code=code)

    assert municipality.name == name
    assert municipality.zone == 1


def test_the_three_care_areas_exist() -> None:
    assert set(CareArea.objects.values_list("code", flat=True)) == {"primary", "psychiatry", "somatic"}
