"""Counts the need, call-off and offer lists show: a region's needs (per status), a region's call-offs
per status, offers per call-off, how many call-offs a supplier received and how many offers it made.

Used by the web lists and the API alike, so both count the same way.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Count, OuterRef, Q, QuerySet
from django.db.models.functions import Coalesce

from hyrkoll.lib import sums, tallies
from hyrkoll.lib.counting import correlated_count
from hyrkoll.ordering.models import (
    CallOff,
    CallOffRecipient,
    CallOffStatus,
    Offer,
    OfferStatus,
    RegionCallOffStatusTally,
    RegionNeedStatusTally,
    SupplierCallOffTally,
    SupplierOfferTally,
)

PASSING = Q(checks_passed=True, status__in=(OfferStatus.SUBMITTED, OfferStatus.AWARDED))


def offer_count(condition: Q | None = None) -> Coalesce:
    """The number of the call-off's offers (meeting ``condition``), as a correlated subquery: for
    sorting by it; the shown rows get their figures from :func:`attach_offer_counts`."""
    offers = Offer.objects.filter(call_off=OuterRef("pk"))
    if condition is not None:
        offers = offers.filter(condition)
    return correlated_count(offers)


def attach_offer_counts(call_offs: Iterable[CallOff], **figures: Q | None) -> None:
    """Set each ``figures`` name (``offer_count=None``: every offer, ``passing_count=PASSING``) on
    the shown call-offs, from one grouped query over their offers."""
    rows = list(call_offs)
    counts = {
        name: Count("pk", filter=condition) if condition is not None else Count("pk")
        for name, condition in figures.items()
    }
    found = {
        each["call_off"]: each
        for each in Offer.objects.filter(call_off__in=[row.pk for row in rows])
        .order_by()
        .values("call_off")
        .annotate(**counts)
    }
    for row in rows:
        for name in figures:
            setattr(row, name, found.get(row.pk, {}).get(name, 0))


def received_by(supplier_id: int | None) -> QuerySet[CallOffRecipient]:
    """The supplier's recipient rows, one per call-off it received: as many as the call-offs in its
    unfiltered list, and counted from one index instead of through the join over every call-off."""
    return CallOffRecipient.objects.filter(supplier_id=supplier_id)


def received_count(supplier_id: int) -> int:
    """How many call-offs the supplier received (its recipient rows): read from its tally, kept by
    triggers, where the database keeps tallies; else counted from one index."""
    found = tallies.count_of(SupplierCallOffTally, "received", supplier_id)
    return found if found is not None else received_by(supplier_id).count()


def offers_made_count(supplier_id: int) -> int:
    """How many offers the supplier has made (every status): read from its tally, kept by triggers,
    where the database keeps tallies; else counted from the offers' supplier index."""
    found = tallies.count_of(SupplierOfferTally, "offers", supplier_id)
    return found if found is not None else Offer.objects.filter(supplier_id=supplier_id).count()


def needs_count(user: Any, status: str | None = None) -> int | None:
    """How many needs ``Need.objects.visible_to(user)`` holds (in ``status``) – a region user's
    region's, every region's for the national level – read from the regions' need tallies kept by
    triggers per status (at most a dozen rows a region); None where they are not kept or for anyone
    else (the caller counts the rows)."""
    kept = sums.region_rows(RegionNeedStatusTally, user, region="region_id")
    if kept is None:
        return None
    if status is not None:
        kept = kept.filter(status=status)
    return sum(kept.values_list("needs", flat=True))


def call_off_counts(user: Any, status: str | None = None) -> tuple[int, int] | None:
    """How many of the call-offs ``CallOff.objects.visible_to(user)`` holds (in ``status``) are open
    and how many are not – a region user's region's, every region's for the national level – read
    from the regions' call-off tallies per status kept by triggers; None where they are not kept or
    for anyone else (the caller counts the rows)."""
    kept = sums.region_rows(RegionCallOffStatusTally, user, region="region_id")
    if kept is None:
        return None
    if status is not None:
        kept = kept.filter(status=status)
    open_count = others = 0
    for each, n in kept.values_list("status", "call_offs"):
        if each == CallOffStatus.OPEN:
            open_count += n
        else:
            others += n
    return open_count, others
