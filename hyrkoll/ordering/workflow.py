"""The ordering workflow: every change of a need's or call-off's status goes through here.

Each step checks who acts, moves the status with a compare-and-set update (two people acting on
the same need at once cannot both succeed), writes the need's history and the audit trail, and
raises :class:`WorkflowError` with a message for the user when the step is not allowed.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hyrkoll.accounts.models import DecisionLevel
from hyrkoll.agreement.models import (
    AgreementParameter,
    FrameworkAgreement,
    ParameterKey,
    RegionAccession,
    SubArea,
    Supplier,
    SupplierAdmission,
)
from hyrkoll.agreement.pricing import NoAgreementPrice, quote
from hyrkoll.assignments.models import Assignment
from hyrkoll.audit import services as audit
from hyrkoll.audit.models import AuditAction
from hyrkoll.compliance.suspensions import is_suspended, suspended_supplier_ids
from hyrkoll.lib.dates import shift_months
from hyrkoll.ordering import permissions
from hyrkoll.ordering.checks import run_checks
from hyrkoll.ordering.models import (
    AttemptOutcome,
    CallOff,
    CallOffRecipient,
    CallOffStatus,
    Decision,
    DecisionOutcome,
    EventKind,
    InternalAttempt,
    Need,
    NeedEvent,
    NeedStatus,
    Offer,
    OfferStatus,
)
from hyrkoll.ordering.notifications import notify_call_off_filled, notify_call_off_published
from hyrkoll.rules.engine import NeedFacts, RuleOutcome, evaluate
from hyrkoll.rules.models import RegionRule


class WorkflowError(Exception):
    """A step that is not allowed; the message is shown to the user."""


# --- helpers ----------------------------------------------------------------------------------------


def _event(need: Need, actor: Any, kind: str, text: str = "") -> NeedEvent:
    user = audit.acting_user(actor)
    return NeedEvent.objects.create(
        need=need,
        actor=user,
        actor_name=user.get_username() if user else "system",
        kind=kind,
        text=text,
    )


def _move(need: Need, actor: Any, allowed_from: tuple[str, ...], to: str, **fields: Any) -> None:
    """Compare-and-set: move the need only if it is still in one of ``allowed_from``."""
    now = timezone.now()
    updated = Need.objects.filter(pk=need.pk, status__in=allowed_from).update(
        status=to, status_changed_at=now, **fields
    )
    if updated != 1:
        need.refresh_from_db()
        raise WorkflowError(
            _("The need is now '%(status)s'; someone else may have acted on it.")
            % {"status": need.get_status_display()}
        )
    before = need.status
    need.status = to
    need.status_changed_at = now
    for name, value in fields.items():
        setattr(need, name, value)
    audit.record(
        actor,
        AuditAction.DECISION,
        need,
        before={"status": before},
        after={"status": to, **{k: str(v) for k, v in fields.items()}},
    )


def unit_chain(need: Need) -> frozenset[int]:
    return frozenset(permissions.unit_chain_ids(need.unit))


def add_working_days(start: datetime.datetime, days: int) -> datetime.datetime:
    """``days`` working days (Mon–Fri) after ``start``, at the same time of day."""
    current = start
    remaining = days
    while remaining > 0:
        current += datetime.timedelta(days=1)
        if current.weekday() < 5:
            remaining -= 1
    return current


def _agreement_on(day: datetime.date) -> FrameworkAgreement | None:
    return FrameworkAgreement.objects.filter(starts_on__lte=day).order_by("-starts_on").first()


_parameter = AgreementParameter.value_in_force


def sub_area_of(need: Need) -> SubArea:
    agreement = _agreement_on(need.starts_on) or FrameworkAgreement.objects.order_by("-starts_on").first()
    sub_area = SubArea.objects.filter(agreement=agreement, code=need.profession.sub_area_code).first()
    if sub_area is None:
        raise WorkflowError(_("The profession belongs to no sub-area of the agreement."))
    return sub_area


# --- the orderer --------------------------------------------------------------------------------------


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


def max_call_off_months(starts_on: datetime.date) -> int:
    return int(_parameter(ParameterKey.MAX_CALL_OFF_MONTHS, starts_on, Decimal(12)))


def latest_call_off_end(starts_on: datetime.date) -> datetime.date:
    """The last day a call-off starting ``starts_on`` may run, extensions included."""
    return shift_months(starts_on, max_call_off_months(starts_on)) - datetime.timedelta(days=1)


def max_call_off_days(need: Need) -> int:
    return (latest_call_off_end(need.starts_on) - need.starts_on).days + 1


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
        transaction.on_commit(lambda: notify_call_off_filled(call_off.pk))
    _event(need, actor, EventKind.CANCELLED, reason)
    return need


# --- internal first -----------------------------------------------------------------------------------


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
    return outcome


# --- decisions --------------------------------------------------------------------------------------------


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


# --- outside the agreement: premium and the direct-award threshold --------------------------------------


@dataclass(frozen=True)
class OffAgreementFigures:
    value_sek: Decimal
    premium_sek: Decimal | None
    year_total_sek: Decimal
    threshold_sek: Decimal | None

    @property
    def share_of_threshold(self) -> Decimal | None:
        if not self.threshold_sek:
            return None
        return (self.year_total_sek + self.value_sek) / self.threshold_sek * 100

    @property
    def warning(self) -> bool:
        share = self.share_of_threshold
        return share is not None and share >= 80

    @property
    def crosses(self) -> bool:
        share = self.share_of_threshold
        return share is not None and share > 100


def off_agreement_value(need: Need) -> Decimal:
    weeks = Decimal(need.length_days) / Decimal(7)
    return (weeks * need.hours_per_week * (need.outside_hourly_price_sek or Decimal(0))).quantize(
        Decimal("0.01")
    )


def off_agreement_figures(need: Need) -> OffAgreementFigures:
    """The purchase's value, its premium over the agreement price, and the region's running total
    of approved direct purchases this year against the direct-award threshold."""
    value = off_agreement_value(need)
    premium = value - need.estimated_cost_sek if need.estimated_cost_sek is not None else None
    total = approved_off_agreement_total(need.region_id, need.starts_on.year, exclude_pk=need.pk)
    threshold = _parameter(ParameterKey.DIRECT_AWARD_THRESHOLD_SEK, need.starts_on, Decimal(0)) or None
    return OffAgreementFigures(
        value_sek=value, premium_sek=premium, year_total_sek=total, threshold_sek=threshold
    )


# --- publication --------------------------------------------------------------------------------------------


def admitted_suppliers(sub_area: SubArea, on: datetime.date) -> list[Supplier]:
    """The suppliers admitted to ``sub_area`` on ``on``, less those suspended that day."""
    supplier_ids = SupplierAdmission.objects.in_force(on).filter(sub_area=sub_area).values("supplier_id")
    suppliers = Supplier.objects.filter(pk__in=supplier_ids).exclude(pk__in=suspended_supplier_ids(on))
    return list(suppliers.order_by("name"))


def refuse_if_suspended(supplier: Supplier, on: datetime.date) -> None:
    if is_suspended(supplier, on):
        raise WorkflowError(
            _("%(supplier)s is suspended from the agreement on %(date)s.")
            % {"supplier": supplier, "date": on}
        )


@transaction.atomic
def publish(actor: Any, need: Need) -> CallOff:
    """Publish the approved need to every supplier admitted to its sub-area today."""
    if not (permissions.can_decide(actor, need) or permissions.is_call_off_unit(actor, need.region_id)):
        raise WorkflowError(_("Only the approver or the call-off unit publishes a call-off."))
    if need.outside_agreement:
        raise WorkflowError(
            _("A purchase outside the agreement is not published to the agreement's suppliers.")
        )
    today = timezone.localdate()
    sub_area = sub_area_of(need)
    acceded = RegionAccession.objects.filter(
        region_id=need.region_id, sub_area=sub_area, acceded_on__lte=today
    )
    if not acceded.exists():
        raise WorkflowError(
            _(
                "%(region)s has not acceded to the agreement for %(sub_area)s: the call-off cannot be published."
            )
            % {"region": need.region, "sub_area": sub_area}
        )
    suppliers = admitted_suppliers(sub_area, today)
    if not suppliers:
        raise WorkflowError(_("No supplier is admitted to %(sub_area)s.") % {"sub_area": sub_area})
    # Compare-and-set first: a need already published (or never approved) is refused with a
    # message instead of failing on the one-call-off-per-need constraint.
    _move(need, actor, (NeedStatus.APPROVED,), NeedStatus.PUBLISHED)
    now = timezone.now()
    days = int(_parameter(ParameterKey.RESPONSE_DEADLINE_WORKING_DAYS, today, Decimal(3)))
    call_off = CallOff.objects.create(
        need=need, region_id=need.region_id, sub_area=sub_area, published_at=now,
        response_deadline=add_working_days(now, days),
    )  # fmt: skip
    CallOffRecipient.objects.bulk_create(
        CallOffRecipient(call_off=call_off, supplier=supplier, notified_at=now) for supplier in suppliers
    )
    _event(
        need,
        actor,
        EventKind.PUBLISHED,
        _("Sent to %(count)d suppliers; offers by %(deadline)s.")
        % {
            "count": len(suppliers),
            "deadline": timezone.localtime(call_off.response_deadline).strftime("%Y-%m-%d %H:%M"),
        },
    )
    audit.record(actor, AuditAction.CREATE, call_off)
    transaction.on_commit(lambda: notify_call_off_published(call_off.pk))
    return call_off


# --- offers ---------------------------------------------------------------------------------------------------


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
    offer.full_clean(exclude=["submitted_by"])
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
    need = offer.call_off.need
    worked_here = (
        Assignment.objects.filter(consultant=offer.consultant, unit=need.unit)
        .exclude(call_off=offer.call_off)
        .exists()
    )
    return (not offer.covers_period(), not worked_here, offer.submitted_at)


def ranked_offers(call_off: CallOff) -> list[Offer]:
    offers = call_off.offers.filter(status=OfferStatus.SUBMITTED, checks_passed=True).select_related(
        "consultant", "supplier", "call_off__need"
    )
    return sorted(offers, key=rank_key)


# --- award -------------------------------------------------------------------------------------------------------


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
    ranking = ranked_offers(call_off)
    if ranking and ranking[0].pk != offer.pk and not deviation_reason.strip():
        raise WorkflowError(
            _("Another offer ranks higher (%(first)s). Give a reason to deviate from the ranking.")
            % {"first": ranking[0].consultant}
        )
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
            # The awarded period as its first priced row (extensions add theirs). Imported here:
            # assignments.services builds on this module.
            from hyrkoll.assignments.services import ensure_initial_period

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
        "price": price.hourly_sek,
        "version": price.price_list.version,
        "zone": price.zone,
    }
    if deviation_reason.strip():
        text += " " + _("Deviation from the ranking: %(reason)s") % {"reason": deviation_reason}
    _event(need, actor, EventKind.AWARDED, text)
    audit.record(actor, AuditAction.DECISION, assignment, reason=deviation_reason)
    transaction.on_commit(lambda: notify_call_off_filled(call_off.pk))
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
    transaction.on_commit(lambda: notify_call_off_filled(call_off.pk))


def approved_off_agreement_total(region_id: int, year: int, exclude_pk: int | None = None) -> Decimal:
    """The value of the region's approved purchases outside the agreement starting in ``year``."""
    needs = Need.objects.filter(
        region_id=region_id, outside_agreement=True, status=NeedStatus.APPROVED, starts_on__year=year
    ).exclude(pk=exclude_pk)
    return sum((off_agreement_value(need) for need in needs), Decimal(0))
