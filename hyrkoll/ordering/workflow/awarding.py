"""The end of a call-off: awarding an offer (the assignment and its first priced period) or closing
the call-off unfilled."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hyrkoll.agreement.models import SupplierAdmission
from hyrkoll.agreement.pricing import NoAgreementPrice, quote
from hyrkoll.assignments.models import Assignment
from hyrkoll.assignments.periods import ensure_initial_period
from hyrkoll.audit import services as audit
from hyrkoll.audit.models import AuditAction
from hyrkoll.lib import numbers
from hyrkoll.ordering import feed_events, permissions
from hyrkoll.ordering.checks import run_checks
from hyrkoll.ordering.errors import WorkflowError
from hyrkoll.ordering.models import CallOff, CallOffStatus, EventKind, NeedStatus, Offer, OfferStatus
from hyrkoll.ordering.notifications import notify_call_off_filled, notify_orderer_awarded
from hyrkoll.ordering.suspension import refuse_if_suspended
from hyrkoll.ordering.workflow.offers import ranked_offers
from hyrkoll.ordering.workflow.status import _event, _move


def missing_deviation_reason(offer: Offer, deviation_reason: str, call_off: CallOff | None = None) -> str:
    """Why the award needs a reason it lacks ("" when it may go ahead): the agreement awards the
    highest-ranked offer, and another one only with a reason to deviate from the ranking."""
    ranking = ranked_offers(call_off or offer.call_off)
    if ranking and ranking[0].pk != offer.pk and not deviation_reason.strip():
        return _("Another offer ranks higher (%(first)s). Give a reason to deviate from the ranking.") % {
            "first": ranking[0].consultant
        }
    return ""


def award(actor: Any, offer: Offer, deviation_reason: str = "") -> Assignment:
    """Award an offer that passed every check, at the agreement price; the others are told.

    The consultant is checked again first, in a transaction of its own: a check that fails now
    is stored even though the award is refused, so the offer drops out of the ranking.
    """
    if not permissions.is_call_off_unit(actor, offer.call_off.region_id):
        raise WorkflowError(_("Only the call-off unit awards."))
    with transaction.atomic():
        results = run_checks(offer)
    failed = [r for r in results if not r.passed]
    if failed:
        raise WorkflowError(
            _("The consultant failed a check: %(reasons)s") % {"reasons": "; ".join(r.reason for r in failed)}
        )
    return _award_checked(actor, offer, deviation_reason)


@transaction.atomic
def _award_checked(actor: Any, offer: Offer, deviation_reason: str) -> Assignment:
    call_off = CallOff.objects.select_for_update().get(pk=offer.call_off_id)
    need = call_off.need
    if call_off.status != CallOffStatus.OPEN:
        raise WorkflowError(_("The call-off has already been awarded or closed."))
    offer.refresh_from_db()
    if offer.status != OfferStatus.SUBMITTED or not offer.checks_passed:
        raise WorkflowError(_("The offer is no longer open."))
    today = timezone.localdate()
    if (
        not SupplierAdmission.objects.in_force(today)
        .filter(supplier=offer.supplier, sub_area=call_off.sub_area)
        .exists()
    ):
        raise WorkflowError(
            _("%(supplier)s is no longer admitted to the agreement.") % {"supplier": offer.supplier}
        )
    refuse_if_suspended(offer.supplier, today)
    missing = missing_deviation_reason(offer, deviation_reason, call_off)
    if missing:
        raise WorkflowError(missing)
    try:
        price = quote(need.level, need.unit, need.starts_on)
    except NoAgreementPrice as error:
        raise WorkflowError(str(error)) from None
    try:
        with transaction.atomic():
            assignment = Assignment.objects.create(
                region_id=call_off.region_id, call_off=call_off, offer=offer, consultant=offer.consultant,
                supplier=offer.supplier, unit=need.unit, starts_on=need.starts_on, ends_on=need.ends_on,
                hours_per_week=need.hours_per_week, price_list=price.price_list, level=need.level,
                zone=price.zone, hourly_price_sek=price.hourly_sek,
                travel_supplement_sek_per_week=price.travel_sek_per_week, created_by=actor,
            )  # fmt: skip
            Offer.objects.filter(pk=offer.pk).update(status=OfferStatus.AWARDED)
            # The awarded period as its first priced row (extensions add theirs).
            ensure_initial_period(assignment)
    except IntegrityError:
        raise WorkflowError(_("The call-off has already been awarded.")) from None
    Offer.objects.filter(call_off=call_off, status=OfferStatus.SUBMITTED).update(
        status=OfferStatus.NOT_AWARDED
    )
    updated = CallOff.objects.filter(pk=call_off.pk, status=CallOffStatus.OPEN).update(
        status=CallOffStatus.AWARDED, closed_at=timezone.now()
    )
    if updated != 1:
        raise WorkflowError(_("The call-off has already been awarded or closed."))
    _move(need, actor, (NeedStatus.PUBLISHED,), NeedStatus.AWARDED)
    text = _(
        "%(consultant)s from %(supplier)s at %(price)s SEK/h (price list %(version)s, zone %(zone)d)."
    ) % {
        "consultant": offer.consultant,
        "supplier": offer.supplier,
        "price": numbers.number(price.hourly_sek, 2),
        "version": price.price_list.version,
        "zone": price.zone,
    }
    if deviation_reason.strip():
        text += " " + _("Deviation from the ranking: %(reason)s") % {"reason": deviation_reason}
    _event(need, actor, EventKind.AWARDED, text)
    audit.record(actor, AuditAction.DECISION, assignment, reason=deviation_reason)
    feed_events.call_off_ended(call_off, feed_events.AWARDED)
    notify_call_off_filled(call_off.pk)  # queued in this transaction (hyrkoll.outbox)
    notify_orderer_awarded(call_off.pk)
    return assignment


@transaction.atomic
def close_unfilled(actor: Any, call_off: CallOff, reason: str) -> None:
    if not permissions.is_call_off_unit(actor, call_off.region_id):
        raise WorkflowError(_("Only the call-off unit closes call-offs."))
    if not reason.strip():
        raise WorkflowError(_("Give a reason."))
    updated = CallOff.objects.filter(pk=call_off.pk, status=CallOffStatus.OPEN).update(
        status=CallOffStatus.UNFILLED, closed_at=timezone.now()
    )
    if updated != 1:
        raise WorkflowError(_("The call-off has already been awarded or closed."))
    Offer.objects.filter(call_off=call_off, status=OfferStatus.SUBMITTED).update(
        status=OfferStatus.NOT_AWARDED
    )
    _move(call_off.need, actor, (NeedStatus.PUBLISHED,), NeedStatus.UNFILLED)
    _event(call_off.need, actor, EventKind.CLOSED, reason)
    feed_events.call_off_ended(call_off, feed_events.UNFILLED)
    notify_call_off_filled(call_off.pk)
