"""The ordering workflow's entries in the event feed (:func:`hyrkoll.feed.services.record`).

Called from the workflow steps, inside their transaction. References are written in Swedish, the
language the call-off's reference is quoted in between the region and the suppliers, so a system
gets the same text whoever acted.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.utils import translation

from hyrkoll.agreement.models import Supplier
from hyrkoll.feed.services import FeedKind, record, record_to_suppliers
from hyrkoll.ordering.models import CallOff, CallOffRecipient, Need, Offer, OfferStatus

# How a call-off ended, in ``data.outcome`` of call_off.closed and offer.not_awarded.
AWARDED, UNFILLED, CANCELLED = "awarded", "unfilled", "cancelled"


def _reference(obj: CallOff | Need) -> str:
    with translation.override("sv"):
        return str(obj.reference)


def _amount(value: Decimal | None) -> str | None:
    return None if value is None else f"{value:.2f}"


def call_off_published(call_off: CallOff, suppliers: Iterable[Supplier]) -> None:
    """call_off.published, once for each supplier the call-off was sent to."""
    need = call_off.need
    data: dict[str, Any] = {
        "reference": _reference(call_off),
        "need": need.pk,
        "response_deadline": call_off.response_deadline.isoformat(),
        "starts_on": need.starts_on.isoformat(),
        "ends_on": need.ends_on.isoformat(),
        "hours_per_week": f"{Decimal(need.hours_per_week):.1f}",
    }
    record_to_suppliers(FeedKind.CALL_OFF_PUBLISHED, call_off, [s.pk for s in suppliers], data=data)


def call_off_ended(call_off: CallOff, outcome: str) -> None:
    """The end of a call-off for its suppliers: offer.awarded to the winner, offer.not_awarded for
    every other offer still standing (made not-awarded by this step), call_off.closed to every other
    recipient."""
    reference = _reference(call_off)
    winners: set[int] = set()
    offers = Offer.objects.filter(
        call_off=call_off, status__in=(OfferStatus.AWARDED, OfferStatus.NOT_AWARDED)
    ).order_by("pk")
    for offer in offers:
        data: dict[str, Any] = {"reference": reference, "call_off": call_off.pk, "outcome": outcome}
        if offer.status == OfferStatus.AWARDED:
            winners.add(offer.supplier_id)
            record(FeedKind.OFFER_AWARDED, offer, supplier_id=offer.supplier_id, data=data)
        else:
            record(FeedKind.OFFER_NOT_AWARDED, offer, supplier_id=offer.supplier_id, data=data)
    recipients = CallOffRecipient.objects.filter(call_off=call_off).exclude(supplier_id__in=winners)
    record_to_suppliers(
        FeedKind.CALL_OFF_CLOSED,
        call_off,
        recipients.order_by("supplier_id").values_list("supplier_id", flat=True),
        data={"reference": reference, "outcome": outcome},
    )


def need_awaiting_decision(need: Need) -> None:
    """need.awaiting_decision, to the region's approvers at (or above) the required level."""
    record(
        FeedKind.NEED_AWAITING_DECISION,
        need,
        region_id=need.region_id,
        decision_level=need.required_level,
        data={
            "reference": _reference(need),
            "required_level": need.required_level,
            "unit": need.unit.name,
            "starts_on": need.starts_on.isoformat(),
            "ends_on": need.ends_on.isoformat(),
            "estimated_cost_sek": _amount(need.estimated_cost_sek),
            "outside_agreement": need.outside_agreement,
        },
    )
