"""Need decisions and internal attempts over the API: the workflow's steps, its rules and refusals."""

from __future__ import annotations

from typing import Any

import pytest
from rest_framework.test import APIClient

from conftest import make_user
from hyrkoll.accounts.models import DecisionLevel, Role, RoleAssignment, Scope, User
from hyrkoll.ordering import workflow
from hyrkoll.ordering.models import Decision, InternalAttempt, Need, NeedStatus
from hyrkoll.ordering.tests import conftest as ordering_fixtures
from hyrkoll.pool.models import PoolMember

flow = ordering_fixtures.flow
make_need = ordering_fixtures.make_need

pytestmark = pytest.mark.django_db


def api(user: User) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def submitted(flow: dict[str, Any]) -> Need:
    need = workflow.save_draft(flow["orderer_a"], make_need(flow))
    workflow.submit(flow["orderer_a"], need)
    need.refresh_from_db()
    assert need.status == NeedStatus.INTERNAL_SEARCH
    return need


def awaiting(flow: dict[str, Any]) -> Need:
    need = submitted(flow)
    workflow.exhaust_internal(flow["call_off_unit"], need, "Poolen tillfrågad")
    need.refresh_from_db()
    assert need.status == NeedStatus.AWAITING_APPROVAL
    assert need.required_level == DecisionLevel.DEPARTMENT_HEAD
    return need


def decide(user: User, need: Need, step: str, reason: str | None = "Vakans") -> Any:
    body = {} if reason is None else {"reason": reason}
    return api(user).post(f"/api/v1/needs/{need.pk}/{step}/", body, format="json")


@pytest.fixture
def orderer_a(flow: dict[str, Any]) -> User:
    return flow["orderer_a"]


@pytest.mark.parametrize(
    ("step", "status"),
    [
        ("approve", NeedStatus.PUBLISHED),  # under the agreement: published at once
        ("reject", NeedStatus.REJECTED),
        ("return", NeedStatus.RETURNED),
    ],
)
def test_the_approver_decides(flow: dict[str, Any], step: str, status: str) -> None:
    need = awaiting(flow)
    response = decide(flow["verksamhetschef"], need, step, "Vakans sedan januari")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["id"] == need.pk and body["status"] == status
    decision = Decision.objects.get(need=need)
    assert decision.outcome == step and decision.reason == "Vakans sedan januari"
    assert decision.decided_by == flow["verksamhetschef"]
    assert decision.level == DecisionLevel.DEPARTMENT_HEAD
    assert (body["call_off"] is not None) == (step == "approve")


def test_a_higher_level_approver_may_decide(flow: dict[str, Any]) -> None:
    need = awaiting(flow)
    assert decide(flow["regiondirektor"], need, "approve").status_code == 200


def test_a_level_below_the_required_is_refused(flow: dict[str, Any]) -> None:
    need = awaiting(flow)
    Need.objects.filter(pk=need.pk).update(required_level=DecisionLevel.HEALTH_DIRECTOR)
    for user in (flow["verksamhetschef"], flow["omradeschef"]):
        response = decide(user, need, "approve")
        assert response.status_code == 403, response.content
        assert response.json()["detail"]
    need.refresh_from_db()
    assert need.status == NeedStatus.AWAITING_APPROVAL and not Decision.objects.exists()
    assert decide(flow["hsdirektor"], need, "approve").status_code == 200


def test_not_an_approver_is_refused_before_the_input(flow: dict[str, Any]) -> None:
    need = awaiting(flow)
    for user in (flow["orderer_a"], flow["call_off_unit"], flow["coordinator"]):
        assert decide(user, need, "approve", reason=None).status_code == 403
    assert not Decision.objects.exists()


def test_another_regions_need_is_not_found(flow: dict[str, Any]) -> None:
    need = awaiting(flow)
    approver_b = make_user("approver.b", scope=Scope.REGION, region=flow["region_b"])
    RoleAssignment.objects.create(
        user=approver_b, role=Role.APPROVER, decision_level=DecisionLevel.REGIONAL_DIRECTOR
    )
    for user in (approver_b, flow["supplier_user_a"]):
        assert decide(user, need, "approve").status_code == 404
    need.refresh_from_db()
    assert need.status == NeedStatus.AWAITING_APPROVAL


