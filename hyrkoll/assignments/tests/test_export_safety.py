"""The assignment downloads are safe to open: a consultant's name (typed by the supplier) that a
spreadsheet would run as a formula is neutralised in CSV and Excel; prices and hours stay numbers."""

from __future__ import annotations

import csv
import datetime
import io
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from hyrkoll.assignments import services
from hyrkoll.assignments.models import Assignment
from hyrkoll.assignments.tests.test_views import client_for
from hyrkoll.consultants.models import Consultant

pytestmark = pytest.mark.django_db

DANGEROUS = ['=HYPERLINK("http://evil","x")', "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1"]


def _rows(response: Any) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"), newline="")))


@pytest.mark.parametrize("text", DANGEROUS)
def test_consultant_name_in_the_assignment_list(
    flow: dict[str, Any], assignment: Assignment, text: str
) -> None:
    Consultant.objects.filter(pk=assignment.consultant_id).update(first_name=text, last_name="X")
    region = client_for(flow["call_off_unit"])
    rows = _rows(region.get(reverse("assignments:list"), {"format": "csv"}))
    assert rows[1][4] == "'" + text + " X"
    assert rows[1][12] == f"{assignment.hourly_price_sek:.2f}"
    sheet = load_workbook(
        io.BytesIO(region.get(reverse("assignments:list"), {"format": "xlsx"}).content)
    ).worksheets[0]
    name, price = sheet.cell(row=2, column=5), sheet.cell(row=2, column=13)
    # the text as written, a carriage return included (openpyxl writes through lxml, which keeps it)
    assert name.data_type != "f" and name.value == "'" + text + " X"
    assert price.data_type == "n" and Decimal(str(price.value)) == assignment.hourly_price_sek


def test_time_report_csv_keeps_hours_and_prices_as_plain_numbers(
    flow: dict[str, Any], assignment: Assignment
) -> None:
    week = services.monday_of(assignment.starts_on) + datetime.timedelta(days=7)
    services.submit_time_report(
        flow["supplier_user_a"],
        assignment,
        week,
        {week + datetime.timedelta(days=i): (Decimal("7.50"), 0, 0) for i in range(5)},
    )
    rows = _rows(
        client_for(flow["call_off_unit"]).get(reverse("assignments:time_report_csv", args=[assignment.pk]))
    )
    assert len(rows) == 1 + 7
    first = rows[1]
    assert first[0] == str(assignment.pk) and first[3] == week.isoformat()
    assert first[4:7] == ["7.50", "0.00", "0.00"] and Decimal(first[7]) == assignment.hourly_price_sek
    assert not any(cell.startswith("'") for row in rows for cell in row)


def test_time_report_csv_in_swedish_opens_in_swedish_excel(
    flow: dict[str, Any], assignment: Assignment
) -> None:
    from django.conf import settings

    week = services.monday_of(assignment.starts_on) + datetime.timedelta(days=7)
    services.submit_time_report(
        flow["supplier_user_a"],
        assignment,
        week,
        {week + datetime.timedelta(days=i): (Decimal("7.50"), 0, 0) for i in range(5)},
    )
    client = client_for(flow["call_off_unit"])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "sv"
    response = client.get(reverse("assignments:time_report_csv", args=[assignment.pk]))
    assert f'filename="hyrkoll-uppdrag-{assignment.pk}-tidrapporter.csv"' in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[1][4:7] == ["7,50", "0,00", "0,00"]
