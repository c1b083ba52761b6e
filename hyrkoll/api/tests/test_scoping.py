"""Row visibility through the API: org units by region, consultants by supplier."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from rest_framework.test import APIClient

from hyrkoll.accounts.models import User
from hyrkoll.agreement.models import Supplier
from hyrkoll.consultants.models import Consultant
from hyrkoll.organisation.models import OrgUnit

pytestmark = pytest.mark.django_db


def ids(client: APIClient, url: str) -> set[int]:
    response = client.get(url)
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


def test_region_user_sees_only_own_org_units(
    client_for: Callable[[User], APIClient], region_user: User, org_units: dict[str, OrgUnit]
) -> None:
    client = client_for(region_user)

    assert ids(client, "/api/v1/org-units/") == {org_units["admin_14"].pk, org_units["care_unit_14"].pk}
    assert client.get(f"/api/v1/org-units/{org_units['admin_01'].pk}/").status_code == 404

    care_unit = org_units["care_unit_14"]
    data = client.get(f"/api/v1/org-units/{care_unit.pk}/").json()
    assert data == {
        "id": care_unit.pk,
        "region": "14",
        "parent": org_units["admin_14"].pk,
        "kind": "care_unit",
        "code": "VGR-PV-001",
        "name": "Vårdcentralen Centrum",
        "municipality": care_unit.municipality.code,
        "zone": care_unit.municipality.zone,
        "care_area": "primary",
        "is_active": True,
    }


def test_supplier_user_sees_no_org_units(
    client_for: Callable[[User], APIClient], supplier_user: User, org_units: dict[str, OrgUnit]
) -> None:
    client = client_for(supplier_user)

    assert ids(client, "/api/v1/org-units/") == set()
    assert client.get(f"/api/v1/org-units/{org_units['admin_14'].pk}/").status_code == 404


def test_coordinator_sees_all_org_units(
    client_for: Callable[[User], APIClient], coordinator: User, org_units: dict[str, OrgUnit]
) -> None:
    client = client_for(coordinator)

    assert ids(client, "/api/v1/org-units/") >= {unit.pk for unit in org_units.values()}
    assert client.get(f"/api/v1/org-units/{org_units['admin_01'].pk}/").status_code == 200


def test_supplier_user_sees_only_own_consultants(
    client_for: Callable[[User], APIClient],
    supplier_user: User,
    supplier_a: Supplier,
    consultants: dict[str, Consultant],
) -> None:
    client = client_for(supplier_user)

    assert ids(client, "/api/v1/consultants/") == {consultants["a"].pk}
    assert client.get(f"/api/v1/consultants/{consultants['b'].pk}/").status_code == 404
    data = client.get(f"/api/v1/consultants/{consultants['a'].pk}/").json()
    assert data == {
        "id": consultants["a"].pk,
        "supplier_org_no": supplier_a.org_no,
        "first_name": "Daniel",
        "last_name": "Dahl",
        "profession": "doctor",
        "competence": "spec_general_medicine",
        "licence_number": "1234567",
        "licensed_on": "2010-06-01",
        "specialist_since": "2016-09-01",
        "hlr_trained_on": "2025-11-03",
    }


def test_region_user_sees_no_consultants(
    client_for: Callable[[User], APIClient], region_user: User, consultants: dict[str, Consultant]
) -> None:
    client = client_for(region_user)

    assert ids(client, "/api/v1/consultants/") == set()
    assert client.get(f"/api/v1/consultants/{consultants['a'].pk}/").status_code == 404
