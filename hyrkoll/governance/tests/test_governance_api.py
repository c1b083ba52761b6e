"""The read-only governance API: measures, action plans (nested) and steering decisions, scoped."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from hyrkoll.governance.models import SteeringDecision, SubGoal
from hyrkoll.governance.tests.test_plans import add_measure, gov  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db


def _results(response: Any) -> list[dict[str, Any]]:
    data = response.json()
    return data["results"] if isinstance(data, dict) and "results" in data else data


def test_api_lists_are_scoped(client: Any, gov: dict[str, Any]) -> None:  # noqa: F811
    pm = add_measure(gov["plan_a"], gov["measures"][0])
    SubGoal.objects.create(plan_measure=pm, description="Delmål A", due_on=datetime.date(2026, 1, 1))
    add_measure(gov["plan_b"], gov["measures"][1])
    SteeringDecision.objects.create(
        region=gov["region_a"], decided_on="2025-05-01", decision="Beslut A", recorded_by=gov["steering_a"]
    ).plans.add(gov["plan_a"])
    SteeringDecision.objects.create(
        region=gov["region_b"], decided_on="2025-05-01", decision="Beslut B", recorded_by=gov["steering_b"]
    )

    client.force_login(gov["reader_a"])
    assert len(_results(client.get("/api/v1/measures/"))) == len(gov["measures"])
    plans = _results(client.get("/api/v1/action-plans/"))
    assert [p["region"] for p in plans] == ["14"]
    assert plans[0]["measures"][0]["sub_goals"][0]["description"] == "Delmål A"
    assert client.get(f"/api/v1/action-plans/{gov['plan_b'].pk}/").status_code == 404
    decisions = _results(client.get("/api/v1/steering-decisions/"))
    assert [d["decision"] for d in decisions] == ["Beslut A"] and decisions[0]["plans"] == [gov["plan_a"].pk]

    client.force_login(gov["coordinator"])
    assert {p["region"] for p in _results(client.get("/api/v1/action-plans/"))} == {"14", "01"}
    assert [p["region"] for p in _results(client.get("/api/v1/action-plans/", {"region": "01"}))] == ["01"]
    assert len(_results(client.get("/api/v1/steering-decisions/"))) == 2

    client.force_login(gov["supplier_user_a"])
    assert _results(client.get("/api/v1/action-plans/")) == []
    assert _results(client.get("/api/v1/steering-decisions/")) == []


def test_api_is_read_only_and_documented(client: Any, gov: dict[str, Any]) -> None:  # noqa: F811
    client.force_login(gov["admin_a"])
    assert client.post("/api/v1/action-plans/", {"name": "x"}).status_code == 405
    schema = client.get("/api/v1/openapi.json").json()
    tags = {tag for path in schema["paths"].values() for op in path.values() for tag in op.get("tags", [])}
    assert "governance" in tags
