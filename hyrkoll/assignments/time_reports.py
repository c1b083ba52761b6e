"""The weekly time reports: the supplier submits (and corrects a returned report), the unit's manager
approves or returns it. The hours are checked per day and the report is flagged for hours outside the
assignment's period or above its extent.

Like the ordering workflow, every step checks who acts, validates its input, moves the status with a
compare-and-set update, writes the audit trail, and raises :class:`WorkflowError` with a message for
the user when the step is not allowed (nothing is changed then).
"""

from __future__ import annotations

import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from hyrkoll.assignments import permissions
from hyrkoll.assignments.models import Assignment, TimeReport, TimeReportDay, TimeReportStatus
from hyrkoll.assignments.notifications import notify_time_report_returned
from hyrkoll.assignments.periods import CENT, last_day
from hyrkoll.audit import services as audit
from hyrkoll.audit.models import AuditAction
from hyrkoll.feed.services import FeedKind, record
from hyrkoll.followup import region_figures
from hyrkoll.ordering.errors import WorkflowError

HOURS_PER_DAY = Decimal(24)

DayHours = tuple[Any, Any, Any]  # normal, on call, inconvenient


def monday_of(day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=day.weekday())


def _hours(value: Any, day: datetime.date, label: str) -> Decimal:
    name = date_format(day, "l Y-m-d")
    if value in (None, ""):
        return Decimal(0)
    try:
        hours = Decimal(str(value).replace(",", "."))
    except InvalidOperation:
        raise WorkflowError(_("%(day)s, %(field)s: not a number.") % {"day": name, "field": label}) from None
    if not hours.is_finite():
        raise WorkflowError(_("%(day)s, %(field)s: not a number.") % {"day": name, "field": label})
    if hours < 0:
        raise WorkflowError(
            _("%(day)s, %(field)s: hours cannot be negative.") % {"day": name, "field": label}
        )
    if hours > HOURS_PER_DAY:
        raise WorkflowError(
            _("%(day)s, %(field)s: more than 24 hours in a day.") % {"day": name, "field": label}
        )
    if hours != hours.quantize(CENT):
        raise WorkflowError(_("%(day)s, %(field)s: at most two decimals.") % {"day": name, "field": label})
    return hours


def _clean_days(
    week: datetime.date, days: dict[datetime.date, DayHours]
) -> list[tuple[datetime.date, Decimal, Decimal, Decimal]]:
    dates = [week + datetime.timedelta(days=i) for i in range(7)]
    for day in days:
        if day not in dates:
            raise WorkflowError(_("%(day)s is not in the reported week.") % {"day": day})
    rows = []
    for day in dates:
        normal, on_call, unsocial = days.get(day, (0, 0, 0))
        row = (
            day,
            _hours(normal, day, _("worked hours")),
            _hours(on_call, day, _("on-call hours")),
            _hours(unsocial, day, _("inconvenient hours")),
        )
        if row[1] + row[2] > HOURS_PER_DAY:
            raise WorkflowError(
                _("%(day)s: worked and on-call hours together exceed 24 hours.")
                % {"day": date_format(day, "l Y-m-d")}
            )
        if row[3] > row[1]:
            raise WorkflowError(
                _("%(day)s, %(field)s: more inconvenient hours than worked hours.")
                % {"day": date_format(day, "l Y-m-d"), "field": _("inconvenient hours")}
            )
        rows.append(row)
    return rows


def _flags(
    assignment: Assignment, rows: list[tuple[datetime.date, Decimal, Decimal, Decimal]]
) -> tuple[bool, bool, list[str]]:
    notes: list[str] = []
    last = last_day(assignment)
    outside = [
        day
        for day, normal, on_call, _u in rows
        if (normal or on_call) and (day < assignment.starts_on or day > last)
    ]
    if outside:
        notes.append(
            _("Hours on days outside the assignment's period: %(days)s.")
            % {"days": ", ".join(day.isoformat() for day in outside)}
        )
    total = sum((normal for _d, normal, _o, _u in rows), Decimal(0))
    above = total > Decimal(assignment.hours_per_week)
    if above:
        notes.append(
            _("%(total)s worked hours, above the extent of %(extent)s hours per week.")
            % {"total": total, "extent": assignment.hours_per_week}
        )
    return bool(outside), above, notes


def _check_week(assignment: Assignment, week: datetime.date) -> None:
    if week.weekday() != 0:
        raise WorkflowError(_("Week: give the Monday of the week."))
    if week + datetime.timedelta(days=6) < assignment.starts_on or week > last_day(assignment):
        raise WorkflowError(
            _("Week: %(week)s is outside the assignment (%(start)s – %(end)s).")
            % {"week": week, "start": assignment.starts_on, "end": last_day(assignment)}
        )


