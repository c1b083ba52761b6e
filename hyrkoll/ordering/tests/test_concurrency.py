"""Two call-off officers (or approvers) acting at once: the database lets only one win.

The status checks in ``workflow`` read before they write, so on their own they could let two awards
through; the unique constraints (one assignment per call-off, one awarded offer per call-off) and
the compare-and-set updates make the second fail. The real race with two threads needs a database
with row locks and concurrent writers, so it runs on PostgreSQL only.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
from django.db import IntegrityError, connection, transaction
from django.utils import translation

from hyrkoll.agreement.pricing import quote
from hyrkoll.assignments.models import Assignment
from hyrkoll.ordering import workflow
from hyrkoll.ordering.models import (
    CallOff,
    CallOffStatus,
    Decision,
    DecisionOutcome,
    Need,
    NeedStatus,
    Offer,
    OfferStatus,
)
from hyrkoll.ordering.tests.conftest import make_need
from hyrkoll.ordering.tests.test_checks import offer_on, publish_need


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    with translation.override("en"):
        yield


def direct_assignment(flow: dict[str, Any], offer: Offer) -> Assignment:
    """An assignment written straight to the database, as another officer's award would be."""
    need = offer.call_off.need
    price = quote(need.level, need.unit, need.starts_on)
    return Assignment.objects.create(
        region=offer.call_off.region, call_off=offer.call_off, offer=offer, consultant=offer.consultant,
        supplier=offer.supplier, unit=need.unit, starts_on=need.starts_on, ends_on=need.ends_on,
        hours_per_week=need.hours_per_week, price_list=price.price_list, level=need.level, zone=price.zone,
        hourly_price_sek=price.hourly_sek, created_by=flow["call_off_unit"],
    )  # fmt: skip


def two_passing_offers(flow: dict[str, Any]) -> tuple[CallOff, Offer, Offer]:
    call_off = publish_need(flow)
    offer_a = offer_on(flow, call_off, "consultant_a")
    offer_b = offer_on(flow, call_off, "consultant_b")
    assert offer_a.checks_passed and offer_b.checks_passed
    return call_off, offer_a, offer_b


def test_award_after_another_officers_committed_assignment_is_refused(flow: dict[str, Any]) -> None:
    call_off, offer_a, offer_b = two_passing_offers(flow)
    # The other officer's award got as far as the assignment; the call-off still reads "open".
    direct_assignment(flow, offer_b)
    call_off.refresh_from_db()
    assert call_off.status == CallOffStatus.OPEN
    with pytest.raises(workflow.WorkflowError, match="already been awarded"):
        workflow.award(flow["call_off_unit"], offer_a)
    assert Assignment.objects.filter(call_off=call_off).count() == 1
    assert Assignment.objects.get(call_off=call_off).offer_id == offer_b.pk
    offer_a.refresh_from_db()
    assert offer_a.status == OfferStatus.SUBMITTED
    call_off.need.refresh_from_db()
    assert call_off.need.status == NeedStatus.PUBLISHED


def test_award_after_another_offer_was_marked_awarded_is_refused(flow: dict[str, Any]) -> None:
    """The partial unique constraint on awarded offers catches it too (and the assignment the
    failed award had written is rolled back with it)."""
    call_off, offer_a, offer_b = two_passing_offers(flow)
    Offer.objects.filter(pk=offer_b.pk).update(status=OfferStatus.AWARDED)
    with pytest.raises(workflow.WorkflowError, match="already been awarded"):
        workflow.award(flow["call_off_unit"], offer_a)
    assert not Assignment.objects.filter(call_off=call_off).exists()
    assert Offer.objects.filter(call_off=call_off, status=OfferStatus.AWARDED).count() == 1


def test_database_allows_one_awarded_offer_per_call_off(flow: dict[str, Any]) -> None:
    call_off, offer_a, offer_b = two_passing_offers(flow)
    Offer.objects.filter(pk=offer_a.pk).update(status=OfferStatus.AWARDED)
    with pytest.raises(IntegrityError), transaction.atomic():
        Offer.objects.filter(pk=offer_b.pk).update(status=OfferStatus.AWARDED)
    assert Offer.objects.filter(call_off=call_off, status=OfferStatus.AWARDED).count() == 1
    # Awarded offers on different call-offs are fine.
    other = publish_need(flow)
    other_offer = offer_on(flow, other, "consultant_b")
    Offer.objects.filter(pk=other_offer.pk).update(status=OfferStatus.AWARDED)


def test_database_allows_one_assignment_per_call_off(flow: dict[str, Any]) -> None:
    call_off, offer_a, offer_b = two_passing_offers(flow)
    direct_assignment(flow, offer_a)
    with pytest.raises(IntegrityError), transaction.atomic():
        direct_assignment(flow, offer_b)
    assert Assignment.objects.filter(call_off=call_off).count() == 1


