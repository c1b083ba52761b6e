"""The ordering API: a need from the orderer's POST to award, the supplier portal and isolation.

Internal search and approval are driven with the workflow directly; everything a client system
does (order, offer, award) goes through the API.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from hyrkoll.accounts.models import User
from hyrkoll.assignments.models import Assignment
from hyrkoll.audit.models import AuditEvent
from hyrkoll.lib.personal_numbers import keyed_hash
from hyrkoll.ordering import workflow
from hyrkoll.ordering.models import (
    CallOff,
    CallOffStatus,
    DecisionOutcome,
    Need,
    NeedStatus,
    Offer,
    OfferCheck,
)
from hyrkoll.ordering.tests import conftest as ordering_fixtures

# The ordering tests' cast (regions, units, roles, suppliers with consultants who pass every check).
flow = ordering_fixtures.flow
make_need = ordering_fixtures.make_need
make_offer = ordering_fixtures.make_offer

pytestmark = pytest.mark.django_db

PERSONAL_NUMBER = "19121212-1212"


def api(user: User) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def results(response: Any) -> list[dict[str, Any]]:
    assert response.status_code == 200, response.content
    return response.json()["results"]


def need_payload(flow: dict[str, Any], **overrides: Any) -> dict[str, Any]:
    start = timezone.localdate() + datetime.timedelta(days=30)
    payload: dict[str, Any] = {
        "unit": flow["units_a"]["care_unit"].pk,
        "profession": "doctor",
        "competence": flow["competence"].code,
        "starts_on": start.isoformat(),
        "ends_on": (start + datetime.timedelta(days=90)).isoformat(),
        "hours_per_week": "40.0",
        "shifts_note": "Dagtid mån–fre",
        "reason": "vacancy",
        "required_skills": "Erfarenhet av primärvård",
    }
    payload.update(overrides)
    return payload


def offer_payload(
    flow: dict[str, Any], target: CallOff, consultant_key: str, **overrides: Any
) -> dict[str, Any]:
    consultant = flow[consultant_key]
    need = target.need
    payload: dict[str, Any] = {
        "call_off": target.pk,
        "consultant": consultant.pk,
        "licence_number": consultant.licence_number,
        "competence": flow["competence"].code,
        "hlr_trained_on": (timezone.localdate() - datetime.timedelta(days=60)).isoformat(),
        "available_from": need.starts_on.isoformat(),
        "available_to": need.ends_on.isoformat(),
        "references": "Chef 1, 070-1111111\nChef 2, 070-2222222",
    }
    payload.update(overrides)
    return payload


def approve_and_publish(flow: dict[str, Any], need: Need) -> CallOff:
    """The call-off unit closes the internal search and the approver approves (publishes)."""
    workflow.exhaust_internal(flow["call_off_unit"], need, "Poolen tillfrågad, ingen ledig")
    workflow.decide(flow["verksamhetschef"], need, DecisionOutcome.APPROVE, "Vakans")
    need.refresh_from_db()
    assert need.status == NeedStatus.PUBLISHED
    return need.call_off


@pytest.fixture
def call_off(flow: dict[str, Any]) -> CallOff:
    need = workflow.save_draft(flow["orderer_a"], make_need(flow))
    workflow.submit(flow["orderer_a"], need)
    return approve_and_publish(flow, need)


# --- The whole flow -------------------------------------------------------------------------------


def test_need_from_api_post_to_award(flow: dict[str, Any]) -> None:
    orderer = api(flow["orderer_a"])

    # The orderer creates a draft: priced from the price list.
    response = orderer.post("/api/v1/needs/", need_payload(flow), format="json")
    assert response.status_code == 201, response.content
    created = response.json()
    assert created["status"] == "draft"
    assert created["region"] == "14"
    assert created["level"] == flow["competence"].level.code
    assert created["price_list"]
    assert Decimal(created["estimated_hourly_price_sek"]) > 0
    assert Decimal(created["estimated_cost_sek"]) > 0
    assert created["call_off"] is None and created["submitted_at"] is None
    need = Need.objects.get(pk=created["id"])
    assert need.created_by == flow["orderer_a"]

    # ... and submits it.
    response = orderer.post(f"/api/v1/needs/{need.pk}/submit/")
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "internal_search"
    assert response.json()["submitted_at"] is not None

    need.refresh_from_db()
    call_off = approve_and_publish(flow, need)
    assert orderer.get(f"/api/v1/needs/{need.pk}/").json()["call_off"] == call_off.pk

    # Supplier A sees the open call-off with the agreement price.
    supplier_a = api(flow["supplier_user_a"])
    rows = results(supplier_a.get("/api/v1/call-offs/", {"status": "open"}))
    assert [row["id"] for row in rows] == [call_off.pk]
    row = rows[0]
    assert row["status"] == "open"
    assert row["region"] == "14"
    assert row["sub_area"] == "doctors"
    assert row["unit"] == flow["units_a"]["care_unit"].name
    assert row["competence"] == {"code": flow["competence"].code, "name": flow["competence"].name}
    assert row["level"] == need.level.code
    assert row["zone"] == flow["units_a"]["care_unit"].municipality.zone
    assert row["shifts_note"] == "Dagtid mån–fre"
    assert Decimal(row["agreement_hourly_price_sek"]) == need.estimated_hourly_price_sek
    assert row["my_offers"] == []
    assert row["offers_count"] is None  # not told how many competitors there are

    # Supplier A offers its consultant with a personal identity number.
    response = supplier_a.post(
        "/api/v1/offers/",
        offer_payload(flow, call_off, "consultant_a", personal_number=PERSONAL_NUMBER),
        format="json",
    )
    assert response.status_code == 201, response.content
    offer_a = response.json()
    assert "personal_number" not in offer_a
    assert offer_a["status"] == "submitted"
    assert offer_a["call_off"] == call_off.pk
    assert offer_a["checks_passed"] is True, offer_a["checks"]
    assert {check["code"] for check in offer_a["checks"]} == {
        "complete",
        "licence",
        "experience",
        "hlr",
        "karens",
        "double_booking",
    }
    assert all(set(check) == {"code", "passed", "reason"} for check in offer_a["checks"])
    assert offer_a["rank"] is None
    flow["consultant_a"].refresh_from_db()
    assert flow["consultant_a"].personal_number_hash == keyed_hash(PERSONAL_NUMBER)
    assert PERSONAL_NUMBER.replace("-", "") not in str(
        list(AuditEvent.objects.values_list("before", "after"))
    )
    mine = results(supplier_a.get("/api/v1/call-offs/"))[0]["my_offers"]
    assert mine == [
        {
            "id": offer_a["id"],
            "consultant": flow["consultant_a"].pk,
            "status": "submitted",
            "checks_passed": True,
        }
    ]

    # Supplier B never sees A's offer and cannot offer A's consultant.
    supplier_b = api(flow["supplier_user_b"])
    assert results(supplier_b.get("/api/v1/offers/")) == []
    assert supplier_b.get(f"/api/v1/offers/{offer_a['id']}/").status_code == 404
    assert results(supplier_b.get("/api/v1/call-offs/"))[0]["my_offers"] == []
    response = supplier_b.post(
        "/api/v1/offers/", offer_payload(flow, call_off, "consultant_a"), format="json"
    )
    assert response.status_code == 400
    assert "consultant" in response.json()
    assert Offer.objects.count() == 1

    # B offers its own consultant; each supplier still sees only its own.
    response = supplier_b.post(
        "/api/v1/offers/", offer_payload(flow, call_off, "consultant_b"), format="json"
    )
    assert response.status_code == 201, response.content
    offer_b = response.json()
    assert [o["id"] for o in results(supplier_b.get("/api/v1/offers/"))] == [offer_b["id"]]
    assert [o["id"] for o in results(supplier_a.get("/api/v1/offers/"))] == [offer_a["id"]]
    assert [o["id"] for o in results(supplier_b.get("/api/v1/call-offs/"))[0]["my_offers"]] == [offer_b["id"]]
    # The listed offer carries its own checks only (read by the shown offers' ids), in code order.
    for client, offer in ((supplier_a, offer_a), (supplier_b, offer_b)):
        [listed] = results(client.get("/api/v1/offers/"))
        own = OfferCheck.objects.filter(offer_id=offer["id"]).order_by("code")
        assert [check["code"] for check in listed["checks"]] == [check.code for check in own]
        assert (
            len(own) == 6
            and listed["checks"] == client.get(f"/api/v1/offers/{offer['id']}/").json()["checks"]
        )

    # Region B sees neither the need nor the call-off nor the offers.
    region_b = api(flow["admin_b"])
    assert region_b.get(f"/api/v1/needs/{need.pk}/").status_code == 404
    assert region_b.get(f"/api/v1/call-offs/{call_off.pk}/").status_code == 404
    assert results(region_b.get("/api/v1/needs/")) == []
    assert results(region_b.get("/api/v1/call-offs/")) == []
    assert results(region_b.get("/api/v1/offers/")) == []

    # The call-off unit sees both offers, ranked, and the count.
    unit = api(flow["call_off_unit"])
    ranked = {o["id"]: o["rank"] for o in results(unit.get("/api/v1/offers/", {"call_off": call_off.pk}))}
    assert ranked == {offer_a["id"]: 1, offer_b["id"]: 2}
    assert unit.get(f"/api/v1/call-offs/{call_off.pk}/").json()["offers_count"] == 2

    # Neither the supplier nor the orderer may award.
    award = {"offer": offer_a["id"], "deviation_reason": ""}
    response = supplier_a.post(f"/api/v1/call-offs/{call_off.pk}/award/", award, format="json")
    assert response.status_code == 403
    assert response.json()["detail"]
    assert orderer.post(f"/api/v1/call-offs/{call_off.pk}/award/", award, format="json").status_code == 403
    assert not Assignment.objects.exists()

    # The call-off unit awards at the agreement price.
    response = unit.post(f"/api/v1/call-offs/{call_off.pk}/award/", award, format="json")
    assert response.status_code == 201, response.content
    assignment = response.json()
    assert assignment["consultant"] == flow["consultant_a"].pk
    assert assignment["supplier"] == flow["supplier_a"].pk
    assert Decimal(assignment["hourly_price_sek"]) == need.estimated_hourly_price_sek
    assert assignment["starts_on"] == need.starts_on.isoformat()
    assert assignment["ends_on"] == need.ends_on.isoformat()
    assert assignment["price_list"] == need.price_list.version
    assert assignment["zone"] == flow["units_a"]["care_unit"].municipality.zone

    # A second award is a conflict; still one assignment.
    again = {"offer": offer_b["id"], "deviation_reason": "Andra försöket"}
    response = unit.post(f"/api/v1/call-offs/{call_off.pk}/award/", again, format="json")
    assert response.status_code == 409
    assert response.json()["detail"]
    assert Assignment.objects.filter(call_off=call_off).count() == 1

    # The outcome for the suppliers is their offers' status.
    assert supplier_a.get(f"/api/v1/offers/{offer_a['id']}/").json()["status"] == "awarded"
    assert supplier_b.get(f"/api/v1/offers/{offer_b['id']}/").json()["status"] == "not_awarded"
    assert results(supplier_a.get("/api/v1/call-offs/", {"status": "open"})) == []

    # The need's history.
    response = orderer.get(f"/api/v1/needs/{need.pk}/events/")
    assert response.status_code == 200
    events = response.json()
    kinds = [event["kind"] for event in events]
    for kind in ("created", "submitted", "rules", "approved", "published", "offer", "checks", "awarded"):
        assert kind in kinds
    assert events[0] == {
        "kind": "created",
        "at": events[0]["at"],
        "actor_name": "orderer.a",
        "text": "",
    }
    assert orderer.get(f"/api/v1/needs/{need.pk}/").json()["status"] == "awarded"


# --- Needs ----------------------------------------------------------------------------------------


def test_needs_list_filters(flow: dict[str, Any]) -> None:
    draft = workflow.save_draft(flow["orderer_a"], make_need(flow))
    submitted = workflow.save_draft(flow["orderer_a"], make_need(flow))
    workflow.submit(flow["orderer_a"], submitted)
    client = api(flow["orderer_a"])

    assert {row["id"] for row in results(client.get("/api/v1/needs/"))} == {draft.pk, submitted.pk}
    assert [row["id"] for row in results(client.get("/api/v1/needs/", {"status": "draft"}))] == [draft.pk]
    unit_id = flow["units_a"]["care_unit"].pk
    assert len(results(client.get("/api/v1/needs/", {"unit": unit_id}))) == 2
    assert results(client.get("/api/v1/needs/", {"unit": unit_id + 1000})) == []
    assert client.get("/api/v1/needs/", {"unit": "x"}).status_code == 400


def test_supplier_sees_no_needs_and_cannot_order(flow: dict[str, Any]) -> None:
    need = workflow.save_draft(flow["orderer_a"], make_need(flow))
    supplier = api(flow["supplier_user_a"])

    assert results(supplier.get("/api/v1/needs/")) == []
    assert supplier.get(f"/api/v1/needs/{need.pk}/").status_code == 404
    assert supplier.get(f"/api/v1/needs/{need.pk}/events/").status_code == 404
    assert supplier.post(f"/api/v1/needs/{need.pk}/submit/").status_code == 404
    response = supplier.post("/api/v1/needs/", need_payload(flow), format="json")
    assert response.status_code == 403
    assert Need.objects.count() == 1


def test_user_without_orderer_role_gets_403(flow: dict[str, Any]) -> None:
    response = api(flow["admin_a"]).post("/api/v1/needs/", need_payload(flow), format="json")

    assert response.status_code == 403
    assert response.json()["detail"]
    assert not Need.objects.exists()


@pytest.mark.parametrize(
    ("field", "overrides"),
    [
        (
            "ends_on",
            lambda flow: {"ends_on": (timezone.localdate() + datetime.timedelta(days=10)).isoformat()},
        ),
        ("competence", lambda flow: {"competence": "nurse_registered"}),
        ("unit", lambda flow: {"unit": flow["units_b"]["care_unit"].pk}),
        ("unit", lambda flow: {"unit": flow["units_a"]["department"].pk}),
        ("hours_per_week", lambda flow: {"hours_per_week": "0"}),
        ("reason", lambda flow: {"reason": "boredom"}),
        ("outside_supplier_name", lambda flow: {"outside_agreement": True}),
    ],
)
def test_bad_need_input_is_400_naming_the_field(
    flow: dict[str, Any],
    field: str,
    overrides: Any,
) -> None:
    response = api(flow["orderer_a"]).post(
        "/api/v1/needs/", need_payload(flow, **overrides(flow)), format="json"
    )

    assert response.status_code == 400, response.content
    assert field in response.json()
    assert not Need.objects.exists()


def test_need_longer_than_the_maximum_is_400(flow: dict[str, Any]) -> None:
    start = timezone.localdate() + datetime.timedelta(days=30)
    payload = need_payload(flow, ends_on=(start + datetime.timedelta(days=800)).isoformat())

    response = api(flow["orderer_a"]).post("/api/v1/needs/", payload, format="json")

    assert response.status_code == 400
    assert response.json()["detail"]
    assert not Need.objects.exists()


def test_submit_and_cancel_refusals(flow: dict[str, Any]) -> None:
    need = workflow.save_draft(flow["orderer_a"], make_need(flow))
    orderer = api(flow["orderer_a"])

    # Someone in the region without the orderer role: forbidden.
    response = api(flow["admin_a"]).post(f"/api/v1/needs/{need.pk}/submit/")
    assert response.status_code == 403
    assert response.json()["detail"]
    assert orderer.post(f"/api/v1/needs/{need.pk}/submit/").status_code == 200
    # Submitting twice: a state conflict.
    response = orderer.post(f"/api/v1/needs/{need.pk}/submit/")
    assert response.status_code == 409
    assert response.json()["detail"]

    assert orderer.post(f"/api/v1/needs/{need.pk}/cancel/", {"reason": " "}, format="json").status_code == 400
    assert (
        api(flow["admin_a"])
        .post(f"/api/v1/needs/{need.pk}/cancel/", {"reason": "Behövs inte"}, format="json")
        .status_code
        == 403
    )
    response = orderer.post(f"/api/v1/needs/{need.pk}/cancel/", {"reason": "Behövs inte"}, format="json")
    assert response.status_code == 200
    assert response.json()["status"] == "cancelled"
    response = orderer.post(f"/api/v1/needs/{need.pk}/cancel/", {"reason": "Igen"}, format="json")
    assert response.status_code == 409
    need.refresh_from_db()
    assert need.status == NeedStatus.CANCELLED
    assert need.events.filter(kind="cancelled").count() == 1


# --- Offers ---------------------------------------------------------------------------------------


def test_offer_after_the_deadline_is_409_and_nothing_is_stored(
    flow: dict[str, Any],
    call_off: CallOff,
) -> None:
    CallOff.objects.filter(pk=call_off.pk).update(
        response_deadline=timezone.now() - datetime.timedelta(minutes=1)
    )
    payload = offer_payload(flow, call_off, "consultant_a", personal_number=PERSONAL_NUMBER)

    response = api(flow["supplier_user_a"]).post("/api/v1/offers/", payload, format="json")

    assert response.status_code == 409
    assert response.json()["detail"]
    assert not Offer.objects.exists()
    flow["consultant_a"].refresh_from_db()
    assert flow["consultant_a"].personal_number_hash == "hash-consultant_a"  # rolled back


def test_offer_on_a_closed_call_off_is_409(flow: dict[str, Any], call_off: CallOff) -> None:
    workflow.close_unfilled(flow["call_off_unit"], call_off, "Ingen kunde")
    assert CallOff.objects.get(pk=call_off.pk).status == CallOffStatus.UNFILLED

    response = api(flow["supplier_user_a"]).post(
        "/api/v1/offers/", offer_payload(flow, call_off, "consultant_a"), format="json"
    )

    assert response.status_code == 409
    assert not Offer.objects.exists()


def test_offering_the_same_consultant_twice_is_409(flow: dict[str, Any], call_off: CallOff) -> None:
    client = api(flow["supplier_user_a"])
    payload = offer_payload(flow, call_off, "consultant_a")

    assert client.post("/api/v1/offers/", payload, format="json").status_code == 201
    assert client.post("/api/v1/offers/", payload, format="json").status_code == 409
    assert Offer.objects.count() == 1


@pytest.mark.parametrize(
    ("field", "overrides"),
    [
        ("personal_number", {"personal_number": "19121212-1213"}),
        ("personal_number", {"personal_number": "not a number"}),
        ("available_to", {"available_to": "2000-01-01"}),
        ("competence", {"competence": "no_such_competence"}),
        ("call_off", {"call_off": 999999}),
    ],
)
def test_bad_offer_input_is_400(
    flow: dict[str, Any],
    call_off: CallOff,
    field: str,
    overrides: dict[str, Any],
) -> None:
    payload = offer_payload(flow, call_off, "consultant_a", **overrides)

    response = api(flow["supplier_user_a"]).post("/api/v1/offers/", payload, format="json")

    assert response.status_code == 400, response.content
    assert field in response.json()
    assert not Offer.objects.exists()
    flow["consultant_a"].refresh_from_db()
    assert flow["consultant_a"].personal_number_hash == "hash-consultant_a"


def test_failed_checks_are_reported_with_reasons(flow: dict[str, Any], call_off: CallOff) -> None:
    payload = offer_payload(flow, call_off, "consultant_a", hlr_trained_on=None, references="")

    response = api(flow["supplier_user_a"]).post("/api/v1/offers/", payload, format="json")

    assert response.status_code == 201, response.content
    data = response.json()
    assert data["checks_passed"] is False
    failed = {check["code"]: check["reason"] for check in data["checks"] if not check["passed"]}
    assert {"complete", "hlr"} <= set(failed)
    assert all(failed.values())
    # A region user sees it unranked.
    offer = api(flow["call_off_unit"]).get(f"/api/v1/offers/{data['id']}/").json()
    assert offer["rank"] is None
    assert offer["checks_passed"] is False


def test_region_user_cannot_offer(flow: dict[str, Any], call_off: CallOff) -> None:
    response = api(flow["call_off_unit"]).post(
        "/api/v1/offers/", offer_payload(flow, call_off, "consultant_a"), format="json"
    )

    assert response.status_code == 403
    assert not Offer.objects.exists()


def test_supplier_not_sent_the_call_off_does_not_see_it(flow: dict[str, Any]) -> None:
    need = workflow.save_draft(flow["orderer_a"], make_need(flow))
    workflow.submit(flow["orderer_a"], need)
    # Supplier B leaves the agreement before publication: the call-off is not sent to it.
    flow["supplier_b"].admissions.update(exited_on=timezone.localdate() - datetime.timedelta(days=1))
    call_off = approve_and_publish(flow, need)
    supplier_b = api(flow["supplier_user_b"])

    assert results(supplier_b.get("/api/v1/call-offs/")) == []
    assert supplier_b.get(f"/api/v1/call-offs/{call_off.pk}/").status_code == 404
    response = supplier_b.post(
        "/api/v1/offers/", offer_payload(flow, call_off, "consultant_b"), format="json"
    )
    assert response.status_code == 400
    assert "call_off" in response.json()
    assert not Offer.objects.exists()


def test_the_call_off_count_is_what_the_list_holds(flow: dict[str, Any]) -> None:
    """A supplier's unfiltered count comes from its recipient rows (``count_rows``): it must equal
    the list's rows, with and without a filter, and leave out what the supplier was not sent."""
    first = workflow.save_draft(flow["orderer_a"], make_need(flow))
    workflow.submit(flow["orderer_a"], first)
    sent_to_both = approve_and_publish(flow, first)
    flow["supplier_b"].admissions.update(exited_on=timezone.localdate() - datetime.timedelta(days=1))
    second = workflow.save_draft(flow["orderer_a"], make_need(flow))
    workflow.submit(flow["orderer_a"], second)
    sent_to_a = approve_and_publish(flow, second)
    CallOff.objects.filter(pk=sent_to_a.pk).update(status=CallOffStatus.UNFILLED)

    def listed(client: APIClient, **params: str) -> tuple[int, list[int]]:
        response = client.get("/api/v1/call-offs/", params)
        assert response.status_code == 200, response.content
        return response.json()["count"], [row["id"] for row in response.json()["results"]]

    supplier_a, supplier_b = api(flow["supplier_user_a"]), api(flow["supplier_user_b"])
    assert listed(supplier_a) == (2, [sent_to_a.pk, sent_to_both.pk])
    assert listed(supplier_a, limit="1") == (2, [sent_to_a.pk])
    assert listed(supplier_a, status="open") == (1, [sent_to_both.pk])
    assert listed(supplier_b) == (1, [sent_to_both.pk])
    assert listed(supplier_b, status="unfilled") == (0, [])
    assert listed(api(flow["call_off_unit"])) == (2, [sent_to_a.pk, sent_to_both.pk])


