"""The orderer's steps: pricing and saving a draft need, submitting it, and cancelling a need."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hyrkoll.agreement.pricing import NoAgreementPrice, quote
from hyrkoll.audit import services as audit
from hyrkoll.audit.models import AuditAction
from hyrkoll.ordering import feed_events, permissions
from hyrkoll.ordering.call_off_length import max_call_off_days, max_call_off_months
from hyrkoll.ordering.errors import WorkflowError
from hyrkoll.ordering.models import CallOff, CallOffStatus, EventKind, Need, NeedStatus, Offer, OfferStatus
from hyrkoll.ordering.notifications import notify_call_off_filled
from hyrkoll.ordering.workflow.status import _event, _move


def price_need(need: Need) -> None:
    """Set the agreement price and estimated cost of a need (from the price list, never typed)."""
    need.level = need.competence.level
    try:
        price = quote(need.level, need.unit, need.starts_on)
    except NoAgreementPrice:
        need.price_list = None
        need.estimated_hourly_price_sek = None
        need.estimated_cost_sek = None
        return
    need.price_list = price.price_list
    need.estimated_hourly_price_sek = price.hourly_sek
    need.estimated_cost_sek = price.cost(need.starts_on, need.ends_on, need.hours_per_week)


@transaction.atomic
def save_draft(actor: Any, need: Need) -> Need:
    """Create or update a draft need (validated, priced, scoped to the actor's own units)."""
    if not permissions.can_order_for(actor, need.unit):
        raise WorkflowError(_("You are not an authorised orderer for this unit."))
    creating = need.pk is None
    before = None
    if not creating:
        # Lock the stored row: its status and unit decide, not the (possibly stale) form copy.
        stored = Need.objects.select_for_update().get(pk=need.pk)
        if stored.status not in (NeedStatus.DRAFT, NeedStatus.RETURNED):
            raise WorkflowError(_("Only a draft or a returned need can be changed."))
        if not permissions.can_order_for(actor, stored.unit):
            raise WorkflowError(_("You are not an authorised orderer for this unit."))
        need.status = stored.status
        before = audit.snapshot(stored)
    need.region_id = need.unit.region_id
    need.full_clean(exclude=["created_by", "level"] if creating else ["level"])
    _check_length(need)
    price_need(need)
    if creating:
        need.created_by = actor
        need.status = NeedStatus.DRAFT
    need.save()
    if creating:
        _event(need, actor, EventKind.CREATED)
        audit.record(actor, AuditAction.CREATE, need)
    else:
        audit.record(actor, AuditAction.UPDATE, need, before=before)
    return need


def _check_length(need: Need) -> None:
    if need.length_days > max_call_off_days(need):
        raise WorkflowError(
            _("A call-off may be at most %(months)d months long.")
            % {"months": max_call_off_months(need.starts_on)}
        )


@transaction.atomic
def submit(actor: Any, need: Need) -> Need:
    """The orderer submits: the call-off unit checks the internal staffing pool first."""
    if not permissions.can_order_for(actor, need.unit):
        raise WorkflowError(_("You are not an authorised orderer for this unit."))
    _check_length(need)
    if need.starts_on < timezone.localdate():
        raise WorkflowError(_("The start date has passed; change the period first."))
    price_need(need)
    need.save(update_fields=["level", "price_list", "estimated_hourly_price_sek", "estimated_cost_sek"])
    _move(
        need,
        actor,
        (NeedStatus.DRAFT, NeedStatus.RETURNED),
        NeedStatus.INTERNAL_SEARCH,
        submitted_at=timezone.now(),
    )
    _event(need, actor, EventKind.SUBMITTED)
    return need


@transaction.atomic
def cancel(actor: Any, need: Need, reason: str) -> Need:
    """Cancel a need that is not yet awarded. A published call-off is cancelled with it: the
    suppliers are told, and offers can no longer be made or awarded."""
    if not reason.strip():
        raise WorkflowError(_("Give a reason."))
    if not (
        permissions.can_order_for(actor, need.unit) or permissions.is_call_off_unit(actor, need.region_id)
    ):
        raise WorkflowError(_("You may not cancel this need."))
    cancellable = (
        NeedStatus.DRAFT,
        NeedStatus.INTERNAL_SEARCH,
        NeedStatus.STEERING_REVIEW,
        NeedStatus.AWAITING_APPROVAL,
        NeedStatus.RETURNED,
        NeedStatus.APPROVED,
        NeedStatus.PUBLISHED,
    )
    # Lock the call-off before the need, in the same order as award(), so a cancel and an award at
    # the same moment cannot deadlock; the compare-and-set below lets only one of them win.
    call_off = CallOff.objects.select_for_update().filter(need=need).first()
    _move(need, actor, cancellable, NeedStatus.CANCELLED)
    if call_off is not None:
        updated = CallOff.objects.filter(pk=call_off.pk, status=CallOffStatus.OPEN).update(
            status=CallOffStatus.CANCELLED, closed_at=timezone.now()
        )
        if updated != 1:
            raise WorkflowError(_("The call-off has already been awarded or closed."))
        Offer.objects.filter(call_off=call_off, status=OfferStatus.SUBMITTED).update(
            status=OfferStatus.NOT_AWARDED
        )
        feed_events.call_off_ended(call_off, feed_events.CANCELLED)
        notify_call_off_filled(call_off.pk)  # queued in this transaction (hyrkoll.outbox)
    _event(need, actor, EventKind.CANCELLED, reason)
    return need
