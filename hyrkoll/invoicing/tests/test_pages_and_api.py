"""The invoice pages and the assignments/time-report/invoice API: isolation between regions and
suppliers, the portal form with its bad input, the file upload, the exports and the decisions."""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from hyrkoll.assignments.models import Assignment, TimeReport, TimeReportStatus
from hyrkoll.invoicing import services
from hyrkoll.invoicing.models import DeviationKind, Invoice, InvoiceStatus
from hyrkoll.invoicing.tests.conftest import D, first_monday, line, report_week, send

pytestmark = pytest.mark.django_db


def client_for(user: Any) -> Client:
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(user)
    return client


def api_for(user: Any) -> APIClient:
    client = APIClient()
    token, _created = Token.objects.get_or_create(user=user)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}", HTTP_ACCEPT_LANGUAGE="en")
    return client


@pytest.fixture
def invoice(flow: dict[str, Any], assignment: Assignment) -> Invoice:
    week = first_monday(assignment)
    report_week(flow, assignment, week, [8, 8, 8, 8, 8, 0, 0])
    return send(
        flow, "F-1", [line(assignment, week, week + D(days=6), 40, assignment.hourly_price_sek + 10)]
    ).created[0]


def test_the_region_sees_lists_and_decides(flow: dict[str, Any], invoice: Invoice) -> None:
    client = client_for(flow["call_off_unit"])
    page = client.get(reverse("invoicing:list"), {"deviations": "open"})
    assert page.status_code == 200 and "F-1" in page.content.decode()
    detail = client.get(reverse("invoicing:detail", args=[invoice.pk])).content.decode()
    assert "Wrong price" in detail and "400.00" in detail.replace(",", "")
    deviation = invoice.deviations.get()

    response = client.post(reverse("invoicing:decide", args=[invoice.pk]), {"action": "approve"}, follow=True)
    assert "1 deviation(s) are open" in response.content.decode()
    response = client.post(
        reverse("invoicing:deviation_accept", args=[deviation.pk]), {"reason": ""}, follow=True
    )
    assert "Reason: say why" in response.content.decode()
    client.post(reverse("invoicing:deviation_accept", args=[deviation.pk]), {"reason": "Avtalat tillägg"})
    client.post(reverse("invoicing:decide", args=[invoice.pk]), {"action": "approve"})
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.APPROVED


@pytest.mark.parametrize("who", ["admin_b", "supplier_user_b"])
def test_another_region_or_supplier_sees_nothing(flow: dict[str, Any], invoice: Invoice, who: str) -> None:
    client = client_for(flow[who])
    assert client.get(reverse("invoicing:detail", args=[invoice.pk])).status_code == 404
    assert "F-1" not in client.get(reverse("invoicing:list")).content.decode()
    rows = list(
        csv.reader(
            io.StringIO(client.get(reverse("invoicing:list"), {"format": "csv"}).content.decode("utf-8-sig"))
        )
    )
    assert rows == [rows[0]]  # the header only
    deviation = invoice.deviations.get()
    assert (
        client.post(reverse("invoicing:deviation_accept", args=[deviation.pk]), {"reason": "x"}).status_code
        == 404
    )
    api = api_for(flow[who])
    assert api.get("/api/v1/invoices/").json()["results"] == []
    assert api.get(f"/api/v1/invoices/{invoice.pk}/").status_code == 404
    assert api.get("/api/v1/assignments/").json()["results"] == []
    assert api.get("/api/v1/time-reports/").json()["results"] == []


def test_the_supplier_sees_its_invoice_but_cannot_decide(flow: dict[str, Any], invoice: Invoice) -> None:
    client = client_for(flow["supplier_user_a"])
    body = client.get(reverse("invoicing:detail", args=[invoice.pk])).content.decode()
    assert "Wrong price" in body and reverse("invoicing:decide", args=[invoice.pk]) not in body
    client.post(reverse("invoicing:decide", args=[invoice.pk]), {"action": "reject", "comment": "x"})
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.RECEIVED
    assert client.get(reverse("invoicing:import")).status_code == 403


def test_exports_of_invoices_lines_and_deviations(flow: dict[str, Any], invoice: Invoice) -> None:
    client = client_for(flow["call_off_unit"])
    response = client.get(reverse("invoicing:list"), {"format": "csv"})
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["Invoice number", "Supplier", "Organisation number"] and rows[1][0] == "F-1"
    assert Decimal(rows[1][9]) == Decimal(400)
    workbook = load_workbook(
        io.BytesIO(client.get(reverse("invoicing:list"), {"format": "xlsx", "table": "lines"}).content)
    )
    assert workbook.sheetnames == ["Lines", "Deviations"]
    deviation_rows = list(workbook["Deviations"].iter_rows(values_only=True))
    assert deviation_rows[1][2] == "Wrong price" and Decimal(str(deviation_rows[1][3])) == Decimal(400)


