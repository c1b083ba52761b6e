"""The supplier time-report tally, kept by database triggers: equal to the time reports of each
supplier's assignments after every kind of write (SQLite and PostgreSQL; a few need PostgreSQL)."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.db import connection

from hyrkoll.assignments import services
from hyrkoll.assignments.models import (
    Assignment,
    SupplierTimeReportTally,
    TimeReport,
    TimeReportStatus,
)
from hyrkoll.lib import tallies
from hyrkoll.lib.bulk import insert_rows
from hyrkoll.ordering import workflow
from hyrkoll.ordering.tests.test_checks import offer_on, publish_need
from hyrkoll.ordering.tests.test_tallies import (
    CursorEditor,
    counted,
    frozen,
    installed_triggers,
    postgresql_only,
    run,
    tallied,
)

pytestmark = pytest.mark.django_db

# The migration's tally (hyrkoll/assignments/migrations/0006_supplier_tally.py).
TIME_REPORT_TALLY = tallies.Tally(
    table="assignments_suppliertimereporttally",
    count="reports",
    source="assignments_timereport",
    key="assignment_id",
    via=tallies.Via(table="assignments_assignment", supplier="supplier_id"),
)
WEEK = datetime.timedelta(days=7)


def reports_exact() -> dict[int, int]:
    found = tallied(SupplierTimeReportTally, "reports")
    assert found == counted(TimeReport, "assignment__supplier")
    return found


@pytest.fixture
def assignments(flow: dict[str, Any]) -> tuple[Assignment, Assignment]:
    """An assignment of supplier A (consultant A) and one of supplier B (consultant B)."""
    awarded = []
    for consultant in ("consultant_a", "consultant_b"):
        offer = offer_on(flow, publish_need(flow), consultant)
        awarded.append(workflow.award(flow["call_off_unit"], offer))
    return awarded[0], awarded[1]


def report(flow: dict[str, Any], assignment: Assignment, weeks: int) -> list[TimeReport]:
    """Reports of the assignment's first ``weeks`` weeks through the service, 8 hours a weekday."""
    user = flow["supplier_user_a" if assignment.supplier_id == flow["supplier_a"].pk else "supplier_user_b"]
    first = services.monday_of(assignment.starts_on) + WEEK
    reports = []
    for n in range(weeks):
        week = first + n * WEEK
        days = {week + datetime.timedelta(days=i): (8, 0, 0) for i in range(5)}
        reports.append(services.submit_time_report(user, assignment, week, days))
    return reports


def test_the_migration_installed_the_triggers() -> None:
    found = installed_triggers()
    for name in tallies.trigger_names(TIME_REPORT_TALLY, connection.vendor):
        assert found.get(name) == ("A" if connection.vendor == "postgresql" else "O"), name


def test_reports_through_the_service(
    flow: dict[str, Any], assignments: tuple[Assignment, Assignment]
) -> None:
    a, b = assignments
    report(flow, a, 3)
    report(flow, b, 1)
    assert reports_exact() == {flow["supplier_a"].pk: 3, flow["supplier_b"].pk: 1}


def test_deciding_a_report_leaves_the_tally_alone(
    flow: dict[str, Any], assignments: tuple[Assignment, Assignment]
) -> None:
    (first,) = report(flow, assignments[0], 1)
    before = reports_exact()
    with frozen("assignments_suppliertimereporttally"):
        services.approve_time_report(flow["verksamhetschef"], first)
        TimeReport.objects.update(comment="Granskad")
        Assignment.objects.update(hours_per_week=30)
    assert TimeReport.objects.get(pk=first.pk).status == TimeReportStatus.APPROVED
    assert reports_exact() == before


def test_moving_a_report_to_another_assignment(
    flow: dict[str, Any], assignments: tuple[Assignment, Assignment]
) -> None:
    a, b = assignments
    reports = report(flow, a, 3)
    moved = reports[0]
    moved.assignment = b
    moved.save()
    TimeReport.objects.filter(pk=reports[1].pk).update(assignment=b)
    assert reports_exact() == {flow["supplier_a"].pk: 1, flow["supplier_b"].pk: 2}
    TimeReport.objects.filter(pk=moved.pk).delete()
    assert reports_exact() == {flow["supplier_a"].pk: 1, flow["supplier_b"].pk: 1}


