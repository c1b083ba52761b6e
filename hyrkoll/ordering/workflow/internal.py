"""Internal first: the call-off unit checks the internal staffing pool, then closes the internal
search and routes the need by the region's rules."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hyrkoll.accounts.models import DecisionLevel
from hyrkoll.ordering import feed_events, permissions
from hyrkoll.ordering.errors import WorkflowError
from hyrkoll.ordering.models import AttemptOutcome, EventKind, InternalAttempt, Need, NeedStatus
from hyrkoll.ordering.notifications import notify_decision_requested
from hyrkoll.ordering.workflow.status import _event, _move, unit_chain
from hyrkoll.rules.engine import NeedFacts, RuleOutcome, evaluate
from hyrkoll.rules.models import RegionRule


@transaction.atomic
def record_internal_attempt(
    actor: Any, need: Need, *, outcome: str, pool_member: Any = None, description: str = "", note: str = ""
) -> InternalAttempt:
    if not permissions.is_call_off_unit(actor, need.region_id):
        raise WorkflowError(_("Only the call-off unit checks the internal staffing pool."))
    if need.status != NeedStatus.INTERNAL_SEARCH:
        raise WorkflowError(_("The internal staffing pool is checked only for a submitted need."))
    if pool_member is not None and pool_member.region_id != need.region_id:
        raise WorkflowError(_("The pool member belongs to another region."))
    if pool_member is None and not description.strip():
        raise WorkflowError(_("Name the pool member or describe the alternative."))
    attempt = InternalAttempt.objects.create(
        need=need, pool_member=pool_member, description=description, outcome=outcome, note=note, by=actor
    )
    _event(need, actor, EventKind.INTERNAL_ATTEMPT, f"{attempt}{': ' + note if note else ''}")
    if outcome == AttemptOutcome.FILLED:
        _move(need, actor, (NeedStatus.INTERNAL_SEARCH,), NeedStatus.FILLED_INTERNALLY)
        _event(need, actor, EventKind.FILLED_INTERNALLY, str(attempt))
    return attempt


def facts_of(need: Need) -> NeedFacts:
    return NeedFacts(
        region_id=need.region_id,
        profession_id=need.profession_id,
        competence_id=need.competence_id,
        level_id=need.level_id,
        care_area_id=need.unit.care_area_id,
        unit_ids=unit_chain(need),
        length_days=need.length_days,
        estimated_cost_sek=need.estimated_cost_sek or Decimal(0),
        outside_agreement=need.outside_agreement,
        on=timezone.localdate(),
    )


def _outcome_record(outcome: RuleOutcome) -> dict[str, Any]:
    return {
        "required_level": outcome.required_level,
        "hiring_stops": [
            {"id": r.pk, "name": r.name, "level": r.decision_level} for r in outcome.hiring_stops
        ],
        "level_rules": [{"id": r.pk, "name": r.name, "level": r.decision_level} for r in outcome.level_rules],
        "steering_review": outcome.needs_steering_review,
    }


def describe_outcome(outcome: RuleOutcome) -> str:
    level = DecisionLevel(outcome.required_level).label
    parts = []
    if outcome.hiring_stops:
        names = ", ".join(rule.name for rule in outcome.hiring_stops)
        parts.append(_("Blocked by hiring stop: %(names)s. Dispensation needed.") % {"names": names})
    if outcome.level_rules:
        names = ", ".join(rule.name for rule in outcome.level_rules)
        parts.append(_("Rules applied: %(names)s.") % {"names": names})
    if outcome.needs_steering_review:
        parts.append(_("Outside the agreement: the steering group reviews first."))
    parts.append(_("Decided by: %(level)s.") % {"level": level})
    return " ".join(str(part) for part in parts)


@transaction.atomic
def exhaust_internal(actor: Any, need: Need, reason: str) -> RuleOutcome:
    """No internal alternative: evaluate the region's rules and route the need for a decision."""
    if not permissions.is_call_off_unit(actor, need.region_id):
        raise WorkflowError(_("Only the call-off unit closes the internal search."))
    if not reason.strip():
        raise WorkflowError(_("Record why the internal alternatives are exhausted."))
    if need.status != NeedStatus.INTERNAL_SEARCH:
        raise WorkflowError(_("The internal search is not open for this need."))
    _event(need, actor, EventKind.INTERNAL_EXHAUSTED, reason)
    outcome = evaluate(facts_of(need), RegionRule.objects.filter(region_id=need.region_id))
    next_status = (
        NeedStatus.STEERING_REVIEW if outcome.needs_steering_review else NeedStatus.AWAITING_APPROVAL
    )
    _move(
        need,
        actor,
        (NeedStatus.INTERNAL_SEARCH,),
        next_status,
        internal_outcome=reason,
        required_level=outcome.required_level,
        is_dispensation=outcome.is_blocked or need.outside_agreement,
        rule_outcome=_outcome_record(outcome),
    )
    _event(need, actor, EventKind.RULES, describe_outcome(outcome))
    if next_status == NeedStatus.AWAITING_APPROVAL:
        feed_events.need_awaiting_decision(need)
        notify_decision_requested(need.pk)  # queued in this transaction (hyrkoll.outbox)
    return outcome
