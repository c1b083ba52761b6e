"""The invoice control: every deviation type with its amount, acceptance with a reason, approval,
rejection, checking again, and the invariant invoiced = expected + deviations."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from hyrkoll.agreement.models import Supplement, SupplementKind
from hyrkoll.assignments import services as assignment_services
from hyrkoll.assignments.models import Assignment
from hyrkoll.audit.models import AuditEvent
from hyrkoll.invoicing import services
from hyrkoll.invoicing.models import DeviationKind, Invoice, InvoiceDeviation, InvoiceStatus
from hyrkoll.invoicing.tests.conftest import D, deviations_of, first_monday, line, report_week, send

pytestmark = pytest.mark.django_db


def price(assignment: Assignment) -> Decimal:
    return assignment.hourly_price_sek


def test_a_clean_invoice_matches_the_agreement_and_is_approved(
    flow: dict[str, Any], assignment: Assignment
) -> None:
    week = first_monday(assignment)
    report_week(flow, assignment, week, [8, 8, 8, 8, 8, 0, 0])
    received = send(flow, "F-1", [line(assignment, week, week + D(days=6), 40, price(assignment))])
    invoice = received.created[0]
    assert invoice.deviations.count() == 0
    assert invoice.invoiced_sek == invoice.expected_sek == 40 * price(assignment)
    stored_line = invoice.lines.get()
    assert stored_line.assignment_id == assignment.pk and stored_line.priced_quantity == 40
    assert stored_line.agreement_price_sek == price(assignment)
    services.approve(flow["call_off_unit"], invoice)
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.APPROVED


def test_wrong_price_is_the_difference_on_the_approved_hours(
    flow: dict[str, Any], assignment: Assignment
) -> None:
    week = first_monday(assignment)
    report_week(flow, assignment, week, [8, 8, 8, 8, 8, 0, 0])
    invoiced_price = price(assignment) + 100
    invoice = send(flow, "F-2", [line(assignment, week, week + D(days=6), 40, invoiced_price)]).created[0]
    assert deviations_of(invoice) == {DeviationKind.WRONG_PRICE: Decimal(4000)}
    deviation = invoice.deviations.get()
    assert str(price(assignment)) in deviation.description
    assert invoice.deviation_sek == Decimal(4000)


def test_an_amount_that_is_not_quantity_times_price_is_a_wrong_price(
    flow: dict[str, Any], assignment: Assignment
) -> None:
    week = first_monday(assignment)
    report_week(flow, assignment, week, [8, 8, 8, 8, 8, 0, 0])
    correct = 40 * price(assignment)
    invoice = send(
        flow, "F-3", [line(assignment, week, week + D(days=6), 40, price(assignment), correct + 10)]
    )
    deviation = invoice.created[0].deviations.get()
    assert deviation.kind == DeviationKind.WRONG_PRICE and deviation.amount_sek == Decimal(10)
    assert "not quantity × unit price" in deviation.description


def test_hours_beyond_the_approved_time_are_unapproved(flow: dict[str, Any], assignment: Assignment) -> None:
    week = first_monday(assignment)
    report_week(flow, assignment, week, [8, 8, 8, 8, 8, 0, 0])
    p = price(assignment)
    invoice = send(flow, "F-4", [line(assignment, week, week + D(days=6), 45, p)]).created[0]
    assert deviations_of(invoice) == {DeviationKind.UNAPPROVED_HOURS: 5 * p}
    assert invoice.expected_sek == 40 * p
    assert invoice.invoiced_sek == invoice.expected_sek + 5 * p


def test_submitted_but_not_approved_time_is_unapproved(flow: dict[str, Any], assignment: Assignment) -> None:
    week = first_monday(assignment)
    report = report_week(flow, assignment, week, [8, 8, 8, 8, 8, 0, 0], approve=False)
    p = price(assignment)
    invoice = send(flow, "F-5", [line(assignment, week, week + D(days=6), 40, p)]).created[0]
    assert deviations_of(invoice) == {DeviationKind.UNAPPROVED_HOURS: 40 * p}
    with pytest.raises(services.WorkflowError, match="1 deviation"):
        services.approve(flow["call_off_unit"], invoice)

    # Once the manager approves the time, checking again clears the deviation.
    assignment_services.approve_time_report(flow["verksamhetschef"], report)
    services.recheck(flow["call_off_unit"], invoice)
    invoice.refresh_from_db()
    assert invoice.deviations.count() == 0 and invoice.expected_sek == 40 * p
    services.approve(flow["call_off_unit"], invoice)


def test_the_same_hours_invoiced_twice_are_unapproved_the_second_time(
    flow: dict[str, Any], assignment: Assignment
) -> None:
    week = first_monday(assignment)
    report_week(flow, assignment, week, [8, 8, 8, 8, 8, 0, 0])
    p = price(assignment)
    first = send(flow, "F-6", [line(assignment, week, week + D(days=6), 40, p)]).created[0]
    second = send(flow, "F-7", [line(assignment, week, week + D(days=2), 24, p)]).created[0]
    assert first.deviations.count() == 0
    assert deviations_of(second) == {DeviationKind.UNAPPROVED_HOURS: 24 * p}
    # A rejected invoice uses no time: the hours can be invoiced again.
    services.reject(flow["call_off_unit"], first, "Fel fakturaadress")
    third = send(flow, "F-8", [line(assignment, week, week + D(days=6), 40, p)]).created[0]
    assert third.deviations.count() == 0


def test_hours_outside_the_period(flow: dict[str, Any], assignment: Assignment) -> None:
    p = price(assignment)
    before = assignment.starts_on - D(days=10)
    invoice = send(flow, "F-9", [line(assignment, before, before + D(days=4), 40, p)]).created[0]
    assert deviations_of(invoice) == {DeviationKind.OUTSIDE_PERIOD: 40 * p}
    assert invoice.expected_sek == 0


def test_hours_reported_on_days_outside_the_period_within_a_week(
    flow: dict[str, Any], assignment: Assignment
) -> None:
    """A week that starts before the assignment: the reported hours before the start are outside."""
    start = assignment.starts_on
    week = start - D(days=start.weekday())
    if week == start:  # make the assignment start on a Wednesday
        Assignment.objects.filter(pk=assignment.pk).update(starts_on=start + D(days=2))
        assignment.refresh_from_db()
        assignment_services.AssignmentPeriod.objects.filter(assignment=assignment).update(
            starts_on=start + D(days=2)
        )
    days_before = (assignment.starts_on - week).days
    hours = [8] * 5 + [0, 0]
    report_week(flow, assignment, week, hours)
    inside_hours = sum(hours[days_before:])
    outside_hours = sum(hours[:days_before])
    p = price(assignment)
    invoice = send(flow, "F-10", [line(assignment, week, week + D(days=6), 40, p)]).created[0]
    assert deviations_of(invoice) == {DeviationKind.OUTSIDE_PERIOD: outside_hours * p}
    assert invoice.expected_sek == inside_hours * p


def test_unknown_assignments(flow: dict[str, Any], assignment: Assignment) -> None:
    p = price(assignment)
    week = first_monday(assignment)
    invoice = send(
        flow,
        "F-11",
        [line("U-999999", week, week + D(days=6), 10, p), line("not a number", week, week + D(days=6), 2, p)],
    ).created[0]
    assert deviations_of(invoice) == {DeviationKind.UNKNOWN_ASSIGNMENT: 12 * p}
    assert all(stored.assignment_id is None for stored in invoice.lines.all())


def test_another_suppliers_assignment_is_unknown(flow: dict[str, Any], assignment: Assignment) -> None:
    week = first_monday(assignment)
    report_week(flow, assignment, week, [8, 8, 8, 8, 8, 0, 0])
    invoice = send(
        flow,
        "B-1",
        [line(assignment, week, week + D(days=6), 40, price(assignment))],
        supplier_key="supplier_b",
    ).created[0]
    assert set(deviations_of(invoice)) == {DeviationKind.UNKNOWN_ASSIGNMENT}


def test_a_duplicate_number_and_the_same_invoice_twice(flow: dict[str, Any], assignment: Assignment) -> None:
    week = first_monday(assignment)
    report_week(flow, assignment, week, [8, 8, 8, 8, 8, 0, 0])
    p = price(assignment)
    lines = [line(assignment, week, week + D(days=1), 16, p)]
    first = send(flow, "F-12", lines)
    again = send(flow, "F-12", lines)
    assert len(first.created) == 1 and again.created == [] and again.already_received == first.created
    assert Invoice.objects.filter(number="F-12").count() == 1

    other = send(flow, "F-12", [line(assignment, week + D(days=2), week + D(days=3), 16, p)]).created[0]
    assert deviations_of(other) == {DeviationKind.DUPLICATE_NUMBER: 16 * p}
    assert Invoice.objects.filter(number="F-12").count() == 2


def test_on_call_is_priced_from_the_price_list_supplement(
    flow: dict[str, Any], assignment: Assignment
) -> None:
    week = first_monday(assignment)
    report_week(flow, assignment, week, [8, 8, 8, 8, 8, 0, 0], on_call=[0, 0, 0, 0, 0, 10, 0])
    p = price(assignment)
    invoice = send(
        flow,
        "F-13",
        [
            line(assignment, week, week + D(days=6), 40, p),
            line(assignment, week, week + D(days=6), 10, 250, kind="on_call"),
        ],
    ).created[0]
    # The test price list has no on-call price: the whole on-call line is a wrong price.
    assert deviations_of(invoice) == {DeviationKind.WRONG_PRICE: Decimal(2500)}
    assert "no price" in invoice.deviations.get().description

    Supplement.objects.create(price_list=assignment.price_list, kind=SupplementKind.ON_CALL, amount_sek=200)
    invoice = services.recheck(flow["call_off_unit"], invoice)
    assert deviations_of(invoice) == {DeviationKind.WRONG_PRICE: Decimal(500)}
    assert invoice.expected_sek == 40 * p + 2000


def test_an_extension_is_priced_with_its_own_period(flow: dict[str, Any], assignment: Assignment) -> None:
    """A line across the old end and an extension: each day at its period's price."""
    from hyrkoll.assignments.models import AssignmentPeriod

    old_end = assignment.ends_on
    AssignmentPeriod.objects.filter(assignment=assignment).update(ends_on=old_end)
    AssignmentPeriod.objects.create(
        assignment=assignment,
        kind="extension",
        starts_on=old_end + D(days=1),
        ends_on=old_end + D(days=30),
        price_list=assignment.price_list,
        hourly_price_sek=price(assignment) + 50,
    )
    Assignment.objects.filter(pk=assignment.pk).update(ends_on=old_end + D(days=30))
    assignment.refresh_from_db()
    week = old_end - D(days=old_end.weekday())
    report_week(flow, assignment, week, [8, 8, 8, 8, 8, 8, 8])
    days_old = (old_end - week).days + 1
    expected = 8 * days_old * price(assignment) + 8 * (7 - days_old) * (price(assignment) + 50)
    invoice = send(flow, "F-14", [line(assignment, week, week + D(days=6), 56, price(assignment), expected)])
    created = invoice.created[0]
    assert created.deviations.count() == 0 and created.expected_sek == expected


