"""Governance downloads are safe to open: a measure's name, an action plan's effect comment and a
dispensation's decision reason (the text on a need that reaches an export) are neutralised in CSV
and Excel; numeric cells stay numbers."""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from hyrkoll.accounts.models import DecisionLevel
from hyrkoll.governance.models import Measure, MeasureHeading, SubGoal
from hyrkoll.governance.tests.test_plans import add_measure, gov  # noqa: F401 (fixture)
from hyrkoll.governance.tests.test_registers import _dispensation
from hyrkoll.ordering.models import Decision, NeedReason

pytestmark = pytest.mark.django_db

DANGEROUS = ['=HYPERLINK("http://evil","x")', "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1"]


def _csv_cells(response: Any) -> list[str]:
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    text = response.content.decode("utf-8-sig")
    return [cell for row in csv.reader(io.StringIO(text, newline="")) for cell in row]


def _xlsx_cells(response: Any) -> list[Any]:
    assert response.status_code == 200 and response.content[:2] == b"PK"
    workbook = load_workbook(io.BytesIO(response.content))
    return [cell for sheet in workbook.worksheets for row in sheet.iter_rows() for cell in row]


def _assert_neutralised(client: Client, url: str) -> list[Any]:
    """Every dangerous text is in both files, prefixed, and no cell of the workbook is a formula."""
    cells = _csv_cells(client.get(url, {"format": "csv"}))
    for text in DANGEROUS:
        assert "'" + text in cells, text
        assert text not in cells, text
    xlsx = _xlsx_cells(client.get(url, {"format": "xlsx"}))
    assert all(cell.data_type != "f" for cell in xlsx)
    values = [cell.value for cell in xlsx]
    for text in DANGEROUS:
        # the text as written, a carriage return included (openpyxl writes through lxml, which keeps it)
        assert "'" + text in values, text
    return xlsx


def test_measure_names_in_the_catalogue(client: Client, gov: dict[str, Any]) -> None:  # noqa: F811
    for text in DANGEROUS:
        Measure.objects.create(heading=MeasureHeading.choices[0][0], name=text, description="ok")
    client.force_login(gov["reader_a"])
    _assert_neutralised(client, reverse("governance:catalogue"))
    # The overview repeats the name beside counts, which stay numbers.
    xlsx = _assert_neutralised(client, reverse("governance:overview"))
    counts = [cell for cell in xlsx if cell.column == 3 and cell.row > 1]
    assert counts and all(cell.data_type == "n" and isinstance(cell.value, int) for cell in counts)


def test_effect_comments_of_an_action_plan(client: Client, gov: dict[str, Any]) -> None:  # noqa: F811
    plan = gov["plan_a"]
    for measure, text in zip(gov["measures"], DANGEROUS, strict=False):
        pm = add_measure(plan, measure, effect_comment=text)
    SubGoal.objects.create(
        plan_measure=pm, description="Minska", due_on=plan.starts_on, target_value=Decimal("-1.50")
    )
    client.force_login(gov["reader_a"])
    url = reverse("governance:plan_detail", args=[plan.pk])
    xlsx = _assert_neutralised(client, url)
    target = [cell for cell in xlsx if cell.value == -1.5]
    assert len(target) == 1 and target[0].data_type == "n"  # a negative number stays a number
    assert "-1.50" in _csv_cells(client.get(url, {"format": "csv"}))


def test_decision_reasons_of_dispensations(client: Client, gov: dict[str, Any]) -> None:  # noqa: F811
    for text in DANGEROUS:
        decision = _dispensation(gov, NeedReason.VACANCY, DecisionLevel.HEALTH_DIRECTOR)
        Decision.objects.filter(pk=decision.pk).update(reason=text)
    client.force_login(gov["reader_a"])
    xlsx = _assert_neutralised(client, reverse("governance:dispensations"))
    totals = [cell for cell in xlsx if cell.value == len(DANGEROUS)]
    assert totals and all(cell.data_type == "n" for cell in totals)


def test_a_caption_with_quotes_stays_one_csv_cell(client: Client, gov: dict[str, Any]) -> None:  # noqa: F811
    """The plan's CSV holds two tables, each under its caption, which holds the plan's name."""
    plan = gov["plan_a"]
    plan.name = 'Plan "B", 2025'
    plan.save()
    add_measure(plan, gov["measures"][0])
    client.force_login(gov["reader_a"])
    text = client.get(reverse("governance:plan_detail", args=[plan.pk]), {"format": "csv"})
    rows = list(csv.reader(io.StringIO(text.content.decode("utf-8-sig"), newline="")))
    assert len(rows[0]) == 1 and rows[0][0].startswith("Measures of the plan ")
    assert rows[0][0].endswith(': Plan "B", 2025')
    assert rows[1][:2] == ["Heading", "Measure"]
