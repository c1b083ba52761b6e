"""The assignment exports (CSV and Excel): the assignments, and their time reports day by day."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from hyrkoll.assignments.models import Assignment, TimeReportDay
from hyrkoll.followup.exports import HOURS, SEK, Column, Table


def assignments_table(assignments: Iterable[Assignment]) -> Table:
    return Table(
        name="assignments",
        caption=_("Assignments"),
        sheet=_("Assignments"),
        columns=[
            Column(_("Assignment")),
            Column(_("Region")),
            Column(_("Supplier")),
            Column(_("Organisation number")),
            Column(_("Consultant")),
            Column(_("Care unit")),
            Column(_("Unit code")),
            Column(_("Competence level")),
            Column(_("Zone")),
            Column(_("Start")),
            Column(_("End")),
            Column(_("Hours per week"), HOURS),
            Column(_("Hourly price (SEK)"), SEK),
            Column(_("Status")),
            Column(_("Cancelled from")),
            Column(_("Cancellation charge (SEK)"), SEK),
        ],
        rows=[
            [
                str(a.pk),
                a.region.name,
                a.supplier.name,
                a.supplier.org_no,
                str(a.consultant),
                a.unit.name,
                a.unit.code,
                str(a.level),
                str(a.zone),
                a.starts_on.isoformat(),
                a.ends_on.isoformat(),
                a.hours_per_week,
                a.hourly_price_sek,
                a.get_status_display(),
                a.cancelled_from.isoformat() if a.cancelled_from else "",
                a.cancellation_charge_sek,
            ]
            for a in assignments
        ],
    )


def time_table(assignments: QuerySet[Assignment]) -> Table:
    """Every reported day of the assignments' time reports, with the report's status and flags."""
    days = (
        TimeReportDay.objects.filter(report__assignment__in=assignments)
        .select_related("report__assignment__consultant", "report__assignment__supplier")
        .order_by("report__assignment_id", "date")
    )
    return Table(
        name="time",
        caption=_("Time reports"),
        sheet=_("Time reports"),
        columns=[
            Column(_("Assignment")),
            Column(_("Consultant")),
            Column(_("Supplier")),
            Column(_("Week")),
            Column(_("Status")),
            Column(_("Date")),
            Column(_("Worked hours"), HOURS),
            Column(_("On-call hours"), HOURS),
            Column(_("Inconvenient hours"), HOURS),
            Column(_("Flags")),
        ],
        rows=[
            [
                str(day.report.assignment_id),
                str(day.report.assignment.consultant),
                day.report.assignment.supplier.name,
                day.report.iso_week,
                day.report.get_status_display(),
                day.date.isoformat(),
                day.normal_hours,
                day.on_call_hours,
                day.unsocial_hours,
                " ".join(day.report.flags),
            ]
            for day in days
        ],
    )
