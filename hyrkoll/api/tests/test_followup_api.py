"""The follow-up API: /trend/, /targets/ and /bemanningstrend/ with the web app's permissions.

Costs: the trend fixture of ``hyrkoll.followup.tests.test_trend_command`` (regions 14 and 01, July
2020 – June 2022). ``world``: region A = 14 (admin_a), region B = 01, suppliers, the coordinator.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from rest_framework.test import APIClient

from hyrkoll.accounts.models import User
from hyrkoll.followup import indicators
from hyrkoll.followup.indicators import Period, month
from hyrkoll.followup.models import RegionTarget, TrendPublication
from hyrkoll.followup.tests.test_trend_command import add_trend_costs
from hyrkoll.organisation.models import Region

pytestmark = pytest.mark.django_db

H1_2022 = "/api/v1/trend/?from=2022-01&to=2022-06"


@pytest.fixture
def costs(world: dict[str, Any]) -> dict[str, Region]:
    regions = add_trend_costs()
    RegionTarget.objects.create(region=regions["14"], year=2022, share_pct=Decimal("4.0"))
    RegionTarget.objects.create(region=regions["01"], year=2022, share_pct=Decimal("1.5"))
    return regions


def publish(world: dict[str, Any], through: datetime.date) -> None:
    TrendPublication.objects.create(through_month=through, published_by=world["coordinator"])


def get(client: APIClient, url: str) -> Any:
    return client.get(url, HTTP_ACCEPT_LANGUAGE="en")


# --- /trend/ ------------------------------------------------------------------------------------------------


def test_region_user_before_publication_sees_only_own_region(
    world: dict[str, Any], costs: dict[str, Region], client_for: Callable[[User], APIClient]
) -> None:
    response = get(client_for(world["admin_a"]), H1_2022 + "&compare_previous_year=true")

    assert response.status_code == 200
    data = response.json()
    assert data["period"] == {"from": "2022-01", "to": "2022-06"}
    assert data["national"] is None
    assert list(data["regions"]) == ["14"]
    assert data["regions"]["14"]["share_pct"] == 3.55
    assert data["regions"]["14"]["change"]["share_pp"] == 1.2


def test_publication_before_the_period_end_is_not_enough(
    world: dict[str, Any], costs: dict[str, Region], client_for: Callable[[User], APIClient]
) -> None:
    publish(world, datetime.date(2022, 5, 1))
    data = get(client_for(world["admin_b"]), H1_2022).json()

    assert data["national"] is None
    assert list(data["regions"]) == ["01"]


def test_region_user_after_publication_sees_every_region_and_the_nation(
    world: dict[str, Any], costs: dict[str, Region], client_for: Callable[[User], APIClient]
) -> None:
    publish(world, datetime.date(2022, 6, 1))
    data = get(client_for(world["admin_a"]), H1_2022).json()

    assert list(data["regions"]) == ["01", "14"]
    assert data["national"]["share_pct"] == 1.52
    # Later periods are still unpublished.
    later = get(client_for(world["admin_a"]), "/api/v1/trend/?rolling12=2022-07").json()
    assert later["national"] is None and list(later["regions"]) == ["14"]


def test_coordinator_sees_all_as_the_command_prints(
    world: dict[str, Any], costs: dict[str, Region], client_for: Callable[[User], APIClient]
) -> None:
    data = get(
        client_for(world["coordinator"]), "/api/v1/trend/?rolling12=2022-06&compare_previous_year=1"
    ).json()

    expected = indicators.trend(Period.rolling12(month(2022, 6)), compare_previous_year=True)
    assert data == expected
    assert data["national"]["share_pct"] == 1.42 and list(data["regions"]) == ["01", "14"]


def test_supplier_is_refused(world: dict[str, Any], client_for: Callable[[User], APIClient]) -> None:
    for url in [H1_2022, "/api/v1/targets/", "/api/v1/bemanningstrend/?half=2022-1"]:
        assert get(client_for(world["supplier_user_a"]), url).status_code == 403


def test_unauthenticated_is_refused(world: dict[str, Any]) -> None:
    for url in [H1_2022, "/api/v1/targets/", "/api/v1/bemanningstrend/?half=2022-1"]:
        assert get(APIClient(), url).status_code == 401


@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ("from=2022-13&to=2022-06", "from"),
        ("from=2022-01&to=june", "to"),
        ("rolling12=2022", "rolling12"),
        ("rolling12=2022-06&from=2022-01&to=2022-06", "rolling12"),
        ("", "from"),
        ("to=2022-06", "from"),
        ("from=2022-01", "to"),
        ("from=2022-07&to=2022-06", "from"),
        ("rolling12=2022-06&compare_previous_year=maybe", "compare_previous_year"),
    ],
)
def test_trend_bad_parameters(
    world: dict[str, Any], client_for: Callable[[User], APIClient], query: str, parameter: str
) -> None:
    response = get(client_for(world["coordinator"]), f"/api/v1/trend/?{query}")

    assert response.status_code == 400
    assert parameter in response.json()


# --- /targets/ ----------------------------------------------------------------------------------------------


def test_targets_are_scoped(
    world: dict[str, Any], costs: dict[str, Region], client_for: Callable[[User], APIClient]
) -> None:
    own = get(client_for(world["admin_a"]), "/api/v1/targets/").json()["results"]
    assert own == [
        {
            "region": "14",
            "region_name": "Västra Götalandsregionen",
            "year": 2022,
            "share_pct": 4.0,
            "note": "",
        }
    ]
    every = get(client_for(world["coordinator"]), "/api/v1/targets/").json()["results"]
    assert [row["region"] for row in every] == ["01", "14"]
    only = get(client_for(world["coordinator"]), "/api/v1/targets/?region=01").json()["results"]
    assert [row["share_pct"] for row in only] == [1.5]


# --- /bemanningstrend/ --------------------------------------------------------------------------------------


def test_bemanningstrend_for_the_coordinator(
    world: dict[str, Any], costs: dict[str, Region], client_for: Callable[[User], APIClient]
) -> None:
    response = get(client_for(world["coordinator"]), "/api/v1/bemanningstrend/?half=2022-1")

    assert response.status_code == 200
    data = response.json()
    assert data["period"] == {"from": "2022-01", "to": "2022-06"}
    assert data["national"]["hired_sek"] == 273.0 and data["national"]["share_pct"] == 1.52
    assert data["national"]["change"]["hired_pct"] == 4.6
    assert len(data["regions"]) == Region.objects.count()
    regions = {row["code"]: row for row in data["regions"]}
    assert regions["14"]["target_pct"] == 4.0 and regions["14"]["meets_own_target"] is True
    assert regions["01"]["meets_national_target"] is True and regions["01"]["meets_own_target"] is True
    assert data["regions_meeting_count"] == 1
    assert data["summary"][0].startswith("Hired-staff cost rose by 4.60 %")


def test_bemanningstrend_for_a_region_before_and_after_publication(
    world: dict[str, Any], costs: dict[str, Region], client_for: Callable[[User], APIClient]
) -> None:
    client = client_for(world["admin_a"])
    before = get(client, "/api/v1/bemanningstrend/?quarter=2022-2").json()
    assert before["national"] is None and before["summary"] == []
    assert [row["code"] for row in before["regions"]] == ["14"]

    publish(world, datetime.date(2022, 6, 1))
    after = get(client, "/api/v1/bemanningstrend/?quarter=2022-2").json()
    assert after["national"] is not None and after["summary"]
    assert len(after["regions"]) == Region.objects.count()


@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ("", "half"),
        ("half=2022-3", "half"),
        ("quarter=2022-5", "quarter"),
        ("half=2022-1&quarter=2022-1", "half"),
    ],
)
def test_bemanningstrend_bad_parameters(
    world: dict[str, Any], client_for: Callable[[User], APIClient], query: str, parameter: str
) -> None:
    response = get(client_for(world["coordinator"]), f"/api/v1/bemanningstrend/?{query}")

    assert response.status_code == 400
    assert parameter in response.json()


def test_schema_documents_the_follow_up_endpoints(
    world: dict[str, Any], client_for: Callable[[User], APIClient]
) -> None:
    schema = get(APIClient(), "/api/v1/openapi.json").json()
    for path in ["/api/v1/trend/", "/api/v1/targets/", "/api/v1/bemanningstrend/"]:
        assert schema["paths"][path]["get"]["tags"] == ["follow-up"]
    parameters = {p["name"] for p in schema["paths"]["/api/v1/trend/"]["get"]["parameters"]}
    assert {"from", "to", "rolling12", "compare_previous_year"} <= parameters
    national = schema["components"]["schemas"]["Trend"]["properties"]["national"]
    assert "Null for a region" in str(national)
