"""Credential verification by the call-off unit, and a supplier's read-only view of its consultants."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from conftest import make_user
from hyrkoll.accounts.models import Role, Scope
from hyrkoll.agreement.models import Competence, Profession, SubArea
from hyrkoll.audit.models import AuditAction, AuditEvent
from hyrkoll.consultants.models import ConsultantCredential, CredentialSource
from hyrkoll.ordering.models import CallOff, Need, NeedReason, NeedStatus, Offer

D = datetime.date


def _offer(world: dict[str, Any], region_key: str, consultant_key: str, supplier_user_key: str) -> Offer:
    units = world["units_a" if region_key == "region_a" else "units_b"]
    competence = Competence.objects.get(code="spec_general_medicine")
    starts = timezone.localdate() + datetime.timedelta(days=30)
    need = Need.objects.create(
        region=world[region_key],
        unit=units["care_unit"],
        created_by=make_user(
            f"orderer.{region_key}.{consultant_key}", scope=Scope.REGION, region=world[region_key]
        ),
        profession=competence.profession,
        competence=competence,
        level=competence.level,
        starts_on=starts,
        ends_on=starts + datetime.timedelta(days=60),
        hours_per_week=Decimal(40),
        reason=NeedReason.VACANCY,
        status=NeedStatus.PUBLISHED,
    )
    call_off = CallOff.objects.create(
        need=need,
        region=world[region_key],
        sub_area=SubArea.objects.get(code="doctors"),
        published_at=timezone.now(),
        response_deadline=timezone.now() + datetime.timedelta(days=3),
    )
    consultant = world[consultant_key]
    return Offer.objects.create(
        call_off=call_off,
        supplier=consultant.supplier,
        consultant=consultant,
        available_from=starts,
        available_to=starts + datetime.timedelta(days=60),
        submitted_by=world[supplier_user_key],
    )


@pytest.fixture
def cast(world: dict[str, Any]) -> dict[str, Any]:
    """Consultant A is offered to region A, consultant B only to region B."""
    cast = {
        **world,
        "call_off_unit_a": make_user(
            "avrop.a", scope=Scope.REGION, region=world["region_a"], roles=(Role.CALL_OFF_UNIT,)
        ),
        "call_off_unit_b": make_user(
            "avrop.b", scope=Scope.REGION, region=world["region_b"], roles=(Role.CALL_OFF_UNIT,)
        ),
    }
    _offer(cast, "region_a", "consultant_a", "supplier_user_a")
    _offer(cast, "region_b", "consultant_b", "supplier_user_b")
    return cast


def _form_data(**overrides: Any) -> dict[str, Any]:
    data = {
        "licence_number": "100001",
        "profession": Profession.objects.get(code="doctor").pk,
        "competence": Competence.objects.get(code="spec_general_medicine").pk,
        "licensed_on": "2012-06-01",
        "specialist_since": "2018-03-01",
        "evidence_note": "Legitimation och specialistbevis kontrollerade mot HOSP",
    }
    data.update(overrides)
    return data


def _credentials() -> list[tuple[Any, ...]]:
    return list(
        ConsultantCredential.objects.order_by("pk").values_list("pk", "consultant_id", "licence_number")
    )


def test_the_call_off_unit_records_a_verified_credential(cast: dict[str, Any], client: Client) -> None:
    consultant = cast["consultant_a"]
    client.force_login(cast["call_off_unit_a"])

    response = client.post(reverse("consultants:credential_verify", args=[consultant.pk]), _form_data())

    assert response.status_code == 302
    credential = ConsultantCredential.objects.get()
    assert credential.consultant == consultant
    assert credential.source == CredentialSource.EVIDENCE
    assert credential.verified_by == cast["call_off_unit_a"]
    assert timezone.now() - credential.verified_at < datetime.timedelta(minutes=1)
    assert (credential.licensed_on, credential.specialist_since) == (D(2012, 6, 1), D(2018, 3, 1))
    [event] = AuditEvent.objects.filter(content_type__model="consultantcredential")
    assert (event.action, event.actor, event.region) == (
        AuditAction.CREATE,
        cast["call_off_unit_a"],
        cast["region_a"],
    )
    page = client.get(reverse("consultants:credential_verify", args=[consultant.pk]))
    assert "Legitimation och specialistbevis kontrollerade mot HOSP" in page.content.decode()
    listing = client.get(reverse("consultants:credentials"))
    assert [c.pk for c in listing.context["consultants"]] == [consultant.pk]


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        pytest.param({"evidence_note": ""}, "evidence_note", id="no-evidence"),
        pytest.param({"specialist_since": "2011-01-01"}, "specialist_since", id="specialist-before-licence"),
        pytest.param(
            {"specialist_since": ""}, "specialist_since", id="specialist-competence-without-certificate"
        ),
        pytest.param({"competence": "nurse_district"}, "competence", id="competence-of-other-profession"),
        pytest.param({"licensed_on": "2012-02-30"}, "licensed_on", id="bad-date"),
    ],
)
def test_an_invalid_credential_is_a_form_error(
    cast: dict[str, Any], client: Client, overrides: dict[str, str], field: str
) -> None:
    if overrides.get("competence"):
        overrides["competence"] = Competence.objects.get(code=overrides["competence"]).pk
    client.force_login(cast["call_off_unit_a"])

    response = client.post(
        reverse("consultants:credential_verify", args=[cast["consultant_a"].pk]), _form_data(**overrides)
    )

    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert _credentials() == []


def test_a_consultant_not_offered_to_the_region_is_not_found(cast: dict[str, Any], client: Client) -> None:
    client.force_login(cast["call_off_unit_a"])

    url = reverse("consultants:credential_verify", args=[cast["consultant_b"].pk])
    assert client.get(url).status_code == 404
    assert client.post(url, _form_data()).status_code == 404
    assert _credentials() == []
    listing = client.get(reverse("consultants:credentials"))
    assert cast["consultant_b"] not in listing.context["consultants"]


@pytest.mark.parametrize("who", ["admin_a", "orderer_a", "coordinator", "supplier_user_a"])
def test_only_the_call_off_unit_verifies(cast: dict[str, Any], client: Client, who: str) -> None:
    client.force_login(cast[who])

    url = reverse("consultants:credential_verify", args=[cast["consultant_a"].pk])
    assert client.get(url).status_code == 403
    assert client.post(url, _form_data()).status_code == 403
    assert client.get(reverse("consultants:credentials")).status_code == 403
    assert _credentials() == []


def test_suppliers_see_only_their_own_consultants_credentials(cast: dict[str, Any], client: Client) -> None:
    doctor = Profession.objects.get(code="doctor")
    for key, number in (("consultant_a", "111111"), ("consultant_b", "222222")):
        ConsultantCredential.objects.create(
            consultant=cast[key],
            licence_number=number,
            profession=doctor,
            licensed_on=D(2012, 6, 1),
            source=CredentialSource.EVIDENCE,
            verified_at=timezone.now(),
        )
    consultant_a = cast["consultant_a"]
    consultant_a.hlr_trained_on = D(2025, 2, 3)
    consultant_a.save()
    client.force_login(cast["supplier_user_a"])

    response = client.get(reverse("consultants:mine"))

    assert response.status_code == 200
    assert [c.pk for c in response.context["consultants"]] == [consultant_a.pk]
    body = response.content.decode()
    assert "111111" in body and "2025-02-03" in body
    assert "222222" not in body and "Bertil" not in body
    assert b"<form" not in response.content.split(b"<main", 1)[1]  # read-only


@pytest.mark.parametrize("who", ["call_off_unit_a", "admin_a", "coordinator"])
def test_mine_is_for_supplier_users(cast: dict[str, Any], client: Client, who: str) -> None:
    client.force_login(cast[who])
    assert client.get(reverse("consultants:mine")).status_code == 403
