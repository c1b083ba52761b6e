"""One need through the whole workflow, step by step, as the different roles."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail

from hyrkoll.assignments.models import Assignment
from hyrkoll.ordering import workflow
from hyrkoll.ordering.models import CallOffStatus, DecisionOutcome, EventKind, NeedStatus, OfferStatus
from hyrkoll.ordering.tests.conftest import make_need, make_offer
from hyrkoll.rules.engine import DEFAULT_LEVEL


def test_need_goes_from_orderer_to_award(
    flow: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    flow["supplier_a"].email = "avrop@bemanning-a.example"
    flow["supplier_a"].save()
    flow["supplier_user_b"].email = "salj@bemanning-b.example"
    flow["supplier_user_b"].save()
    need = workflow.save_draft(flow["orderer_a"], make_need(flow))
    assert need.status == NeedStatus.DRAFT
    assert need.estimated_hourly_price_sek is not None and need.estimated_cost_sek > 0

    workflow.submit(flow["orderer_a"], need)
    assert need.status == NeedStatus.INTERNAL_SEARCH
    workflow.record_internal_attempt(
        flow["call_off_unit"], need, outcome="not_available", description="Bemanningspoolen: ingen ledig"
    )
    outcome = workflow.exhaust_internal(flow["call_off_unit"], need, "Poolen och grannenheter tillfrågade")
    assert need.status == NeedStatus.AWAITING_APPROVAL
    assert need.required_level == outcome.required_level == DEFAULT_LEVEL

    with django_capture_on_commit_callbacks(execute=True):
        workflow.decide(flow["verksamhetschef"], need, DecisionOutcome.APPROVE, "Vakans, inga interna")
    need.refresh_from_db()
    assert need.status == NeedStatus.PUBLISHED
    call_off = need.call_off
    assert set(call_off.recipients.values_list("supplier__name", flat=True)) == {
        "Bemanning A AB",
        "Bemanning B AB",
    }
    # Every admitted supplier is notified: A at its company address, B through its user.
    assert sorted(m.to[0] for m in mail.outbox) == ["avrop@bemanning-a.example", "salj@bemanning-b.example"]
    assert all(str(call_off.pk) in m.subject for m in mail.outbox)

    offer_a = workflow.submit_offer(flow["supplier_user_a"], call_off, make_offer(flow, "consultant_a"))
    assert offer_a.checks_passed, list(offer_a.checks.values_list("code", "reason"))
    offer_b = workflow.submit_offer(flow["supplier_user_b"], call_off, make_offer(flow, "consultant_b"))
    assert [o.pk for o in workflow.ranked_offers(call_off)] == [offer_a.pk, offer_b.pk]

    with pytest.raises(workflow.WorkflowError):
        workflow.award(flow["call_off_unit"], offer_b)  # deviates from the ranking without a reason
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assignment = workflow.award(flow["call_off_unit"], offer_a)
    # The supplier that did not win is told the call-off is filled.
    assert [m.to for m in mail.outbox] == [["salj@bemanning-b.example"]]
    assert assignment.hourly_price_sek == need.estimated_hourly_price_sek
    call_off.refresh_from_db()
    offer_b.refresh_from_db()
    assert call_off.status == CallOffStatus.AWARDED
    assert offer_b.status == OfferStatus.NOT_AWARDED
    need.refresh_from_db()
    assert need.status == NeedStatus.AWARDED
    kinds = list(need.events.values_list("kind", flat=True))
    for kind in (
        EventKind.SUBMITTED,
        EventKind.RULES,
        EventKind.APPROVED,
        EventKind.PUBLISHED,
        EventKind.AWARDED,
    ):
        assert kind in kinds
    with pytest.raises(workflow.WorkflowError):
        workflow.award(flow["call_off_unit"], offer_b, "second award")
    assert Assignment.objects.filter(call_off=call_off).count() == 1
