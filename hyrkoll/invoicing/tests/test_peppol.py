"""Peppol BIS Billing 3.0 documents: received and controlled like any invoice, the same document twice
changes nothing, a credit note reduces, and every bad document is refused with its rule id and location
with nothing stored."""

from __future__ import annotations

import datetime
import socket
from decimal import Decimal
from typing import Any

import pytest
from django.db import transaction
from django.db.models import Sum

from hyrkoll.assignments.models import Assignment
from hyrkoll.compliance.models import Suspension
from hyrkoll.invoicing import services
from hyrkoll.invoicing.models import (
    DeviationKind,
    DocumentType,
    Invoice,
    InvoiceFile,
    InvoiceLine,
    InvoiceStatus,
)
from hyrkoll.invoicing.peppol import reading, validation
from hyrkoll.invoicing.peppol.mapping import order_reference
from hyrkoll.invoicing.tests.conftest import D, deviations_of, first_monday, line, report_week, send
from hyrkoll.invoicing.tests.peppol_documents import Line, document

pytestmark = pytest.mark.django_db


def week_line(assignment: Assignment, hours: Any = 40, price: Any = None, **kwargs: Any) -> Line:
    monday = first_monday(assignment)
    price = assignment.hourly_price_sek if price is None else price
    return Line(str(monday), str(monday + D(days=4)), hours, price, **kwargs)


def invoice_doc(assignment: Assignment, lines: list[Line] | None = None, **kwargs: Any) -> bytes:
    kwargs.setdefault("issued", str(first_monday(assignment) + D(days=7)))
    kwargs.setdefault("order_reference", order_reference(assignment))
    return document(lines or [week_line(assignment)], **kwargs)


def import_doc(flow: dict[str, Any], data: bytes, region_key: str = "region_a") -> services.FileResult:
    return services.import_file(flow["call_off_unit"], flow[region_key], data, "faktura.xml")


def refused(flow: dict[str, Any], data: bytes, region_key: str = "region_a") -> list[Any]:
    """The findings of a refused import; nothing stored."""
    before = (Invoice.objects.count(), InvoiceFile.objects.count())
    with pytest.raises(services.FileRejected) as caught:
        import_doc(flow, data, region_key)
    assert (Invoice.objects.count(), InvoiceFile.objects.count()) == before
    return caught.value.errors


def rules(errors: list[Any]) -> set[str]:
    return {error.rule for error in errors}


def test_a_valid_invoice_is_controlled_as_the_same_json_invoice(
    flow: dict[str, Any], assignment: Assignment
) -> None:
    monday = first_monday(assignment)
    report_week(flow, assignment, monday, [8, 8, 8, 8, 0, 0, 0])  # 32 approved of 40 invoiced
    price = assignment.hourly_price_sek + 10
    with transaction.atomic():  # the same content as a JSON invoice, undone
        json_invoice = send(
            flow, "JSON-1", [line(assignment, monday, monday + D(days=4), 40, price)]
        ).created[0]
        expected = (json_invoice.invoiced_sek, json_invoice.expected_sek, deviations_of(json_invoice))
        transaction.set_rollback(True)

    result = import_doc(flow, invoice_doc(assignment, [week_line(assignment, 40, price)]))

    (invoice,) = result.received.created
    assert (invoice.invoiced_sek, invoice.expected_sek, deviations_of(invoice)) == expected
    assert set(expected[2]) == {DeviationKind.WRONG_PRICE, DeviationKind.UNAPPROVED_HOURS}
    assert invoice.number == "F-2026-001" and invoice.supplier == flow["supplier_a"]
    assert invoice.due_date == datetime.date(2026, 2, 14) and invoice.document_type == DocumentType.INVOICE
    stored = invoice.lines.get()
    assert (stored.assignment, stored.quantity, stored.kind) == (assignment, Decimal(40), "hours")
    assert (stored.date_from, stored.date_to) == (monday, monday + D(days=4))
    assert result.record is not None and len(result.record.sha256) == 64


def test_the_same_document_twice_changes_nothing(flow: dict[str, Any], assignment: Assignment) -> None:
    data = invoice_doc(assignment)
    import_doc(flow, data)
    again = import_doc(flow, data)
    assert again.already_imported
    # Re-serialised (another file, the same invoice): stored once.
    third = import_doc(flow, data.replace(b"<cbc:Note>", b"<cbc:Note>").replace(b"\n  ", b"\n   "))
    assert third.received.already_received and not third.received.created
    assert Invoice.objects.count() == 1


