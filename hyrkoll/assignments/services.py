"""Changes to an assignment: extension, cancellation and the time reports.

Like the ordering workflow, every step checks who acts, validates its input, moves the status with a
compare-and-set update, writes an event and the audit trail, and raises :class:`WorkflowError` with a
message for the user when the step is not allowed (nothing is changed then).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from hyrkoll.agreement.models import AgreementParameter, ParameterKey, SupplierAdmission
from hyrkoll.agreement.pricing import NoAgreementPrice, quote
from hyrkoll.assignments import permissions
from hyrkoll.assignments.models import (
    Assignment,
    AssignmentEvent,
    AssignmentEventKind,
    AssignmentPeriod,
    AssignmentPeriodKind,
    AssignmentStatus,
    TimeReport,
    TimeReportDay,
    TimeReportStatus,
)
from hyrkoll.assignments.notifications import notify_time_report_returned
from hyrkoll.audit import services as audit
from hyrkoll.audit.models import AuditAction
from hyrkoll.feed.services import FeedKind, record
from hyrkoll.lib.dates import shift_months
from hyrkoll.ordering.call_off_length import latest_call_off_end, max_call_off_months
from hyrkoll.ordering.errors import WorkflowError
from hyrkoll.ordering.models import Offer
from hyrkoll.ordering.suspension import refuse_if_suspended

CENT = Decimal("0.01")
HOURS_PER_DAY = Decimal(24)

__all__ = ["WorkflowError", "extend", "cancel", "submit_time_report", "resubmit_time_report"]


# --- helpers ----------------------------------------------------------------------------------------


_parameter = AgreementParameter.value_in_force


def latest_end_allowed(assignment: Assignment) -> datetime.date:
    """The last day the assignment may run: ``max_call_off_months`` from its original start."""
    return latest_call_off_end(assignment.starts_on)


def ensure_initial_period(assignment: Assignment) -> AssignmentPeriod:
    """The awarded period as a priced row (written by the award; idempotent)."""
    period, _created = AssignmentPeriod.objects.get_or_create(
        assignment=assignment,
        starts_on=assignment.starts_on,
        defaults={
            "kind": AssignmentPeriodKind.INITIAL,
            "ends_on": assignment.ends_on,
            "price_list_id": assignment.price_list_id,
            "hourly_price_sek": assignment.hourly_price_sek,
            "travel_supplement_sek_per_week": assignment.travel_supplement_sek_per_week,
            "hlr_trained_on": assignment.offer.hlr_trained_on,
        },
    )
    return period


def periods(assignment: Assignment) -> list[AssignmentPeriod]:
    return list(AssignmentPeriod.objects.filter(assignment=assignment).select_related("price_list"))


def hourly_price_on(assignment: Assignment, day: datetime.date) -> Decimal:
    """The agreed hourly price of the period ``day`` falls in."""
    period = (
        AssignmentPeriod.objects.filter(assignment=assignment, starts_on__lte=day)
        .order_by("-starts_on")
        .first()
    )
    return period.hourly_price_sek if period else assignment.hourly_price_sek


def known_hlr_date(assignment: Assignment) -> datetime.date | None:
    """The consultant's latest known CPR/HLR date: from an extension, or the latest offer."""
    dates = [
        d
        for d in AssignmentPeriod.objects.filter(assignment=assignment).values_list(
            "hlr_trained_on", flat=True
        )
        if d is not None
    ]
    latest_offer = (
        Offer.objects.filter(consultant_id=assignment.consultant_id, hlr_trained_on__isnull=False)
        .order_by("-hlr_trained_on")
        .first()
    )
    if latest_offer is not None:
        dates.append(latest_offer.hlr_trained_on)
    if assignment.offer.hlr_trained_on:
        dates.append(assignment.offer.hlr_trained_on)
    return max(dates, default=None)


def _hlr_problem(trained_on: datetime.date | None, on: datetime.date) -> str:
    if trained_on is None:
        return _("No CPR/HLR training date is known; give a new one.")
    months = int(_parameter(ParameterKey.HLR_VALID_MONTHS, on, Decimal(12)))
    if trained_on > timezone.localdate():
        return _("The CPR/HLR training date is in the future.")
    if trained_on < shift_months(on, -months):
        return _(
            "CPR/HLR training on %(date)s is more than %(months)d months before the extension starts "
            "(%(start)s); give a new training date."
        ) % {"date": trained_on, "months": months, "start": on}
    return ""