def test_the_portal_form(flow: dict[str, Any], assignment: Assignment) -> None:
    week = first_monday(assignment)
    report_week(flow, assignment, week, [8, 8, 8, 8, 8, 0, 0])
    client = client_for(flow["supplier_user_a"])
    assert client.get(reverse("invoicing:create")).status_code == 200
    post = {
        "number": "P-1",
        "invoice_date": "2026-01-31",
        "l1_assignment": str(assignment.pk),
        "l1_date_from": week.isoformat(),
        "l1_date_to": (week + D(days=6)).isoformat(),
        "l1_kind": "hours",
        "l1_quantity": "40",
        "l1_unit_price_sek": str(assignment.hourly_price_sek).replace(".", ","),
        "l1_amount_sek": "",
    }
    bad = client.post(reverse("invoicing:create"), {**post, "l1_quantity": "fyrtio"})
    assert "Row 1, quantity (&#x27;fyrtio&#x27;): not an amount" in bad.content.decode()
    assert not Invoice.objects.exists()
    late = client.post(reverse("invoicing:create"), {**post, "l1_date_to": (week - D(days=1)).isoformat()})
    assert "before the from date" in late.content.decode() and not Invoice.objects.exists()

    response = client.post(reverse("invoicing:create"), post)
    created = Invoice.objects.get(number="P-1")
    assert response.status_code == 302 and created.source == "portal" and created.region == flow["region_a"]
    assert created.deviations.count() == 0 and created.invoiced_sek == 40 * assignment.hourly_price_sek
    # The same invoice sent twice: nothing new.
    client.post(reverse("invoicing:create"), post)
    assert Invoice.objects.filter(number="P-1").count() == 1
    # A region user cannot use the supplier's form.
    assert client_for(flow["call_off_unit"]).get(reverse("invoicing:create")).status_code == 403


def test_the_upload_page(flow: dict[str, Any], assignment: Assignment) -> None:
    client = client_for(flow["call_off_unit"])
    header = "supplier_org_no;invoice_number;invoice_date;assignment;date_from;date_to;quantity;unit_price_sek;amount_sek\n"
    good = header + f"556677-8899;U-1;2026-01-31;{assignment.pk};2026-01-05;2026-01-11;8;1000;8000\n"
    bad = header + f"556677-8899;U-2;2026-01-31;{assignment.pk};2026-01-05;2026-01-11;8;tusen;8000\n"
    response = client.post(reverse("invoicing:import"), {"file": _upload("bad.csv", bad)})
    assert "Row 2, unit_price_sek (&#x27;tusen&#x27;): not an amount" in response.content.decode()
    assert not Invoice.objects.exists()
    response = client.post(reverse("invoicing:import"), {"file": _upload("good.csv", good)}, follow=True)
    assert "1 invoices with 1 lines imported" in response.content.decode()
    stored = Invoice.objects.get(number="U-1")
    assert stored.source == "file" and set(stored.deviations.values_list("kind", flat=True)) == {
        DeviationKind.OUTSIDE_PERIOD
    }
    response = client.post(reverse("invoicing:import"), {"file": _upload("good.csv", good)}, follow=True)
    assert "already imported" in response.content.decode() and Invoice.objects.count() == 1


def _upload(name: str, text: str) -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")


