"""Suspensions: only the coordinator suspends; a suspended supplier gets no call-off, cannot offer
and cannot be awarded; after the suspension (or once lifted) it works again."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from hyrkoll.assignments.models import Assignment
from hyrkoll.audit.models import AuditAction, AuditEvent
from hyrkoll.compliance import services
from hyrkoll.compliance.models import Suspension
from hyrkoll.compliance.services import WorkflowError
from hyrkoll.ordering import workflow
from hyrkoll.ordering.models import CallOffRecipient, Offer, OfferStatus
from hyrkoll.ordering.tests.test_checks import offer_on, publish_need

D = datetime.timedelta


def suspend_b(cast: dict[str, Any], start: int = 0, end: int = 30) -> Suspension:
    today = timezone.localdate()
    return services.suspend(
        cast["coordinator"],
        cast["supplier_b"],
        today + D(days=start),
        today + D(days=end),
        "Tre viten under året",
    )


def test_suspended_supplier_gets_no_call_off_and_cannot_offer(cast: dict[str, Any]) -> None:
    suspend_b(cast)
    assert services.is_suspended(cast["supplier_b"], timezone.localdate())
    assert services.suspended_supplier_ids(timezone.localdate()) == {cast["supplier_b"].pk}
    call_off = publish_need(cast)
    recipients = set(CallOffRecipient.objects.filter(call_off=call_off).values_list("supplier_id", flat=True))
    assert recipients == {cast["supplier_a"].pk}
    with pytest.raises(WorkflowError, match="not sent to your company"):
        offer_on(cast, call_off, "consultant_b")


def test_supplier_suspended_after_publication_cannot_offer_or_be_awarded(cast: dict[str, Any]) -> None:
    call_off = publish_need(cast)
    offer = offer_on(cast, call_off, "consultant_b")
    suspension = suspend_b(cast)
    with pytest.raises(WorkflowError, match="suspended"):
        offer_on(cast, call_off, "consultant_b", licence_number=cast["consultant_b"].licence_number)
    with pytest.raises(WorkflowError, match="Bemanning B AB is suspended"):
        workflow.award(cast["call_off_unit"], offer)
    offer.refresh_from_db()
    assert offer.status == OfferStatus.SUBMITTED and not Assignment.objects.exists()
    # Lifted early: the award goes through.
    services.lift_suspension(cast["coordinator"], suspension, "Leverantören har vidtagit åtgärder")
    assert not services.is_suspended(cast["supplier_b"], timezone.localdate())
    assignment = workflow.award(cast["call_off_unit"], offer)
    assert assignment.supplier == cast["supplier_b"]
    assert (
        AuditEvent.objects.filter(
            content_type__model="suspension", object_id=str(suspension.pk), action=AuditAction.DECISION
        ).count()
        == 2
    )


def test_after_the_suspension_ends_the_supplier_receives_call_offs_again(cast: dict[str, Any]) -> None:
    suspension = suspend_b(cast)
    # The suspension ended yesterday (moved back in time).
    Suspension.objects.filter(pk=suspension.pk).update(
        starts_on=timezone.localdate() - D(days=30), ends_on=timezone.localdate() - D(days=1)
    )
    call_off = publish_need(cast)
    assert call_off.recipients.filter(supplier=cast["supplier_b"]).exists()
    offer = offer_on(cast, call_off, "consultant_b")
    assert Offer.objects.filter(pk=offer.pk).exists()


def test_future_suspension_does_not_apply_yet(cast: dict[str, Any]) -> None:
    suspend_b(cast, start=10, end=20)
    today = timezone.localdate()
    assert not services.is_suspended(cast["supplier_b"], today)
    assert services.is_suspended(cast["supplier_b"], today + D(days=10))
    assert not services.is_suspended(cast["supplier_b"], today + D(days=21))


@pytest.mark.parametrize("who", ["admin_a", "call_off_unit", "supplier_user_a"])
def test_only_the_coordinator_suspends(
    cast: dict[str, Any], who: str, client_for: Callable[..., Any]
) -> None:
    today = timezone.localdate()
    with pytest.raises(WorkflowError, match="Only the national coordinator"):
        services.suspend(cast[who], cast["supplier_b"], today, today + D(days=5), "x")
    assert client_for(cast[who]).get(reverse("compliance:suspension_create")).status_code == 403
    response = client_for(cast[who]).post(
        reverse("compliance:suspension_create"),
        {"supplier": cast["supplier_b"].pk, "starts_on": today, "ends_on": today + D(days=5), "reason": "x"},
    )
    assert response.status_code == 403 and not Suspension.objects.exists()


def test_overlapping_suspension_is_refused(cast: dict[str, Any]) -> None:
    suspend_b(cast)
    with pytest.raises(WorkflowError, match="already suspended"):
        suspend_b(cast, start=5, end=40)


def test_suspend_and_lift_through_the_pages(cast: dict[str, Any], client_for: Callable[..., Any]) -> None:
    client = client_for(cast["coordinator"])
    today = timezone.localdate()
    response = client.post(
        reverse("compliance:suspension_create"),
        {
            "supplier": cast["supplier_b"].pk,
            "starts_on": today,
            "ends_on": today + D(days=60),
            "reason": "Vite x3",
        },
    )
    assert response.status_code == 302
    suspension = Suspension.objects.get()
    response = client.post(
        reverse("compliance:suspension_lift", args=[suspension.pk]), {"reason": ""}, follow=True
    )
    assert "Reason: This field is required." in response.content.decode()
    suspension.refresh_from_db()
    assert suspension.lifted_on is None
    client.post(reverse("compliance:suspension_lift", args=[suspension.pk]), {"reason": "Rättat"})
    suspension.refresh_from_db()
    assert suspension.lifted_on == today and suspension.lift_reason == "Rättat"


@pytest.mark.parametrize(
    ("field", "value", "label"),
    [
        ("reason", "", "Reason"),
        ("ends_on", "2000-01-01", "Suspended until"),  # before the start
        ("starts_on", "bad", "Suspended from"),
    ],
)
def test_bad_input_names_the_field_and_changes_nothing(
    cast: dict[str, Any], client_for: Callable[..., Any], field: str, value: str, label: str
) -> None:
    today = timezone.localdate()
    data = {
        "supplier": cast["supplier_b"].pk,
        "starts_on": today,
        "ends_on": today + D(days=5),
        "reason": "Vite",
    }
    data[field] = value
    response = client_for(cast["coordinator"]).post(reverse("compliance:suspension_create"), data)
    assert response.status_code == 200 and f"{label}:" in response.content.decode()
    assert not Suspension.objects.exists()


def test_visibility(cast: dict[str, Any], client_for: Callable[..., Any]) -> None:
    suspend_b(cast)
    assert (
        "Bemanning B AB"
        in client_for(cast["call_off_unit"]).get(reverse("compliance:suspensions")).content.decode()
    )
    assert (
        "Bemanning B AB"
        in client_for(cast["supplier_user_b"]).get(reverse("compliance:suspensions")).content.decode()
    )
    other = client_for(cast["supplier_user_a"]).get(reverse("compliance:suspensions")).content.decode()
    assert "Tre viten under året" not in other