def test_two_decisions_on_one_need_compare_and_set(flow: dict[str, Any]) -> None:
    need = workflow.save_draft(flow["orderer_a"], make_need(flow))
    workflow.submit(flow["orderer_a"], need)
    workflow.exhaust_internal(flow["call_off_unit"], need, "Inga interna alternativ")
    # Two approvers opened the need while it was awaiting approval.
    seen_by_first, seen_by_second = Need.objects.get(pk=need.pk), Need.objects.get(pk=need.pk)
    workflow.decide(flow["verksamhetschef"], seen_by_first, DecisionOutcome.APPROVE, "Vakans")
    with pytest.raises(workflow.WorkflowError, match="someone else may have acted"):
        workflow.decide(flow["hsdirektor"], seen_by_second, DecisionOutcome.REJECT, "För dyrt")
    assert Decision.objects.filter(need=need).count() == 1
    need.refresh_from_db()
    assert need.status == NeedStatus.PUBLISHED


def test_two_steering_reviews_compare_and_set(flow: dict[str, Any]) -> None:
    need = workflow.save_draft(
        flow["orderer_a"],
        make_need(
            flow, outside_agreement=True, outside_supplier_name="Direkt AB",
            outside_hourly_price_sek=Decimal(1800), outside_justification="Ingen i avtalet kan",
        ),
    )  # fmt: skip
    workflow.submit(flow["orderer_a"], need)
    workflow.exhaust_internal(flow["call_off_unit"], need, "Inga interna alternativ")
    first, second = Need.objects.get(pk=need.pk), Need.objects.get(pk=need.pk)
    workflow.steering_review(flow["steering"], first, DecisionOutcome.APPROVE, "Tillstyrks")
    with pytest.raises(workflow.WorkflowError):
        workflow.steering_review(flow["steering"], second, DecisionOutcome.REJECT, "Avstyrks")
    assert Decision.objects.filter(need=need).count() == 1


def test_cancel_and_award_of_the_same_call_off(flow: dict[str, Any]) -> None:
    call_off, offer_a, _offer_b = two_passing_offers(flow)
    stale = Need.objects.get(pk=call_off.need_id)
    workflow.award(flow["call_off_unit"], offer_a)
    with pytest.raises(workflow.WorkflowError):
        workflow.cancel(flow["orderer_a"], stale, "Behovet försvann")
    call_off.refresh_from_db()
    assert call_off.status == CallOffStatus.AWARDED
    assert Need.objects.get(pk=call_off.need_id).status == NeedStatus.AWARDED


# --- a real race (PostgreSQL) ------------------------------------------------------------------------------


@pytest.fixture
def reference_data(transactional_db: Any) -> None:
    """Transactional tests flush the database afterwards, data migrations included, so a test that
    runs after one of them finds no regions. Load the reference data again (idempotent)."""
    from django.apps import apps

    from hyrkoll.agreement.reference import load_reference_data as load_agreement
    from hyrkoll.organisation.reference import load_reference_data as load_organisation

    load_organisation(
        apps.get_model("organisation", "Region"),
        apps.get_model("organisation", "Municipality"),
        apps.get_model("organisation", "CareArea"),
    )
    load_agreement(lambda name: apps.get_model(name) if "." in name else apps.get_model("agreement", name))


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs concurrent writers with row locks (PostgreSQL); SQLite serialises all writes",
)
@pytest.mark.django_db(transaction=True)
def test_two_officers_award_at_the_same_moment(reference_data: None, flow: dict[str, Any]) -> None:
    call_off, offer_a, offer_b = two_passing_offers(flow)
    officer_pk = flow["call_off_unit"].pk
    barrier = threading.Barrier(2)
    outcomes: dict[int, str] = {}

    def officer(offer_pk: int) -> None:
        from hyrkoll.accounts.models import User

        try:
            with translation.override("en"):
                user = User.objects.prefetch_related("role_assignments").get(pk=officer_pk)
                offer = Offer.objects.get(pk=offer_pk)
                barrier.wait(timeout=10)
                workflow.award(user, offer, deviation_reason="Samtidig tilldelning (test)")
            outcomes[offer_pk] = "awarded"
        except workflow.WorkflowError as error:
            outcomes[offer_pk] = f"refused: {error}"
        except Exception as error:  # reported in the assertion below
            outcomes[offer_pk] = f"error: {error!r}"
        finally:
            connection.close()

    threads = [threading.Thread(target=officer, args=(offer.pk,)) for offer in (offer_a, offer_b)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcome.split(":")[0] for outcome in outcomes.values()) == ["awarded", "refused"], outcomes
    assert Assignment.objects.filter(call_off=call_off).count() == 1
    winner = next(pk for pk, outcome in outcomes.items() if outcome == "awarded")
    assert Assignment.objects.get(call_off=call_off).offer_id == winner
    assert Offer.objects.filter(call_off=call_off, status=OfferStatus.AWARDED).count() == 1
    call_off.refresh_from_db()
    assert call_off.status == CallOffStatus.AWARDED
    assert Need.objects.get(pk=call_off.need_id).status == NeedStatus.AWARDED