def test_the_api_from_time_report_to_approved_invoice(flow: dict[str, Any], assignment: Assignment) -> None:
    supplier = api_for(flow["supplier_user_a"])
    week = first_monday(assignment)
    days = [{"date": (week + D(days=i)).isoformat(), "normal_hours": "8"} for i in range(5)]
    response = supplier.post(
        "/api/v1/time-reports/",
        {"assignment": assignment.pk, "week": week.isoformat(), "days": days},
        format="json",
    )
    assert response.status_code == 201, response.content
    report_id = response.json()["id"]
    bad = supplier.post(
        "/api/v1/time-reports/",
        {
            "assignment": assignment.pk,
            "week": (week + D(days=7)).isoformat(),
            "days": [{"date": (week + D(days=7)).isoformat(), "normal_hours": "åtta"}],
        },
        format="json",
    )
    assert bad.status_code == 400 and "worked hours: not a number" in bad.content.decode()
    assert supplier.post(f"/api/v1/time-reports/{report_id}/approve/", {}, format="json").status_code == 403
    manager = api_for(flow["verksamhetschef"])
    assert manager.post(f"/api/v1/time-reports/{report_id}/approve/", {}, format="json").status_code == 200
    assert TimeReport.objects.get(pk=report_id).status == TimeReportStatus.APPROVED

    price = str(assignment.hourly_price_sek)
    payload = {
        "number": "A-1",
        "invoice_date": "2026-01-31",
        "lines": [
            {
                "assignment": f"U-{assignment.pk}",
                "date_from": week.isoformat(),
                "date_to": (week + D(days=6)).isoformat(),
                "quantity": "40",
                "unit_price_sek": price,
                "amount_sek": str(40 * assignment.hourly_price_sek),
            },
            {
                "assignment": "U-424242",
                "date_from": week.isoformat(),
                "date_to": week.isoformat(),
                "quantity": "1",
                "unit_price_sek": "100",
                "amount_sek": "100",
            },
        ],
    }
    response = supplier.post("/api/v1/invoices/", payload, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["region"] == "14" and [d["kind"] for d in body["deviations"]] == ["unknown_assignment"]
    assert supplier.post("/api/v1/invoices/", payload, format="json").status_code == 200  # the same again
    bad_payload = {**payload, "number": "A-2", "lines": [{**payload["lines"][0], "amount_sek": "x"}]}
    bad = supplier.post("/api/v1/invoices/", bad_payload, format="json")
    assert bad.status_code == 400 and "Row 1, amount (SEK) ('x'): not an amount" in bad.json()["errors"][0]

    region = api_for(flow["call_off_unit"])
    invoice_id = body["id"]
    assert region.post(f"/api/v1/invoices/{invoice_id}/approve/", {}, format="json").status_code == 409
    deviation_id = body["deviations"][0]["id"]
    assert (
        supplier.post(
            f"/api/v1/invoices/{invoice_id}/deviations/{deviation_id}/accept/", {"reason": "x"}, format="json"
        ).status_code
        == 403
    )
    accepted = region.post(
        f"/api/v1/invoices/{invoice_id}/deviations/{deviation_id}/accept/",
        {"reason": "Känd rad"},
        format="json",
    )
    assert accepted.status_code == 200 and accepted.json()["deviations"][0]["accept_reason"] == "Känd rad"
    approved = region.post(f"/api/v1/invoices/{invoice_id}/approve/", {}, format="json")
    assert approved.status_code == 200 and approved.json()["status"] == "approved"
    listed = region.get("/api/v1/assignments/").json()["results"]
    assert [row["id"] for row in listed] == [assignment.pk] and listed[0]["periods"][0]["kind"] == "initial"


def test_a_region_user_cannot_send_invoices_through_the_api(
    flow: dict[str, Any], assignment: Assignment
) -> None:
    response = api_for(flow["call_off_unit"]).post(
        "/api/v1/invoices/", {"number": "X", "invoice_date": "2026-01-31", "lines": []}, format="json"
    )
    assert response.status_code == 403 and not Invoice.objects.exists()


def test_schema_lists_the_new_endpoints(client: Client) -> None:
    schema = client.get("/api/v1/openapi.json").json()
    for path in ("/api/v1/invoices/", "/api/v1/time-reports/", "/api/v1/assignments/"):
        assert path in schema["paths"]


def test_the_call_off_units_work_queues(flow: dict[str, Any], invoice: Invoice) -> None:
    from hyrkoll.invoicing.queues import invoice_queues

    counts = {queue.key: queue.count for queue in invoice_queues(flow["call_off_unit"])}
    assert counts == {"invoices_deviating": 1, "invoices_clean": 0}
    services.accept_deviation(flow["call_off_unit"], invoice.deviations.get(), "Avtalat")
    counts = {queue.key: queue.count for queue in invoice_queues(flow["call_off_unit"])}
    assert counts == {"invoices_deviating": 0, "invoices_clean": 1}
    assert invoice_queues(flow["admin_b"]) == [] and invoice_queues(flow["supplier_user_a"]) == []
    start = client_for(flow["call_off_unit"]).get("/").content.decode()
    assert "Clean invoices to approve" in start


def test_the_due_date_reads_as_a_due_date_in_swedish(flow: dict[str, Any], invoice: Invoice) -> None:
    """ "due" is two words in Swedish: the invoice falls due ("förfaller"); a follow-up is due ("dags")."""
    invoice.due_date = invoice.invoice_date + D(days=30)
    invoice.save(update_fields=["due_date"])
    client = Client()
    client.force_login(flow["call_off_unit"])
    detail = client.get(reverse("invoicing:detail", args=[invoice.pk])).content.decode()
    assert f"förfaller {invoice.due_date:%Y-%m-%d}" in detail and "dags" not in detail