def test_an_assignment_changing_supplier_takes_its_reports_along(
    flow: dict[str, Any], assignments: tuple[Assignment, Assignment]
) -> None:
    a, b = assignments
    report(flow, a, 3)
    report(flow, b, 2)
    Assignment.objects.filter(pk=a.pk).update(supplier=flow["supplier_b"])
    assert reports_exact() == {flow["supplier_b"].pk: 5}
    b.supplier = flow["supplier_a"]
    b.save()
    assert reports_exact() == {flow["supplier_a"].pk: 2, flow["supplier_b"].pk: 3}


def test_bulk_create(flow: dict[str, Any], assignments: tuple[Assignment, Assignment]) -> None:
    a, b = assignments
    first = services.monday_of(a.starts_on)
    TimeReport.objects.bulk_create(
        TimeReport(assignment=assignment, week=first + n * WEEK) for assignment in (a, b) for n in range(4)
    )
    assert reports_exact() == {flow["supplier_a"].pk: 4, flow["supplier_b"].pk: 4}


def test_install_fills_the_tally_from_the_rows_there_are(
    flow: dict[str, Any], assignments: tuple[Assignment, Assignment]
) -> None:
    a, b = assignments
    report(flow, a, 1)
    run(tallies.drop_statements(TIME_REPORT_TALLY, connection.vendor))
    report(flow, b, 2)  # not counted: no triggers
    assert tallied(SupplierTimeReportTally, "reports") == {flow["supplier_a"].pk: 1}
    run([])
    tallies.install(TIME_REPORT_TALLY, CursorEditor())
    assert reports_exact() == {flow["supplier_a"].pk: 1, flow["supplier_b"].pk: 2}


@postgresql_only
def test_copy_under_replica_role_counts(
    flow: dict[str, Any], assignments: tuple[Assignment, Assignment]
) -> None:
    """The national-scale generator COPYs with ``session_replication_role = replica``."""
    from hyrkoll.demo.scale.copying import without_row_triggers

    a, b = assignments
    first = services.monday_of(a.starts_on)
    with without_row_triggers() as skipped:
        assert skipped, "the test cluster's user is a superuser"
        fields = ("assignment", "week", "status", "comment", "outside_period", "above_extent", "flags")
        rows = [
            (assignment.pk, first + n * WEEK, TimeReportStatus.SUBMITTED, "", False, False, "[]")
            for assignment in (a, b)
            for n in range(3)
        ]
        insert_rows(TimeReport, fields, rows)
        Assignment.objects.filter(pk=b.pk).update(supplier=flow["supplier_a"])
    assert reports_exact() == {flow["supplier_a"].pk: 6}


@postgresql_only
def test_truncate_resets_the_tally(flow: dict[str, Any], assignments: tuple[Assignment, Assignment]) -> None:
    report(flow, assignments[0], 2)
    run(["TRUNCATE assignments_timereport CASCADE"])
    assert reports_exact() == {}
    assert not SupplierTimeReportTally.objects.exists()
    report(flow, assignments[1], 1)
    assert reports_exact() == {flow["supplier_b"].pk: 1}


def test_the_scale_generator_keeps_the_tallies() -> None:
    """``generate_scale_data`` COPYs (on PostgreSQL as a superuser with the foreign-key triggers
    skipped, ``session_replication_role = replica``): the tallies and totals count every row it writes."""
    import io

    from django.core.management import call_command

    from hyrkoll.invoicing.models import Invoice
    from hyrkoll.invoicing.tests.test_region_totals import totals_exact
    from hyrkoll.invoicing.tests.test_tally import invoices_exact
    from hyrkoll.ordering.models import CallOffRecipient, Need, Offer, SupplierCallOffTally
    from hyrkoll.ordering.tests.test_need_tally import needs_exact
    from hyrkoll.ordering.tests.test_offer_tally import offers_exact
    from hyrkoll.ordering.tests.test_tallies import call_offs_exact

    options = ["--call-offs", "300", "--ledger-lines", "5000"]
    if connection.vendor != "postgresql":
        options.append("--allow-sqlite")
    call_command("generate_scale_data", *options, stdout=io.StringIO(), stderr=io.StringIO())
    assert sum(call_offs_exact().values()) == CallOffRecipient.objects.count() > 0
    assert SupplierCallOffTally.objects.count() > 1
    assert sum(reports_exact().values()) == TimeReport.objects.count() > 0
    assert sum(offers_exact().values()) == Offer.objects.count() > 0
    assert sum(invoices_exact().values()) == Invoice.objects.count() > 0
    assert sum(needs_exact().values()) == Need.objects.count() > 0
    assert sum(count for count, _invoiced, _expected in totals_exact().values()) == Invoice.objects.count()
