"""The password backend loads the signed-in user with their region and supplier."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import BACKEND_SESSION_KEY
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conftest import PASSWORD
from hyrkoll.accounts.backends import UserModelBackend
from hyrkoll.accounts.models import User

pytestmark = pytest.mark.django_db


def test_the_user_comes_with_region_and_supplier_in_one_query(world: dict[str, Any]) -> None:
    region_user = User.objects.get(username="admin.a")
    supplier_user = User.objects.exclude(supplier=None).first()
    assert supplier_user is not None

    with CaptureQueriesContext(connection) as queries:
        loaded = UserModelBackend().get_user(region_user.pk)
        label = loaded.owner_label if loaded else None
        supplier = UserModelBackend().get_user(supplier_user.pk)
        supplier_label = supplier.owner_label if supplier else None

    assert label == region_user.region.name
    assert supplier_label == supplier_user.supplier.name
    assert len(queries) == 2


def test_an_inactive_or_unknown_user_is_nobody(world: dict[str, Any]) -> None:
    user = User.objects.get(username="admin.a")
    user.is_active = False
    user.save(update_fields=["is_active"])

    assert UserModelBackend().get_user(user.pk) is None
    assert UserModelBackend().get_user(10**9) is None


def test_signing_in_keeps_this_backend_in_the_session(client: Any, world: dict[str, Any]) -> None:
    client.post(reverse("login"), {"username": "admin.a", "password": PASSWORD})

    assert client.session[BACKEND_SESSION_KEY] == "hyrkoll.accounts.backends.UserModelBackend"
    page = client.get(reverse("start"))
    assert page.status_code == 200
    assert page.wsgi_request.user.username == "admin.a"
