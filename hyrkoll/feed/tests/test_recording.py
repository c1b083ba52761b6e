"""Each workflow step records its feed events, addressed to the right organisation, in its own
transaction: a step that rolls back leaves none."""

from __future__ import annotations

import datetime
from decimal import Decimal
from types import SimpleNamespace
from typing import Any
from unittest import mock

import pytest

from hyrkoll.assignments import services as assignment_services
from hyrkoll.feed import services
from hyrkoll.feed.models import FeedEvent, FeedKind
from hyrkoll.invoicing import services as invoice_services
from hyrkoll.invoicing.models import Invoice
from hyrkoll.invoicing.tests.conftest import first_monday, line, report_week, send
from hyrkoll.ordering import feed_events, workflow
from hyrkoll.ordering.models import DecisionOutcome, NeedStatus
from hyrkoll.ordering.tests.conftest import make_need
from hyrkoll.ordering.tests.test_checks import offer_on, publish_need

from .conftest import kinds_for

pytestmark = pytest.mark.django_db
WEEK = datetime.timedelta(days=6)


def test_publication_tells_every_admitted_supplier_once(flow: dict[str, Any]) -> None:
    call_off = publish_need(flow)
    for key in ("supplier_a", "supplier_b"):
        assert kinds_for(supplier=flow[key]) == [(FeedKind.CALL_OFF_PUBLISHED, "call_off", call_off.pk)]
    event = FeedEvent.objects.get(supplier=flow["supplier_a"])
    assert event.region_id is None
    assert event.object_url == f"/api/v1/call-offs/{call_off.pk}/"
    assert event.data["reference"] == f"Avrop {call_off.pk} · behov {call_off.need_id}"
    assert event.data["need"] == call_off.need_id
    # Region B hears nothing of region A.
    assert kinds_for(region=flow["region_b"]) == []


def test_a_need_awaiting_decision_goes_to_the_region_at_its_level(flow: dict[str, Any]) -> None:
    need = workflow.save_draft(flow["orderer_a"], make_need(flow))
    workflow.submit(flow["orderer_a"], need)
    workflow.exhaust_internal(flow["call_off_unit"], need, "Poolen tillfrågad")
    need.refresh_from_db()
    assert need.status == NeedStatus.AWAITING_APPROVAL
    event = FeedEvent.objects.get(kind=FeedKind.NEED_AWAITING_DECISION)
    assert (event.region_id, event.supplier_id) == (flow["region_a"].pk, None)
    assert event.decision_level == need.required_level
    assert event.object_url == f"/api/v1/needs/{need.pk}/"
    assert event.data["reference"] == f"Behov {need.pk}"


def test_a_purchase_outside_the_agreement_awaits_decision_after_the_steering_group(
    flow: dict[str, Any],
) -> None:
    need = make_need(
        flow, outside_agreement=True, outside_supplier_name="Direktläkare AB",
        outside_hourly_price_sek=Decimal(2100), outside_justification="Ingen leverantör i avtalet",
    )  # fmt: skip
    need = workflow.save_draft(flow["orderer_a"], need)
    workflow.submit(flow["orderer_a"], need)
    workflow.exhaust_internal(flow["call_off_unit"], need, "Inget internt")
    assert not FeedEvent.objects.exists()  # steering review first
    workflow.steering_review(flow["steering"], need, DecisionOutcome.APPROVE, "Nödvändigt")
    assert kinds_for(region=flow["region_a"]) == [(FeedKind.NEED_AWAITING_DECISION, "need", need.pk)]


def test_award_tells_the_winner_and_the_others(flow: dict[str, Any]) -> None:
    call_off = publish_need(flow)
    offer_a = offer_on(flow, call_off, "consultant_a")
    offer_b = offer_on(flow, call_off, "consultant_b")
    FeedEvent.objects.all().delete()
    workflow.award(flow["call_off_unit"], offer_a)
    assert kinds_for(supplier=flow["supplier_a"]) == [(FeedKind.OFFER_AWARDED, "offer", offer_a.pk)]
    assert kinds_for(supplier=flow["supplier_b"]) == [
        (FeedKind.OFFER_NOT_AWARDED, "offer", offer_b.pk),
        (FeedKind.CALL_OFF_CLOSED, "call_off", call_off.pk),
    ]
    assert set(FeedEvent.objects.values_list("data__outcome", flat=True)) == {"awarded"}
    assert not FeedEvent.objects.filter(region__isnull=False).exists()


