"""Guards found in review: stale forms, someone else's licence number, levels limited to a unit,
and a re-check at award that fails."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import timezone

from conftest import make_user
from hyrkoll.accounts.models import DecisionLevel, Role, RoleAssignment, Scope
from hyrkoll.ordering import workflow
from hyrkoll.ordering.models import CheckCode, Decision, DecisionOutcome, NeedStatus, Offer
from hyrkoll.ordering.tests.conftest import make_need
from hyrkoll.ordering.tests.test_checks import offer_on, publish_need


def test_saving_a_stale_copy_does_not_undo_a_submission(flow: dict[str, Any]) -> None:
    need = workflow.save_draft(flow["orderer_a"], make_need(flow))
    stale = type(need).objects.get(pk=need.pk)
    workflow.submit(flow["orderer_a"], need)
    stale.hours_per_week = 20
    with pytest.raises(workflow.WorkflowError):
        workflow.save_draft(flow["orderer_a"], stale)
    need.refresh_from_db()
    assert need.status == NeedStatus.INTERNAL_SEARCH
    assert need.hours_per_week == 40


def test_a_licence_number_counts_only_for_the_person_it_names(flow: dict[str, Any]) -> None:
    call_off = publish_need(flow)
    # Consultant B offered with consultant A's (valid) licence number.
    offer = offer_on(flow, call_off, "consultant_b", licence_number=flow["consultant_a"].licence_number)
    check = offer.checks.get(code=CheckCode.LICENCE)
    assert not check.passed


def test_decision_records_the_level_that_covers_the_unit(flow: dict[str, Any]) -> None:
    region = flow["region_a"]
    approver = make_user("mixed.approver", scope=Scope.REGION, region=region)
    # Regional director only for another part of the organisation; head of department for ours.
    other = flow["units_a"]["administration"].__class__.objects.create(
        region=region, kind="administration", code="A-OTHER", name="Annan förvaltning"
    )
    RoleAssignment.objects.create(
        user=approver, role=Role.APPROVER, decision_level=DecisionLevel.REGIONAL_DIRECTOR, org_unit=other
    )
    RoleAssignment.objects.create(
        user=approver, role=Role.APPROVER, decision_level=DecisionLevel.DEPARTMENT_HEAD
    )
    need = workflow.save_draft(flow["orderer_a"], make_need(flow))
    workflow.submit(flow["orderer_a"], need)
    workflow.exhaust_internal(flow["call_off_unit"], need, "Ingen i poolen")
    workflow.decide(approver, need, DecisionOutcome.APPROVE, "Vakans")
    assert Decision.objects.get(need=need).level == DecisionLevel.DEPARTMENT_HEAD


def test_a_failed_recheck_at_award_is_kept(flow: dict[str, Any]) -> None:
    call_off = publish_need(flow)
    offer = offer_on(flow, call_off)
    assert offer.checks_passed
    Offer.objects.filter(pk=offer.pk).update(
        hlr_trained_on=timezone.localdate() - datetime.timedelta(days=800)
    )
    offer.refresh_from_db()
    with pytest.raises(workflow.WorkflowError):
        workflow.award(flow["call_off_unit"], offer)
    offer.refresh_from_db()
    assert offer.checks_passed is False
    assert not offer.checks.get(code=CheckCode.HLR).passed
    assert workflow.ranked_offers(call_off) == []
