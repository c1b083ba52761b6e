"""Time reports: submit, flags, return, resubmit, approve, lock; every bad input."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from hyrkoll.assignments import services
from hyrkoll.assignments.models import Assignment, TimeReport, TimeReportDay, TimeReportStatus
from hyrkoll.assignments.permissions import can_manage_unit
from hyrkoll.ordering.workflow import WorkflowError

D = datetime.timedelta


def first_week(assignment: Assignment) -> datetime.date:
    return services.monday_of(assignment.starts_on)


def days_of(week: datetime.date, hours: list[Any]) -> dict[datetime.date, tuple[Any, Any, Any]]:
    return {week + D(days=i): (h, 0, 0) for i, h in enumerate(hours)}


@pytest.fixture
def monday_assignment(flow: dict[str, Any], assignment: Assignment) -> Assignment:
    """Start on a Wednesday, so the week's Monday and Tuesday are outside the period."""
    start = services.monday_of(assignment.starts_on) + D(days=2)
    Assignment.objects.filter(pk=assignment.pk).update(starts_on=start, ends_on=start + D(days=60))
    assignment.refresh_from_db()
    return assignment


def test_full_round(flow: dict[str, Any], monday_assignment: Assignment) -> None:
    a = monday_assignment
    week = first_week(a)
    supplier = flow["supplier_user_a"]
    report = services.submit_time_report(supplier, a, week, days_of(week, [8, 0, 10, 10, 10, 10, 5]))
    assert report.status == TimeReportStatus.SUBMITTED
    assert report.outside_period and report.above_extent
    assert any(week.isoformat() in note for note in report.flags)
    assert any("53" in note for note in report.flags)
    assert TimeReportDay.objects.filter(report=report).count() == 7

    manager = flow["verksamhetschef"]
    with pytest.raises(WorkflowError, match="Comment"):
        services.return_time_report(manager, report, " ")
    services.return_time_report(manager, report, "Måndagen låg före uppdraget")
    report.refresh_from_db()
    assert report.status == TimeReportStatus.RETURNED and report.comment == "Måndagen låg före uppdraget"

    report = services.resubmit_time_report(supplier, report, days_of(week, [0, 0, 8, 8, 8, 8, 8]))
    assert report.status == TimeReportStatus.SUBMITTED
    assert not report.outside_period and not report.above_extent and report.flags == []
    assert sum(d.normal_hours for d in report.days.all()) == Decimal(40)

    services.approve_time_report(flow["orderer_a"], report)
    report.refresh_from_db()
    assert report.status == TimeReportStatus.APPROVED and report.decided_by == flow["orderer_a"]
    # Locked: no correction, no second decision.
    with pytest.raises(WorkflowError, match="only a returned report"):
        services.resubmit_time_report(supplier, report, days_of(week, [1] * 7))
    with pytest.raises(WorkflowError, match="someone else"):
        services.return_time_report(manager, report, "ändra")
    assert sum(d.normal_hours for d in report.days.all()) == Decimal(40)


def test_hours_after_cancellation_are_flagged(flow: dict[str, Any], assignment: Assignment) -> None:
    today = timezone.localdate()
    start = services.monday_of(today + D(days=7))
    Assignment.objects.filter(pk=assignment.pk).update(starts_on=start, ends_on=start + D(days=60))
    assignment.refresh_from_db()
    services.cancel(flow["call_off_unit"], assignment, start + D(days=3), "Stänger")
    assignment.refresh_from_db()
    report = services.submit_time_report(
        flow["supplier_user_a"], assignment, start, days_of(start, [8, 8, 8, 8])
    )
    assert report.outside_period and not report.above_extent
    assert (start + D(days=3)).isoformat() in report.flags[0]
    with pytest.raises(WorkflowError, match="outside the assignment"):
        services.submit_time_report(flow["supplier_user_a"], assignment, start + D(days=7), {})


@pytest.mark.parametrize(
    ("days", "fragment"),
    [
        ({0: (-1, 0, 0)}, "worked hours: hours cannot be negative"),
        ({1: (0, -2, 0)}, "on-call hours: hours cannot be negative"),
        ({2: (25, 0, 0)}, "worked hours: more than 24 hours"),
        ({3: (0, 0, "24.5")}, "inconvenient hours: more than 24 hours"),
        ({4: ("abc", 0, 0)}, "worked hours: not a number"),
        ({5: ("NaN", 0, 0)}, "worked hours: not a number"),
        ({6: (16, 10, 0)}, "exceed 24 hours"),
        ({0: (2, 0, 3)}, "more inconvenient hours than worked hours"),
        ({0: ("1.234", 0, 0)}, "two decimals"),
    ],
)
def test_bad_hours_are_refused_naming_the_day(
    flow: dict[str, Any], assignment: Assignment, days: dict[int, Any], fragment: str
) -> None:
    week = first_week(assignment)
    given = {week + D(days=i): hours for i, hours in days.items()}
    day = next(iter(given))
    with pytest.raises(WorkflowError, match=fragment) as error:
        services.submit_time_report(flow["supplier_user_a"], assignment, week, given)
    assert day.isoformat() in str(error.value)
    assert not TimeReport.objects.exists() and not TimeReportDay.objects.exists()


def test_bad_weeks_are_refused(flow: dict[str, Any], assignment: Assignment) -> None:
    supplier = flow["supplier_user_a"]
    week = first_week(assignment)
    with pytest.raises(WorkflowError, match="Monday"):
        services.submit_time_report(supplier, assignment, week + D(days=1), {})
    with pytest.raises(WorkflowError, match="outside the assignment"):
        services.submit_time_report(supplier, assignment, week - D(days=7), {})
    with pytest.raises(WorkflowError, match="outside the assignment"):
        services.submit_time_report(
            supplier, assignment, services.monday_of(assignment.ends_on) + D(days=7), {}
        )
    with pytest.raises(WorkflowError, match="not in the reported week"):
        services.submit_time_report(supplier, assignment, week, {week + D(days=7): (1, 0, 0)})
    assert not TimeReport.objects.exists()
    services.submit_time_report(supplier, assignment, week, days_of(week, [8] * 5))
    with pytest.raises(WorkflowError, match="already a time report"):
        services.submit_time_report(supplier, assignment, week, days_of(week, [1] * 5))
    assert TimeReport.objects.count() == 1
    assert sum(d.normal_hours for d in TimeReportDay.objects.all()) == Decimal(40)


def test_who_may_report_and_decide(flow: dict[str, Any], assignment: Assignment) -> None:
    week = first_week(assignment)
    for who in ("supplier_user_b", "orderer_a", "call_off_unit"):
        with pytest.raises(WorkflowError, match="supplier reports"):
            services.submit_time_report(flow[who], assignment, week, {})
    report = services.submit_time_report(flow["supplier_user_a"], assignment, week, days_of(week, [8] * 5))
    for who in ("supplier_user_a", "call_off_unit", "steering", "admin_b"):
        with pytest.raises(WorkflowError, match="unit's manager"):
            services.approve_time_report(flow[who], report)
    unit = assignment.unit
    assert can_manage_unit(flow["verksamhetschef"], unit) and can_manage_unit(flow["orderer_a"], unit)
    assert not can_manage_unit(flow["call_off_unit"], unit)
    assert not can_manage_unit(flow["orderer_a"], flow["units_b"]["care_unit"])
    assert TimeReport.objects.get().status == TimeReportStatus.SUBMITTED
