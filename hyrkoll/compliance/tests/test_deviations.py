"""Supplier deviations: recording, the escalation step over the last 12 months, withdrawal,
isolation between regions and suppliers, and bad input."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from hyrkoll.agreement.models import AgreementParameter, FrameworkAgreement, ParameterKey
from hyrkoll.audit.models import AuditAction, AuditEvent
from hyrkoll.compliance import services
from hyrkoll.compliance.models import DeviationKind, EscalationStep, SupplierDeviation
from hyrkoll.compliance.services import WorkflowError
from hyrkoll.lib.dates import shift_months

D = datetime.timedelta


def record(cast: dict[str, Any], days_ago: int = 1, *, who: str = "call_off_unit", supplier: str = "supplier_a",
           region: str = "region_a", kind: str = DeviationKind.LATE_DELIVERY) -> SupplierDeviation:  # fmt: skip
    return services.record_deviation(
        cast[who], cast[supplier], cast[region], kind, "Konsulten kom två dagar sent.",
        timezone.localdate() - D(days=days_ago),
    )  # fmt: skip


def test_record_is_audited(cast: dict[str, Any]) -> None:
    deviation = record(cast)
    assert deviation.recorded_by == cast["call_off_unit"]
    event = AuditEvent.objects.get(object_id=str(deviation.pk), content_type__model="supplierdeviation")
    assert event.action == AuditAction.CREATE and event.region_id == cast["region_a"].pk


def test_region_admin_records_too_and_can_link_an_assignment(cast: dict[str, Any]) -> None:
    from hyrkoll.assignments.tests.conftest import award

    assignment = award(cast)
    deviation = services.record_deviation(
        cast["admin_a"], cast["supplier_a"], cast["region_a"], DeviationKind.REQUIREMENTS_NOT_MET,
        "Saknade efterfrågad erfarenhet.", timezone.localdate(), assignment,
    )  # fmt: skip
    assert deviation.assignment == assignment
    # Another supplier's assignment cannot be linked.
    with pytest.raises(WorkflowError, match="Assignment"):
        services.record_deviation(
            cast["admin_a"], cast["supplier_b"], cast["region_a"], DeviationKind.OTHER, "x",
            timezone.localdate(), assignment,
        )  # fmt: skip


@pytest.mark.parametrize(
    ("count", "step"),
    [
        (0, EscalationStep.NONE),
        (1, EscalationStep.NOTED),
        (2, EscalationStep.NOTED),
        (3, EscalationStep.PENALTY),
        (4, EscalationStep.CONSIDER_SUSPENSION),
    ],
)
def test_escalation_steps_follow_the_agreement_parameter(count: int, step: str) -> None:
    assert services.escalation_step(count, 3) == step


def test_count_covers_twelve_months_and_skips_withdrawn(cast: dict[str, Any]) -> None:
    today = timezone.localdate()
    for days in (1, 30, 200):
        record(cast, days)
    old = record(cast, 1)
    SupplierDeviation.objects.filter(pk=old.pk).update(occurred_on=shift_months(today, -12))  # just outside
    withdrawn = record(cast, 5)
    services.withdraw_deviation(cast["call_off_unit"], withdrawn, "Registrerad på fel leverantör")
    record(cast, 3, supplier="supplier_b")
    counts = services.deviation_counts(SupplierDeviation.objects.all(), today)
    by_supplier = {c.supplier_name: c for c in counts}
    assert by_supplier["Bemanning A AB"].count == 3
    assert by_supplier["Bemanning A AB"].step == EscalationStep.PENALTY
    assert by_supplier["Bemanning B AB"].step == EscalationStep.NOTED
    # The withdrawn one is kept, marked, and audited.
    withdrawn.refresh_from_db()
    assert withdrawn.is_withdrawn and withdrawn.withdrawal_reason == "Registrerad på fel leverantör"
    assert AuditEvent.objects.filter(
        object_id=str(withdrawn.pk), content_type__model="supplierdeviation", action=AuditAction.UPDATE
    ).exists()


def test_the_parameter_in_force_decides(cast: dict[str, Any]) -> None:
    agreement = (
        FrameworkAgreement.objects.filter(starts_on__lte=timezone.localdate()).order_by("-starts_on").first()
    )
    AgreementParameter.objects.create(
        agreement=agreement, key=ParameterKey.DEVIATIONS_BEFORE_PENALTY, value=5,
        valid_from=timezone.localdate() - D(days=1),
    )  # fmt: skip
    for days in (1, 2, 3):
        record(cast, days)
    counts = services.deviation_counts(SupplierDeviation.objects.all(), timezone.localdate())
    assert counts[0].count == 3 and counts[0].step == EscalationStep.NOTED


def test_withdrawing_twice_is_refused(cast: dict[str, Any]) -> None:
    deviation = record(cast)
    services.withdraw_deviation(cast["call_off_unit"], deviation, "Fel")
    with pytest.raises(WorkflowError, match="already been withdrawn"):
        services.withdraw_deviation(cast["call_off_unit"], deviation, "Fel igen")


@pytest.mark.parametrize(
    "who", ["supplier_user_a", "orderer_a", "controller_a", "call_off_unit_b", "coordinator"]
)
def test_only_the_regions_call_off_unit_or_admin_records(cast: dict[str, Any], who: str) -> None:
    with pytest.raises(WorkflowError, match="Only the region's call-off unit"):
        record(cast, who=who)
    assert not SupplierDeviation.objects.exists()


def test_invoice_flow_may_record_without_the_role_but_only_in_its_region(cast: dict[str, Any]) -> None:
    deviation = services.record_deviation(
        cast["controller_a"], cast["supplier_a"], cast["region_a"], DeviationKind.INVOICE_ERROR,
        "Fakturan avvek från avtalat pris.", timezone.localdate(), enforce_role=False,
    )  # fmt: skip
    assert deviation.kind == DeviationKind.INVOICE_ERROR
    with pytest.raises(WorkflowError):
        services.record_deviation(
            cast["call_off_unit_b"], cast["supplier_a"], cast["region_a"], DeviationKind.INVOICE_ERROR,
            "x", timezone.localdate(), enforce_role=False,
        )  # fmt: skip


# --- pages ----------------------------------------------------------------------------------------------


def test_page_shows_counts_window_and_step(cast: dict[str, Any], client_for: Callable[..., Any]) -> None:
    for days in (1, 2, 3):
        record(cast, days)
    body = client_for(cast["call_off_unit"]).get(reverse("compliance:deviations")).content.decode()
    assert "last 12 months" in body
    assert "Contractual penalty (vite) due" in body
    assert reverse("compliance:deviation_create") in body


def test_record_through_the_form(cast: dict[str, Any], client_for: Callable[..., Any]) -> None:
    client = client_for(cast["call_off_unit"])
    response = client.post(
        reverse("compliance:deviation_create"),
        {"supplier": cast["supplier_a"].pk, "kind": DeviationKind.MISSING_DELIVERY,
         "occurred_on": timezone.localdate().isoformat(), "description": "Ingen konsult kom."},
    )  # fmt: skip
    deviation = SupplierDeviation.objects.get()
    assert response.status_code == 302 and deviation.kind == DeviationKind.MISSING_DELIVERY
    response = client.post(
        reverse("compliance:deviation_withdraw", args=[deviation.pk]), {"reason": "Dubblett"}
    )
    deviation.refresh_from_db()
    assert deviation.is_withdrawn


@pytest.mark.parametrize(
    ("field", "value", "label"),
    [
        ("description", "", "Description"),
        ("occurred_on", "2999-01-01", "Date"),
        ("occurred_on", "not a date", "Date"),
        ("supplier", "", "Supplier"),
    ],
)
def test_bad_input_names_the_field_and_changes_nothing(
    cast: dict[str, Any], client_for: Callable[..., Any], field: str, value: str, label: str
) -> None:
    data = {"supplier": cast["supplier_a"].pk, "kind": DeviationKind.OTHER,
            "occurred_on": timezone.localdate().isoformat(), "description": "Något hände."}  # fmt: skip
    data[field] = value
    response = client_for(cast["call_off_unit"]).post(reverse("compliance:deviation_create"), data)
    assert response.status_code == 200
    assert f"{label}:" in response.content.decode()
    assert not SupplierDeviation.objects.exists()


def test_withdrawal_without_reason_is_refused(cast: dict[str, Any], client_for: Callable[..., Any]) -> None:
    deviation = record(cast)
    response = client_for(cast["call_off_unit"]).post(
        reverse("compliance:deviation_withdraw", args=[deviation.pk]), {"reason": "  "}, follow=True
    )
    assert "Reason: This field is required." in response.content.decode()
    deviation.refresh_from_db()
    assert not deviation.is_withdrawn


def test_isolation_between_regions_and_suppliers(
    cast: dict[str, Any], client_for: Callable[..., Any]
) -> None:
    deviation = record(cast)
    detail = reverse("compliance:deviation_detail", args=[deviation.pk])
    for who in ("admin_b", "call_off_unit_b", "supplier_user_b"):
        client = client_for(cast[who])
        assert client.get(detail).status_code == 404
        page = client.get(reverse("compliance:deviations")).content.decode()
        assert "Konsulten kom två dagar sent" not in page
        csv = client.get(reverse("compliance:deviations"), {"format": "csv"}).content.decode()
        assert "Konsulten kom två dagar sent" not in csv
    # Region B cannot withdraw it either (404 before any change).
    response = client_for(cast["call_off_unit_b"]).post(
        reverse("compliance:deviation_withdraw", args=[deviation.pk]), {"reason": "x"}
    )
    assert response.status_code == 404
    # The supplier concerned reads it but cannot record or withdraw.
    supplier = client_for(cast["supplier_user_a"])
    assert supplier.get(detail).status_code == 200
    assert "Withdraw the deviation" not in supplier.get(detail).content.decode()
    assert supplier.get(reverse("compliance:deviation_create")).status_code == 403
    # The coordinator sees every region, with the national count.
    national = client_for(cast["coordinator"]).get(reverse("compliance:deviations")).content.decode()
    assert "Konsulten kom två dagar sent" in national and "all regions" in national


def test_supplier_cannot_post_a_deviation(cast: dict[str, Any], client_for: Callable[..., Any]) -> None:
    response = client_for(cast["supplier_user_a"]).post(
        reverse("compliance:deviation_create"),
        {"supplier": cast["supplier_b"].pk, "kind": DeviationKind.OTHER,
         "occurred_on": timezone.localdate().isoformat(), "description": "x"},
    )  # fmt: skip
    assert response.status_code == 403 and not SupplierDeviation.objects.exists()


def test_exports(cast: dict[str, Any], client_for: Callable[..., Any]) -> None:
    record(cast)
    client = client_for(cast["call_off_unit"])
    csv = client.get(reverse("compliance:deviations"), {"format": "csv"})
    assert csv["Content-Type"].startswith("text/csv") and "Bemanning A AB" in csv.content.decode("utf-8-sig")
    xlsx = client.get(reverse("compliance:deviations"), {"format": "xlsx"})
    assert xlsx["Content-Disposition"].endswith('.xlsx"')


def test_start_page_links(cast: dict[str, Any], client_for: Callable[..., Any]) -> None:
    region = client_for(cast["controller_a"]).get(reverse("start")).content.decode()
    for name in ("deviations", "suspensions", "purchases", "fidelity"):
        assert reverse(f"compliance:{name}") in region
    supplier = client_for(cast["supplier_user_a"]).get(reverse("start")).content.decode()
    assert reverse("compliance:deviations") in supplier and reverse("compliance:fidelity") not in supplier