def test_closing_unfilled_tells_every_recipient(flow: dict[str, Any]) -> None:
    call_off = publish_need(flow)
    offer_b = offer_on(flow, call_off, "consultant_b")
    FeedEvent.objects.all().delete()
    workflow.close_unfilled(flow["call_off_unit"], call_off, "Ingen passade")
    assert kinds_for(supplier=flow["supplier_a"]) == [(FeedKind.CALL_OFF_CLOSED, "call_off", call_off.pk)]
    assert kinds_for(supplier=flow["supplier_b"]) == [
        (FeedKind.OFFER_NOT_AWARDED, "offer", offer_b.pk),
        (FeedKind.CALL_OFF_CLOSED, "call_off", call_off.pk),
    ]
    assert set(FeedEvent.objects.values_list("data__outcome", flat=True)) == {"unfilled"}


def test_cancelling_a_published_need_closes_the_call_off_for_the_suppliers(flow: dict[str, Any]) -> None:
    call_off = publish_need(flow)
    FeedEvent.objects.all().delete()
    workflow.cancel(flow["orderer_a"], call_off.need, "Behovet bortfallet")
    for key in ("supplier_a", "supplier_b"):
        assert kinds_for(supplier=flow[key]) == [(FeedKind.CALL_OFF_CLOSED, "call_off", call_off.pk)]
    assert set(FeedEvent.objects.values_list("data__outcome", flat=True)) == {"cancelled"}


def test_a_rolled_back_publication_records_nothing(flow: dict[str, Any], monkeypatch: Any) -> None:
    """decide() publishes in a savepoint; when publication fails after its events were written,
    they go with it (the approval stands, the call-off unit publishes later)."""
    real = feed_events.call_off_published

    def record_then_fail(*args: Any) -> None:
        real(*args)
        assert FeedEvent.objects.filter(kind=FeedKind.CALL_OFF_PUBLISHED).count() == 2
        raise workflow.WorkflowError("the step fails after recording")

    monkeypatch.setattr(feed_events, "call_off_published", record_then_fail)
    need = workflow.save_draft(flow["orderer_a"], make_need(flow))
    workflow.submit(flow["orderer_a"], need)
    workflow.exhaust_internal(flow["call_off_unit"], need, "Poolen tillfrågad")
    workflow.decide(flow["verksamhetschef"], need, DecisionOutcome.APPROVE, "Vakans")
    need.refresh_from_db()
    assert need.status == NeedStatus.APPROVED
    assert not FeedEvent.objects.filter(kind=FeedKind.CALL_OFF_PUBLISHED).exists()


def _assignment(flow: dict[str, Any]) -> Any:
    call_off = publish_need(flow)
    assignment = workflow.award(flow["call_off_unit"], offer_on(flow, call_off))
    FeedEvent.objects.all().delete()
    return assignment


def test_a_returned_time_report_goes_to_the_supplier_and_the_region(flow: dict[str, Any]) -> None:
    assignment = _assignment(flow)
    week = first_monday(assignment)
    report = report_week(flow, assignment, week, [8, 8, 8, 8, 8, 0, 0], approve=False)
    assert not FeedEvent.objects.exists()
    assignment_services.return_time_report(flow["verksamhetschef"], report, "Fel timmar på tisdag")
    event = FeedEvent.objects.get()
    assert (event.kind, event.object_type, event.object_id) == (
        FeedKind.TIME_REPORT_RETURNED, "time_report", report.pk,
    )  # fmt: skip
    assert (event.region_id, event.supplier_id) == (flow["region_a"].pk, flow["supplier_a"].pk)
    assert event.data == {
        "assignment": assignment.pk,
        "week": week.isoformat(),
        "comment": "Fel timmar på tisdag",
    }