def _write_days(report: TimeReport, rows: list[tuple[datetime.date, Decimal, Decimal, Decimal]]) -> None:
    TimeReportDay.objects.filter(report=report).delete()
    TimeReportDay.objects.bulk_create(
        TimeReportDay(report=report, date=day, normal_hours=n, on_call_hours=o, unsocial_hours=u)
        for day, n, o, u in rows
    )


@transaction.atomic
def submit_time_report(
    actor: Any, assignment: Assignment, week: datetime.date, days: dict[datetime.date, DayHours]
) -> TimeReport:
    """The supplier reports one week's hours; the flags are computed and stored."""
    if not permissions.can_report_time(actor, assignment):
        raise WorkflowError(_("Only the assignment's supplier reports time."))
    stored = Assignment.objects.select_for_update().get(pk=assignment.pk)
    _check_week(stored, week)
    if TimeReport.objects.filter(assignment=stored, week=week).exists():
        raise WorkflowError(_("Week: there is already a time report for this week."))
    rows = _clean_days(week, days)
    outside, above, notes = _flags(stored, rows)
    try:
        with transaction.atomic():
            report = TimeReport.objects.create(
                assignment=stored, week=week, status=TimeReportStatus.SUBMITTED, submitted_by=audit.acting_user(actor),
                submitted_at=timezone.now(), outside_period=outside, above_extent=above, flags=notes,
            )  # fmt: skip
    except IntegrityError:
        raise WorkflowError(_("Week: there is already a time report for this week.")) from None
    _write_days(report, rows)
    audit.record(actor, AuditAction.CREATE, report, after={"week": week.isoformat(), "flags": notes})
    return report


@transaction.atomic
def resubmit_time_report(actor: Any, report: TimeReport, days: dict[datetime.date, DayHours]) -> TimeReport:
    """The supplier corrects a returned report and submits it again."""
    if not permissions.can_report_time(actor, report.assignment):
        raise WorkflowError(_("Only the assignment's supplier reports time."))
    stored = TimeReport.objects.select_for_update().get(pk=report.pk)
    if stored.status != TimeReportStatus.RETURNED:
        raise WorkflowError(
            _("The time report is '%(status)s'; only a returned report can be corrected.")
            % {"status": stored.get_status_display()}
        )
    rows = _clean_days(stored.week, days)
    outside, above, notes = _flags(report.assignment, rows)
    updated = TimeReport.objects.filter(pk=stored.pk, status=TimeReportStatus.RETURNED).update(
        status=TimeReportStatus.SUBMITTED, submitted_by=audit.acting_user(actor), submitted_at=timezone.now(),
        outside_period=outside, above_extent=above, flags=notes,
    )  # fmt: skip
    if updated != 1:
        raise WorkflowError(_("Someone else changed the time report; reload it."))
    _write_days(stored, rows)
    stored.refresh_from_db()
    audit.record(
        actor,
        AuditAction.UPDATE,
        stored,
        before={"status": TimeReportStatus.RETURNED},
        after={"flags": notes},
    )
    return stored


def _decide(actor: Any, report: TimeReport, to: str, comment: str) -> TimeReport:
    if not permissions.can_manage_unit(actor, report.assignment.unit):
        raise WorkflowError(_("Only the unit's manager approves or returns time reports."))
    updated = TimeReport.objects.filter(pk=report.pk, status=TimeReportStatus.SUBMITTED).update(
        status=to, decided_by=audit.acting_user(actor), decided_at=timezone.now(), comment=comment
    )
    if updated != 1:
        report.refresh_from_db()
        raise WorkflowError(
            _("The time report is now '%(status)s'; someone else may have acted on it.")
            % {"status": report.get_status_display()}
        )
    report.refresh_from_db()
    region_figures.changed(report.assignment.region_id)
    audit.record(
        actor,
        AuditAction.DECISION,
        report,
        before={"status": TimeReportStatus.SUBMITTED},
        after={"status": to},
        reason=comment,
    )
    if to == TimeReportStatus.RETURNED:
        assignment = report.assignment
        data = {"assignment": assignment.pk, "week": report.week.isoformat(), "comment": comment}
        record(
            FeedKind.TIME_REPORT_RETURNED,
            report,
            region_id=assignment.region_id,
            supplier_id=assignment.supplier_id,
            data=data,
        )
    return report


@transaction.atomic
def approve_time_report(actor: Any, report: TimeReport, comment: str = "") -> TimeReport:
    """Approve: the report is locked from now on."""
    return _decide(actor, report, TimeReportStatus.APPROVED, comment.strip())


@transaction.atomic
def return_time_report(actor: Any, report: TimeReport, comment: str) -> TimeReport:
    if not comment.strip():
        raise WorkflowError(_("Comment: say what the supplier must correct."))
    report = _decide(actor, report, TimeReportStatus.RETURNED, comment.strip())
    notify_time_report_returned(report.pk)
    return report