# --- Award ----------------------------------------------------------------------------------------


def test_award_needs_a_reason_to_deviate_and_an_offer_of_the_call_off(
    flow: dict[str, Any],
    call_off: CallOff,
) -> None:
    first = workflow.submit_offer(flow["supplier_user_a"], call_off, make_offer(flow, "consultant_a"))
    second = workflow.submit_offer(flow["supplier_user_b"], call_off, make_offer(flow, "consultant_b"))
    unit = api(flow["call_off_unit"])
    url = f"/api/v1/call-offs/{call_off.pk}/award/"

    response = unit.post(url, {"offer": second.pk}, format="json")
    assert response.status_code == 409
    assert str(flow["consultant_a"]) in response.json()["detail"]
    assert unit.post(url, {"offer": 999999}, format="json").status_code == 400
    assert not Assignment.objects.exists()

    response = unit.post(
        url, {"offer": second.pk, "deviation_reason": "Har arbetat här förut"}, format="json"
    )
    assert response.status_code == 201, response.content
    assert response.json()["offer"] == second.pk
    first.refresh_from_db()
    assert first.status == "not_awarded"


def test_award_by_region_b_is_404(flow: dict[str, Any], call_off: CallOff) -> None:
    offer = workflow.submit_offer(flow["supplier_user_a"], call_off, make_offer(flow, "consultant_a"))

    response = api(flow["admin_b"]).post(
        f"/api/v1/call-offs/{call_off.pk}/award/", {"offer": offer.pk}, format="json"
    )

    assert response.status_code == 404
    assert not Assignment.objects.exists()


