"""The admin shows the consultant models; imported rows are read-only there."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from hyrkoll.accounts.models import Scope, User
from hyrkoll.consultants.models import FormerEmployee


@pytest.fixture
def superuser(world: dict[str, Any]) -> User:
    return User.objects.create_superuser("root", "root@example.org", "x", scope=Scope.NATIONAL)


@pytest.mark.parametrize(
    "model", ["consultant", "consultantcredential", "licenceregisterentry", "formeremployee"]
)
def test_admin_lists_load(superuser: User, client: Client, model: str) -> None:
    client.force_login(superuser)
    assert client.get(reverse(f"admin:consultants_{model}_changelist")).status_code == 200


@pytest.mark.parametrize("model", ["licenceregisterentry", "formeremployee"])
def test_imported_rows_cannot_be_added_in_the_admin(superuser: User, client: Client, model: str) -> None:
    client.force_login(superuser)
    assert client.get(reverse(f"admin:consultants_{model}_add")).status_code == 403


def test_a_former_employee_shows_only_the_hash_and_date(
    superuser: User, client: Client, world: dict[str, Any]
) -> None:
    digest = "a" * 64
    employee = FormerEmployee.objects.create(
        region=world["region_a"], personal_number_hash=digest, employed_until=datetime.date(2025, 1, 31)
    )
    client.force_login(superuser)

    response = client.get(reverse("admin:consultants_formeremployee_change", args=[employee.pk]))

    assert response.status_code == 200
    assert digest in response.content.decode()
