"""Time approval and invoice approval in the browser: the supplier reports a week, the unit's
manager approves it; the supplier invoices it at a wrong price, the call-off unit sees the deviation,
accepts it with a reason and approves the invoice."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from hyrkoll.assignments.models import Assignment, TimeReport, TimeReportStatus
from hyrkoll.assignments.tests.conftest import award
from hyrkoll.invoicing.models import Invoice, InvoiceStatus
from hyrkoll.ordering.tests.conftest import flow  # noqa: F401  (the cast of roles)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_time_approval_and_invoice_approval(live_server: Any, login: Any, flow: dict[str, Any]) -> None:  # noqa: F811
    base = live_server.url
    assignment: Assignment = award(flow)
    start = assignment.starts_on
    week = start + datetime.timedelta(days=(7 - start.weekday()) % 7)

    # 1. The supplier reports a week in the portal.
    supplier = login("supplier.a")
    supplier.goto(f"{base}/assignments/supplier/{assignment.pk}/time-reports/new/")
    supplier.fill("#id_week", week.isoformat())
    for day in range(5):
        supplier.fill(f"#id_d{day}_normal", "8")
    supplier.locator("main form button[type=submit]").first.click()
    supplier.wait_for_load_state()
    report = TimeReport.objects.get(assignment=assignment)
    assert report.status == TimeReportStatus.SUBMITTED

    # 2. The unit's manager approves it on the assignment's page.
    manager = login("verksamhetschef.a")
    manager.goto(f"{base}/assignments/{assignment.pk}/")
    manager.locator(f"#report-{report.pk} button[value=approve]").click()
    manager.wait_for_load_state()
    report.refresh_from_db()
    assert report.status == TimeReportStatus.APPROVED
    assert "Godkänd" in manager.locator(f"#report-{report.pk} h3").inner_text()

    # 3. The supplier invoices the week, 25 kronor per hour above the agreement's price.
    supplier.goto(f"{base}/invoices/new/")
    supplier.fill("#id_number", "WEB-1")
    supplier.fill("#id_invoice_date", week.isoformat())
    supplier.select_option("#id_l1_assignment", str(assignment.pk))
    supplier.fill("#id_l1_date_from", week.isoformat())
    supplier.fill("#id_l1_date_to", (week + datetime.timedelta(days=6)).isoformat())
    supplier.fill("#id_l1_quantity", "40")
    supplier.fill("#id_l1_unit_price_sek", f"{assignment.hourly_price_sek + 25:.2f}".replace(".", ","))
    supplier.locator("main form button.primary").click()
    supplier.wait_for_url("**/invoices/*/")
    invoice = Invoice.objects.get(number="WEB-1")
    assert "Fel pris" in supplier.locator("main").inner_text()

    # 4. The call-off unit cannot approve before the deviation is accepted; then it can.
    unit = login("avrop.a")
    unit.goto(f"{base}/invoices/?status=received&deviations=open")
    unit.get_by_role("link", name="WEB-1").click()
    unit.wait_for_url(f"**/invoices/{invoice.pk}/")
    assert "1 000" in unit.locator("#invoice-deviation").inner_text().replace("\xa0", " ")
    unit.locator("button[value=approve]").click()
    unit.wait_for_load_state()
    assert "avvikelse" in unit.locator("main").inner_text().lower()
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.RECEIVED

    deviation = invoice.deviations.get()
    unit.fill(f"#reason-{deviation.pk}", "Akut start, pristillägg avtalat med leverantören")
    unit.locator(f"form[action$='/deviations/{deviation.pk}/accept/'] button").click()
    unit.wait_for_load_state()
    unit.locator("button[value=approve]").click()
    unit.wait_for_load_state()
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.APPROVED
    assert unit.locator("#invoice-status").inner_text() == "Godkänd"
