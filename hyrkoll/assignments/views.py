"""Assignment pages: the region's list and detail (extension, cancellation, time approval), the
supplier's list and week form, and the CSV export of the time reports. Every row comes from
``visible_to``: another region's or supplier's assignment is a 404."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hyrkoll.agreement.models import Competence, Supplier
from hyrkoll.assignments import permissions, services, tables
from hyrkoll.assignments.counts import assignments_count
from hyrkoll.assignments.forms import CancelForm, DecideForm, ExtendForm, TimeReportForm
from hyrkoll.assignments.models import (
    Assignment,
    AssignmentEvent,
    AssignmentStatus,
    TimeReport,
    TimeReportDay,
    TimeReportStatus,
)
from hyrkoll.followup.exports import attachment, filename
from hyrkoll.governance import exports
from hyrkoll.lib import numbers
from hyrkoll.lib.listing import ChoiceFilter, Filter, Listing, ModelFilter, PeriodFilter, region_filter
from hyrkoll.lib.spreadsheet_safety import csv_cell, neutralise_formula
from hyrkoll.ordering.permissions import is_supplier_user
from hyrkoll.ordering.views.common import form_error_messages, paginate, run_step
from hyrkoll.organisation.models import Region


def _assignments(request: HttpRequest) -> QuerySet[Assignment]:
    return Assignment.objects.visible_to(request.user).select_related(
        "consultant", "supplier", "unit", "region", "level", "price_list"
    )


def _export(request: HttpRequest, rows: QuerySet[Assignment]) -> HttpResponse | None:
    """``?format=csv|xlsx`` → the assignments; with ``&table=time`` their time reports day by day."""
    fmt = exports.requested_format(request)
    if fmt is None:
        return None
    if request.GET.get("table") == "time":
        return exports.download([tables.time_table(rows)], fmt, "time-reports")
    return exports.download([tables.assignments_table(rows)], fmt, "assignments")


def _get(request: HttpRequest, pk: int) -> Assignment:
    return get_object_or_404(_assignments(request).select_related("offer", "call_off"), pk=pk)


def _reports(assignment: Assignment) -> QuerySet[TimeReport]:
    days = Prefetch("days", queryset=TimeReportDay.objects.order_by("date"))
    return (
        TimeReport.objects.filter(assignment=assignment)
        .select_related("submitted_by", "decided_by")
        .prefetch_related(days)
        .order_by("week")
    )


def _back(pk: int) -> HttpResponseRedirect:
    return redirect("assignments:detail", pk=pk)


ASSIGNMENT_SORTS = {
    "number": "pk",
    "consultant": ("consultant__last_name", "consultant__first_name"),
    "supplier": "supplier__name",
    "region": ("region__name", "unit__name"),
    "unit": "unit__name",
    "period": ("starts_on", "ends_on"),
    "price": "hourly_price_sek",
    "status": "status",
}


def _listing(request: HttpRequest, *, for_supplier: bool) -> Listing:
    """The assignments the user may see, filtered and sorted by the query string (the page and
    its downloads alike): status, period, competence, and the supplier for a region or the
    region for a supplier and the national level."""
    user = request.user
    rows = _assignments(request).order_by("-starts_on", "pk")
    filters: list[Filter | None] = [
        ChoiceFilter("status", _("Status"), "status", AssignmentStatus.choices),
        ModelFilter("region", _("Region"), "region", Region.objects.order_by("name"))
        if for_supplier
        else region_filter(user),
        None
        if for_supplier
        else ModelFilter("supplier", _("Supplier"), "supplier", Supplier.objects.order_by("name")),
        ModelFilter("competence", _("Competence"), "call_off__need__competence", Competence.objects.all()),
        PeriodFilter(_("Period"), "starts_on", "ends_on"),
    ]
    return Listing(request, rows, sorts=ASSIGNMENT_SORTS, filters=filters)


@login_required
def assignment_list(request: HttpRequest) -> HttpResponse:
    if is_supplier_user(request.user):
        return redirect("assignments:supplier_list")
    listing = _listing(request, for_supplier=False)
    export = _export(request, listing.rows)
    if export is not None:
        return export
    # Unfiltered, the number is the regions' assignment tally, kept by triggers, not a count of tens
    # of thousands of rows.
    count = None if listing.narrowing() else assignments_count(request.user)
    page, query = paginate(request, listing.rows, count=count)
    context = {"page": page, "query": query, "listing": listing}
    return render(request, "assignments/assignment_list.html", context)


@login_required
def assignment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = _get(request, pk)
    if request.GET.get("format") == "csv":
        return time_report_csv(request, pk)
    user = request.user
    may_change = permissions.can_change(user, assignment) and assignment.status == AssignmentStatus.ACTIVE
    context: dict[str, Any] = {
        "assignment": assignment,
        "periods": services.periods(assignment),
        "events": AssignmentEvent.objects.filter(assignment=assignment).select_related("actor"),
        "reports": _reports(assignment),
        "may_change": may_change,
        "may_decide": permissions.can_manage_unit(user, assignment.unit),
        "may_report": permissions.can_report_time(user, assignment),
        "latest_end": services.latest_end_allowed(assignment),
        "known_hlr": services.known_hlr_date(assignment),
        "last_day": services.last_day(assignment),
        "extend_form": ExtendForm(),
        "cancel_form": CancelForm(),
        "decide_form": DecideForm(),
    }
    return render(request, "assignments/assignment_detail.html", context)


@login_required
@require_POST
def assignment_extend(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = _get(request, pk)
    form = ExtendForm(request.POST)
    if not form.is_valid():
        form_error_messages(request, form)
        return _back(assignment.pk)
    data = form.cleaned_data

    def step() -> None:
        period = services.extend(
            request.user,
            assignment,
            data["new_end"],
            hlr_trained_on=data["hlr_trained_on"],
            reason=data["reason"],
        )
        messages.success(
            request,
            _("The assignment is extended to %(end)s at %(price)s SEK/h (price list %(version)s).")
            % {
                "end": period.ends_on,
                "price": numbers.number(period.hourly_price_sek, 2),
                "version": period.price_list.version,
            },
        )

    _run(request, step)
    return _back(assignment.pk)


@login_required
@require_POST
def assignment_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = _get(request, pk)
    form = CancelForm(request.POST)
    if not form.is_valid():
        form_error_messages(request, form)
        return _back(assignment.pk)
    data = form.cleaned_data

    def step() -> None:
        charge = services.cancel(request.user, assignment, data["effective_on"], data["reason"])
        if charge.charge_sek:
            text = _(
                "The assignment is cancelled from %(date)s. The notice was %(notice)d days, shorter than "
                "%(required)d: the charge is %(charge)s SEK."
            ) % {
                "date": data["effective_on"],
                "notice": charge.notice_days,
                "required": charge.required_notice_days,
                "charge": charge.charge_sek,
            }
        else:
            text = _("The assignment is cancelled from %(date)s, without a charge.") % {
                "date": data["effective_on"]
            }
        messages.success(request, text)

    _run(request, step)
    return _back(assignment.pk)


def _run(request: HttpRequest, step: Callable[[], None]) -> None:
    """Run a step; its refusal is shown as an error (its success message is set by the step)."""
    try:
        step()
    except services.WorkflowError as error:
        messages.error(request, str(error))


@login_required
@require_POST
def time_report_decide(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_object_or_404(
        TimeReport.objects.visible_to(request.user).select_related("assignment__unit"), pk=pk
    )
    form = DecideForm(request.POST)
    form.is_valid()
    comment = form.cleaned_data.get("comment", "")
    if request.POST.get("action") == "return":
        run_step(
            request,
            lambda: services.return_time_report(request.user, report, comment),
            _("The time report for %(week)s is returned to the supplier.") % {"week": report.iso_week},
        )
    else:
        run_step(
            request,
            lambda: services.approve_time_report(request.user, report, comment),
            _("The time report for %(week)s is approved.") % {"week": report.iso_week},
        )
    return _back(report.assignment_id)


@login_required
def time_report_csv(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = _get(request, pk)
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=numbers.csv_delimiter())  # ";" in Swedish, as Excel reads it
    writer.writerow(
        [
            neutralise_formula(str(label))
            for label in (
                _("Assignment"),
                _("Week"),
                _("Status"),
                _("Date"),
                _("Worked hours"),
                _("On-call hours"),
                _("Inconvenient hours"),
                _("Hourly price (SEK)"),
                _("Flags"),
            )
        ]
    )
    for report in _reports(assignment):
        for day in report.days.all():
            writer.writerow(
                [
                    csv_cell(
                        value, numbers.csv_number(value, 2) if isinstance(value, Decimal) else str(value)
                    )
                    for value in (
                        assignment.pk,
                        report.iso_week,
                        report.get_status_display(),
                        day.date.isoformat(),
                        day.normal_hours,
                        day.on_call_hours,
                        day.unsocial_hours,
                        services.hourly_price_on(assignment, day.date),
                        " ".join(report.flags),
                    )
                ]
            )
    stem = filename(_("assignment"), str(assignment.pk), _("time-reports"))
    return attachment(("\ufeff" + buffer.getvalue()).encode("utf-8"), "text/csv; charset=utf-8", stem, "csv")


# --- the supplier portal ------------------------------------------------------------------------------


def _require_supplier(request: HttpRequest) -> None:
    if not is_supplier_user(request.user):
        raise PermissionDenied


@login_required
def supplier_list(request: HttpRequest) -> HttpResponse:
    _require_supplier(request)
    listing = _listing(request, for_supplier=True)
    export = _export(request, listing.rows)
    if export is not None:
        return export
    page, query = paginate(request, listing.rows)
    context = {"page": page, "query": query, "listing": listing}
    return render(request, "assignments/supplier_list.html", context)


def _week_form_page(
    request: HttpRequest, assignment: Assignment, form: TimeReportForm, report: TimeReport | None
) -> HttpResponse:
    context = {
        "assignment": assignment,
        "form": form,
        "report": report,
        "last_day": services.last_day(assignment),
        "reports": _reports(assignment),
    }
    return render(request, "assignments/time_report_form.html", context)


@login_required
def time_report_create(request: HttpRequest, pk: int) -> HttpResponse:
    _require_supplier(request)
    assignment = _get(request, pk)
    if request.method == "POST":
        form = TimeReportForm(request.POST)
        if form.is_valid():
            try:
                report = services.submit_time_report(
                    request.user, assignment, form.cleaned_data["week"], form.days()
                )
            except services.WorkflowError as error:
                form.add_error(None, str(error))
            else:
                messages.success(
                    request, _("The time report for %(week)s is submitted.") % {"week": report.iso_week}
                )
                return redirect("assignments:detail", pk=assignment.pk)
    else:
        form = TimeReportForm(
            initial={"week": request.GET.get("week") or services.monday_of(assignment.starts_on)}
        )
    return _week_form_page(request, assignment, form, None)


@login_required
def time_report_correct(request: HttpRequest, pk: int) -> HttpResponse:
    _require_supplier(request)
    report = get_object_or_404(TimeReport.objects.visible_to(request.user), pk=pk)
    assignment = _get(request, report.assignment_id)
    if report.status != TimeReportStatus.RETURNED:
        messages.error(request, _("Only a returned time report can be corrected."))
        return redirect("assignments:detail", pk=assignment.pk)
    if request.method == "POST":
        form = TimeReportForm(request.POST, fixed_week=report.week)
        if form.is_valid():
            try:
                services.resubmit_time_report(request.user, report, form.days())
            except services.WorkflowError as error:
                form.add_error(None, str(error))
            else:
                messages.success(
                    request, _("The time report for %(week)s is submitted again.") % {"week": report.iso_week}
                )
                return redirect("assignments:detail", pk=assignment.pk)
    else:
        initial: dict[str, Any] = {}
        for day in report.days.all():
            index = (day.date - report.week).days
            initial[f"d{index}_normal"] = day.normal_hours
            initial[f"d{index}_on_call"] = day.on_call_hours
            initial[f"d{index}_unsocial"] = day.unsocial_hours
        form = TimeReportForm(initial=initial, fixed_week=report.week)
    return _week_form_page(request, assignment, form, report)
