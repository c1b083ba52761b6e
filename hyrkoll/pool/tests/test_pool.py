"""The internal staffing pool: the call-off unit and region administrators manage their own
region's pool, everyone in the region reads it, and no region sees another's members."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from conftest import make_user
from hyrkoll.accounts.models import Role, Scope
from hyrkoll.agreement.models import Competence, CompetenceLevel, Profession
from hyrkoll.audit.models import AuditAction, AuditEvent
from hyrkoll.pool.models import PoolMember

D = datetime.date


@pytest.fixture
def cast(world: dict[str, Any]) -> dict[str, Any]:
    region_a = world["region_a"]
    return {
        **world,
        "call_off_unit_a": make_user(
            "avrop.a", scope=Scope.REGION, region=region_a, roles=(Role.CALL_OFF_UNIT,)
        ),
        "call_off_unit_b": make_user(
            "avrop.b", scope=Scope.REGION, region=world["region_b"], roles=(Role.CALL_OFF_UNIT,)
        ),
        "reader_a": make_user("lasare.a", scope=Scope.REGION, region=region_a, roles=(Role.READER,)),
    }


def _member(region: Any, first_name: str = "Sara", **fields: Any) -> PoolMember:
    values: dict[str, Any] = {
        "region": region,
        "first_name": first_name,
        "last_name": "Svensson",
        "profession": Profession.objects.get(code="nurse"),
        "level": CompetenceLevel.objects.get(code="nurse_high"),
        "available_from": D(2025, 1, 1),
    }
    values.update(fields)
    return PoolMember.objects.create(**values)


def _form_data(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "first_name": "Maja",
        "last_name": "Lind",
        "profession": Profession.objects.get(code="nurse").pk,
        "level": CompetenceLevel.objects.get(code="nurse_high").pk,
        "competence": Competence.objects.get(code="nurse_district").pk,
        "available_from": "2025-09-01",
        "available_to": "2025-12-31",
        "hours_per_week": "32",
        "is_active": "on",
        "note": "Distriktssköterska, Alingsås",
    }
    data.update(overrides)
    return data


def _state() -> list[tuple[Any, ...]]:
    return list(
        PoolMember.objects.order_by("pk").values_list("pk", "region_id", "first_name", "available_to")
    )


def _events() -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(content_type__model="poolmember").order_by("pk"))


@pytest.mark.parametrize("who", ["call_off_unit_a", "admin_a"])
def test_call_off_unit_and_region_admin_add_members_to_their_region(
    cast: dict[str, Any], client: Client, who: str
) -> None:
    client.force_login(cast[who])

    response = client.post(reverse("pool:member_create"), _form_data())

    assert response.status_code == 302
    member = PoolMember.objects.get(first_name="Maja")
    assert member.region == cast["region_a"]
    assert member.competence.code == "nurse_district"
    [event] = _events()
    assert (event.action, event.actor, event.region) == (AuditAction.CREATE, cast[who], cast["region_a"])


def test_editing_a_member_is_audited(cast: dict[str, Any], client: Client) -> None:
    member = _member(cast["region_a"])
    client.force_login(cast["call_off_unit_a"])

    response = client.post(
        reverse("pool:member_edit", args=[member.pk]),
        _form_data(first_name="Sara", last_name="Svensson", available_to="2026-06-30"),
    )

    assert response.status_code == 302
    member.refresh_from_db()
    assert member.available_to == D(2026, 6, 30)
    [event] = _events()
    assert event.action == AuditAction.UPDATE
    assert event.before["available_to"] is None and event.after["available_to"] == "2026-06-30"


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        pytest.param({"available_to": "2025-08-31"}, "available_to", id="to-before-from"),
        pytest.param({"level": "doctor_specialist_a"}, "level", id="level-of-other-sub-area"),
        pytest.param(
            {"competence": "spec_general_medicine"}, "competence", id="competence-of-other-profession"
        ),
        pytest.param({"hours_per_week": "0"}, "hours_per_week", id="no-hours"),
        pytest.param({"first_name": ""}, "first_name", id="no-name"),
    ],
)
def test_an_invalid_member_is_a_form_error(
    cast: dict[str, Any], client: Client, overrides: dict[str, str], field: str
) -> None:
    if "level" in overrides:
        overrides["level"] = CompetenceLevel.objects.get(code=overrides["level"]).pk
    if "competence" in overrides:
        overrides["competence"] = Competence.objects.get(code=overrides["competence"]).pk
    client.force_login(cast["admin_a"])

    response = client.post(reverse("pool:member_create"), _form_data(**overrides))

    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert PoolMember.objects.count() == 0
    assert _events() == []


@pytest.mark.parametrize("who", ["reader_a", "orderer_a", "coordinator", "supplier_user_a"])
def test_others_cannot_add_or_edit_members(cast: dict[str, Any], client: Client, who: str) -> None:
    member = _member(cast["region_a"])
    before = _state()
    client.force_login(cast[who])

    assert client.get(reverse("pool:member_create")).status_code == 403
    assert client.post(reverse("pool:member_create"), _form_data()).status_code == 403
    assert client.post(reverse("pool:member_edit", args=[member.pk]), _form_data()).status_code == 403
    assert _state() == before
    assert _events() == []


@pytest.mark.parametrize("who", ["call_off_unit_b", "admin_b"])
def test_region_b_cannot_edit_region_a_members(cast: dict[str, Any], client: Client, who: str) -> None:
    member = _member(cast["region_a"])
    before = _state()
    client.force_login(cast[who])

    assert client.get(reverse("pool:member_edit", args=[member.pk])).status_code == 404
    assert client.post(reverse("pool:member_edit", args=[member.pk]), _form_data()).status_code == 404
    assert _state() == before
    assert _events() == []


def test_region_b_does_not_see_region_a_members(cast: dict[str, Any], client: Client) -> None:
    _member(cast["region_a"], first_name="Alfa")
    _member(cast["region_b"], first_name="Beta")
    client.force_login(cast["call_off_unit_b"])

    response = client.get(reverse("pool:members"))

    assert [m.first_name for m in response.context["members"]] == ["Beta"]
    assert "Alfa" not in response.content.decode()


def test_readers_of_the_region_see_the_pool_read_only(cast: dict[str, Any], client: Client) -> None:
    _member(cast["region_a"])
    client.force_login(cast["reader_a"])

    response = client.get(reverse("pool:members"))

    assert response.status_code == 200
    assert len(response.context["members"]) == 1
    assert response.context["can_change"] is False
    assert reverse("pool:member_create") not in response.content.decode()


def test_suppliers_do_not_see_the_pool(cast: dict[str, Any], client: Client) -> None:
    _member(cast["region_a"])
    client.force_login(cast["supplier_user_a"])
    assert client.get(reverse("pool:members")).status_code == 403


def test_the_list_filters_by_profession_level_and_availability(cast: dict[str, Any], client: Client) -> None:
    region = cast["region_a"]
    nurse = _member(region, "Nurse", available_from=D(2025, 1, 1), available_to=D(2025, 6, 30))
    later = _member(region, "Later", available_from=D(2025, 9, 1))
    _member(region, "Inactive", is_active=False)
    doctor = _member(
        region,
        "Doctor",
        profession=Profession.objects.get(code="doctor"),
        level=CompetenceLevel.objects.get(code="doctor_specialist_a"),
    )
    client.force_login(cast["reader_a"])

    def names(**params: Any) -> set[str]:
        return {m.first_name for m in client.get(reverse("pool:members"), params).context["members"]}

    assert names() == {"Nurse", "Later", "Inactive", "Doctor"}
    assert names(profession=doctor.profession_id) == {"Doctor"}
    assert names(level=nurse.level_id) == {"Nurse", "Later", "Inactive"}
    assert names(on="2025-05-01") == {"Nurse", "Doctor"}
    assert names(on="2025-10-01") == {"Later", "Doctor"}
    assert names(on="2025-10-01", profession=later.profession_id) == {"Later"}
    assert names(on="not-a-date", profession="x") == {"Nurse", "Later", "Inactive", "Doctor"}