def test_a_line_kind_from_the_item_name_and_the_travel_flat_rate_in_weeks(
    flow: dict[str, Any], assignment: Assignment
) -> None:
    lines = [
        week_line(assignment, kind=None, name="Arbetade timmar"),
        week_line(assignment, 1, 1500, kind="travel_flat_rate", name="Reseschablon", unit="WEE"),
    ]
    (invoice,) = import_doc(flow, invoice_doc(assignment, lines)).received.created
    assert sorted(invoice.lines.values_list("kind", flat=True)) == ["hours", "travel_flat_rate"]


def test_a_credit_note_reduces_what_the_invoice_asked(flow: dict[str, Any], assignment: Assignment) -> None:
    monday = first_monday(assignment)
    report_week(flow, assignment, monday, [8, 8, 8, 8, 0, 0, 0])
    price = assignment.hourly_price_sek
    (invoice,) = import_doc(flow, invoice_doc(assignment, [week_line(assignment, 40)])).received.created
    assert deviations_of(invoice) == {DeviationKind.UNAPPROVED_HOURS: 8 * price}

    note = invoice_doc(assignment, [week_line(assignment, 8)], number="K-1", credit_note_for=invoice.number)
    (credit,) = import_doc(flow, note).received.created

    assert credit.document_type == DocumentType.CREDIT_NOTE and credit.credited_invoice == invoice
    assert credit.invoiced_sek == -8 * price and not credit.deviations.exists()
    # Together they ask for the 32 approved hours at the agreement's price: the deviation is cancelled.
    assert invoice.invoiced_sek + credit.invoiced_sek == 32 * price
    assert invoice.expected_sek + credit.expected_sek == 32 * price
    assert credit.lines.get().quantity == -8
    # Approved (the invoice's deviation accepted with a reference to the credit note), the approved
    # lines that the follow-up adds up come to the approved time.
    deviation = invoice.deviations.get()
    services.accept_deviation(flow["call_off_unit"], deviation, "Credited by K-1")
    services.approve(flow["call_off_unit"], invoice)
    services.approve(flow["call_off_unit"], credit)
    approved = InvoiceLine.objects.filter(invoice__status=InvoiceStatus.APPROVED, assignment=assignment)
    assert approved.aggregate(total=Sum("amount_sek"))["total"] == 32 * price
    # Crediting more than is left is refused.
    errors = refused(
        flow, invoice_doc(assignment, [week_line(assignment, 40)], number="K-2", credit_note_for="F-2026-001")
    )
    assert rules(errors) == {"HYRKOLL-CRN-03"}


def test_a_credit_note_of_an_unknown_invoice_is_refused(flow: dict[str, Any], assignment: Assignment) -> None:
    errors = refused(flow, invoice_doc(assignment, number="K-9", credit_note_for="F-404"))
    assert rules(errors) == {"HYRKOLL-CRN-02"}


def test_totals_that_do_not_add_up_are_refused_with_the_rule_and_where(
    flow: dict[str, Any], assignment: Assignment
) -> None:
    errors = refused(flow, invoice_doc(assignment, totals={"PayableAmount": "1.00"}))
    (error,) = [e for e in errors if e.rule == "BR-CO-16"]
    assert error.location.startswith("/Invoice/cac:LegalMonetaryTotal/cbc:PayableAmount (line ")
    assert "1.00" in error.message
    errors = refused(flow, invoice_doc(assignment, totals={"LineExtensionAmount": "99.00"}))
    assert {"BR-CO-10", "BR-CO-13"} <= rules(errors)


@pytest.mark.parametrize("reference", ["U-999999", "999999", "PO-4711", ""])
def test_an_unknown_order_reference_is_refused(
    flow: dict[str, Any], assignment: Assignment, reference: str
) -> None:
    errors = refused(flow, invoice_doc(assignment, order_reference=reference or "x"))
    assert rules(errors) == {"HYRKOLL-ORD-01"}
    # The bare number is not the published reference either.
    errors = refused(flow, invoice_doc(assignment, order_reference=str(assignment.pk)))
    assert rules(errors) == {"HYRKOLL-ORD-01"}


def test_an_assignment_of_another_region_is_refused(flow: dict[str, Any], assignment: Assignment) -> None:
    errors = refused(flow, invoice_doc(assignment), region_key="region_b")
    assert rules(errors) == {"HYRKOLL-ORD-02"}


def test_an_unknown_seller_is_refused(flow: dict[str, Any], assignment: Assignment) -> None:
    errors = refused(flow, invoice_doc(assignment, seller_org_no="5560000019"))  # valid, not in the register
    assert rules(errors) == {"HYRKOLL-SEL-01"}
    assert "556000-0019" in errors[0].message


