"""The assignment pages: isolation, the forms, the CSV export."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from hyrkoll.assignments import services
from hyrkoll.assignments.models import Assignment, AssignmentStatus, TimeReport, TimeReportStatus

D = datetime.timedelta


def client_for(user: Any) -> Client:
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # messages are asserted in English
    client.force_login(user)
    return client


def week_post(week: datetime.date, hours: list[Any]) -> dict[str, Any]:
    data: dict[str, Any] = {"week": week.isoformat()}
    for index, value in enumerate(hours):
        data[f"d{index}_normal"] = value
    return data


def test_region_list_and_detail(flow: dict[str, Any], assignment: Assignment) -> None:
    client = client_for(flow["call_off_unit"])
    page = client.get(reverse("assignments:list"))
    assert page.status_code == 200 and str(assignment.consultant) in page.content.decode()
    detail = client.get(reverse("assignments:detail", args=[assignment.pk]))
    body = detail.content.decode()
    assert detail.status_code == 200
    assert reverse("assignments:extend", args=[assignment.pk]) in body
    assert reverse("assignments:cancel", args=[assignment.pk]) in body
    # The orderer sees the page without the call-off unit's forms.
    body = (
        client_for(flow["orderer_a"])
        .get(reverse("assignments:detail", args=[assignment.pk]))
        .content.decode()
    )
    assert reverse("assignments:extend", args=[assignment.pk]) not in body


@pytest.mark.parametrize("who", ["admin_b", "supplier_user_b"])
def test_other_region_and_other_supplier_get_404(
    flow: dict[str, Any], assignment: Assignment, who: str
) -> None:
    client = client_for(flow[who])
    for name in ("assignments:detail", "assignments:time_report_csv"):
        assert client.get(reverse(name, args=[assignment.pk])).status_code == 404
    assert (
        str(assignment.consultant)
        not in client.get(reverse("assignments:list"), follow=True).content.decode()
    )
    week = services.monday_of(assignment.starts_on)
    response = client.post(
        reverse("assignments:time_report_create", args=[assignment.pk]), week_post(week, [8])
    )
    assert response.status_code in (403, 404)
    assert not TimeReport.objects.exists()


def test_other_region_cannot_post_extension(flow: dict[str, Any], assignment: Assignment) -> None:
    response = client_for(flow["admin_b"]).post(
        reverse("assignments:extend", args=[assignment.pk]),
        {"new_end": (assignment.ends_on + D(days=10)).isoformat(), "reason": "x"},
    )
    assert response.status_code == 404


def test_extend_and_cancel_through_the_page(flow: dict[str, Any], assignment: Assignment) -> None:
    client = client_for(flow["call_off_unit"])
    url = reverse("assignments:extend", args=[assignment.pk])
    too_far = services.latest_end_allowed(assignment) + D(days=1)
    response = client.post(url, {"new_end": too_far.isoformat(), "reason": "x"}, follow=True)
    assert "at most 12 months" in response.content.decode()
    new_end = assignment.ends_on + D(days=14)
    response = client.post(url, {"new_end": new_end.isoformat(), "reason": "Förlängs"}, follow=True)
    assert "is extended to" in response.content.decode()
    assert Assignment.objects.get(pk=assignment.pk).ends_on == new_end
    effective = timezone.localdate() + D(days=40)
    response = client.post(
        reverse("assignments:cancel", args=[assignment.pk]),
        {"effective_on": effective.isoformat(), "reason": "Stänger"},
        follow=True,
    )
    body = response.content.decode()
    assert "without a charge" in body and "Förlängs" in body and "Stänger" in body
    assert Assignment.objects.get(pk=assignment.pk).status == AssignmentStatus.CANCELLED


def test_supplier_reports_and_manager_decides(flow: dict[str, Any], assignment: Assignment) -> None:
    supplier = client_for(flow["supplier_user_a"])
    assert str(assignment.consultant) in supplier.get(reverse("assignments:supplier_list")).content.decode()
    url = reverse("assignments:time_report_create", args=[assignment.pk])
    assert supplier.get(url).status_code == 200
    week = services.monday_of(assignment.starts_on) + D(days=7)
    bad = supplier.post(url, week_post(week, [8, 8, 30]))
    assert bad.status_code == 200 and "more than 24 hours" in bad.content.decode()
    assert not TimeReport.objects.exists()
    response = supplier.post(url, week_post(week, [10, 10, 10, 10, 10]))
    assert response.status_code == 302
    report = TimeReport.objects.get()
    assert report.above_extent

    manager = client_for(flow["verksamhetschef"])
    detail = manager.get(reverse("assignments:detail", args=[assignment.pk])).content.decode()
    assert "above the extent" in detail
    decide = reverse("assignments:time_report_decide", args=[report.pk])
    response = manager.post(decide, {"action": "return", "comment": ""}, follow=True)
    assert "Comment" in response.content.decode()
    manager.post(decide, {"action": "return", "comment": "För många timmar"})
    report.refresh_from_db()
    assert report.status == TimeReportStatus.RETURNED

    correct = reverse("assignments:time_report_correct", args=[report.pk])
    assert "För många timmar" in supplier.get(correct).content.decode()
    supplier.post(correct, week_post(week, [8, 8, 8, 8, 8]))
    report.refresh_from_db()
    assert report.status == TimeReportStatus.SUBMITTED and not report.above_extent
    manager.post(decide, {"action": "approve"})
    report.refresh_from_db()
    assert report.status == TimeReportStatus.APPROVED
    assert supplier.get(correct).status_code == 302  # locked

    csv = manager.get(reverse("assignments:detail", args=[assignment.pk]) + "?format=csv")
    assert csv["Content-Type"].startswith("text/csv")
    lines = csv.content.decode("utf-8-sig").splitlines()
    assert len(lines) == 8 and lines[1].split(",")[3] == week.isoformat()


def test_exports_of_assignments_and_time(flow: dict[str, Any], assignment: Assignment) -> None:
    import csv as csv_module
    import io

    from openpyxl import load_workbook

    week = services.monday_of(assignment.starts_on) + D(days=7)
    services.submit_time_report(
        flow["supplier_user_a"], assignment, week, {week + D(days=i): (8, 0, 0) for i in range(5)}
    )
    region = client_for(flow["call_off_unit"])
    rows = list(
        csv_module.reader(
            io.StringIO(
                region.get(reverse("assignments:list"), {"format": "csv"}).content.decode("utf-8-sig")
            )
        )
    )
    assert rows[0][:3] == ["Assignment", "Region", "Supplier"] and rows[1][0] == str(assignment.pk)
    assert rows[1][12] == f"{assignment.hourly_price_sek:.2f}"
    workbook = load_workbook(
        io.BytesIO(region.get(reverse("assignments:list"), {"format": "xlsx", "table": "time"}).content)
    )
    days = list(workbook["Time reports"].iter_rows(values_only=True))
    assert len(days) == 1 + 7 and days[1][5] == week.isoformat() and days[1][6] == 8  # a number cell
    supplier = client_for(flow["supplier_user_a"])
    supplier_rows = supplier.get(reverse("assignments:supplier_list"), {"format": "csv", "table": "time"})
    assert len(supplier_rows.content.decode("utf-8-sig").strip().splitlines()) == 8
    for other in ("admin_b", "supplier_user_b"):
        client = client_for(flow[other])
        name = "assignments:supplier_list" if other.startswith("supplier") else "assignments:list"
        body = client.get(reverse(name), {"format": "csv", "table": "time"}).content.decode("utf-8-sig")
        assert len(body.strip().splitlines()) == 1  # the header only
