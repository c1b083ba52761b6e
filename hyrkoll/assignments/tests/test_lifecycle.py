"""Extension and cancellation of an assignment."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from hyrkoll.agreement.models import Price, PriceList, SupplierAdmission
from hyrkoll.assignments import services
from hyrkoll.assignments.models import (
    Assignment,
    AssignmentEvent,
    AssignmentEventKind,
    AssignmentPeriod,
    AssignmentStatus,
)
from hyrkoll.audit.services import history
from hyrkoll.ordering.models import Offer
from hyrkoll.ordering.workflow import WorkflowError

D = datetime.timedelta


def new_price_version(assignment: Assignment, valid_from: datetime.date, factor: Decimal) -> PriceList:
    old = assignment.price_list
    old.valid_to = valid_from - D(days=1)
    old.save()
    new = PriceList.objects.create(agreement=old.agreement, version="next", valid_from=valid_from)
    Price.objects.bulk_create(
        Price(
            price_list=new,
            level=p.level,
            zone=p.zone,
            hourly_sek=(p.hourly_sek * factor).quantize(Decimal("0.01")),
        )
        for p in old.prices.all()
    )
    return new


def test_extension_is_priced_from_the_list_in_force_on_its_start(
    flow: dict[str, Any], assignment: Assignment
) -> None:
    start = assignment.ends_on + D(days=1)
    new_list = new_price_version(assignment, start, Decimal("1.10"))
    new_end = assignment.ends_on + D(days=60)
    period = services.extend(flow["call_off_unit"], assignment, new_end, reason="Vakansen kvarstår")
    assignment.refresh_from_db()
    assert assignment.ends_on == new_end
    assert period.price_list == new_list
    expected = (assignment.hourly_price_sek * Decimal("1.10")).quantize(Decimal("0.01"))
    assert period.hourly_price_sek == expected != assignment.hourly_price_sek
    rows = services.periods(assignment)
    assert [(p.starts_on, p.hourly_price_sek) for p in rows] == [
        (assignment.starts_on, assignment.hourly_price_sek),
        (start, expected),
    ]
    assert services.hourly_price_on(assignment, start) == expected
    assert services.hourly_price_on(assignment, start - D(days=1)) == assignment.hourly_price_sek
    event = AssignmentEvent.objects.get(assignment=assignment)
    assert event.kind == AssignmentEventKind.EXTENSION and event.reason == "Vakansen kvarstår"
    assert event.data["hourly_price_sek"] == str(expected)
    assert history(assignment).filter(reason="Vakansen kvarstår").exists()


def test_extension_beyond_twelve_months_is_refused(flow: dict[str, Any], assignment: Assignment) -> None:
    limit = services.latest_end_allowed(assignment)
    assert limit == assignment.starts_on.replace(year=assignment.starts_on.year + 1) - D(days=1)
    with pytest.raises(WorkflowError, match="at most 12 months"):
        services.extend(flow["call_off_unit"], assignment, limit + D(days=1), reason="x")
    assert [p.kind for p in AssignmentPeriod.objects.filter(assignment=assignment)] == ["initial"]
    services.extend(flow["call_off_unit"], assignment, limit, reason="Till gränsen")
    assert Assignment.objects.get(pk=assignment.pk).ends_on == limit


def test_extension_refusals(flow: dict[str, Any], assignment: Assignment) -> None:
    end = assignment.ends_on
    with pytest.raises(WorkflowError, match="after the current end"):
        services.extend(flow["call_off_unit"], assignment, end, reason="x")
    with pytest.raises(WorkflowError, match="reason"):
        services.extend(flow["call_off_unit"], assignment, end + D(days=5), reason=" ")
    for who in ("orderer_a", "supplier_user_a", "verksamhetschef"):
        with pytest.raises(WorkflowError, match="call-off unit"):
            services.extend(flow[who], assignment, end + D(days=5), reason="x")
    SupplierAdmission.objects.filter(supplier=assignment.supplier).update(exited_on=timezone.localdate())
    with pytest.raises(WorkflowError, match="not admitted"):
        services.extend(flow["call_off_unit"], assignment, end + D(days=5), reason="x")
    assert Assignment.objects.get(pk=assignment.pk).ends_on == end
    assert not AssignmentEvent.objects.exists()


def test_stale_hlr_is_refused_unless_a_new_date_is_given(
    flow: dict[str, Any], assignment: Assignment
) -> None:
    start = assignment.ends_on + D(days=1)
    stale = start - D(days=400)
    # The HLR date known at the award (the offer's, kept on the awarded period) has gone stale.
    Offer.objects.filter(consultant=assignment.consultant).update(hlr_trained_on=stale)
    AssignmentPeriod.objects.filter(assignment=assignment).update(hlr_trained_on=stale)
    assignment.offer.refresh_from_db()
    new_end = assignment.ends_on + D(days=30)
    with pytest.raises(WorkflowError, match="more than 12 months"):
        services.extend(flow["call_off_unit"], assignment, new_end, reason="x")
    with pytest.raises(WorkflowError, match="future"):
        services.extend(
            flow["call_off_unit"],
            assignment,
            new_end,
            hlr_trained_on=timezone.localdate() + D(days=1),
            reason="x",
        )
    with pytest.raises(WorkflowError, match="more than 12 months"):
        services.extend(flow["call_off_unit"], assignment, new_end, hlr_trained_on=stale, reason="x")
    fresh = timezone.localdate() - D(days=10)
    period = services.extend(
        flow["call_off_unit"], assignment, new_end, hlr_trained_on=fresh, reason="Ny HLR"
    )
    assert period.hlr_trained_on == fresh
    assert services.known_hlr_date(assignment) == fresh


def test_short_notice_cancellation_computes_the_charge(flow: dict[str, Any], assignment: Assignment) -> None:
    today = timezone.localdate()
    # Awarded to start in 30 days: move it to start tomorrow so that days fall within the notice.
    Assignment.objects.filter(pk=assignment.pk).update(
        starts_on=today + D(days=1), ends_on=today + D(days=90)
    )
    assignment.refresh_from_db()
    effective = today + D(days=10)
    charge = services.cancel(flow["call_off_unit"], assignment, effective, "Verksamheten stänger")
    # Notice 10 days < 30: cancelled days within the notice are today+10 … today+29 = 20 days.
    price = assignment.hourly_price_sek
    value = (Decimal(40) * price * 20 / 7).quantize(Decimal("0.01"))
    assert charge.charged_days == 20
    assert charge.value_sek == value
    assert charge.charge_sek == (value / 2).quantize(Decimal("0.01"))
    stored = Assignment.objects.get(pk=assignment.pk)
    assert stored.status == AssignmentStatus.CANCELLED
    assert stored.cancelled_from == effective
    assert stored.ends_on == today + D(days=90)
    assert stored.cancellation_charge_sek == charge.charge_sek
    event = AssignmentEvent.objects.get(assignment=assignment, kind=AssignmentEventKind.CANCELLATION)
    assert event.data["charge_sek"] == str(charge.charge_sek)
    assert history(assignment).filter(reason="Verksamheten stänger").exists()
    with pytest.raises(WorkflowError, match="no longer be changed"):
        services.cancel(flow["call_off_unit"], assignment, effective, "igen")
    with pytest.raises(WorkflowError, match="no longer be changed"):
        services.extend(flow["call_off_unit"], assignment, stored.ends_on + D(days=5), reason="x")


def test_hand_computed_charge(flow: dict[str, Any], assignment: Assignment) -> None:
    today = timezone.localdate()
    Assignment.objects.filter(pk=assignment.pk).update(
        starts_on=today, ends_on=today + D(days=90), hourly_price_sek=Decimal("1000.00")
    )
    assignment.refresh_from_db()
    # 40 h × 1000 SEK × 14 days / 7 = 80 000; 50 % = 40 000 (days today+16 … today+29).
    charge = services.cancellation_charge(assignment, today + D(days=16), today)
    assert (charge.charged_days, charge.value_sek, charge.charge_sek) == (
        14,
        Decimal("80000.00"),
        Decimal("40000.00"),
    )


def test_long_notice_cancellation_has_no_charge(flow: dict[str, Any], assignment: Assignment) -> None:
    effective = timezone.localdate() + D(days=40)
    charge = services.cancel(flow["call_off_unit"], assignment, effective, "Behovet försvann")
    assert charge.charge_sek == 0 and charge.charged_days == 0
    assert Assignment.objects.get(pk=assignment.pk).cancellation_charge_sek == 0


def test_cancellation_refusals(flow: dict[str, Any], assignment: Assignment) -> None:
    today = timezone.localdate()
    with pytest.raises(WorkflowError, match="before today"):
        services.cancel(flow["call_off_unit"], assignment, today - D(days=1), "x")
    with pytest.raises(WorkflowError, match="after the assignment's end"):
        services.cancel(flow["call_off_unit"], assignment, assignment.ends_on + D(days=1), "x")
    with pytest.raises(WorkflowError, match="reason"):
        services.cancel(flow["call_off_unit"], assignment, today + D(days=40), "")
    with pytest.raises(WorkflowError, match="call-off unit"):
        services.cancel(flow["orderer_a"], assignment, today + D(days=40), "x")
    assert Assignment.objects.get(pk=assignment.pk).status == AssignmentStatus.ACTIVE


def test_a_supplier_suspended_when_the_extension_starts_is_refused(
    flow: dict[str, Any], assignment: Assignment
) -> None:
    from hyrkoll.compliance import services as compliance

    end = assignment.ends_on
    compliance.suspend(
        flow["coordinator"], assignment.supplier, end + D(days=1), end + D(days=60), "Tre viten under året"
    )
    with pytest.raises(WorkflowError, match="suspended"):
        services.extend(flow["call_off_unit"], assignment, end + D(days=5), reason="Fortsatt vakans")
    assert Assignment.objects.get(pk=assignment.pk).ends_on == end
