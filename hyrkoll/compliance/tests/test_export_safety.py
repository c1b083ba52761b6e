"""The compliance downloads are safe to open: a supplier deviation's description, and a need's
text that reaches the direct-purchase register (the outside supplier named on an approved
dispensation need), are neutralised in CSV and Excel when a spreadsheet would run them as a
formula; amounts stay numbers."""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from hyrkoll.compliance import services
from hyrkoll.compliance.models import DeviationKind, DirectPurchase, SupplierDeviation
from hyrkoll.ordering.tests.test_off_agreement import approved_outside

pytestmark = pytest.mark.django_db

DANGEROUS = ['=HYPERLINK("http://evil","x")', "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1"]


def _files(client: Any, url: str, **query: Any) -> tuple[list[str], list[Any]]:
    text = client.get(url, {**query, "format": "csv"})
    assert text.status_code == 200 and text["Content-Type"].startswith("text/csv")
    cells = [
        cell for row in csv.reader(io.StringIO(text.content.decode("utf-8-sig"), newline="")) for cell in row
    ]
    workbook = client.get(url, {**query, "format": "xlsx"})
    assert workbook.status_code == 200
    sheets = load_workbook(io.BytesIO(workbook.content)).worksheets
    return cells, [cell for sheet in sheets for row in sheet.iter_rows() for cell in row]


def _assert_neutralised(texts: list[str], cells: list[str], xlsx: list[Any]) -> None:
    assert all(cell.data_type != "f" for cell in xlsx)
    values = [cell.value for cell in xlsx]
    for text in texts:
        assert "'" + text in cells and text not in cells, text
        # the text as written, a carriage return included (openpyxl writes through lxml, which keeps it)
        assert "'" + text in values, text


def test_supplier_deviation_descriptions(cast: dict[str, Any], client_for: Callable[..., Any]) -> None:
    for text in DANGEROUS:
        services.record_deviation(
            cast["call_off_unit"],
            cast["supplier_a"],
            cast["region_a"],
            DeviationKind.LATE_DELIVERY,
            text + " kom sent",
            timezone.localdate() - datetime.timedelta(days=1),
        )
    stored = list(SupplierDeviation.objects.values_list("description", flat=True))
    assert sorted(stored) == sorted(text.strip() + " kom sent" for text in DANGEROUS)  # as the form keeps it
    _assert_neutralised(stored, *_files(client_for(cast["call_off_unit"]), reverse("compliance:deviations")))


@pytest.mark.parametrize("text", ['=HYPERLINK("http://evil","x")', "-2+3"])
def test_a_needs_outside_supplier_in_the_direct_purchases(
    cast: dict[str, Any], client_for: Callable[..., Any], text: str
) -> None:
    need = approved_outside(cast, price=1000)  # below the agreement price: the premium is negative
    need.outside_supplier_name = text
    need.save(update_fields=["outside_supplier_name"])
    purchase = services.register_purchase(
        cast["call_off_unit"], need=need, supplier_name=need.outside_supplier_name,
        supplier_org_no="5560360793", hourly_price_sek=Decimal(1000), starts_on=need.starts_on,
        ends_on=need.ends_on, hours_per_week=Decimal(40),
    )  # fmt: skip
    services.register_purchase(
        cast["call_off_unit"], unit=need.unit, level=need.level, explanation="@SUM(A1) hittad i huvudboken",
        supplier_name="Direkt AB", supplier_org_no="5560360793", hourly_price_sek=Decimal(1500),
        starts_on=need.starts_on, ends_on=need.ends_on, hours_per_week=Decimal(40),
    )  # fmt: skip
    assert purchase.premium_sek < 0
    cells, xlsx = _files(
        client_for(cast["call_off_unit"]), reverse("compliance:purchases"), year=purchase.starts_on.year
    )
    _assert_neutralised([text, "@SUM(A1) hittad i huvudboken"], cells, xlsx)
    premium = [cell for cell in xlsx if cell.value is not None and cell.value == float(purchase.premium_sek)]
    assert premium and all(cell.data_type == "n" for cell in premium)
    assert f"{purchase.premium_sek:.2f}" in cells  # a negative amount is not prefixed
    assert DirectPurchase.objects.count() == 2
