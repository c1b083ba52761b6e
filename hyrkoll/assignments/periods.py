"""An assignment's priced periods and its dates: the awarded period as a row, the hourly price on a
day, the latest end an extension may reach, the last day worked and the consultant's known CPR/HLR
date. Queries only (``ensure_initial_period`` writes the awarded period once); the extension,
cancellation and time reports build on them."""

from __future__ import annotations

import datetime
from decimal import Decimal

from hyrkoll.assignments.models import Assignment, AssignmentPeriod, AssignmentPeriodKind
from hyrkoll.ordering.call_off_length import latest_call_off_end
from hyrkoll.ordering.models import Offer

CENT = Decimal("0.01")


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
        .values_list("hlr_trained_on", flat=True)
        .first()
    )
    if latest_offer is not None:
        dates.append(latest_offer)
    if assignment.offer.hlr_trained_on:
        dates.append(assignment.offer.hlr_trained_on)
    return max(dates, default=None)


def last_day(assignment: Assignment) -> datetime.date:
    """The last day the assignment is worked (the day before a cancellation takes effect)."""
    if assignment.cancelled_from is not None:
        return min(assignment.ends_on, assignment.cancelled_from - datetime.timedelta(days=1))
    return assignment.ends_on