def test_accepting_needs_a_reason_and_is_audited(flow: dict[str, Any], assignment: Assignment) -> None:
    week = first_monday(assignment)
    report_week(flow, assignment, week, [8, 8, 8, 8, 8, 0, 0])
    invoice = send(
        flow, "F-15", [line(assignment, week, week + D(days=6), 40, price(assignment) + 1)]
    ).created[0]
    deviation = invoice.deviations.get()
    controller = flow["call_off_unit"]
    with pytest.raises(services.WorkflowError, match="open"):
        services.approve(controller, invoice)
    with pytest.raises(services.WorkflowError, match="Reason"):
        services.accept_deviation(controller, deviation, "  ")
    with pytest.raises(services.WorkflowError, match="call-off unit"):
        services.accept_deviation(flow["supplier_user_a"], deviation, "Jag godkänner själv")
    assert InvoiceDeviation.objects.get(pk=deviation.pk).accepted_at is None

    services.accept_deviation(controller, deviation, "Avtalat pristillägg för akut start")
    event = AuditEvent.objects.filter(
        content_type__model="invoicedeviation", object_id=str(deviation.pk), action="decision"
    ).get()
    assert event.reason == "Avtalat pristillägg för akut start" and event.after["accepted"] is True
    services.approve(controller, invoice)
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.APPROVED
    with pytest.raises(services.WorkflowError, match="no longer"):
        services.reject(controller, invoice, "För sent")


