from __future__ import annotations

from typing import Any

from django.test import Client
from django.urls import reverse

from hyrkoll.accounts.models import Scope, User


def test_rules_and_pool_admin_lists_load(world: dict[str, Any], client: Client) -> None:
    client.force_login(User.objects.create_superuser("root", "root@example.org", "x", scope=Scope.NATIONAL))
    assert client.get(reverse("admin:rules_regionrule_changelist")).status_code == 200
    assert client.get(reverse("admin:rules_regionrule_add")).status_code == 200
    assert client.get(reverse("admin:pool_poolmember_changelist")).status_code == 200
