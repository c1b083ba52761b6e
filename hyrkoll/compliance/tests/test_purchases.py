"""Direct purchases: with a dispensation (an approved outside-agreement need) and without one;
the computed total and premium; the running total against the direct-award threshold; isolation
and bad input."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse

from hyrkoll.agreement.pricing import quote
from hyrkoll.audit.models import AuditAction, AuditEvent
from hyrkoll.compliance import services
from hyrkoll.compliance.models import DirectPurchase
from hyrkoll.compliance.services import WorkflowError
from hyrkoll.ordering.tests.test_off_agreement import FOUR_WEEKS, approved_outside, start

ORG_NO = "556036-0793"  # a valid organisation number


def without_dispensation(cast: dict[str, Any], **overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "unit": cast["units_a"]["care_unit"].pk,
        "level": cast["competence"].level_id,
        "explanation": "Hittad i huvudboken: jourläkare inhyrd direkt av kliniken utan dispens.",
        "supplier_name": "Läkarjouren Direkt AB",
        "supplier_org_no": ORG_NO,
        "hourly_price_sek": "1500",
        "starts_on": start().isoformat(),
        "ends_on": (start() + datetime.timedelta(days=FOUR_WEEKS - 1)).isoformat(),
        "hours_per_week": "40",
    }
    data.update(overrides)
    return data


def test_register_with_dispensation_computes_total_and_premium(cast: dict[str, Any]) -> None:
    need = approved_outside(cast, price=3000)
    purchase = services.register_purchase(
        cast["call_off_unit"], need=need, supplier_name=need.outside_supplier_name, supplier_org_no="5560360793",
        hourly_price_sek=Decimal(3000), starts_on=need.starts_on, ends_on=need.ends_on, hours_per_week=Decimal(40),
    )  # fmt: skip
    assert purchase.has_dispensation and purchase.supplier_org_no == ORG_NO
    # Four weeks × 40 h × 3 000 SEK.
    assert purchase.total_sek == Decimal("480000.00")
    price = quote(need.level, need.unit, need.starts_on)
    assert purchase.agreement_hourly_sek == price.hourly_sek
    assert purchase.premium_sek == Decimal("480000.00") - price.cost(
        need.starts_on, need.ends_on, Decimal(40)
    )
    assert (
        AuditEvent.objects.filter(content_type__model="directpurchase", action=AuditAction.CREATE).count()
        == 1
    )
    # Registered once only.
    with pytest.raises(WorkflowError, match="Dispensation"):
        services.register_purchase(
            cast["call_off_unit"], need=need, supplier_name="x", supplier_org_no=ORG_NO,
            hourly_price_sek=Decimal(1), starts_on=need.starts_on, ends_on=need.ends_on, hours_per_week=Decimal(1),
        )  # fmt: skip


def registered_and_pending(cast: dict[str, Any]) -> Any:
    """A registered purchase (480 000 kr) and an approved one not yet registered (140 000 kr); the first."""
    registered = approved_outside(cast, price=3000)
    services.register_purchase(
        cast["call_off_unit"], need=registered, supplier_name="A", supplier_org_no=ORG_NO,
        hourly_price_sek=Decimal(3000), starts_on=registered.starts_on, ends_on=registered.ends_on,
        hours_per_week=Decimal(40),
    )  # fmt: skip
    approved_outside(cast, price=3500, days=7)
    return registered


def test_running_total_against_the_threshold(cast: dict[str, Any], client_for: Callable[..., Any]) -> None:
    # 480 000 registered + 140 000 approved and not registered = 620 000 of 700 000: a warning.
    registered = registered_and_pending(cast)
    figures = services.purchase_year(cast["region_a"].pk, registered.starts_on.year)
    assert figures.registered_sek == Decimal("480000.00")
    assert figures.pending_sek == Decimal("140000.00")
    assert figures.threshold_sek == Decimal(700000)
    assert figures.share_of_threshold == Decimal("88.6")
    assert figures.warning and not figures.crossed
    page = (
        client_for(cast["call_off_unit"])
        .get(reverse("compliance:purchases"), {"year": registered.starts_on.year})
        .content.decode()
    )
    assert "Warning:" in page and "88.6" in page
    # A purchase found without dispensation takes it over the threshold: an error text.
    response = client_for(cast["call_off_unit"]).post(
        reverse("compliance:purchase_create"), without_dispensation(cast), follow=True
    )
    body = response.content.decode()
    assert "exceed the direct-award threshold" in body
    page = (
        client_for(cast["call_off_unit"])
        .get(reverse("compliance:purchases"), {"year": registered.starts_on.year})
        .content.decode()
    )
    assert "The direct-award threshold is crossed" in page and "No dispensation" in page


def test_national_overview_has_each_regions_own_figures(
    cast: dict[str, Any], client_for: Callable[..., Any]
) -> None:
    """The overview computes every region's figures at once: the same as the region's own."""
    registered = registered_and_pending(cast)
    year = registered.starts_on.year
    response = client_for(cast["coordinator"]).get(reverse("compliance:purchases"), {"year": year})
    figures = dict(response.context["figures"])
    assert figures == {cast["region_a"]: services.purchase_year(cast["region_a"].pk, year)}
    own = client_for(cast["call_off_unit"]).get(reverse("compliance:purchases"), {"year": year})
    assert own.context["own"] == figures[cast["region_a"]]
    assert [need.pk for need in own.context["pending"]] == [
        need.pk for need in services.eligible_needs(cast["region_a"].pk)
    ]


def test_orderer_registers_for_own_unit_only(cast: dict[str, Any], client_for: Callable[..., Any]) -> None:
    response = client_for(cast["orderer_a"]).post(
        reverse("compliance:purchase_create"), without_dispensation(cast)
    )
    assert response.status_code == 302
    purchase = DirectPurchase.objects.get()
    assert not purchase.has_dispensation and purchase.total_sek == Decimal("240000.00")
    # Region B's call-off unit cannot register for region A's unit.
    with pytest.raises(WorkflowError, match="Only the region's call-off unit"):
        services.register_purchase(
            cast["call_off_unit_b"], unit=cast["units_a"]["care_unit"], level=cast["competence"].level,
            explanation="x", supplier_name="x", supplier_org_no=ORG_NO, hourly_price_sek=Decimal(1),
            starts_on=start(), ends_on=start(), hours_per_week=Decimal(1),
        )  # fmt: skip


@pytest.mark.parametrize(
    ("field", "value", "label"),
    [
        ("supplier_org_no", "556036-0794", "Organisation number"),  # wrong check digit
        ("supplier_org_no", "12345", "Organisation number"),
        ("hourly_price_sek", "-100", "Hourly price (SEK)"),
        ("hourly_price_sek", "0", "Hourly price (SEK)"),
        ("ends_on", "2000-01-01", "End"),  # before the start
        ("explanation", "", "Explanation"),  # no dispensation, no explanation
        ("hours_per_week", "-1", "Hours per week"),
        ("supplier_name", "", "Supplier"),
    ],
)
def test_bad_input_names_the_field_and_changes_nothing(
    cast: dict[str, Any], client_for: Callable[..., Any], field: str, value: str, label: str
) -> None:
    response = client_for(cast["call_off_unit"]).post(
        reverse("compliance:purchase_create"), without_dispensation(cast, **{field: value})
    )
    assert response.status_code == 200
    assert f"{label}:" in response.content.decode()
    assert not DirectPurchase.objects.exists()
    assert not AuditEvent.objects.filter(content_type__model="directpurchase").exists()


def test_isolation(cast: dict[str, Any], client_for: Callable[..., Any]) -> None:
    client_for(cast["call_off_unit"]).post(reverse("compliance:purchase_create"), without_dispensation(cast))
    purchase = DirectPurchase.objects.get()
    year = {"year": purchase.starts_on.year}
    for who in ("admin_b", "call_off_unit_b"):
        client = client_for(cast[who])
        assert client.get(reverse("compliance:purchase_detail", args=[purchase.pk])).status_code == 404
        assert (
            "Läkarjouren Direkt AB" not in client.get(reverse("compliance:purchases"), year).content.decode()
        )
        assert (
            "Läkarjouren"
            not in client.get(reverse("compliance:purchases"), {**year, "format": "csv"}).content.decode()
        )
    supplier = client_for(cast["supplier_user_a"])
    assert supplier.get(reverse("compliance:purchases")).status_code == 403
    assert supplier.get(reverse("compliance:purchase_create")).status_code == 403
    assert client_for(cast["controller_a"]).get(reverse("compliance:purchase_create")).status_code == 403
    national = client_for(cast["coordinator"]).get(reverse("compliance:purchases"), year).content.decode()
    assert "Läkarjouren Direkt AB" in national
    xlsx = client_for(cast["coordinator"]).get(reverse("compliance:purchases"), {**year, "format": "xlsx"})
    assert xlsx.status_code == 200 and xlsx["Content-Disposition"].endswith('.xlsx"')
