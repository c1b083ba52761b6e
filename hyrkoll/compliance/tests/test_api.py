"""The compliance API: the same visibility as the pages."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from hyrkoll.compliance import services
from hyrkoll.compliance.models import DeviationKind
from hyrkoll.compliance.tests.test_fidelity import DIREKT, ledger  # noqa: F401

D = datetime.timedelta


def api(user: Any) -> APIClient:
    token, _ = Token.objects.get_or_create(user=user)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


@pytest.fixture
def records(cast: dict[str, Any]) -> None:
    today = timezone.localdate()
    services.record_deviation(
        cast["call_off_unit"], cast["supplier_a"], cast["region_a"], DeviationKind.LATE_DELIVERY, "Sen", today
    )
    services.suspend(cast["coordinator"], cast["supplier_a"], today, today + D(days=10), "Vite x3")


def test_deviations_and_suspensions(cast: dict[str, Any], records: None) -> None:
    own = api(cast["call_off_unit"]).get("/api/v1/supplier-deviations/").json()
    assert own["count"] == 1 and own["results"][0]["region"] == "14"
    assert api(cast["call_off_unit_b"]).get("/api/v1/supplier-deviations/").json()["count"] == 0
    assert api(cast["supplier_user_a"]).get("/api/v1/supplier-deviations/").json()["count"] == 1
    assert api(cast["supplier_user_b"]).get("/api/v1/supplier-deviations/").json()["count"] == 0
    assert api(cast["coordinator"]).get("/api/v1/supplier-deviations/", {"region": "01"}).json()["count"] == 0
    suspensions = api(cast["call_off_unit_b"]).get("/api/v1/suspensions/").json()
    assert suspensions["count"] == 1 and suspensions["results"][0]["in_force_today"] is True
    assert api(cast["supplier_user_a"]).get("/api/v1/suspensions/").json()["count"] == 1
    assert api(cast["supplier_user_b"]).get("/api/v1/suspensions/").json()["count"] == 0
    assert APIClient().get("/api/v1/suspensions/").status_code in (401, 403)
    # Read-only.
    assert api(cast["coordinator"]).post("/api/v1/suspensions/", {}).status_code == 405


def test_direct_purchases_and_fidelity(cast: dict[str, Any], ledger: dict[str, Any]) -> None:  # noqa: F811
    purchases = api(cast["controller_a"]).get("/api/v1/direct-purchases/", {"year": 2025}).json()
    assert purchases["count"] == 2
    assert {p["has_dispensation"] for p in purchases["results"]} == {True, False}
    assert api(cast["admin_b"]).get("/api/v1/direct-purchases/").json()["count"] == 0
    assert api(cast["supplier_user_a"]).get("/api/v1/direct-purchases/").status_code == 403

    data = api(cast["controller_a"]).get("/api/v1/contract-fidelity/", {"year": 2025, "month": 4}).json()
    assert data["region"] == "14" and data["lines"] == 8
    assert data["total"]["through_sek"] == "160000.00" and data["total"]["through_pct"] == "59.26"
    assert any(row["supplier_org_no"] == DIREKT for row in data["outside"])
    assert api(cast["admin_b"]).get("/api/v1/contract-fidelity/", {"region": "14"}).status_code == 404
    assert api(cast["supplier_user_a"]).get("/api/v1/contract-fidelity/").status_code == 403
    assert api(cast["controller_a"]).get("/api/v1/contract-fidelity/", {"month": "13"}).status_code == 400
    nation = api(cast["coordinator"]).get("/api/v1/contract-fidelity/", {"year": 2025}).json()
    assert nation["region"] is None and {r["region"] for r in nation["regions"]} == {"01", "14"}


def test_schema_lists_the_endpoints(client: Any) -> None:
    schema = client.get("/api/v1/openapi.json").json()
    for path in ("/api/v1/supplier-deviations/", "/api/v1/suspensions/", "/api/v1/direct-purchases/",
                 "/api/v1/contract-fidelity/"):  # fmt: skip
        assert path in schema["paths"]
