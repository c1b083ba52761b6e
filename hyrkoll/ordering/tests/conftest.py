"""Fixtures for the ordering flow: region A (14) has acceded to the doctors' sub-area and has the
whole cast of roles; two suppliers are admitted with a consultant each who passes every check."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from conftest import make_user
from hyrkoll.accounts.models import DecisionLevel, Role, RoleAssignment, Scope
from hyrkoll.agreement.models import Competence, Profession, RegionAccession, SubArea
from hyrkoll.consultants.models import LicenceRegisterEntry
from hyrkoll.ordering.models import Need, NeedReason, Offer


@pytest.fixture
def flow(world: dict[str, Any]) -> dict[str, Any]:
    region = world["region_a"]
    doctors = SubArea.objects.get(code="doctors")
    RegionAccession.objects.create(region=region, sub_area=doctors, acceded_on=datetime.date(2024, 3, 1))
    cast: dict[str, Any] = dict(world)
    cast["call_off_unit"] = make_user(
        "avrop.a", scope=Scope.REGION, region=region, roles=(Role.CALL_OFF_UNIT,)
    )
    cast["steering"] = make_user(
        "styrgrupp.a", scope=Scope.REGION, region=region, roles=(Role.STEERING_GROUP,)
    )
    for name, level in (
        ("verksamhetschef", DecisionLevel.DEPARTMENT_HEAD),
        ("omradeschef", DecisionLevel.AREA_MANAGER),
        ("hsdirektor", DecisionLevel.HEALTH_DIRECTOR),
        ("regiondirektor", DecisionLevel.REGIONAL_DIRECTOR),
    ):
        user = make_user(f"{name}.a", scope=Scope.REGION, region=region)
        RoleAssignment.objects.create(user=user, role=Role.APPROVER, decision_level=level)
        cast[name] = user
    competence = Competence.objects.get(code="spec_general_medicine")
    cast["competence"] = competence
    today = timezone.localdate()
    for key in ("consultant_a", "consultant_b"):
        consultant = world[key]
        consultant.licence_number = f"10000{1 if key.endswith('a') else 2}"
        consultant.personal_number_hash = f"hash-{key}"
        consultant.save()
        LicenceRegisterEntry.objects.create(
            region=region,
            licence_number=consultant.licence_number,
            first_name=consultant.first_name,
            last_name=consultant.last_name,
            profession=Profession.objects.get(code="doctor"),
            competence=competence,
            licensed_on=today - datetime.timedelta(days=365 * 12),
            specialist_since=today - datetime.timedelta(days=365 * 5),
        )
    return cast


def make_need(flow: dict[str, Any], **overrides: Any) -> Need:
    start = timezone.localdate() + datetime.timedelta(days=30)
    fields: dict[str, Any] = {
        "unit": flow["units_a"]["care_unit"],
        "profession": Profession.objects.get(code="doctor"),
        "competence": flow["competence"],
        "starts_on": start,
        "ends_on": start + datetime.timedelta(days=90),
        "hours_per_week": Decimal(40),
        "reason": NeedReason.VACANCY,
    }
    fields.update(overrides)
    return Need(**fields)


def make_offer(flow: dict[str, Any], consultant_key: str = "consultant_a", **overrides: Any) -> Offer:
    consultant = flow[consultant_key]
    need_start = timezone.localdate() + datetime.timedelta(days=30)
    fields: dict[str, Any] = {
        "consultant": consultant,
        "licence_number": consultant.licence_number,
        "competence": flow["competence"],
        "hlr_trained_on": timezone.localdate() - datetime.timedelta(days=60),
        "available_from": need_start,
        "available_to": need_start + datetime.timedelta(days=90),
        "references": "Chef 1, 070-1111111\nChef 2, 070-2222222",
    }
    fields.update(overrides)
    return Offer(**fields)
