"""Decisions: the steering group's review of a purchase outside the agreement, and the approver's
decision (an approved need under the agreement is published at once)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from hyrkoll.ordering import feed_events, permissions
from hyrkoll.ordering.errors import WorkflowError
from hyrkoll.ordering.models import Decision, DecisionOutcome, EventKind, Need, NeedStatus
from hyrkoll.ordering.notifications import notify_decision_requested
from hyrkoll.ordering.workflow.publication import publish
from hyrkoll.ordering.workflow.status import _event, _move

_OUTCOME_STATUS = {
    DecisionOutcome.REJECT: NeedStatus.REJECTED,
    DecisionOutcome.RETURN: NeedStatus.RETURNED,
}
_OUTCOME_EVENT = {
    DecisionOutcome.APPROVE: EventKind.APPROVED,
    DecisionOutcome.REJECT: EventKind.REJECTED,
    DecisionOutcome.RETURN: EventKind.RETURNED,
}


@transaction.atomic
def steering_review(actor: Any, need: Need, outcome: str, reason: str) -> Decision:
    """The steering group reviews a purchase outside the agreement before the top-level decision."""
    if not permissions.is_steering_group(actor, need.region_id):
        raise WorkflowError(_("Only the steering group reviews purchases outside the agreement."))
    if not reason.strip():
        raise WorkflowError(_("Give a reason."))
    to = NeedStatus.AWAITING_APPROVAL if outcome == DecisionOutcome.APPROVE else _OUTCOME_STATUS[outcome]
    _move(need, actor, (NeedStatus.STEERING_REVIEW,), to)
    decision = Decision.objects.create(
        need=need, is_steering_review=True, outcome=outcome, reason=reason, decided_by=actor
    )
    _event(need, actor, EventKind.STEERING_REVIEW, f"{decision.get_outcome_display()}: {reason}")
    if to == NeedStatus.AWAITING_APPROVAL:
        feed_events.need_awaiting_decision(need)
        notify_decision_requested(need.pk)  # queued in this transaction (hyrkoll.outbox)
    return decision


@transaction.atomic
def decide(actor: Any, need: Need, outcome: str, reason: str) -> Decision:
    """An approver at the required level approves, rejects or returns the need, with a reason.

    An approved need under the agreement is published at once; one outside the agreement is
    recorded as an approved dispensation for a direct purchase.
    """
    if not permissions.can_decide(actor, need):
        raise WorkflowError(
            _("The need must be decided at the level %(level)s.")
            % {"level": need.get_required_level_display()}
        )
    if not reason.strip():
        raise WorkflowError(_("Give a reason."))
    to = NeedStatus.APPROVED if outcome == DecisionOutcome.APPROVE else _OUTCOME_STATUS[outcome]
    _move(need, actor, (NeedStatus.AWAITING_APPROVAL,), to)
    level = permissions.deciding_level(actor, need)
    decision = Decision.objects.create(
        need=need, level=level, outcome=outcome, reason=reason, decided_by=actor
    )
    _event(need, actor, _OUTCOME_EVENT[outcome], reason)
    if outcome == DecisionOutcome.APPROVE and not need.outside_agreement:
        try:
            with transaction.atomic():
                publish(actor, need)
        except WorkflowError as error:
            # The approval stands; the call-off unit publishes once the obstacle is gone.
            need.refresh_from_db()
            _event(need, actor, EventKind.PUBLICATION_FAILED, str(error))
    return decision
