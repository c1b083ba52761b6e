"""E-mail about needs and call-offs: the call-off to the suppliers, the outcome to the suppliers that
did not win, the award to the orderer, and the decision request to the approvers.

Each function queues the e-mails in the outbox (``hyrkoll.outbox.services.queue``) and is called
inside the workflow step's transaction: the e-mails exist if and only if the step commits, and the
job worker sends them (retried on failure). The demo patches these names on ``workflow``
(``hyrkoll.demo.ordering.quiet_mail``). Each returns the number of e-mails queued.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext as _

from hyrkoll.accounts.models import Role, RoleAssignment, Scope, User
from hyrkoll.outbox.models import MessageKind
from hyrkoll.outbox.services import Mail, queue, queue_many, queue_shared


def supplier_addresses(supplier: Any, *, company: bool = True) -> list[str]:
    """The supplier's own address (``company``) and its active users' addresses."""
    return addresses_of_suppliers([supplier], company=company)[supplier.pk]


def addresses_of_suppliers(suppliers: list[Any], *, company: bool = True) -> dict[int, list[str]]:
    """:func:`supplier_addresses` of each supplier, by its id, in one query."""
    found: dict[int, set[str]] = {
        s.pk: ({s.email} if company and getattr(s, "email", "") else set()) for s in suppliers
    }
    users = User.objects.filter(supplier__in=[s.pk for s in suppliers], is_active=True).exclude(email="")
    for supplier_id, email in users.values_list("supplier_id", "email"):
        found[supplier_id].add(email)
    return {pk: sorted(addresses) for pk, addresses in found.items()}


def _queue_to_suppliers(call_off_id: int, template: str, kind: str, suppliers: list[Any]) -> int:
    """One text about the call-off to each supplier, under its own greeting (``queue_shared``)."""
    from hyrkoll.ordering.models import CallOff

    call_off = CallOff.objects.select_related("need__unit__municipality", "need__competence", "region").get(
        pk=call_off_id
    )
    addresses = addresses_of_suppliers(suppliers)
    with translation.override(settings.LANGUAGE_CODE):
        mails = [
            Mail(
                {},
                addresses[supplier.pk],
                region=call_off.region,
                supplier=supplier,
                about=call_off,
                greeting=_("To %(supplier)s,") % {"supplier": supplier.name},
            )
            for supplier in suppliers
        ]
    context = {"call_off": call_off, "need": call_off.need}
    return len(queue_shared(kind, template, context, mails))


def notify_call_off_published(call_off_id: int) -> int:
    """The call-off to every supplier it was sent to."""
    from hyrkoll.ordering.models import CallOffRecipient

    recipients = CallOffRecipient.objects.filter(call_off_id=call_off_id).select_related("supplier")
    return _queue_to_suppliers(
        call_off_id, "call_off_published", MessageKind.CALL_OFF_PUBLISHED, [r.supplier for r in recipients]
    )


def notify_call_off_filled(call_off_id: int) -> int:
    """Tell the suppliers that did not win that the call-off is filled (or closed)."""
    from hyrkoll.ordering.models import CallOffRecipient, Offer, OfferStatus

    recipients = CallOffRecipient.objects.filter(call_off_id=call_off_id).select_related("supplier")
    winners = set(
        Offer.objects.filter(call_off_id=call_off_id, status=OfferStatus.AWARDED).values_list(
            "supplier_id", flat=True
        )
    )
    losers = [r.supplier for r in recipients if r.supplier_id not in winners]
    return _queue_to_suppliers(call_off_id, "call_off_closed", MessageKind.CALL_OFF_CLOSED, losers)


def notify_orderer_awarded(call_off_id: int) -> int:
    """Tell the orderer who registered the need who comes, from when, at which price."""
    from hyrkoll.assignments.models import Assignment

    assignment = (
        Assignment.objects.select_related(
            "call_off__need__created_by", "call_off__need__unit", "call_off__region", "consultant", "supplier"
        )
        .filter(call_off_id=call_off_id)
        .first()
    )
    if assignment is None:
        return 0
    need = assignment.call_off.need
    orderer = need.created_by
    if not orderer.is_active or not orderer.email:
        return 0
    context = {"call_off": assignment.call_off, "need": need, "assignment": assignment, "orderer": orderer}
    message = queue(
        MessageKind.NEED_AWARDED,
        "need_awarded",
        context,
        [orderer.email],
        region=assignment.call_off.region,
        supplier=assignment.supplier,
        about=assignment.call_off,
    )
    return int(message is not None)


def deciders(need: Any) -> list[User]:
    """The active users who may decide ``need`` now: approvers of its region at (or above) the
    required level, for the whole region or a unit above the need's (``permissions.deciding_level``)."""
    from hyrkoll.ordering.permissions import unit_chain_ids

    if need.required_level is None:
        return []
    chain = unit_chain_ids(need.unit)
    # One role assignment must meet every condition: a subquery, not joins that could each match
    # another assignment.
    approvers = RoleAssignment.objects.filter(
        Q(org_unit__isnull=True) | Q(org_unit__in=chain),
        role=Role.APPROVER,
        decision_level__gte=need.required_level,
    )
    return list(
        User.objects.filter(
            is_active=True, scope=Scope.REGION, region_id=need.region_id, pk__in=approvers.values("user_id")
        )
        .exclude(email="")
        .order_by("pk")
    )


def notify_decision_requested(need_id: int) -> int:
    """Ask every approver who may decide the need (it now awaits a decision at its level)."""
    from hyrkoll.ordering.models import Need

    need = Need.objects.select_related("unit", "competence", "region").get(pk=need_id)
    mails = [
        Mail({"need": need, "approver": approver}, [approver.email], region=need.region, about=need)
        for approver in deciders(need)
    ]
    # One INSERT for all the approvers (``queue`` each was one statement per approver).
    return len(queue_many(MessageKind.DECISION_REQUESTED, "decision_requested", mails))
