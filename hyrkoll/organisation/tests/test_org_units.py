"""Municipality and organisational-unit rules (model and database) and the organisation views."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse

from hyrkoll.audit.models import AuditAction, AuditEvent
from hyrkoll.organisation.models import CareArea, Municipality, OrgUnit, OrgUnitKind, Region


def _municipality(code: str) -> Municipality:
    return Municipality.objects.get(code=code)


def _first_municipality(region: Region) -> Municipality:
    municipality = Municipality.objects.filter(region=region).order_by("code").first()
    assert municipality is not None
    return municipality


def _unit_events(unit: OrgUnit, action: str) -> list[AuditEvent]:
    return list(
        AuditEvent.objects.filter(content_type__model="orgunit", object_id=str(unit.pk), action=action)
    )


# --- Municipality -----------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("zone", [0, 4])
def test_database_refuses_a_zone_outside_1_to_3(zone: int) -> None:
    municipality = _municipality("0180")
    municipality.zone = zone

    with pytest.raises(IntegrityError), transaction.atomic():
        municipality.save()

    assert _municipality("0180").zone == 1


@pytest.mark.django_db
def test_full_clean_reports_a_bad_zone_on_the_zone_field() -> None:
    municipality = _municipality("0180")
    municipality.zone = 4

    with pytest.raises(ValidationError) as caught:
        municipality.full_clean()

    assert "zone" in caught.value.message_dict


@pytest.mark.django_db
def test_database_refuses_a_municipality_without_zone() -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        Municipality.objects.filter(code="0180").update(zone=None)

    assert _municipality("0180").zone == 1


@pytest.mark.django_db
def test_full_clean_refuses_a_municipality_in_the_wrong_region() -> None:
    municipality = _municipality("0180")
    municipality.region = Region.objects.get(code="14")

    with pytest.raises(ValidationError) as caught:
        municipality.full_clean()

    assert "region" in caught.value.message_dict


@pytest.mark.django_db
def test_full_clean_accepts_the_reference_municipalities() -> None:
    for code in ("0180", "1480", "2584"):
        _municipality(code).full_clean()


# --- OrgUnit rules ----------------------------------------------------------------------------------


def test_database_refuses_a_care_unit_without_municipality(world: dict[str, Any]) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        OrgUnit.objects.create(
            region=world["region_a"],
            kind=OrgUnitKind.CARE_UNIT,
            parent=world["units_a"]["department"],
            code="A-X",
            name="Utan kommun",
            care_area=CareArea.objects.get(code="primary"),
        )

    assert not OrgUnit.objects.filter(code="A-X").exists()


def test_database_refuses_a_care_unit_without_care_area(world: dict[str, Any]) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        OrgUnit.objects.create(
            region=world["region_a"],
            kind=OrgUnitKind.CARE_UNIT,
            parent=world["units_a"]["department"],
            code="A-X",
            name="Utan vårdområde",
            municipality=_first_municipality(world["region_a"]),
        )

    assert not OrgUnit.objects.filter(code="A-X").exists()


def test_full_clean_names_the_missing_municipality_and_care_area(world: dict[str, Any]) -> None:
    unit = OrgUnit(
        region=world["region_a"],
        kind=OrgUnitKind.CARE_UNIT,
        parent=world["units_a"]["department"],
        code="A-X",
        name="Tom",
    )

    with pytest.raises(ValidationError) as caught:
        unit.full_clean()

    assert {"municipality", "care_area"} <= set(caught.value.message_dict)


def test_a_complete_care_unit_passes_full_clean(world: dict[str, Any]) -> None:
    unit = OrgUnit(
        region=world["region_a"],
        kind=OrgUnitKind.CARE_UNIT,
        parent=world["units_a"]["department"],
        code="A-X",
        name="Vårdcentral X",
        municipality=_municipality("1480"),
        care_area=CareArea.objects.get(code="somatic"),
    )

    unit.full_clean()
    unit.save()

    assert unit.zone == 1


@pytest.mark.parametrize(
    ("case", "field"),
    [
        ("parent_in_other_region", "parent"),
        ("municipality_in_other_region", "municipality"),
        ("care_unit_as_parent", "parent"),
        ("administration_with_parent", "parent"),
        ("department_without_parent", "parent"),
    ],
)
def test_full_clean_refuses_a_unit_that_breaks_the_tree_rules(
    world: dict[str, Any], case: str, field: str
) -> None:
    units_a, units_b = world["units_a"], world["units_b"]
    primary = CareArea.objects.get(code="primary")
    own_municipality = _first_municipality(world["region_a"])
    units = {
        "parent_in_other_region": OrgUnit(
            region=world["region_a"],
            kind=OrgUnitKind.DEPARTMENT,
            parent=units_b["administration"],
            code="A-X",
            name="X",
        ),
        "municipality_in_other_region": OrgUnit(
            region=world["region_a"],
            kind=OrgUnitKind.CARE_UNIT,
            parent=units_a["department"],
            code="A-X",
            name="X",
            municipality=_municipality("0180"),
            care_area=primary,
        ),
        "care_unit_as_parent": OrgUnit(
            region=world["region_a"],
            kind=OrgUnitKind.CARE_UNIT,
            parent=units_a["care_unit"],
            code="A-X",
            name="X",
            municipality=own_municipality,
            care_area=primary,
        ),
        "administration_with_parent": OrgUnit(
            region=world["region_a"],
            kind=OrgUnitKind.ADMINISTRATION,
            parent=units_a["administration"],
            code="A-X",
            name="X",
        ),
        "department_without_parent": OrgUnit(
            region=world["region_a"],
            kind=OrgUnitKind.DEPARTMENT,
            code="A-X",
            name="X",
        ),
    }

    with pytest.raises(ValidationError) as caught:
        units[case].full_clean()

    assert field in caught.value.message_dict


def test_a_unit_with_children_cannot_drop_to_their_level(world: dict[str, Any]) -> None:
    department = world["units_a"]["department"]
    department.kind = OrgUnitKind.CARE_UNIT
    department.municipality = _first_municipality(world["region_a"])
    department.care_area = CareArea.objects.get(code="primary")

    with pytest.raises(ValidationError) as caught:
        department.full_clean()

    assert "kind" in caught.value.message_dict


def test_a_unit_with_children_may_change_to_another_level_above_them(world: dict[str, Any]) -> None:
    department = world["units_a"]["department"]
    department.kind = OrgUnitKind.AREA

    department.full_clean()


def test_a_unit_code_is_unique_within_its_region(world: dict[str, Any]) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        OrgUnit.objects.create(
            region=world["region_a"], kind=OrgUnitKind.ADMINISTRATION, code="A-1", name="Dubblett"
        )

    assert OrgUnit.objects.filter(region=world["region_a"], code="A-1").count() == 1


def test_the_same_unit_code_may_be_used_in_another_region(world: dict[str, Any]) -> None:
    unit = OrgUnit(region=world["region_b"], kind=OrgUnitKind.ADMINISTRATION, code="A-1", name="Samma kod")

    unit.full_clean()
    unit.save()

    assert OrgUnit.objects.filter(code="A-1").count() == 2


def test_full_clean_reports_a_duplicate_code_in_the_region(world: dict[str, Any]) -> None:
    unit = OrgUnit(region=world["region_a"], kind=OrgUnitKind.ADMINISTRATION, code="A-1", name="Dubblett")

    with pytest.raises(ValidationError):
        unit.full_clean()


# --- Views ------------------------------------------------------------------------------------------


def _care_unit_post(world: dict[str, Any], **overrides: Any) -> dict[str, Any]:
    data = {
        "kind": OrgUnitKind.CARE_UNIT,
        "parent": world["units_a"]["department"].pk,
        "code": "A-NEW",
        "name": "Vårdcentral Ny",
        "municipality": _municipality("1480").pk,
        "care_area": CareArea.objects.get(code="primary").pk,
        "is_active": "on",
    }
    data.update(overrides)
    return data


def test_region_admin_creates_a_care_unit_and_it_is_audited(world: dict[str, Any], client: Client) -> None:
    client.force_login(world["admin_a"])

    response = client.post(reverse("organisation:unit_create"), _care_unit_post(world))

    unit = OrgUnit.objects.get(code="A-NEW")
    assert response.status_code == 302
    assert response["Location"] == reverse("organisation:unit_detail", args=[unit.pk])
    assert unit.region == world["region_a"]
    assert unit.parent == world["units_a"]["department"]
    assert unit.zone == 1
    [event] = _unit_events(unit, AuditAction.CREATE)
    assert event.actor == world["admin_a"]
    assert event.region == world["region_a"]
    assert event.after["code"] == "A-NEW"


def test_region_admin_sees_the_create_form(world: dict[str, Any], client: Client) -> None:
    client.force_login(world["admin_a"])

    response = client.get(reverse("organisation:unit_create"))

    assert response.status_code == 200
    form = response.context["form"]
    assert set(form.fields["municipality"].queryset.values_list("region__code", flat=True)) == {"14"}
    assert set(form.fields["parent"].queryset.values_list("region__code", flat=True)) == {"14"}


@pytest.mark.parametrize(
    ("field", "foreign"),
    [
        ("municipality", lambda world: _municipality("0180").pk),
        ("parent", lambda w: w["units_b"]["department"].pk),
    ],
)
def test_the_form_refuses_a_municipality_or_parent_of_another_region(
    world: dict[str, Any], client: Client, field: str, foreign: Any
) -> None:
    client.force_login(world["admin_a"])
    units_before = OrgUnit.objects.count()

    response = client.post(
        reverse("organisation:unit_create"), _care_unit_post(world, **{field: foreign(world)})
    )

    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert OrgUnit.objects.count() == units_before
    assert not AuditEvent.objects.filter(action=AuditAction.CREATE, content_type__model="orgunit").exists()


def test_the_form_refuses_a_duplicate_code_in_the_region(world: dict[str, Any], client: Client) -> None:
    client.force_login(world["admin_a"])

    response = client.post(reverse("organisation:unit_create"), _care_unit_post(world, code="A-3"))

    assert response.status_code == 200
    assert response.context["form"].errors
    assert OrgUnit.objects.filter(region=world["region_a"], code="A-3").count() == 1


def test_editing_a_unit_records_before_and_after(world: dict[str, Any], client: Client) -> None:
    unit = world["units_a"]["care_unit"]
    old_name = unit.name
    client.force_login(world["admin_a"])
    data = {
        "kind": unit.kind,
        "parent": unit.parent_id,
        "code": unit.code,
        "name": "Vårdcentral Omdöpt",
        "municipality": unit.municipality_id,
        "care_area": CareArea.objects.get(code="psychiatry").pk,
        "is_active": "on",
    }

    response = client.post(reverse("organisation:unit_edit", args=[unit.pk]), data)

    assert response.status_code == 302
    unit.refresh_from_db()
    assert unit.name == "Vårdcentral Omdöpt"
    [event] = _unit_events(unit, AuditAction.UPDATE)
    assert event.actor == world["admin_a"]
    assert event.region == world["region_a"]
    assert event.before["name"] == old_name
    assert event.after["name"] == "Vårdcentral Omdöpt"
    assert event.before["care_area_id"] == CareArea.objects.get(code="primary").pk
    assert event.after["care_area_id"] == CareArea.objects.get(code="psychiatry").pk


def test_the_edit_form_refuses_turning_a_parent_into_a_care_unit(
    world: dict[str, Any], client: Client
) -> None:
    department = world["units_a"]["department"]
    client.force_login(world["admin_a"])
    data = {
        "kind": OrgUnitKind.CARE_UNIT,
        "parent": department.parent_id,
        "code": department.code,
        "name": department.name,
        "municipality": _municipality("1480").pk,
        "care_area": CareArea.objects.get(code="primary").pk,
        "is_active": "on",
    }

    response = client.post(reverse("organisation:unit_edit", args=[department.pk]), data)

    assert response.status_code == 200
    assert "kind" in response.context["form"].errors
    department.refresh_from_db()
    assert department.kind == OrgUnitKind.DEPARTMENT
    assert not AuditEvent.objects.filter(content_type__model="orgunit").exists()


@pytest.mark.parametrize("view", ["organisation:unit_detail", "organisation:unit_edit"])
def test_region_admin_cannot_open_another_regions_unit(
    world: dict[str, Any], client: Client, view: str
) -> None:
    unit = world["units_b"]["care_unit"]
    client.force_login(world["admin_a"])

    response = client.get(reverse(view, args=[unit.pk]))

    assert response.status_code in (403, 404)


def test_region_admin_cannot_change_another_regions_unit(world: dict[str, Any], client: Client) -> None:
    unit = world["units_b"]["care_unit"]
    client.force_login(world["admin_a"])
    data = {
        "kind": unit.kind,
        "parent": unit.parent_id,
        "code": unit.code,
        "name": "Kapad",
        "municipality": unit.municipality_id,
        "care_area": unit.care_area_id,
    }

    response = client.post(reverse("organisation:unit_edit", args=[unit.pk]), data)

    assert response.status_code in (403, 404)
    unit.refresh_from_db()
    assert unit.name == "Vårdcentral B"
    assert unit.is_active
    assert not AuditEvent.objects.filter(content_type__model="orgunit").exists()


def test_orderer_cannot_create_units(world: dict[str, Any], client: Client) -> None:
    client.force_login(world["orderer_a"])
    units_before = OrgUnit.objects.count()

    get = client.get(reverse("organisation:unit_create"))
    post = client.post(reverse("organisation:unit_create"), _care_unit_post(world))

    assert get.status_code == 403
    assert post.status_code == 403
    assert OrgUnit.objects.count() == units_before


def test_orderer_sees_the_own_region_tree_without_change_link(world: dict[str, Any], client: Client) -> None:
    client.force_login(world["orderer_a"])

    response = client.get(reverse("organisation:units"))

    assert response.status_code == 200
    assert response.context["region"] == world["region_a"]
    assert response.context["unit_count"] == 3
    assert response.context["can_change"] is False
    assert "Vårdcentral A" in response.content.decode()
    assert "Vårdcentral B" not in response.content.decode()


def test_supplier_user_sees_no_units(world: dict[str, Any], client: Client) -> None:
    client.force_login(world["supplier_user_a"])

    tree = client.get(reverse("organisation:units"))
    detail = client.get(reverse("organisation:unit_detail", args=[world["units_a"]["care_unit"].pk]))

    assert tree.status_code == 200
    assert tree.context["unit_count"] == 0
    assert "Vårdcentral A" not in tree.content.decode()
    assert detail.status_code == 404


def test_coordinator_sees_any_region_tree_but_cannot_create(world: dict[str, Any], client: Client) -> None:
    client.force_login(world["coordinator"])
    units_before = OrgUnit.objects.count()

    tree = client.get(reverse("organisation:units"), {"region": "01"})
    get = client.get(reverse("organisation:unit_create"))
    post = client.post(reverse("organisation:unit_create"), _care_unit_post(world))

    assert tree.status_code == 200
    assert tree.context["region"] == world["region_b"]
    assert tree.context["unit_count"] == 3
    assert tree.context["can_change"] is False
    assert "Vårdcentral B" in tree.content.decode()
    assert get.status_code == 403
    assert post.status_code == 403
    assert OrgUnit.objects.count() == units_before


def test_anonymous_is_sent_to_login(db: Any, client: Client) -> None:
    response = client.get(reverse("organisation:units"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
