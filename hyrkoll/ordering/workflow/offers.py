"""Offers: a supplier offers a named consultant on an open call-off, and the checked offers are
ranked by the agreement's criteria."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from hyrkoll.assignments.models import Assignment
from hyrkoll.audit import services as audit
from hyrkoll.audit.models import AuditAction
from hyrkoll.ordering import permissions
from hyrkoll.ordering.checks import run_checks
from hyrkoll.ordering.errors import WorkflowError
from hyrkoll.ordering.models import CallOff, CallOffStatus, EventKind, Offer, OfferStatus
from hyrkoll.ordering.suspension import refuse_if_suspended
from hyrkoll.ordering.workflow.status import _event


@transaction.atomic
def submit_offer(actor: Any, call_off: CallOff, offer: Offer) -> Offer:
    """A supplier offers a named consultant. Refused after the deadline or for a closed call-off."""
    if not permissions.is_supplier_user(actor):
        raise WorkflowError(_("Only supplier users make offers."))
    if not call_off.recipients.filter(supplier_id=actor.supplier_id).exists():
        raise WorkflowError(_("The call-off was not sent to your company."))
    refuse_if_suspended(actor.supplier, timezone.localdate())
    call_off = CallOff.objects.select_for_update().get(pk=call_off.pk)
    if call_off.status != CallOffStatus.OPEN:
        raise WorkflowError(_("The call-off is closed."))
    if timezone.now() > call_off.response_deadline:
        raise WorkflowError(_("The response deadline has passed."))
    if offer.consultant.supplier_id != actor.supplier_id:
        raise WorkflowError(_("The consultant belongs to another supplier."))
    if Offer.objects.filter(call_off=call_off, consultant=offer.consultant).exists():
        raise WorkflowError(_("This consultant has already been offered on the call-off."))
    offer.call_off = call_off
    offer.supplier_id = actor.supplier_id
    offer.submitted_by = actor
    # The call-off (locked above), the supplier (the actor's) and the consultant (checked above) are
    # this step's own: not looked up again, nor their constraints (the consultant once per call-off is
    # checked above; one award per call-off concerns awarded offers).
    offer.full_clean(exclude=["submitted_by", "call_off", "supplier", "consultant"])
    offer.save()
    results = run_checks(offer)
    failed = [r for r in results if not r.passed]
    need = call_off.need
    _event(need, actor, EventKind.OFFER, f"{offer.supplier}: {offer.consultant}")
    _event(
        need,
        None,
        EventKind.CHECKS,
        _("%(consultant)s: all checks passed.") % {"consultant": offer.consultant}
        if not failed
        else _("%(consultant)s failed: %(reasons)s")
        % {"consultant": offer.consultant, "reasons": "; ".join(r.reason for r in failed)},
    )
    audit.record(actor, AuditAction.CREATE, offer, region_id=call_off.region_id)
    return offer


def rank_key(offer: Offer) -> tuple[bool, bool, datetime.datetime]:
    """The agreement's criteria, time and continuity: whole period first, then a consultant who has
    worked at the unit before, then the earliest offer."""
    worked_here = getattr(offer, "worked_here", None)  # annotated by ``ranked_offers``
    if worked_here is None:
        worked_here = (
            Assignment.objects.filter(consultant_id=offer.consultant_id, unit_id=offer.call_off.need.unit_id)
            .exclude(call_off_id=offer.call_off_id)
            .exists()
        )
    return (not offer.covers_period(), not worked_here, offer.submitted_at)


def ranked_offers(call_off: CallOff) -> list[Offer]:
    """The open offers in rank order, in a constant number of queries (continuity is annotated)."""
    earlier_here = Assignment.objects.filter(
        consultant=OuterRef("consultant"), unit=OuterRef("call_off__need__unit")
    ).exclude(call_off=OuterRef("call_off"))
    offers = (
        call_off.offers.filter(status=OfferStatus.SUBMITTED, checks_passed=True)
        .select_related("consultant", "supplier", "call_off__need")
        .annotate(worked_here=Exists(earlier_here))
    )
    return sorted(offers, key=rank_key)
