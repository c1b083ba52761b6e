"""Demo time reports and invoices: clean ones and one of every deviation.

The ordering demo awards assignments that start in the coming weeks (the workflow refuses needs in
the past). For invoices there must be worked time, so a few awarded needs are moved back in time as
a whole – the need, its history, the call-off, the offers and the assignment by the same number of
days – until their assignments started eight weeks ago. Then the suppliers report the weeks, the units'
managers approve most of them, and the suppliers invoice: some invoices are clean (one approved,
one waiting), and the others carry a wrong price, hours without approved time, hours outside the
period, an unknown assignment and a duplicate invoice number.
"""

from __future__ import annotations

import datetime
import random
from decimal import Decimal
from typing import Any

from django.db.models import F
from django.utils import timezone

from hyrkoll.accounts.models import Scope, User
from hyrkoll.assignments import permissions as assignment_permissions
from hyrkoll.assignments import services as assignment_services
from hyrkoll.assignments.models import Assignment, AssignmentPeriod, AssignmentStatus, TimeReport
from hyrkoll.demo.ordering_timeline import _local
from hyrkoll.demo.users import login_prefix
from hyrkoll.invoicing import services as invoice_services
from hyrkoll.invoicing.models import Invoice, InvoiceSource
from hyrkoll.invoicing.parsing import ParsedInvoice, ParsedLine
from hyrkoll.ordering import permissions as ordering_permissions
from hyrkoll.ordering.models import (
    CallOff,
    CallOffRecipient,
    Decision,
    InternalAttempt,
    Need,
    NeedEvent,
    Offer,
    OfferCheck,
)

WEEKS_WORKED = 8
REGIONS = ("14", "01")
PER_REGION = 3
D = datetime.timedelta


def shift_need(need: Need, days: int) -> None:
    """Move an awarded need, its history and its assignment ``days`` back in time.

    Rows are selected by primary keys fetched first: inside the demo's one transaction PostgreSQL has
    no statistics for the new rows, and an UPDATE with a joined subquery could take minutes."""
    delta = D(days=days)
    call_off = CallOff.objects.filter(need=need).first()
    old_deadline = _local(call_off.response_deadline) if call_off else ""
    Need.objects.filter(pk=need.pk).update(
        starts_on=F("starts_on") - delta,
        ends_on=F("ends_on") - delta,
        created_at=F("created_at") - delta,
        submitted_at=F("submitted_at") - delta,
        status_changed_at=F("status_changed_at") - delta,
    )
    NeedEvent.objects.filter(need_id=need.pk).update(at=F("at") - delta)
    InternalAttempt.objects.filter(need_id=need.pk).update(at=F("at") - delta)
    Decision.objects.filter(need_id=need.pk).update(decided_at=F("decided_at") - delta)
    if call_off is None:
        return
    CallOff.objects.filter(pk=call_off.pk).update(
        published_at=F("published_at") - delta,
        response_deadline=F("response_deadline") - delta,
        closed_at=F("closed_at") - delta,
    )
    call_off.refresh_from_db()
    for event in NeedEvent.objects.filter(need_id=need.pk, text__contains=old_deadline):
        # "… offers by <deadline>" names the new deadline
        event.text = event.text.replace(old_deadline, _local(call_off.response_deadline))
        event.save(update_fields=["text"])
    CallOffRecipient.objects.filter(call_off_id=call_off.pk).update(notified_at=F("notified_at") - delta)
    offer_ids = list(Offer.objects.filter(call_off_id=call_off.pk).values_list("pk", flat=True))
    Offer.objects.filter(pk__in=offer_ids).update(
        hlr_trained_on=F("hlr_trained_on") - delta,
        available_from=F("available_from") - delta,
        available_to=F("available_to") - delta,
        submitted_at=F("submitted_at") - delta,
        checked_at=F("checked_at") - delta,
    )
    OfferCheck.objects.filter(offer_id__in=offer_ids).update(checked_at=F("checked_at") - delta)
    assignment_ids = list(Assignment.objects.filter(call_off_id=call_off.pk).values_list("pk", flat=True))
    Assignment.objects.filter(pk__in=assignment_ids).update(
        starts_on=F("starts_on") - delta, ends_on=F("ends_on") - delta, created_at=F("created_at") - delta
    )
    AssignmentPeriod.objects.filter(assignment_id__in=assignment_ids).update(
        starts_on=F("starts_on") - delta, ends_on=F("ends_on") - delta
    )


def unit_manager(assignment: Assignment) -> User | None:
    users = User.objects.filter(scope=Scope.REGION, region_id=assignment.region_id, is_active=True).order_by(
        "username"
    )
    for user in users.prefetch_related("role_assignments"):
        if assignment_permissions.can_manage_unit(user, assignment.unit):
            return user
    return None


def supplier_user(assignment: Assignment) -> User | None:
    for user in User.objects.filter(supplier_id=assignment.supplier_id, is_active=True).order_by("username"):
        if ordering_permissions.is_supplier_user(user):
            return user
    return None


def call_off_unit(region_code: str) -> User:
    """The demo region's call-off unit login (``vgr.avropsenhet``, ``01.avropsenhet``, …)."""
    return User.objects.get(username=f"{login_prefix(region_code)}.avropsenhet")