@pytest.mark.parametrize("reason", [None, "", "   "])
def test_a_reason_is_required(flow: dict[str, Any], reason: str | None) -> None:
    need = awaiting(flow)
    response = decide(flow["verksamhetschef"], need, "reject", reason)
    assert response.status_code == 400, response.content
    assert "reason" in response.json()
    need.refresh_from_db()
    assert need.status == NeedStatus.AWAITING_APPROVAL and not Decision.objects.exists()


def test_a_need_not_awaiting_a_decision_answers_409(flow: dict[str, Any]) -> None:
    need = submitted(flow)
    response = decide(flow["verksamhetschef"], need, "approve")
    assert response.status_code == 409 and response.json()["detail"]
    need = awaiting(flow)
    assert decide(flow["verksamhetschef"], need, "approve").status_code == 200
    assert decide(flow["verksamhetschef"], need, "reject").status_code == 409
    assert Decision.objects.count() == 1


# --- internal attempts ---------------------------------------------------------------------------------


def attempt(user: User, need: Need, body: dict[str, Any]) -> Any:
    return api(user).post(f"/api/v1/needs/{need.pk}/internal-attempts/", body, format="json")


def pool_member(flow: dict[str, Any], need: Need, region_key: str = "region_a") -> PoolMember:
    return PoolMember.objects.create(
        region=flow[region_key],
        first_name="Pia",
        last_name="Pool",
        profession=need.profession,
        level=need.level,
        available_from=need.starts_on,
    )


def test_the_call_off_unit_records_attempts(flow: dict[str, Any]) -> None:
    need = submitted(flow)
    member = pool_member(flow, need)
    response = attempt(
        flow["call_off_unit"],
        need,
        {"pool_member": member.pk, "outcome": "not_available", "note": "Semester"},
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["pool_member"] == member.pk and body["outcome"] == "not_available"
    assert body["note"] == "Semester" and body["need_status"] == NeedStatus.INTERNAL_SEARCH
    described = attempt(flow["call_off_unit"], need, {"description": "Grannenheten", "outcome": "declined"})
    assert described.status_code == 201
    filled = attempt(flow["call_off_unit"], need, {"description": "Egen personal", "outcome": "filled"})
    assert filled.status_code == 201 and filled.json()["need_status"] == NeedStatus.FILLED_INTERNALLY
    assert InternalAttempt.objects.filter(need=need).count() == 3
    assert need.events.filter(kind="internal_attempt").count() == 3
    # The need is no longer in the internal search.
    late = attempt(flow["call_off_unit"], need, {"description": "För sent", "outcome": "declined"})
    assert late.status_code == 409


def test_attempt_input_is_checked_as_on_the_page(flow: dict[str, Any]) -> None:
    need = submitted(flow)
    other_region = pool_member(flow, need, "region_b")
    for body, field in (
        ({"outcome": "declined"}, "non_field_errors"),  # names no alternative
        ({"description": "X", "outcome": "maybe"}, "outcome"),
        ({"pool_member": other_region.pk, "outcome": "declined"}, "pool_member"),
        ({"pool_member": 2**70, "outcome": "declined"}, "pool_member"),
    ):
        response = attempt(flow["call_off_unit"], need, body)
        assert response.status_code == 400, response.content
        assert field in response.json(), response.json()
    assert not InternalAttempt.objects.exists()


def test_attempts_by_others_are_refused(flow: dict[str, Any]) -> None:
    need = submitted(flow)
    body = {"description": "Grannenheten", "outcome": "declined"}
    for user in (flow["orderer_a"], flow["verksamhetschef"], flow["coordinator"]):
        assert attempt(user, need, {}).status_code == 403
        assert attempt(user, need, body).status_code == 403
    call_off_unit_b = make_user(
        "avrop.b", scope=Scope.REGION, region=flow["region_b"], roles=(Role.CALL_OFF_UNIT,)
    )
    assert attempt(call_off_unit_b, need, body).status_code == 404
    assert not InternalAttempt.objects.exists()