# --- Authentication and the schema -----------------------------------------------------------------


@pytest.mark.parametrize("endpoint", ["needs/", "call-offs/", "offers/"])
def test_ordering_endpoints_require_authentication(endpoint: str) -> None:
    response = APIClient().get(f"/api/v1/{endpoint}")

    assert response.status_code == 401


def test_token_authentication_works_for_the_supplier_portal(flow: dict[str, Any], call_off: CallOff) -> None:
    token, _ = Token.objects.get_or_create(user=flow["supplier_user_a"])
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")

    assert [row["id"] for row in results(client.get("/api/v1/call-offs/"))] == [call_off.pk]


def test_schema_tags_of_the_ordering_endpoints() -> None:
    schema = APIClient().get("/api/v1/openapi.json").json()
    paths = schema["paths"]

    assert paths["/api/v1/needs/"]["get"]["tags"] == ["ordering"]
    assert paths["/api/v1/needs/"]["post"]["tags"] == ["ordering"]
    assert paths["/api/v1/needs/{id}/submit/"]["post"]["tags"] == ["ordering"]
    assert paths["/api/v1/call-offs/"]["get"]["tags"] == ["supplier portal"]
    assert paths["/api/v1/offers/"]["post"]["tags"] == ["supplier portal"]
    award = paths["/api/v1/call-offs/{id}/award/"]["post"]
    assert {"201", "400", "403", "404", "409"} <= set(award["responses"])
    offer_request = schema["components"]["schemas"]["OfferCreateRequest"]["properties"]
    assert offer_request["personal_number"]["writeOnly"] is True
    assert "personal_number" not in schema["components"]["schemas"]["Offer"]["properties"]