def _lock_active(assignment: Assignment) -> Assignment:
    stored = Assignment.objects.select_for_update().select_related("call_off", "offer").get(pk=assignment.pk)
    if stored.status != AssignmentStatus.ACTIVE:
        raise WorkflowError(
            _("The assignment is '%(status)s'; it can no longer be changed.")
            % {"status": stored.get_status_display()}
        )
    return stored


# --- extension --------------------------------------------------------------------------------------


@transaction.atomic
def extend(
    actor: Any,
    assignment: Assignment,
    new_end: datetime.date,
    hlr_trained_on: datetime.date | None = None,
    reason: str = "",
) -> AssignmentPeriod:
    """Extend an active assignment to ``new_end``, priced from the price list in force on the
    extension's first day; the consultant's HLR and the supplier's admission are checked again."""
    if not permissions.can_change(actor, assignment):
        raise WorkflowError(_("Only the call-off unit extends an assignment."))
    if not reason.strip():
        raise WorkflowError(_("Give a reason."))
    stored = _lock_active(assignment)
    if new_end <= stored.ends_on:
        raise WorkflowError(
            _("The new end must be after the current end (%(end)s).") % {"end": stored.ends_on}
        )
    limit = latest_end_allowed(stored)
    if new_end > limit:
        months = max_call_off_months(stored.starts_on)
        raise WorkflowError(
            _(
                "An assignment may be at most %(months)d months long including extensions: "
                "the latest possible end is %(limit)s."
            )
            % {"months": months, "limit": limit}
        )
    start = stored.ends_on + datetime.timedelta(days=1)
    hlr = hlr_trained_on or known_hlr_date(stored)
    problem = _hlr_problem(hlr, start)
    if problem:
        raise WorkflowError(problem)
    sub_area_id = stored.call_off.sub_area_id
    for day in sorted({timezone.localdate(), start}):
        refuse_if_suspended(stored.supplier, day)  # an extension is a new commitment to the supplier
        if (
            not SupplierAdmission.objects.in_force(day)
            .filter(supplier_id=stored.supplier_id, sub_area_id=sub_area_id)
            .exists()
        ):
            raise WorkflowError(
                _("%(supplier)s is not admitted to the agreement on %(date)s.")
                % {"supplier": stored.supplier, "date": day}
            )
    clash = (
        Assignment.objects.overlapping(start, new_end)
        .filter(consultant_id=stored.consultant_id)
        .exclude(pk=stored.pk)
        .first()
    )
    if clash is not None:
        raise WorkflowError(
            _("The consultant is already assigned %(start)s – %(end)s.")
            % {"start": clash.starts_on, "end": clash.ends_on}
        )
    try:
        price = quote(stored.level, stored.unit, start)
    except NoAgreementPrice as error:
        raise WorkflowError(str(error)) from None
    ensure_initial_period(stored)
    old_end = stored.ends_on
    updated = Assignment.objects.filter(pk=stored.pk, status=AssignmentStatus.ACTIVE, ends_on=old_end).update(
        ends_on=new_end
    )
    if updated != 1:
        raise WorkflowError(_("Someone else changed the assignment; reload it."))
    period = AssignmentPeriod.objects.create(
        assignment=stored,
        kind=AssignmentPeriodKind.EXTENSION,
        starts_on=start,
        ends_on=new_end,
        price_list=price.price_list,
        hourly_price_sek=price.hourly_sek,
        travel_supplement_sek_per_week=price.travel_sek_per_week,
        hlr_trained_on=hlr,
    )
    data = {
        "previous_end": old_end.isoformat(),
        "new_end": new_end.isoformat(),
        "hourly_price_sek": str(price.hourly_sek),
        "price_list": price.price_list.version,
        "hlr_trained_on": hlr.isoformat() if hlr else None,
    }
    AssignmentEvent.objects.create(
        assignment=stored,
        kind=AssignmentEventKind.EXTENSION,
        actor=audit.acting_user(actor),
        reason=reason,
        data=data,
    )
    audit.record(
        actor,
        AuditAction.DECISION,
        stored,
        before={"ends_on": old_end.isoformat()},
        after={"ends_on": new_end.isoformat(), **data},
        reason=reason,
    )
    assignment.ends_on = new_end
    return period


