"""The OpenAPI description, authentication (tokens through django-axes) and ``me/``."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from rest_framework.response import Response
from rest_framework.test import APIClient

from hyrkoll.accounts.models import RoleAssignment, User
from hyrkoll.agreement.models import Supplier
from hyrkoll.api.tests.conftest import PASSWORD
from hyrkoll.organisation.models import OrgUnit

pytestmark = pytest.mark.django_db

LIST_ENDPOINTS = [
    "regions/",
    "zones/",
    "care-areas/",
    "agreements/",
    "sub-areas/",
    "professions/",
    "competence-levels/",
    "competences/",
    "suppliers/",
    "admissions/",
    "price-lists/",
    "accessions/",
    "org-units/",
    "consultants/",
    "me/",
]


def post_token(client: APIClient, password: str, username: str = "anna.region") -> Response:
    return client.post("/api/v1/token/", {"username": username, "password": password}, format="json")


def test_openapi_schema_is_public_json(anon_client: APIClient) -> None:
    response = anon_client.get("/api/v1/openapi.json")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.oai.openapi+json") or response[
        "Content-Type"
    ].startswith("application/json")
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    for path in ["/api/v1/price-lists/", "/api/v1/suppliers/", "/api/v1/zones/{code}/", "/api/v1/token/"]:
        assert path in schema["paths"]
    assert schema["paths"]["/api/v1/price-lists/"]["get"]["tags"] == ["agreement"]
    assert schema["paths"]["/api/v1/org-units/"]["get"]["tags"] == ["organisation"]
    assert schema["paths"]["/api/v1/suppliers/"]["get"]["tags"] == ["suppliers"]
    assert schema["paths"]["/api/v1/me/"]["get"]["tags"] == ["accounts"]
    supplier_params = {p["name"] for p in schema["paths"]["/api/v1/suppliers/"]["get"]["parameters"]}
    assert {"sub_area", "admitted_on", "limit", "offset"} <= supplier_params


def test_swagger_ui_is_public_html(anon_client: APIClient) -> None:
    response = anon_client.get("/api/v1/docs")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    body = response.content.decode()
    assert "swagger-ui" in body.lower()
    assert "/api/v1/openapi.json" in body
    assert "cdn.jsdelivr.net" not in body  # sidecar: served locally


def test_schema_generates_without_warnings(tmp_path: Path) -> None:
    call_command(
        "spectacular", "--validate", "--fail-on-warn", "--skip-checks", "--file", str(tmp_path / "s.yml")
    )
    assert "/api/v1/price-lists/" in (tmp_path / "s.yml").read_text()


@pytest.mark.parametrize("endpoint", LIST_ENDPOINTS)
def test_endpoints_require_authentication(anon_client: APIClient, endpoint: str) -> None:
    response = anon_client.get(f"/api/v1/{endpoint}")

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"


def test_invalid_token_is_rejected() -> None:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")

    assert client.get("/api/v1/regions/").status_code == 401


def test_token_endpoint_returns_a_working_token(anon_client: APIClient, region_user: User) -> None:
    response = post_token(anon_client, PASSWORD)

    assert response.status_code == 200
    key = response.json()["token"]
    assert len(key) == 40
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    me = client.get("/api/v1/me/")
    assert me.status_code == 200
    assert me.json()["username"] == "anna.region"
    # Asking again returns the same token.
    again = post_token(anon_client, PASSWORD)
    assert again.json()["token"] == key


def test_token_endpoint_rejects_wrong_password(anon_client: APIClient, region_user: User) -> None:
    response = post_token(anon_client, "wrong")

    assert response.status_code == 400
    assert "token" not in response.json()


def test_token_endpoint_requires_both_fields(anon_client: APIClient) -> None:
    response = anon_client.post("/api/v1/token/", {"username": "anna.region"}, format="json")

    assert response.status_code == 400
    assert "password" in response.json()


def test_token_endpoint_locks_out_after_repeated_failures(anon_client: APIClient, region_user: User) -> None:
    limit = settings.AXES_FAILURE_LIMIT
    statuses = [
        anon_client.post(
            "/api/v1/token/", {"username": "anna.region", "password": f"wrong-{attempt}"}, format="json"
        ).status_code
        for attempt in range(limit)
    ]
    assert statuses[:-1] == [400] * (limit - 1)
    assert statuses[-1] == 403  # the attempt that reaches the limit locks the account

    response = post_token(anon_client, PASSWORD)

    assert response.status_code == 403
    assert "token" not in response.json()


def test_successful_token_request_resets_failure_count(anon_client: APIClient, region_user: User) -> None:
    limit = settings.AXES_FAILURE_LIMIT
    for _ in range(limit - 1):
        post_token(anon_client, "wrong")
    ok = post_token(anon_client, PASSWORD)
    assert ok.status_code == 200

    # The count started over: another limit-1 failures do not lock.
    for _ in range(limit - 1):
        post_token(anon_client, "wrong")
    ok = post_token(anon_client, PASSWORD)
    assert ok.status_code == 200
    region_user.refresh_from_db()
    assert region_user.last_login is not None


def test_session_authentication_also_works(region_user: User) -> None:
    client = APIClient()
    client.force_login(region_user)

    assert client.get("/api/v1/me/").status_code == 200


def test_me_for_region_user(
    client_for: Callable[[User], APIClient],
    region_user: User,
    region_user_roles: list[RoleAssignment],
    org_units: dict[str, OrgUnit],
) -> None:
    data = client_for(region_user).get("/api/v1/me/").json()

    assert data["username"] == "anna.region"
    assert data["full_name"] == "Anna Andersson"
    assert data["scope"] == "region"
    assert data["region"] == "14"
    assert data["supplier_org_no"] is None
    assert sorted(data["roles"], key=lambda role: role["role"]) == [
        {"role": "approver", "decision_level": 2, "org_unit": org_units["care_unit_14"].pk},
        {"role": "orderer", "decision_level": None, "org_unit": None},
    ]


def test_me_for_supplier_user(
    client_for: Callable[[User], APIClient], supplier_user: User, supplier_a: Supplier
) -> None:
    data = client_for(supplier_user).get("/api/v1/me/").json()

    assert data["scope"] == "supplier"
    assert data["region"] is None
    assert data["supplier_org_no"] == supplier_a.org_no
    assert data["roles"] == []


def test_me_for_coordinator(client_for: Callable[[User], APIClient], coordinator: User) -> None:
    data = client_for(coordinator).get("/api/v1/me/").json()

    assert data["scope"] == "national"
    assert data["region"] is None
    assert data["supplier_org_no"] is None
    assert data["roles"] == [{"role": "coordinator", "decision_level": None, "org_unit": None}]
