"""Invoice control: import and check an invoice file of 10,000 lines (demo data, SQLite).

The file covers every active assignment of region 14 with approved time (8 h) for every day of
its period (weekends too: 10,000 distinct quantities within 8 h a day need 250 days), split over as many lines per day as it takes to reach 10,000 (distinct quantities), with a few wrong prices, unknown assignments and days outside the
period mixed in. Figures: the whole import (read, validate, match, recompute, store), its parts, the
number of queries, peak memory, and – as the floor – how long Python's csv module alone takes to
read the same bytes. Then the same file again (recognised by its hash) and the same invoices in a
renamed, reordered file (recognised per invoice).
"""

from __future__ import annotations

import csv
import datetime
import io
import resource
import time
from collections import defaultdict
from decimal import Decimal

from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from hyrkoll.assignments.models import (
    Assignment,
    AssignmentStatus,
    TimeReport,
    TimeReportDay,
    TimeReportStatus,
)
from hyrkoll.invoicing import services
from hyrkoll.invoicing.models import Invoice, InvoiceDeviation, InvoiceLine
from hyrkoll.invoicing.parsing import read_file
from hyrkoll.organisation.models import Region

LINES = 10_000
HEADER = [
    "supplier_org_no",
    "invoice_number",
    "invoice_date",
    "assignment",
    "date_from",
    "date_to",
    "kind",
    "quantity",
    "unit_price_sek",
    "amount_sek",
]


def _approve_all_weekdays(assignments: list[Assignment]) -> list[tuple[Assignment, datetime.date]]:
    """Approved time (8 h) for every day of each assignment; the (assignment, day) pairs."""
    pairs = []
    reports, days = [], []
    for assignment in assignments:
        monday = assignment.starts_on - datetime.timedelta(days=assignment.starts_on.weekday())
        while monday <= assignment.ends_on:
            report = TimeReport(assignment=assignment, week=monday, status=TimeReportStatus.APPROVED)
            reports.append(report)
            for offset in range(7):
                day = monday + datetime.timedelta(days=offset)
                if assignment.starts_on <= day <= assignment.ends_on:
                    days.append((report, day))
                    pairs.append((assignment, day))
            monday += datetime.timedelta(days=7)
    existing = set(TimeReport.objects.filter(assignment__in=assignments).values_list("assignment_id", "week"))
    reports = [r for r in reports if (r.assignment_id, r.week) not in existing]
    TimeReport.objects.bulk_create(reports, batch_size=2000)
    TimeReportDay.objects.bulk_create(
        [TimeReportDay(report=report, date=day, normal_hours=8) for report, day in days if report.pk],
        batch_size=2000,
    )
    return pairs


def _file(pairs: list[tuple[Assignment, datetime.date]]) -> bytes:
    per_day = -(-LINES // len(pairs))  # lines per worked day (shifts), rounded up
    if per_day > 39:  # 0.01 h apart, the quantities of more lines would not fit in 8 h
        raise SystemExit(f"bench_invoices: {len(pairs)} worked days are too few for {LINES:,} lines")
    # Distinct quantities (identical lines would be rejected as duplicates) that add up to at most 8 h.
    step = Decimal("0.01")
    base = ((Decimal(8) / per_day) - step * per_day / 2).quantize(step)
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow(HEADER)
    count = 0
    months: dict[tuple[int, str], int] = defaultdict(int)
    for index, (assignment, day) in enumerate(pairs):
        for shift in range(per_day):
            if count == LINES:
                break
            hours = base + step * shift
            number = f"B{assignment.pk:05d}-{day:%Y%m}"
            months[(assignment.pk, number)] += 1
            price = assignment.hourly_price_sek
            ref = f"U-{assignment.pk}"
            line_day = day
            if index % 97 == 5 and shift == 0:
                price += 50  # a wrong price
            if index % 211 == 7 and shift == 0:
                ref = "U-999999"  # an unknown assignment
            if index % 307 == 11 and shift == 0:
                line_day = assignment.starts_on - datetime.timedelta(days=3)  # outside the period
            amount = (hours * price).quantize(Decimal("0.01"))
            writer.writerow(
                [
                    assignment.supplier.org_no,
                    number,
                    f"{day:%Y-%m}-28",
                    ref,
                    line_day.isoformat(),
                    line_day.isoformat(),
                    "timmar" if shift % 2 == 0 else "hours",
                    f"{hours:.2f}".replace(".", ","),
                    f"{price:.2f}".replace(".", ","),
                    f"{amount:,.2f}".replace(",", " ").replace(".", ","),
                ]
            )
            count += 1
    return buffer.getvalue().encode("utf-8")


def run() -> None:
    region = Region.objects.get(code="14")
    # Assignments without the demo's own time reports and invoices, so that every day's time is free.
    assignments = list(
        Assignment.objects.filter(region=region, status=AssignmentStatus.ACTIVE, time_reports=None)
        .select_related("supplier")
        .order_by("pk")
    )
    pairs = _approve_all_weekdays(assignments)
    data = _file(pairs)
    print(
        f"file: {LINES:,} lines, {len(data) / 1e6:.2f} MB, {len(assignments)} assignments, {len(pairs)} worked days"
    )

    started = time.perf_counter()
    rows = sum(1 for _row in csv.reader(io.StringIO(data.decode("utf-8")), delimiter=";"))
    floor = time.perf_counter() - started
    print(f"floor: Python's csv module reads the {rows - 1:,} lines in {floor * 1000:.1f} ms")

    started = time.perf_counter()
    parsed, errors, count = read_file(data, "fakturor.csv")
    parse_time = time.perf_counter() - started
    assert not errors, [str(e) for e in errors.items[:5]]
    print(
        f"read + validate (no storing): {parse_time * 1000:.1f} ms, {len(parsed)} invoices, {count:,} lines"
    )

    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        result = services.import_file(None, region, data, "fakturor.csv")
        total = time.perf_counter() - started
    rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    created = result.received.created
    deviations = InvoiceDeviation.objects.filter(invoice__in=created)
    kinds = defaultdict(int)
    for kind in deviations.values_list("kind", flat=True):
        kinds[kind] += 1
    print(
        f"import_file (read, validate, match, recompute, store): {total:.2f} s = {LINES / total:,.0f} lines/s, "
        f"{total / floor:.1f}× the csv floor; {len(queries)} queries; "
        f"{len(created)} invoices, {InvoiceLine.objects.filter(invoice__in=created).count():,} lines stored"
    )
    print(f"deviations found: {dict(sorted(kinds.items()))}")
    print(
        f"memory: process peak RSS {rss_after / 1024:.0f} MB after the import ({rss_before / 1024:.0f} MB before)"
    )

    started = time.perf_counter()
    again = services.import_file(None, region, data, "fakturor.csv")
    print(
        f"the same file again: {(time.perf_counter() - started) * 1000:.1f} ms, already imported = {again.already_imported}"
    )
    text = data.decode("utf-8").splitlines()
    reordered = "\n".join([text[0], *reversed(text[1:])]).encode("utf-8")
    with transaction.atomic():
        started = time.perf_counter()
        other = services.import_file(None, region, reordered, "kopia.csv")
        elapsed = time.perf_counter() - started
    print(
        f"the same invoices in a renamed, reordered file: {elapsed:.2f} s, {len(other.received.created)} new, "
        f"{len(other.received.already_received)} recognised; invoices in the database: {Invoice.objects.count()}"
    )
