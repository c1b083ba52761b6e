"""A region sees nothing of another region; a supplier nothing of another supplier."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from hyrkoll.accounts.models import Role, RoleAssignment, User
from hyrkoll.audit.models import AuditEvent
from hyrkoll.consultants.models import Consultant
from hyrkoll.organisation.models import OrgUnit


def test_region_querysets_are_scoped(world: dict[str, Any]) -> None:
    admin_a = world["admin_a"]
    units = OrgUnit.objects.visible_to(admin_a)
    assert set(units.values_list("region__code", flat=True)) == {"14"}
    assert not units.filter(pk=world["units_b"]["care_unit"].pk).exists()
    users = User.objects.visible_to(admin_a)
    assert world["admin_b"] not in users
    assert world["supplier_user_a"] not in users
    assert world["orderer_a"] in users
    assert not RoleAssignment.objects.visible_to(admin_a).filter(user=world["admin_b"]).exists()


def test_supplier_sees_no_region_data_and_only_own_consultants(world: dict[str, Any]) -> None:
    supplier_user = world["supplier_user_a"]
    assert not OrgUnit.objects.visible_to(supplier_user).exists()
    assert list(Consultant.objects.visible_to(supplier_user)) == [world["consultant_a"]]
    assert list(User.objects.visible_to(supplier_user)) == [supplier_user]
    assert not Consultant.objects.visible_to(world["admin_a"]).exists()


def test_national_level_sees_everything(world: dict[str, Any]) -> None:
    coordinator = world["coordinator"]
    assert OrgUnit.objects.visible_to(coordinator).count() == OrgUnit.objects.count()
    assert Consultant.objects.visible_to(coordinator).count() == 2


@pytest.mark.parametrize("url_name", ["organisation:unit_detail", "organisation:unit_edit"])
def test_region_admin_cannot_open_other_regions_unit(
    client: Any, world: dict[str, Any], url_name: str
) -> None:
    client.force_login(world["admin_a"])
    response = client.get(reverse(url_name, args=[world["units_b"]["care_unit"].pk]))
    assert response.status_code in (403, 404)


def test_region_admin_cannot_change_other_regions_unit(client: Any, world: dict[str, Any]) -> None:
    unit = world["units_b"]["care_unit"]
    client.force_login(world["admin_a"])
    response = client.post(
        reverse("organisation:unit_edit", args=[unit.pk]),
        {"kind": "care_unit", "code": "HACK", "name": "Hacked", "is_active": "on"},
    )
    assert response.status_code in (403, 404)
    unit.refresh_from_db()
    assert unit.name == "Vårdcentral B"


def test_user_list_shows_only_own_region(client: Any, world: dict[str, Any]) -> None:
    client.force_login(world["admin_a"])
    response = client.get(reverse("accounts:users"))
    assert response.status_code == 200
    listed = {u.username for u in response.context["object_list"]}
    assert listed == {"admin.a", "orderer.a"}


@pytest.mark.parametrize("url_name", ["accounts:user_detail", "accounts:user_edit", "accounts:role_create"])
def test_region_admin_cannot_reach_other_regions_user(
    client: Any, world: dict[str, Any], url_name: str
) -> None:
    client.force_login(world["admin_a"])
    response = client.get(reverse(url_name, args=[world["admin_b"].pk]))
    assert response.status_code in (403, 404)


def test_region_admin_cannot_give_roles_to_other_regions_user(client: Any, world: dict[str, Any]) -> None:
    client.force_login(world["admin_a"])
    response = client.post(reverse("accounts:role_create", args=[world["admin_b"].pk]), {"role": "orderer"})
    assert response.status_code in (403, 404)
    assert not world["admin_b"].role_assignments.filter(role=Role.ORDERER).exists()


def test_region_admin_cannot_remove_other_regions_role(client: Any, world: dict[str, Any]) -> None:
    assignment = world["admin_b"].role_assignments.get()
    client.force_login(world["admin_a"])
    response = client.post(reverse("accounts:role_remove", args=[assignment.pk]))
    assert response.status_code in (403, 404)
    assert RoleAssignment.objects.filter(pk=assignment.pk).exists()


def test_role_limited_to_other_regions_unit_is_refused(client: Any, world: dict[str, Any]) -> None:
    client.force_login(world["admin_a"])
    response = client.post(
        reverse("accounts:role_create", args=[world["orderer_a"].pk]),
        {"role": "orderer", "org_unit": world["units_b"]["care_unit"].pk},
    )
    assert response.status_code == 200
    assert "org_unit" in response.context["form"].errors
    assert world["orderer_a"].role_assignments.count() == 1


def test_audit_trail_is_scoped_to_the_region(client: Any, world: dict[str, Any]) -> None:
    client.force_login(world["admin_b"])
    client.post(
        reverse("organisation:unit_edit", args=[world["units_b"]["care_unit"].pk]),
        {
            "kind": "care_unit",
            "parent": world["units_b"]["department"].pk,
            "code": "B-3",
            "name": "Vårdcentral B (ny)",
            "municipality": world["units_b"]["care_unit"].municipality_id,
            "care_area": world["units_b"]["care_unit"].care_area_id,
            "is_active": "on",
        },
    )
    assert AuditEvent.objects.filter(region=world["region_b"]).count() == 1
    assert not AuditEvent.objects.visible_to(world["admin_a"]).exists()
    client.force_login(world["admin_a"])
    response = client.get(reverse("audit:events"))
    assert response.status_code == 200
    assert list(response.context["object_list"]) == []
    assert AuditEvent.objects.visible_to(world["coordinator"]).count() == 1


def test_supplier_user_cannot_administer_users(client: Any, world: dict[str, Any]) -> None:
    client.force_login(world["supplier_user_a"])
    assert client.get(reverse("accounts:users")).status_code == 403
    assert client.get(reverse("organisation:unit_create")).status_code == 403
