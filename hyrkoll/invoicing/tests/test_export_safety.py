"""The invoice downloads: a line's quantity is a number (a credit line's negative quantity is not
turned into text), and a reason typed when accepting a deviation is never a formula."""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from hyrkoll.invoicing.models import Invoice, InvoiceDeviation, InvoiceLine
from hyrkoll.invoicing.tests.test_pages_and_api import client_for, invoice  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db


def test_lines_keep_numbers_and_reasons_are_neutralised(flow: dict[str, Any], invoice: Invoice) -> None:  # noqa: F811
    InvoiceLine.objects.filter(invoice=invoice).update(quantity=Decimal("-40.00"))
    InvoiceDeviation.objects.filter(invoice=invoice).update(accept_reason='=HYPERLINK("http://evil","x")')
    client = client_for(flow["call_off_unit"])
    workbook = load_workbook(
        io.BytesIO(client.get(reverse("invoicing:list"), {"format": "xlsx", "table": "lines"}).content)
    )
    quantity = workbook["Lines"].cell(row=2, column=9)
    assert quantity.data_type == "n" and quantity.value == -40
    reason = workbook["Deviations"].cell(row=2, column=7)
    assert reason.data_type != "f" and reason.value == '\'=HYPERLINK("http://evil","x")'
    text = client.get(reverse("invoicing:list"), {"format": "csv", "table": "lines"}).content.decode(
        "utf-8-sig"
    )
    cells = [cell for row in csv.reader(io.StringIO(text, newline="")) for cell in row]
    assert "-40.00" in cells and '\'=HYPERLINK("http://evil","x")' in cells