# --- cancellation -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class CancellationCharge:
    notice_days: int
    required_notice_days: int
    charged_days: int
    hourly_price_sek: Decimal
    value_sek: Decimal
    charge_pct: Decimal
    charge_sek: Decimal


def cancellation_charge(
    assignment: Assignment, effective_on: datetime.date, today: datetime.date | None = None
) -> CancellationCharge:
    """The charge for cancelling with short notice: ``cancellation_charge_pct`` % of the value of the
    cancelled assignment days that fall within the notice period (hours/week × price × days/7)."""
    today = today or timezone.localdate()
    required = int(_parameter(ParameterKey.CANCELLATION_NOTICE_DAYS, today, Decimal(30)))
    pct = _parameter(ParameterKey.CANCELLATION_CHARGE_PCT, today, Decimal(50))
    notice = (effective_on - today).days
    first = max(effective_on, assignment.starts_on)
    last = min(today + datetime.timedelta(days=required - 1), assignment.ends_on)
    days = max((last - first).days + 1, 0) if notice < required else 0
    price = hourly_price_on(assignment, first)
    value = (Decimal(assignment.hours_per_week) * price * Decimal(days) / Decimal(7)).quantize(
        CENT, ROUND_HALF_UP
    )
    charge = (value * pct / Decimal(100)).quantize(CENT, ROUND_HALF_UP)
    return CancellationCharge(notice, required, days, price, value, pct, charge)


@transaction.atomic
def cancel(
    actor: Any, assignment: Assignment, effective_on: datetime.date, reason: str
) -> CancellationCharge:
    """Cancel (avboka) the assignment from ``effective_on``; short notice costs a charge."""
    if not permissions.can_change(actor, assignment):
        raise WorkflowError(_("Only the call-off unit cancels an assignment."))
    if not reason.strip():
        raise WorkflowError(_("Give a reason."))
    stored = _lock_active(assignment)
    today = timezone.localdate()
    if effective_on < today:
        raise WorkflowError(_("The cancellation cannot take effect before today."))
    if effective_on > stored.ends_on:
        raise WorkflowError(
            _("The cancellation date is after the assignment's end (%(end)s).") % {"end": stored.ends_on}
        )
    charge = cancellation_charge(stored, effective_on, today)
    updated = Assignment.objects.filter(pk=stored.pk, status=AssignmentStatus.ACTIVE).update(
        status=AssignmentStatus.CANCELLED,
        cancelled_from=effective_on,
        cancellation_charge_sek=charge.charge_sek,
    )
    if updated != 1:
        raise WorkflowError(_("Someone else changed the assignment; reload it."))
    data = {
        "cancelled_from": effective_on.isoformat(),
        "notice_days": charge.notice_days,
        "required_notice_days": charge.required_notice_days,
        "charged_days": charge.charged_days,
        "hourly_price_sek": str(charge.hourly_price_sek),
        "value_sek": str(charge.value_sek),
        "charge_pct": str(charge.charge_pct),
        "charge_sek": str(charge.charge_sek),
    }
    AssignmentEvent.objects.create(
        assignment=stored,
        kind=AssignmentEventKind.CANCELLATION,
        actor=audit.acting_user(actor),
        reason=reason,
        data=data,
    )
    audit.record(
        actor,
        AuditAction.DECISION,
        stored,
        before={"status": AssignmentStatus.ACTIVE},
        after={"status": AssignmentStatus.CANCELLED, **data},
        reason=reason,
    )
    assignment.status = AssignmentStatus.CANCELLED
    assignment.cancelled_from = effective_on
    assignment.cancellation_charge_sek = charge.charge_sek
    return charge


# --- time reports -----------------------------------------------------------------------------------

DayHours = tuple[Any, Any, Any]  # normal, on call, inconvenient


def monday_of(day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=day.weekday())


def last_day(assignment: Assignment) -> datetime.date:
    """The last day the assignment is worked (the day before a cancellation takes effect)."""
    if assignment.cancelled_from is not None:
        return min(assignment.ends_on, assignment.cancelled_from - datetime.timedelta(days=1))
    return assignment.ends_on


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
