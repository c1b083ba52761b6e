"""The agreement register and the organisation reference data through the API."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from rest_framework.test import APIClient

from hyrkoll.accounts.models import User
from hyrkoll.agreement.models import PriceList, Supplier, SupplierAdmission
from hyrkoll.api.tests.conftest import AGREEMENT_REFERENCE
from hyrkoll.organisation.models import Municipality, Region

pytestmark = pytest.mark.django_db


@pytest.fixture
def client(client_for: Callable[[User], APIClient], region_user: User) -> APIClient:
    return client_for(region_user)


def results(response: Any) -> list[dict[str, Any]]:
    assert response.status_code == 200, response.content
    return response.json()["results"]


def test_regions(client: APIClient) -> None:
    data = client.get("/api/v1/regions/").json()

    assert data["count"] == 21
    assert data["results"][0] == {"code": "01", "name": Region.objects.get(code="01").name}
    detail = client.get("/api/v1/regions/25/")
    assert detail.status_code == 200
    assert detail.json()["code"] == "25"


def test_zones_filtered_by_region(client: APIClient) -> None:
    rows = results(client.get("/api/v1/zones/", {"region": "25"}))

    expected = set(Municipality.objects.filter(region__code="25").values_list("code", flat=True))
    assert len(expected) == 14
    assert {row["code"] for row in rows} == expected
    for row in rows:
        assert row["region"] == "25"
        assert row["code"].startswith("25")
        assert row["zone"] in (1, 2, 3)
        assert row["zone_source"] in ("approximation", "official")


def test_zones_filtered_by_zone(client: APIClient) -> None:
    rows = results(client.get("/api/v1/zones/", {"region": "14", "zone": "3"}))

    assert rows
    assert all(row["zone"] == 3 and row["region"] == "14" for row in rows)
    assert len(rows) == Municipality.objects.filter(region__code="14", zone=3).count()


def test_zones_invalid_zone_is_400(client: APIClient) -> None:
    response = client.get("/api/v1/zones/", {"zone": "three"})

    assert response.status_code == 400
    assert "zone" in response.json()


def test_zone_detail_by_code(client: APIClient) -> None:
    municipality = Municipality.objects.get(code="0180")
    data = client.get("/api/v1/zones/0180/").json()

    assert data == {
        "code": "0180",
        "name": municipality.name,
        "region": "01",
        "zone": municipality.zone,
        "zone_source": municipality.zone_source,
    }


def test_care_areas(client: APIClient) -> None:
    codes = [row["code"] for row in results(client.get("/api/v1/care-areas/"))]

    assert "primary" in codes


def test_agreements(client: APIClient) -> None:
    rows = results(client.get("/api/v1/agreements/"))

    agreement = next(row for row in rows if row["reference"] == AGREEMENT_REFERENCE)
    assert agreement["starts_on"] == "2024-01-01"
    assert agreement["ends_on"] == "2027-12-31"
    assert agreement["current_end"] == "2027-12-31"  # no extensions decided
    assert agreement["extensions"] == []
    sub_areas = {sub_area["code"]: sub_area for sub_area in agreement["sub_areas"]}
    assert set(sub_areas) == {"doctors", "nurses"}
    assert "Klinisk patologi" in sub_areas["doctors"]["excluded_specialties"]
    assert sub_areas["nurses"]["excluded_specialties"] == []
    parameters = {parameter["key"]: parameter for parameter in agreement["parameters"]}
    assert parameters["max_call_off_months"]["value"] == "12.00"
    assert parameters["max_call_off_months"]["is_default_value"] is False
    assert parameters["cancellation_notice_days"]["is_default_value"] is True


def test_sub_areas(client: APIClient) -> None:
    rows = results(client.get("/api/v1/sub-areas/"))

    doctors = next(row for row in rows if row["code"] == "doctors")
    assert doctors["agreement"] == AGREEMENT_REFERENCE
    assert "Mammografi" in doctors["excluded_specialties"]
    assert client.get(f"/api/v1/sub-areas/{doctors['id']}/").json() == doctors


def test_professions_levels_and_competences(client: APIClient) -> None:
    professions = {row["code"]: row for row in results(client.get("/api/v1/professions/"))}
    assert professions["midwife"]["sub_area_code"] == "nurses"

    levels = results(client.get("/api/v1/competence-levels/"))
    assert len(levels) == 6
    assert {"code": "doctor_specialist_a", "sub_area_code": "doctors"}.items() <= next(
        level for level in levels if level["code"] == "doctor_specialist_a"
    ).items()

    competence = client.get("/api/v1/competences/spec_psychiatry/").json()
    assert competence["profession"] == "doctor"
    assert competence["level"] == "doctor_specialist_b"
    assert competence["requires_specialist_certificate"] is True


def test_price_list_in_force(client: APIClient) -> None:
    rows = results(client.get("/api/v1/price-lists/", {"on": "2026-03-01"}))

    assert [row["version"] for row in rows] == ["2026-demo"]
    price_list = rows[0]
    assert price_list["agreement"] == AGREEMENT_REFERENCE
    assert price_list["valid_from"] == "2026-01-01"
    assert price_list["valid_to"] is None
    assert price_list["is_demo"] is True
    assert len(price_list["prices"]) == 18
    prices = {(price["level"], price["zone"]): price["hourly_sek"] for price in price_list["prices"]}
    assert prices[("doctor_specialist_a", 1)] == "1238.00"
    assert prices[("doctor_specialist_b", 3)] == "1953.00"
    travel = next(sup for sup in price_list["supplements"] if sup["kind"] == "travel_flat_rate")
    assert sorted(travel["regions"]) == ["22", "23", "24", "25"]
    assert travel["is_default_value"] is True
    assert travel["unit"] == "per_week"


def test_price_list_in_force_earlier(client: APIClient) -> None:
    rows = results(client.get("/api/v1/price-lists/", {"on": "2025-06-01"}))

    assert [row["version"] for row in rows] == ["2024-demo"]
    prices = {(price["level"], price["zone"]): price["hourly_sek"] for price in rows[0]["prices"]}
    assert prices[("doctor_specialist_a", 1)] == "1125.00"


def test_price_lists_without_filter_and_before_agreement(client: APIClient) -> None:
    versions = {row["version"] for row in results(client.get("/api/v1/price-lists/"))}
    assert versions >= {"2024-demo", "2026-demo"}
    assert results(client.get("/api/v1/price-lists/", {"on": "2020-01-01"})) == []


def test_price_lists_invalid_date_is_400(client: APIClient) -> None:
    for bad in ("yesterday", "2026-02-30"):
        response = client.get("/api/v1/price-lists/", {"on": bad})
        assert response.status_code == 400
        assert "on" in response.json()


def test_price_lists_avoid_n_plus_one(client: APIClient, django_assert_max_num_queries: Any) -> None:
    PriceList.objects.count()  # warm up content types etc. outside the measured block
    with django_assert_max_num_queries(8):
        rows = results(client.get("/api/v1/price-lists/"))
    assert len(rows) >= 2


def test_suppliers_admitted_on_date(
    client: APIClient, supplier_a: Supplier, supplier_b: Supplier, admissions: dict[str, SupplierAdmission]
) -> None:
    rows = results(client.get("/api/v1/suppliers/", {"sub_area": "doctors", "admitted_on": "2026-03-01"}))

    names = {row["name"] for row in rows}
    assert supplier_a.name in names
    assert supplier_b.name not in names  # exited 2025-06-30
    row_a = next(row for row in rows if row["id"] == supplier_a.pk)
    assert row_a["org_no"] == supplier_a.org_no
    assert row_a["admissions"] == [{"sub_area": "doctors", "admitted_on": "2024-01-01", "exited_on": None}]

    # Before B's exit both are admitted.
    rows = results(client.get("/api/v1/suppliers/", {"sub_area": "doctors", "admitted_on": "2025-06-30"}))
    assert {supplier_a.pk, supplier_b.pk} <= {row["id"] for row in rows}


def test_suppliers_filtered_by_sub_area(
    client: APIClient, supplier_a: Supplier, admissions: dict[str, SupplierAdmission]
) -> None:
    def supplier_ids(sub_area: str) -> set[int]:
        return {row["id"] for row in results(client.get("/api/v1/suppliers/", {"sub_area": sub_area}))}

    assert supplier_a.pk in supplier_ids("doctors")
    assert supplier_a.pk not in supplier_ids("nurses")


def test_suppliers_invalid_date_is_400(client: APIClient) -> None:
    response = client.get("/api/v1/suppliers/", {"admitted_on": "2026-13-01"})

    assert response.status_code == 400
    body = response.json()
    assert "admitted_on" in body
    assert "admitted_on" in body["admitted_on"][0]


def test_admissions(
    client: APIClient, supplier_b: Supplier, admissions: dict[str, SupplierAdmission]
) -> None:
    rows = results(client.get("/api/v1/admissions/"))

    row_b = next(row for row in rows if row["id"] == admissions["b"].pk)
    assert row_b == {
        "id": admissions["b"].pk,
        "supplier": supplier_b.pk,
        "supplier_org_no": supplier_b.org_no,
        "sub_area": "doctors",
        "admitted_on": "2024-01-01",
        "exited_on": "2025-06-30",
    }


def test_accessions_list(client: APIClient) -> None:
    response = client.get("/api/v1/accessions/")

    assert response.status_code == 200
    for row in response.json()["results"]:
        assert set(row) == {"region", "sub_area", "acceded_on"}


def test_register_is_visible_to_supplier_user(
    client_for: Callable[[User], APIClient], supplier_user: User
) -> None:
    rows = results(client_for(supplier_user).get("/api/v1/price-lists/", {"on": "2026-03-01"}))

    assert [row["version"] for row in rows] == ["2026-demo"]
