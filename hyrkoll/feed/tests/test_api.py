"""GET /api/v1/events/: the caller's organisation's events after a cursor, and nobody else's."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from rest_framework.test import APIClient

from conftest import make_user
from hyrkoll.accounts.models import DecisionLevel, Role, RoleAssignment, Scope
from hyrkoll.assignments import services as assignment_services
from hyrkoll.feed.positions import encode_cursor
from hyrkoll.invoicing.tests.conftest import first_monday, report_week
from hyrkoll.ordering import workflow
from hyrkoll.ordering.tests.conftest import make_need
from hyrkoll.ordering.tests.test_checks import offer_on, publish_need

pytestmark = pytest.mark.django_db
URL = "/api/v1/events/"
Client = Callable[[Any], APIClient]


def events(client: APIClient, **params: Any) -> dict[str, Any]:
    response = client.get(URL, params)
    assert response.status_code == 200, response.content
    return response.json()


def kinds(body: dict[str, Any]) -> list[str]:
    return [event["kind"] for event in body["events"]]


def test_without_a_token_401(anon_client: APIClient) -> None:
    assert anon_client.get(URL).status_code == 401


@pytest.mark.parametrize(
    "params",
    [
        {"after": "nonsense"},
        {"after": "55"},
        {"after": "djE6LTE"},
        {"limit": "0"},
        {"limit": "501"},
        {"limit": "x"},
    ],
)
def test_bad_parameters_400(flow: dict[str, Any], client_for: Client, params: dict[str, str]) -> None:
    response = client_for(flow["supplier_user_a"]).get(URL, params)
    assert response.status_code == 400
    assert list(response.json()) == list(params)


def test_the_shape_and_polling_with_next_cursor(flow: dict[str, Any], client_for: Client) -> None:
    client = client_for(flow["supplier_user_a"])
    empty = events(client)
    assert empty == {"events": [], "next_cursor": encode_cursor(0), "has_more": False}
    call_off = publish_need(flow)
    body = events(client, after=empty["next_cursor"])
    assert body["has_more"] is False
    [event] = body["events"]
    assert event["kind"] == "call_off.published"
    assert event["object"] == {
        "type": "call_off",
        "id": call_off.pk,
        "url": f"/api/v1/call-offs/{call_off.pk}/",
    }
    assert event["data"]["reference"] == f"Avrop {call_off.pk} · behov {call_off.need_id}"
    assert event["occurred_at"]
    assert body["next_cursor"] == event["cursor"]
    # The object's URL answers for the caller.
    assert client.get(event["object"]["url"]).status_code == 200
    # Polling with the cursor again: nothing new, the same cursor back.
    again = events(client, after=body["next_cursor"])
    assert again == {"events": [], "next_cursor": body["next_cursor"], "has_more": False}


def test_paging_with_limit(flow: dict[str, Any], client_for: Client) -> None:
    first = publish_need(flow)
    second = publish_need(flow)
    offer_on(flow, second)
    workflow.close_unfilled(flow["call_off_unit"], first, "Ingen passade")
    client = client_for(flow["supplier_user_a"])
    everything = events(client)
    assert kinds(everything) == ["call_off.published", "call_off.published", "call_off.closed"]
    seen: list[dict[str, Any]] = []
    after = None
    while True:
        body = events(client, limit=1, **({"after": after} if after else {}))
        seen += body["events"]
        after = body["next_cursor"]
        if not body["has_more"]:
            break
    assert seen == everything["events"]
    assert events(client, after=everything["events"][0]["cursor"])["events"] == everything["events"][1:]


def test_each_organisation_sees_only_its_own(flow: dict[str, Any], client_for: Client) -> None:
    region_b = flow["region_b"]
    writer_b = make_user("writer.b", scope=Scope.REGION, region=region_b, roles=(Role.CALL_OFF_UNIT,))
    RoleAssignment.objects.create(
        user=writer_b, role=Role.APPROVER, decision_level=DecisionLevel.REGIONAL_DIRECTOR
    )
    call_off = publish_need(flow)
    offer_a = offer_on(flow, call_off, "consultant_a")
    offer_b = offer_on(flow, call_off, "consultant_b")
    workflow.award(flow["call_off_unit"], offer_a)
    supplier_a = events(client_for(flow["supplier_user_a"]))
    supplier_b = events(client_for(flow["supplier_user_b"]))
    assert kinds(supplier_a) == ["call_off.published", "offer.awarded"]
    assert supplier_a["events"][1]["object"]["id"] == offer_a.pk
    assert kinds(supplier_b) == ["call_off.published", "offer.not_awarded", "call_off.closed"]
    assert supplier_b["events"][1]["object"]["id"] == offer_b.pk
    # The region's approver at the level saw the decision request; region B and the nation nothing.
    assert kinds(events(client_for(flow["verksamhetschef"]))) == ["need.awaiting_decision"]
    assert events(client_for(writer_b))["events"] == []
    assert events(client_for(flow["coordinator"]))["events"] == []


def test_decision_requests_only_for_approvers_at_or_above_the_level(
    flow: dict[str, Any], client_for: Client
) -> None:
    need = workflow.save_draft(flow["orderer_a"], make_need(flow))
    workflow.submit(flow["orderer_a"], need)
    workflow.exhaust_internal(flow["call_off_unit"], need, "Poolen tillfrågad")
    need.refresh_from_db()
    assert need.required_level == DecisionLevel.DEPARTMENT_HEAD
    below = make_user("enhetschef.a", scope=Scope.REGION, region=flow["region_a"])
    RoleAssignment.objects.create(user=below, role=Role.APPROVER, decision_level=DecisionLevel.UNIT_MANAGER)
    for who in ("verksamhetschef", "omradeschef", "regiondirektor"):
        [event] = events(client_for(flow[who]))["events"]
        assert event["kind"] == "need.awaiting_decision"
        assert event["object"]["url"] == f"/api/v1/needs/{need.pk}/"
    for user in (below, flow["orderer_a"], flow["call_off_unit"], flow["supplier_user_a"]):
        assert events(client_for(user))["events"] == [], user


def test_a_returned_time_report_reaches_the_supplier_and_its_region_only(
    flow: dict[str, Any], client_for: Client
) -> None:
    call_off = publish_need(flow)
    assignment = workflow.award(flow["call_off_unit"], offer_on(flow, call_off))
    report = report_week(flow, assignment, first_monday(assignment), [8, 8, 8, 8, 8, 0, 0], approve=False)
    assignment_services.return_time_report(flow["verksamhetschef"], report, "Fel timmar")
    writer_b = make_user("admin.b2", scope=Scope.REGION, region=flow["region_b"], roles=(Role.REGION_ADMIN,))
    returned = "time_report.returned"
    assert kinds(events(client_for(flow["supplier_user_a"])))[-1] == returned
    assert kinds(events(client_for(flow["orderer_a"]))) == [returned]
    assert returned not in kinds(events(client_for(flow["supplier_user_b"])))
    assert events(client_for(writer_b))["events"] == []