def test_approving_a_time_report_records_nothing(flow: dict[str, Any]) -> None:
    assignment = _assignment(flow)
    report_week(flow, assignment, first_monday(assignment), [8, 8, 8, 8, 8, 0, 0])
    assert not FeedEvent.objects.exists()


def test_invoice_deviations_then_approval(flow: dict[str, Any]) -> None:
    assignment = _assignment(flow)
    week = first_monday(assignment)
    report_week(flow, assignment, week, [8, 8, 8, 8, 8, 0, 0])
    price = assignment.hourly_price_sek
    # 40 approved hours, 45 invoiced: a deviation.
    send(flow, "F-1", [line(assignment, week, week + WEEK, 45, price)])
    invoice = Invoice.objects.get(number="F-1")
    event = FeedEvent.objects.get()
    assert (event.kind, event.object_id) == (FeedKind.INVOICE_DEVIATION_FOUND, invoice.pk)
    assert (event.region_id, event.supplier_id) == (flow["region_a"].pk, flow["supplier_a"].pk)
    assert event.data["invoice_number"] == "F-1"
    assert event.data["open_deviations"] >= 1
    assert Decimal(event.data["deviation_sek"]) != 0
    for deviation in invoice.deviations.all():
        invoice_services.accept_deviation(flow["call_off_unit"], deviation, "Överenskommet")
    invoice_services.approve(flow["call_off_unit"], invoice)
    assert [e.kind for e in FeedEvent.objects.order_by("pk")] == [
        FeedKind.INVOICE_DEVIATION_FOUND,
        FeedKind.INVOICE_APPROVED,
    ]
    approved = FeedEvent.objects.get(kind=FeedKind.INVOICE_APPROVED)
    assert approved.data == {"invoice_number": "F-1", "invoiced_sek": str(invoice.invoiced_sek)}
    assert not FeedEvent.objects.filter(supplier=flow["supplier_b"]).exists()


def test_an_invoice_without_deviations_records_nothing_until_approved(flow: dict[str, Any]) -> None:
    assignment = _assignment(flow)
    week = first_monday(assignment)
    report_week(flow, assignment, week, [8, 8, 8, 8, 8, 0, 0])
    send(flow, "F-2", [line(assignment, week, week + WEEK, 40, assignment.hourly_price_sek)])
    assert not FeedEvent.objects.exists()


def test_checking_again_reports_only_deviations_still_open(flow: dict[str, Any]) -> None:
    assignment = _assignment(flow)
    week = first_monday(assignment)
    report = report_week(flow, assignment, week, [8, 8, 8, 8, 8, 0, 0], approve=False)
    send(flow, "F-3", [line(assignment, week, week + WEEK, 40, assignment.hourly_price_sek)])
    invoice = Invoice.objects.get(number="F-3")
    invoice_services.recheck(flow["call_off_unit"], invoice)  # the time is still not approved
    assert [e.kind for e in FeedEvent.objects.order_by("pk")] == [FeedKind.INVOICE_DEVIATION_FOUND] * 2
    assignment_services.approve_time_report(flow["verksamhetschef"], report)
    invoice_services.recheck(flow["call_off_unit"], invoice)  # clean now: nothing new
    invoice_services.approve(flow["call_off_unit"], invoice)
    assert [e.kind for e in FeedEvent.objects.order_by("pk")] == [
        FeedKind.INVOICE_DEVIATION_FOUND,
        FeedKind.INVOICE_DEVIATION_FOUND,
        FeedKind.INVOICE_APPROVED,
    ]


def test_recording_refuses_outside_a_transaction_and_without_an_address(flow: dict[str, Any]) -> None:
    call_off = publish_need(flow)
    supplier = flow["supplier_a"].pk
    outside = SimpleNamespace(in_atomic_block=False)
    with mock.patch.object(services.transaction, "get_connection", return_value=outside):
        with pytest.raises(RuntimeError):
            services.record(FeedKind.CALL_OFF_PUBLISHED, call_off, supplier_id=supplier)
        with pytest.raises(RuntimeError):
            services.record_to_suppliers(FeedKind.CALL_OFF_PUBLISHED, call_off, [supplier])
    with pytest.raises(ValueError):
        services.record(FeedKind.CALL_OFF_PUBLISHED, call_off)