def test_the_units_manager_may_decide_but_not_another_region(
    flow: dict[str, Any], assignment: Assignment
) -> None:
    week = first_monday(assignment)
    report_week(flow, assignment, week, [8, 8, 8, 8, 8, 0, 0])
    invoice = send(flow, "F-16", [line(assignment, week, week + D(days=6), 40, price(assignment))]).created[0]
    with pytest.raises(services.WorkflowError):
        services.approve(flow["admin_b"], invoice)
    with pytest.raises(services.WorkflowError):
        services.approve(flow["supplier_user_a"], invoice)
    services.approve(flow["verksamhetschef"], invoice)


def test_rejection_needs_a_comment(flow: dict[str, Any], assignment: Assignment) -> None:
    week = first_monday(assignment)
    invoice = send(flow, "F-17", [line(assignment, week, week + D(days=6), 40, price(assignment))]).created[0]
    with pytest.raises(services.WorkflowError, match="Comment"):
        services.reject(flow["call_off_unit"], invoice, "")
    services.reject(flow["call_off_unit"], invoice, "Timmarna är inte godkända")
    invoice.refresh_from_db()
    assert (
        invoice.status == InvoiceStatus.REJECTED and invoice.decision_comment == "Timmarna är inte godkända"
    )


def test_the_sum_of_the_deviations_explains_the_difference(
    flow: dict[str, Any], assignment: Assignment
) -> None:
    """Several deviations on one line: invoiced = expected + outside + unapproved + wrong price."""
    start = assignment.starts_on
    week = first_monday(assignment)
    report_week(flow, assignment, week, [8, 8, 8, 8, 8, 0, 0])
    p = price(assignment)
    invoice = send(
        flow,
        "F-18",
        [
            line(assignment, week, week + D(days=6), 44, p + 20),
            line(assignment, start - D(days=3), start - D(days=1), 8, p),
        ],
    ).created[0]
    found = deviations_of(invoice)
    assert found == {
        DeviationKind.UNAPPROVED_HOURS: 4 * (p + 20),
        DeviationKind.WRONG_PRICE: 40 * 20,
        DeviationKind.OUTSIDE_PERIOD: 8 * p,
    }
    assert invoice.invoiced_sek == invoice.expected_sek + sum(found.values())


def test_a_rejection_can_count_as_an_invoice_error_against_the_supplier(
    flow: dict[str, Any], assignment: Assignment
) -> None:
    from hyrkoll.compliance.models import SupplierDeviation

    week = first_monday(assignment)
    invoice = send(flow, "F-19", [line(assignment, week, week + D(days=6), 40, price(assignment))]).created[0]
    services.reject(flow["verksamhetschef"], invoice, "Ingen godkänd tid", record_supplier_deviation=True)
    recorded = SupplierDeviation.objects.get()
    assert recorded.supplier == flow["supplier_a"] and recorded.region == flow["region_a"]
    assert recorded.kind == "invoice_error" and "F-19" in recorded.description