def _candidates(region_code: str, today: datetime.date) -> list[Assignment]:
    """Awarded assignments that can be moved back without clashing with the consultant's others."""
    rows = (
        Assignment.objects.filter(region__code=region_code, status=AssignmentStatus.ACTIVE)
        .select_related("unit", "call_off__need", "offer")
        .order_by("pk")
    )
    chosen: list[Assignment] = []
    for assignment in rows:
        if (assignment.ends_on - assignment.starts_on).days < 7 * (WEEKS_WORKED + 4):
            continue
        days = (assignment.starts_on - (today - D(weeks=WEEKS_WORKED))).days
        clash = (
            Assignment.objects.overlapping(
                assignment.starts_on - D(days=days), assignment.ends_on - D(days=days)
            )
            .filter(consultant_id=assignment.consultant_id)
            .exclude(pk=assignment.pk)
            .exists()
        )
        if not clash:
            chosen.append(assignment)
        if len(chosen) == PER_REGION:
            break
    return chosen


def _report_weeks(
    assignment: Assignment, supplier: User, manager: User, today: datetime.date
) -> list[datetime.date]:
    """Eight weeks of 40 hours (some on-call); all approved except the last, still waiting."""
    first = assignment.starts_on + D(days=(7 - assignment.starts_on.weekday()) % 7)
    weeks = [
        first + D(weeks=index) for index in range(WEEKS_WORKED - 1) if first + D(weeks=index, days=6) < today
    ]
    for index, week in enumerate(weeks):
        days = {week + D(days=day): (8, 0, 2 if day == 3 else 0) for day in range(5)}
        report = assignment_services.submit_time_report(supplier, assignment, week, days)
        submitted = timezone.make_aware(datetime.datetime.combine(week + D(days=7), datetime.time(9)))
        TimeReport.objects.filter(pk=report.pk).update(submitted_at=submitted)
        if index < len(weeks) - 1:
            assignment_services.approve_time_report(manager, report, "")
            TimeReport.objects.filter(pk=report.pk).update(decided_at=submitted + D(days=1, hours=5))
    return weeks


def hours_line(
    assignment: Assignment, week: datetime.date, hours: int, price: Decimal, **extra: Any
) -> ParsedLine:
    amount = extra.pop("amount", None)
    quantity = Decimal(hours)
    return ParsedLine(
        None,
        extra.pop("ref", f"U-{assignment.pk}"),
        extra.pop("start", week),
        extra.pop("end", week + D(days=6)),
        extra.pop("kind", "hours"),
        quantity,
        price,
        amount if amount is not None else (quantity * price).quantize(Decimal("0.01")),
    )


def parsed_invoice(
    number: str, assignment: Assignment, on: datetime.date, lines: list[ParsedLine]
) -> ParsedInvoice:
    return ParsedInvoice(assignment.supplier, number, on, on + D(days=30), lines)


def load_invoicing_demo(rng: random.Random, today: datetime.date, counts: dict[str, int]) -> None:
    """Time reports and invoices for a few assignments in Västra Götaland and Stockholm."""
    today = max(today, timezone.localdate())
    invoices = 0
    for region_code in REGIONS:
        for position, assignment in enumerate(_candidates(region_code, today)):
            supplier, manager = supplier_user(assignment), unit_manager(assignment)
            controller = call_off_unit(region_code)
            if supplier is None or manager is None:
                continue
            shift_need(
                assignment.call_off.need, (assignment.starts_on - (today - D(weeks=WEEKS_WORKED))).days
            )
            assignment.refresh_from_db()
            weeks = _report_weeks(assignment, supplier, manager, today)
            if len(weeks) < 7:
                continue
            price = assignment.hourly_price_sek
            prefix = f"{today.year}{assignment.pk:04d}"
            batch = [
                # Clean: two weeks at the agreement's price.
                parsed_invoice(f"{prefix}-1", assignment, weeks[1] + D(days=8), [
                    hours_line(assignment, weeks[0], 40, price), hours_line(assignment, weeks[1], 40, price),
                ]),
                # Clean too; left for the region to approve.
                parsed_invoice(f"{prefix}-2", assignment, weeks[3] + D(days=8), [
                    hours_line(assignment, weeks[2], 40, price), hours_line(assignment, weeks[3], 40, price),
                ]),
            ]  # fmt: skip
            if position == 0:
                batch += [
                    # A wrong price (an old price list) and hours outside the period.
                    parsed_invoice(f"{prefix}-3", assignment, weeks[4] + D(days=8), [
                        hours_line(assignment, weeks[4], 40, price + rng.choice([35, 50, 75])),
                        hours_line(assignment, assignment.starts_on - D(days=5), 16, price,
                                    end=assignment.starts_on - D(days=4)),
                    ]),
                    # The week still waiting for approval, and a line for an assignment nobody knows.
                    parsed_invoice(f"{prefix}-4", assignment, weeks[-1] + D(days=8), [
                        hours_line(assignment, weeks[-1], 40, price),
                        hours_line(assignment, weeks[-1], 24, price, ref="U-990001"),
                    ]),
                    # The number of the first invoice again, with week 6 (time already approved).
                    parsed_invoice(f"{prefix}-1", assignment, weeks[5] + D(days=8), [
                        hours_line(assignment, weeks[5], 40, price),
                    ]),
                ]  # fmt: skip
            received = invoice_services.receive(supplier, assignment.region, batch, InvoiceSource.API)
            for invoice in received.created:
                received_at = timezone.make_aware(
                    datetime.datetime.combine(invoice.invoice_date, datetime.time(8))
                )
                Invoice.objects.filter(pk=invoice.pk).update(received_at=received_at)
            invoices += len(received.created)
            first = received.created[0]
            invoice_services.approve(controller, first, "Stämmer mot godkänd tid.")
            if position == 1 and len(received.created) > 1:
                second = received.created[1]
                invoice_services.reject(
                    controller, second, "Fel fakturaadress; skicka om till regionens fakturaportal."
                )
    counts["invoices"] = invoices
    counts["time reports"] = TimeReport.objects.count()
