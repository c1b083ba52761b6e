"""Wrong input and wrong actors: every step is refused with a clear message and changes nothing."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from conftest import make_unit_tree, make_user
from hyrkoll.accounts.models import DecisionLevel, Role, RoleAssignment, Scope
from hyrkoll.agreement.models import Competence, Profession, SubArea, Supplier, SupplierAdmission
from hyrkoll.assignments.models import Assignment
from hyrkoll.consultants.models import Consultant
from hyrkoll.ordering import workflow
from hyrkoll.ordering.models import (
    CallOff,
    CallOffStatus,
    Decision,
    DecisionOutcome,
    Need,
    NeedEvent,
    NeedStatus,
    Offer,
    OfferStatus,
)
from hyrkoll.ordering.tests.conftest import make_need, make_offer
from hyrkoll.ordering.tests.test_checks import offer_on, publish_need
from hyrkoll.rules.models import RegionRule, RuleKind


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    with translation.override("en"):
        yield


def counts() -> tuple[int, int, int, int, int]:
    return (
        Need.objects.count(),
        NeedEvent.objects.count(),
        Offer.objects.count(),
        Decision.objects.count(),
        Assignment.objects.count(),
    )


# --- the need ----------------------------------------------------------------------------------------------


def test_end_before_start_is_refused(flow: dict[str, Any]) -> None:
    start = timezone.localdate() + datetime.timedelta(days=30)
    before = counts()
    with pytest.raises(ValidationError) as error:
        workflow.save_draft(
            flow["orderer_a"], make_need(flow, starts_on=start, ends_on=start - datetime.timedelta(days=1))
        )
    assert "ends_on" in error.value.message_dict
    assert "The end cannot be before the start." in error.value.message_dict["ends_on"]
    assert counts() == before


def test_competence_of_another_profession_is_refused(flow: dict[str, Any]) -> None:
    before = counts()
    with pytest.raises(ValidationError) as error:
        workflow.save_draft(
            flow["orderer_a"], make_need(flow, profession=Profession.objects.get(code="nurse"))
        )
    assert "competence" in error.value.message_dict
    assert counts() == before


def test_unit_of_another_region_is_refused(flow: dict[str, Any]) -> None:
    before = counts()
    with pytest.raises(workflow.WorkflowError, match="not an authorised orderer"):
        workflow.save_draft(flow["orderer_a"], make_need(flow, unit=flow["units_b"]["care_unit"]))
    assert counts() == before


def test_unit_outside_the_orderers_part_of_the_region_is_refused(flow: dict[str, Any]) -> None:
    limited = make_user("bestallare.begransad", scope=Scope.REGION, region=flow["region_a"])
    RoleAssignment.objects.create(user=limited, role=Role.ORDERER, org_unit=flow["units_a"]["department"])
    other = make_unit_tree(flow["region_a"], "A2")
    before = counts()
    with pytest.raises(workflow.WorkflowError, match="not an authorised orderer"):
        workflow.save_draft(limited, make_need(flow, unit=other["care_unit"]))
    assert counts() == before
    # Their own department's care unit is fine.
    assert workflow.save_draft(limited, make_need(flow)).status == NeedStatus.DRAFT


def test_need_for_a_department_is_refused(flow: dict[str, Any]) -> None:
    before = counts()
    with pytest.raises(ValidationError) as error:
        workflow.save_draft(flow["orderer_a"], make_need(flow, unit=flow["units_a"]["department"]))
    assert error.value.message_dict["unit"] == ["Staff is ordered for a care unit."]
    assert counts() == before


def test_period_longer_than_twelve_months_is_refused(flow: dict[str, Any]) -> None:
    start = timezone.localdate() + datetime.timedelta(days=30)
    before = counts()
    with pytest.raises(workflow.WorkflowError, match="at most 12 months"):
        workflow.save_draft(
            flow["orderer_a"], make_need(flow, starts_on=start, ends_on=start + datetime.timedelta(days=400))
        )
    assert counts() == before


def test_twelve_months_from_the_31st_is_allowed_and_a_day_more_is_not(flow: dict[str, Any]) -> None:
    start = timezone.localdate() + datetime.timedelta(days=1)
    while start.day != 31:
        start += datetime.timedelta(days=1)
    last_day = start.replace(year=start.year + 1) - datetime.timedelta(days=1)  # the 30th a year on
    with pytest.raises(workflow.WorkflowError, match="at most 12 months"):
        workflow.save_draft(
            flow["orderer_a"], make_need(flow, starts_on=start, ends_on=last_day + datetime.timedelta(days=1))
        )
    need = workflow.save_draft(flow["orderer_a"], make_need(flow, starts_on=start, ends_on=last_day))
    assert workflow.submit(flow["orderer_a"], need).status == NeedStatus.INTERNAL_SEARCH


def test_outside_agreement_needs_supplier_price_and_justification(flow: dict[str, Any]) -> None:
    before = counts()
    with pytest.raises(ValidationError) as error:
        workflow.save_draft(flow["orderer_a"], make_need(flow, outside_agreement=True))
    assert set(error.value.message_dict) >= {
        "outside_supplier_name",
        "outside_hourly_price_sek",
        "outside_justification",
    }
    assert counts() == before
    # One missing field is reported alone.
    with pytest.raises(ValidationError) as error:
        workflow.save_draft(
            flow["orderer_a"],
            make_need(
                flow,
                outside_agreement=True,
                outside_supplier_name="Direkt AB",
                outside_hourly_price_sek=Decimal(1900),
            ),
        )
    assert set(error.value.message_dict) == {"outside_justification"}
    assert counts() == before


def test_submit_with_a_past_start_is_refused(flow: dict[str, Any]) -> None:
    need = workflow.save_draft(flow["orderer_a"], make_need(flow))
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    Need.objects.filter(pk=need.pk).update(starts_on=yesterday)
    need.refresh_from_db()
    before = counts()
    with pytest.raises(workflow.WorkflowError, match="start date has passed"):
        workflow.submit(flow["orderer_a"], need)
    assert counts() == before
    need.refresh_from_db()
    assert need.status == NeedStatus.DRAFT


def test_submit_by_someone_else_is_refused(flow: dict[str, Any]) -> None:
    need = workflow.save_draft(flow["orderer_a"], make_need(flow))
    before = counts()
    with pytest.raises(workflow.WorkflowError, match="not an authorised orderer"):
        workflow.submit(flow["call_off_unit"], need)
    need.refresh_from_db()
    assert need.status == NeedStatus.DRAFT
    assert counts() == before


# --- offers ------------------------------------------------------------------------------------------------


def refused_offer(user: Any, call_off: CallOff, offer: Offer, message: str) -> None:
    before = counts()
    with pytest.raises(workflow.WorkflowError, match=message):
        workflow.submit_offer(user, call_off, offer)
    assert counts() == before


def test_offer_on_a_closed_call_off_is_refused(flow: dict[str, Any]) -> None:
    call_off = publish_need(flow)
    workflow.close_unfilled(flow["call_off_unit"], call_off, "Behovet löst på annat sätt")
    refused_offer(flow["supplier_user_a"], call_off, make_offer(flow), "The call-off is closed.")


def test_offer_on_a_cancelled_call_off_is_refused(flow: dict[str, Any]) -> None:
    call_off = publish_need(flow)
    earlier = offer_on(flow, call_off, "consultant_b")
    workflow.cancel(flow["orderer_a"], call_off.need, "Vakansen tillsatt med egen personal")
    call_off.refresh_from_db()
    earlier.refresh_from_db()
    assert call_off.status == CallOffStatus.CANCELLED and call_off.closed_at is not None
    assert earlier.status == OfferStatus.NOT_AWARDED
    assert call_off.need.status == NeedStatus.CANCELLED
    refused_offer(flow["supplier_user_a"], call_off, make_offer(flow), "The call-off is closed.")
    with pytest.raises(workflow.WorkflowError):
        workflow.award(flow["call_off_unit"], earlier)


def test_offer_after_the_deadline_is_refused(flow: dict[str, Any]) -> None:
    call_off = publish_need(flow)
    CallOff.objects.filter(pk=call_off.pk).update(
        response_deadline=timezone.now() - datetime.timedelta(minutes=1)
    )
    refused_offer(flow["supplier_user_a"], call_off, make_offer(flow), "deadline has passed")


def test_offer_by_a_supplier_that_did_not_receive_the_call_off_is_refused(flow: dict[str, Any]) -> None:
    call_off = publish_need(flow)
    nurses_only = Supplier.objects.create(name="Sjuksköterskebemanning C AB", org_no="556000-0019")
    SupplierAdmission.objects.create(
        supplier=nurses_only,
        sub_area=SubArea.objects.get(code="nurses"),
        admitted_on=datetime.date(2024, 1, 1),
    )
    user = make_user("supplier.c", scope=Scope.SUPPLIER, supplier=nurses_only, roles=(Role.SUPPLIER_USER,))
    flow["consultant_c"] = Consultant.objects.create(
        supplier=nurses_only,
        first_name="Cecilia",
        last_name="Ceder",
        profession=Profession.objects.get(code="doctor"),
    )
    refused_offer(user, call_off, make_offer(flow, "consultant_c"), "was not sent to your company")


def test_offer_by_a_region_user_is_refused(flow: dict[str, Any]) -> None:
    call_off = publish_need(flow)
    refused_offer(flow["call_off_unit"], call_off, make_offer(flow), "Only supplier users")


def test_offer_of_another_suppliers_consultant_is_refused(flow: dict[str, Any]) -> None:
    call_off = publish_need(flow)
    refused_offer(
        flow["supplier_user_a"], call_off, make_offer(flow, "consultant_b"), "belongs to another supplier"
    )


def test_the_same_consultant_twice_is_refused(flow: dict[str, Any]) -> None:
    call_off = publish_need(flow)
    offer_on(flow, call_off)
    refused_offer(flow["supplier_user_a"], call_off, make_offer(flow), "already been offered")


def test_offer_with_availability_ending_before_it_starts_is_refused(flow: dict[str, Any]) -> None:
    call_off = publish_need(flow)
    start = timezone.localdate() + datetime.timedelta(days=30)
    before = counts()
    with pytest.raises(ValidationError):
        workflow.submit_offer(
            flow["supplier_user_a"],
            call_off,
            make_offer(flow, available_from=start, available_to=start - datetime.timedelta(days=1)),
        )
    assert counts() == before


# --- award -------------------------------------------------------------------------------------------------


def test_award_of_an_offer_that_failed_a_check_is_refused(flow: dict[str, Any]) -> None:
    call_off = publish_need(flow)
    offer = offer_on(flow, call_off, hlr_trained_on=None)
    assert not offer.checks_passed
    before = counts()
    with pytest.raises(workflow.WorkflowError, match="failed a check"):
        workflow.award(flow["call_off_unit"], offer)
    assert counts() == before
    call_off.refresh_from_db()
    call_off.need.refresh_from_db()
    assert call_off.status == CallOffStatus.OPEN
    assert call_off.need.status == NeedStatus.PUBLISHED


@pytest.mark.parametrize("who", ["verksamhetschef", "orderer_a", "supplier_user_a", "admin_a", "coordinator"])
def test_award_by_someone_outside_the_call_off_unit_is_refused(flow: dict[str, Any], who: str) -> None:
    call_off = publish_need(flow)
    offer = offer_on(flow, call_off)
    before = counts()
    with pytest.raises(workflow.WorkflowError, match="Only the call-off unit awards"):
        workflow.award(flow[who], offer)
    assert counts() == before
    call_off.need.refresh_from_db()
    assert call_off.need.status == NeedStatus.PUBLISHED


def test_call_off_unit_of_another_region_cannot_award(flow: dict[str, Any]) -> None:
    call_off = publish_need(flow)
    offer = offer_on(flow, call_off)
    other = make_user("avrop.b", scope=Scope.REGION, region=flow["region_b"], roles=(Role.CALL_OFF_UNIT,))
    with pytest.raises(workflow.WorkflowError, match="Only the call-off unit awards"):
        workflow.award(other, offer)
    assert not Assignment.objects.exists()


# --- decisions ---------------------------------------------------------------------------------------------


def awaiting_need(flow: dict[str, Any], **overrides: Any) -> Need:
    need = workflow.save_draft(flow["orderer_a"], make_need(flow, **overrides))
    workflow.submit(flow["orderer_a"], need)
    workflow.exhaust_internal(flow["call_off_unit"], need, "Inga interna alternativ")
    return need


def refused_decision(user: Any, need: Need, status: str) -> None:
    before = counts()
    with pytest.raises(workflow.WorkflowError):
        workflow.decide(user, need, DecisionOutcome.APPROVE, "Godkänt")
    assert counts() == before
    need.refresh_from_db()
    assert need.status == status


def test_approver_below_the_required_level_is_refused(flow: dict[str, Any]) -> None:
    RegionRule.objects.create(
        region=flow["region_a"], kind=RuleKind.DECISION_LEVEL, name="Långa avrop: områdeschef",
        decision_level=DecisionLevel.AREA_MANAGER, min_length_days=60, valid_from=datetime.date(2024, 1, 1),
    )  # fmt: skip
    need = awaiting_need(flow)
    assert need.required_level == DecisionLevel.AREA_MANAGER
    with pytest.raises(workflow.WorkflowError, match="must be decided at the level"):
        workflow.decide(flow["verksamhetschef"], need, DecisionOutcome.APPROVE, "Godkänt")
    refused_decision(flow["verksamhetschef"], need, NeedStatus.AWAITING_APPROVAL)
    # Nor may they reject or return it.
    for outcome in (DecisionOutcome.REJECT, DecisionOutcome.RETURN):
        with pytest.raises(workflow.WorkflowError):
            workflow.decide(flow["verksamhetschef"], need, outcome, "Nej")
    need.refresh_from_db()
    assert need.status == NeedStatus.AWAITING_APPROVAL
    workflow.decide(flow["omradeschef"], need, DecisionOutcome.APPROVE, "Godkänt")
    assert Decision.objects.get(need=need).level == DecisionLevel.AREA_MANAGER


def test_approver_limited_to_another_part_of_the_organisation_is_refused(flow: dict[str, Any]) -> None:
    other = make_unit_tree(flow["region_a"], "A2")
    elsewhere = make_user("verksamhetschef.a2", scope=Scope.REGION, region=flow["region_a"])
    RoleAssignment.objects.create(
        user=elsewhere,
        role=Role.APPROVER,
        decision_level=DecisionLevel.HEALTH_DIRECTOR,
        org_unit=other["department"],
    )
    need = awaiting_need(flow)
    refused_decision(elsewhere, need, NeedStatus.AWAITING_APPROVAL)


def test_approver_of_another_region_is_refused(flow: dict[str, Any]) -> None:
    director_b = make_user("regiondirektor.b", scope=Scope.REGION, region=flow["region_b"])
    RoleAssignment.objects.create(
        user=director_b, role=Role.APPROVER, decision_level=DecisionLevel.REGIONAL_DIRECTOR
    )
    need = awaiting_need(flow)
    refused_decision(director_b, need, NeedStatus.AWAITING_APPROVAL)


def test_decision_without_a_reason_is_refused(flow: dict[str, Any]) -> None:
    need = awaiting_need(flow)
    before = counts()
    with pytest.raises(workflow.WorkflowError, match="Give a reason"):
        workflow.decide(flow["verksamhetschef"], need, DecisionOutcome.REJECT, "   ")
    assert counts() == before


def test_decision_before_the_internal_search_is_closed_is_refused(flow: dict[str, Any]) -> None:
    need = workflow.save_draft(flow["orderer_a"], make_need(flow))
    workflow.submit(flow["orderer_a"], need)
    # No level has been set yet: nobody may decide.
    refused_decision(flow["regiondirektor"], need, NeedStatus.INTERNAL_SEARCH)


def test_steering_review_by_a_non_member_is_refused(flow: dict[str, Any]) -> None:
    need = awaiting_need(
        flow, outside_agreement=True, outside_supplier_name="Direktläkare AB",
        outside_hourly_price_sek=Decimal(2100), outside_justification="Ingen leverantör i avtalet har specialisten",
    )  # fmt: skip
    assert need.status == NeedStatus.STEERING_REVIEW
    for who in ("orderer_a", "verksamhetschef", "regiondirektor", "call_off_unit", "supplier_user_a"):
        before = counts()
        with pytest.raises(workflow.WorkflowError, match="Only the steering group"):
            workflow.steering_review(flow[who], need, DecisionOutcome.APPROVE, "Ok")
        assert counts() == before
        need.refresh_from_db()
        assert need.status == NeedStatus.STEERING_REVIEW
    # Nor can an approver skip the steering group.
    refused_decision(flow["regiondirektor"], need, NeedStatus.STEERING_REVIEW)


def test_steering_group_of_another_region_is_refused(flow: dict[str, Any]) -> None:
    need = awaiting_need(
        flow, outside_agreement=True, outside_supplier_name="Direktläkare AB",
        outside_hourly_price_sek=Decimal(2100), outside_justification="Ingen leverantör i avtalet har specialisten",
    )  # fmt: skip
    steering_b = make_user(
        "styrgrupp.b", scope=Scope.REGION, region=flow["region_b"], roles=(Role.STEERING_GROUP,)
    )
    with pytest.raises(workflow.WorkflowError, match="Only the steering group"):
        workflow.steering_review(steering_b, need, DecisionOutcome.APPROVE, "Ok")
    need.refresh_from_db()
    assert need.status == NeedStatus.STEERING_REVIEW


def test_competence_level_follows_the_competence(flow: dict[str, Any]) -> None:
    """The level is never typed in: a wrong level given by the caller is replaced."""
    wrong = Competence.objects.get(code="spec_psychiatry").level
    need = workflow.save_draft(flow["orderer_a"], make_need(flow, level=wrong))
    assert need.level == flow["competence"].level
