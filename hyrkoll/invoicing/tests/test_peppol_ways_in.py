"""The ways a Peppol document comes in, end to end: ``hyrkoll import_invoices``, the region's upload
page and ``POST /api/v1/invoices/`` with ``Content-Type: application/xml``; and the assignment page's
Peppol box."""

from __future__ import annotations

from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from hyrkoll.assignments.models import Assignment
from hyrkoll.invoicing.models import DeviationKind, Invoice, InvoiceFile
from hyrkoll.invoicing.tests.conftest import first_monday, report_week
from hyrkoll.invoicing.tests.test_pages_and_api import api_for, client_for
from hyrkoll.invoicing.tests.test_peppol import invoice_doc, week_line

pytestmark = pytest.mark.django_db


def test_the_command_imports_a_document(flow: dict[str, Any], assignment: Assignment, tmp_path: Path) -> None:
    report_week(flow, assignment, first_monday(assignment), [8, 8, 8, 8, 8, 0, 0])
    path = tmp_path / "faktura.xml"
    path.write_bytes(invoice_doc(assignment))
    out = StringIO()
    call_command("import_invoices", str(path), region="14", stdout=out)
    assert "faktura.xml: 1 invoices, 1 lines imported" in out.getvalue()
    invoice = Invoice.objects.get()
    assert invoice.expected_sek == invoice.invoiced_sek and not invoice.deviations.exists()
    call_command("import_invoices", str(path), region="14", stdout=out)
    assert "already imported" in out.getvalue()

    bad = tmp_path / "fel.xml"
    bad.write_bytes(invoice_doc(assignment, number="F-2", totals={"PayableAmount": "1.00"}))
    err = StringIO()
    with pytest.raises(CommandError, match="rejected, 1 errors"):
        call_command("import_invoices", str(bad), region="14", stdout=out, stderr=err)
    assert "[BR-CO-16]" in err.getvalue() and "cbc:PayableAmount (line " in err.getvalue()
    assert Invoice.objects.count() == 1


def test_the_upload_page_takes_a_document(flow: dict[str, Any], assignment: Assignment) -> None:
    client = client_for(flow["call_off_unit"])
    bad = invoice_doc(assignment, currency="EUR")
    response = client.post(reverse("invoicing:import"), {"file": SimpleUploadedFile("fel.xml", bad)})
    page = response.content.decode()
    assert "[HYRKOLL-CUR-01]" in page and "/Invoice/cbc:DocumentCurrencyCode" in page
    assert not Invoice.objects.exists()
    good = SimpleUploadedFile("faktura.xml", invoice_doc(assignment), content_type="application/xml")
    response = client.post(reverse("invoicing:import"), {"file": good}, follow=True)
    assert "1 invoices with 1 lines imported" in response.content.decode()
    invoice = Invoice.objects.get()
    assert invoice.source == "file" and set(invoice.deviations.values_list("kind", flat=True)) == {
        DeviationKind.UNAPPROVED_HOURS
    }


def test_the_api_takes_a_document(flow: dict[str, Any], assignment: Assignment) -> None:
    api = api_for(flow["supplier_user_a"])
    data = invoice_doc(assignment, [week_line(assignment, 40)])
    response = api.post("/api/v1/invoices/", data, content_type="application/xml")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["number"] == "F-2026-001" and body["region"] == "14" and body["supplier"] == "556677-8899"
    assert [d["kind"] for d in body["deviations"]] == [DeviationKind.UNAPPROVED_HOURS]
    assert body["lines"][0]["assignment"] == assignment.pk
    assert InvoiceFile.objects.get().sha256
    assert (body["document_type"], body["credited_invoice"]) == ("invoice", None)
    again = api.post("/api/v1/invoices/", data, content_type="application/xml")
    assert again.status_code == 200 and again.json()["id"] == body["id"] and Invoice.objects.count() == 1

    response = api.post(
        "/api/v1/invoices/",
        invoice_doc(assignment, number="F-9", totals={"PayableAmount": "1"}),
        content_type="application/xml",
    )
    assert response.status_code == 400
    (error,) = response.json()["errors"]
    assert error["rule"] == "BR-CO-16" and error["location"].startswith("/Invoice/cac:LegalMonetaryTotal")
    assert "message" in error

    response = api.post("/api/v1/invoices/", b"<not xml", content_type="application/xml")
    assert response.status_code == 400 and response.json()["errors"][0]["rule"] == "HYRKOLL-XML-04"

    # The seller must be the token's supplier; a region user cannot send.
    other = api_for(flow["supplier_user_b"]).post("/api/v1/invoices/", data, content_type="application/xml")
    assert other.status_code == 400 and other.json()["errors"][0]["rule"] == "HYRKOLL-SEL-04"
    region = api_for(flow["call_off_unit"]).post("/api/v1/invoices/", data, content_type="application/xml")
    assert region.status_code == 403
    assert Invoice.objects.count() == 1


def test_the_api_documents_the_xml_body() -> None:
    from django.test import Client

    schema = Client().get("/api/v1/openapi.json").json()
    body = schema["paths"]["/api/v1/invoices/"]["post"]["requestBody"]["content"]
    assert "application/xml" in body and "application/json" in body
    assert "Peppol" in schema["paths"]["/api/v1/invoices/"]["post"]["description"]


def test_the_assignment_page_shows_what_to_put_on_the_invoice(
    flow: dict[str, Any], assignment: Assignment
) -> None:
    for user in (flow["supplier_user_a"], flow["call_off_unit"]):
        page = client_for(user).get(reverse("assignments:detail", args=[assignment.pk])).content.decode()
        assert "Invoicing through Peppol" in page
        assert f"U-{assignment.pk}" in page and "cac:OrderReference/cbc:ID" in page
        assert "travel_flat_rate" in page and "WEE" in page and "HUR" in page


def test_a_credit_note_through_the_api_and_on_the_pages(flow: dict[str, Any], assignment: Assignment) -> None:
    api = api_for(flow["supplier_user_a"])
    invoice = api.post("/api/v1/invoices/", invoice_doc(assignment), content_type="application/xml").json()
    note = invoice_doc(
        assignment, [week_line(assignment, 8)], number="K-1", credit_note_for=invoice["number"]
    )
    response = api.post("/api/v1/invoices/", note, content_type="application/xml")
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["document_type"], body["credited_invoice"]) == ("credit_note", invoice["id"])
    assert body["lines"][0]["quantity"] == "-8.00" and body["deviations"] == []
    client = client_for(flow["call_off_unit"])
    page = client.get(reverse("invoicing:detail", args=[body["id"]])).content.decode()
    assert "Credit note for" in page and invoice["number"] in page
    page = client.get(reverse("invoicing:detail", args=[invoice["id"]])).content.decode()
    assert "Credit notes" in page and "K-1" in page