def test_a_suspended_seller_is_refused(flow: dict[str, Any], assignment: Assignment) -> None:
    issued = first_monday(assignment) + D(days=7)
    Suspension.objects.create(
        supplier=flow["supplier_a"],
        starts_on=issued,
        ends_on=issued + D(days=30),
        reason="x",
        created_by=flow["coordinator"],
    )
    assert rules(refused(flow, invoice_doc(assignment))) == {"HYRKOLL-SEL-03"}


def test_a_seller_not_admitted_on_the_invoice_date_is_refused(
    flow: dict[str, Any], assignment: Assignment
) -> None:
    issued = first_monday(assignment) + D(days=7)
    flow["supplier_a"].admissions.update(exited_on=issued - D(days=1))
    assert rules(refused(flow, invoice_doc(assignment))) == {"HYRKOLL-SEL-02"}


def test_another_currency_is_refused(flow: dict[str, Any], assignment: Assignment) -> None:
    errors = refused(flow, invoice_doc(assignment, currency="EUR"))
    assert rules(errors) == {"HYRKOLL-CUR-01"}
    assert errors[0].location.startswith("/Invoice/cbc:DocumentCurrencyCode")


def test_a_wrong_unit_and_an_unknown_kind_are_refused(flow: dict[str, Any], assignment: Assignment) -> None:
    errors = refused(
        flow,
        invoice_doc(assignment, [week_line(assignment, unit="DAY"), week_line(assignment, kind="bonus")]),
    )
    assert rules(errors) == {"HYRKOLL-LIN-04", "HYRKOLL-LIN-02"}
    assert errors[0].location.startswith("/Invoice/cac:InvoiceLine[1]/cbc:InvoicedQuantity")


def test_a_rule_of_the_package_and_the_schema_are_reported(
    flow: dict[str, Any], assignment: Assignment
) -> None:
    data = invoice_doc(assignment).replace(
        b"<cbc:Percent>25</cbc:Percent><cac:TaxScheme>", b"<cbc:Percent>12</cbc:Percent><cac:TaxScheme>", 1
    )
    assert "BR-CO-17" in rules(refused(flow, data))
    data = invoice_doc(assignment).replace(
        b"<cbc:BuyerReference>", b"<cbc:Unknown>x</cbc:Unknown><cbc:BuyerReference>"
    )
    errors = refused(flow, data)
    assert "UBL-2.1-XSD" in rules(errors) and any(e.location.startswith("line ") for e in errors)


def test_a_wrong_specification_identifier_is_refused(flow: dict[str, Any], assignment: Assignment) -> None:
    errors = refused(flow, invoice_doc(assignment, customization="urn:cen.eu:en16931:2017"))
    assert "PEPPOL-EN16931-R004" in rules(errors)


def test_validation_uses_no_network(
    monkeypatch: pytest.MonkeyPatch, flow: dict[str, Any], assignment: Assignment
) -> None:
    def no_network(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("the validation tried to use the network")

    monkeypatch.setattr(socket.socket, "connect", no_network)
    monkeypatch.setattr(socket, "create_connection", no_network)
    import peppol.xsd

    monkeypatch.setattr(peppol.xsd, "_cache", {})  # load the schemas again, offline
    assert validation.validate(reading.parse(invoice_doc(assignment))) == []


def test_a_bad_line_value_names_its_element(flow: dict[str, Any], assignment: Assignment) -> None:
    monday = first_monday(assignment)
    backwards = Line(str(monday + D(days=4)), str(monday), 8, assignment.hourly_price_sek)
    errors = refused(flow, invoice_doc(assignment, [backwards, week_line(assignment, "-8")]))
    assert rules(errors) == {"HYRKOLL-LIN-01"}
    messages = " ".join(error.message for error in errors)
    assert "cac:InvoicePeriod/cbc:EndDate: before the from date." in messages
    assert "cbc:InvoicedQuantity: cannot be negative; send a credit note." in messages
    assert errors[0].location.startswith("/Invoice/cac:InvoiceLine[1] (line ")


def test_schemas_that_cannot_be_loaded_refuse_the_document(
    monkeypatch: pytest.MonkeyPatch, flow: dict[str, Any], assignment: Assignment
) -> None:
    import peppol

    def unavailable(doc: Any) -> Any:
        raise peppol.SchemaError("an import would need the network")

    monkeypatch.setattr(peppol, "validate_xsd", unavailable)
    errors = refused(flow, invoice_doc(assignment))
    assert "HYRKOLL-XSD-00" in rules(errors)
