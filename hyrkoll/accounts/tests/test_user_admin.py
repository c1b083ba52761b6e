"""A region administrator maintains users and roles; every change is audited."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from hyrkoll.accounts.models import DecisionLevel, Role, RoleAssignment, Scope, User
from hyrkoll.audit.models import AuditAction, AuditEvent

NEW_PASSWORD = "a-long-enough-passphrase-42"


def test_region_admin_creates_user_in_own_region(client: Any, world: dict[str, Any]) -> None:
    client.force_login(world["admin_a"])
    response = client.post(
        reverse("accounts:user_create"),
        {
            "username": "ny.bestallare",
            "first_name": "Nils",
            "last_name": "Nilsson",
            "email": "nils@example.se",
            "title": "Enhetschef",
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
            # A region admin cannot choose another region: these fields are ignored.
            "scope": "national",
            "region": world["region_b"].pk,
        },
    )
    assert response.status_code == 302
    user = User.objects.get(username="ny.bestallare")
    assert (user.scope, user.region) == (Scope.REGION, world["region_a"])
    assert user.check_password(NEW_PASSWORD)
    event = AuditEvent.objects.get(object_id=str(user.pk), action=AuditAction.CREATE)
    assert event.actor == world["admin_a"] and event.region == world["region_a"]
    assert event.after["password"] == "(set)"


def test_bad_user_form_changes_nothing(client: Any, world: dict[str, Any]) -> None:
    client.force_login(world["admin_a"])
    count = User.objects.count()
    response = client.post(
        reverse("accounts:user_create"),
        {"username": "admin.a", "email": "", "password1": "short", "password2": "other"},
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert {"username", "email", "password2"} <= set(errors)
    assert User.objects.count() == count
    assert not AuditEvent.objects.exists()


def test_approver_needs_a_decision_level(client: Any, world: dict[str, Any]) -> None:
    client.force_login(world["admin_a"])
    url = reverse("accounts:role_create", args=[world["orderer_a"].pk])
    response = client.post(url, {"role": "approver"})
    assert response.status_code == 200
    assert "decision_level" in response.context["form"].errors
    response = client.post(
        url,
        {
            "role": "approver",
            "decision_level": DecisionLevel.AREA_MANAGER,
            "org_unit": world["units_a"]["department"].pk,
        },
    )
    assert response.status_code == 302
    assignment = world["orderer_a"].role_assignments.get(role=Role.APPROVER)
    assert assignment.decision_level == DecisionLevel.AREA_MANAGER
    assert AuditEvent.objects.filter(action=AuditAction.CREATE, object_id=str(assignment.pk)).exists()


def test_region_role_only_for_region_users(client: Any, world: dict[str, Any]) -> None:
    client.force_login(world["coordinator"])
    response = client.post(
        reverse("accounts:role_create", args=[world["supplier_user_a"].pk]), {"role": "orderer"}
    )
    assert response.status_code == 200
    assert "role" in response.context["form"].errors
    assert not world["supplier_user_a"].role_assignments.filter(role=Role.ORDERER).exists()


def test_region_admin_cannot_appoint_coordinator(client: Any, world: dict[str, Any]) -> None:
    client.force_login(world["admin_a"])
    client.post(reverse("accounts:role_create", args=[world["orderer_a"].pk]), {"role": "coordinator"})
    assert not RoleAssignment.objects.filter(role=Role.COORDINATOR, user=world["orderer_a"]).exists()


def test_removing_a_role_is_audited(client: Any, world: dict[str, Any]) -> None:
    assignment = world["orderer_a"].role_assignments.get()
    client.force_login(world["admin_a"])
    response = client.post(reverse("accounts:role_remove", args=[assignment.pk]))
    assert response.status_code == 302
    assert not world["orderer_a"].role_assignments.exists()
    event = AuditEvent.objects.get(action=AuditAction.DELETE)
    assert event.object_id == str(assignment.pk)
    assert event.before["role"] == "orderer"
    assert event.region == world["region_a"]


def test_deactivating_a_user_keeps_the_record(client: Any, world: dict[str, Any]) -> None:
    client.force_login(world["admin_a"])
    user = world["orderer_a"]
    response = client.post(
        reverse("accounts:user_edit", args=[user.pk]),
        {"first_name": "Olle", "last_name": "Ordrare", "email": "olle@example.se", "title": ""},
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.is_active is False
    event = AuditEvent.objects.get(action=AuditAction.UPDATE, object_id=str(user.pk))
    assert event.before["is_active"] is True and event.after["is_active"] is False


def test_user_scope_constraint_holds_in_the_database(world: dict[str, Any]) -> None:
    import pytest
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create_user(username="nowhere", scope=Scope.REGION)
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create_user(
            username="both", scope=Scope.SUPPLIER, supplier=world["supplier_a"], region=world["region_a"]
        )
