"""Logging in, the role start page, lockout after repeated failures, API tokens."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.urls import reverse
from rest_framework.authtoken.models import Token

from conftest import PASSWORD


def test_login_lands_on_start_page_with_role_sections(client: Any, world: dict[str, Any]) -> None:
    response = client.post(reverse("login"), {"username": "admin.a", "password": PASSWORD}, follow=True)
    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == reverse("start")
    urls = [link.url_name for section in response.context["sections"] for link in section.links]
    assert "organisation:units" in urls and "accounts:users" in urls
    assert "agreement:price_list_create" not in urls


def test_coordinator_start_page_offers_agreement_management(client: Any, world: dict[str, Any]) -> None:
    client.force_login(world["coordinator"])
    response = client.get(reverse("start"))
    urls = [link.url_name for section in response.context["sections"] for link in section.links]
    assert "agreement:price_list_create" in urls and "agreement:zone_import" in urls
    assert "organisation:unit_create" not in urls


def test_supplier_start_page_has_no_region_administration(client: Any, world: dict[str, Any]) -> None:
    client.force_login(world["supplier_user_a"])
    response = client.get(reverse("start"))
    urls = [link.url_name for section in response.context["sections"] for link in section.links]
    assert "organisation:units" not in urls and "accounts:users" not in urls
    assert "agreement:price_lists" in urls


def test_anonymous_is_sent_to_login(client: Any, db: Any) -> None:
    response = client.get(reverse("start"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_repeated_failures_lock_the_account(client: Any, world: dict[str, Any]) -> None:
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        response = client.post(reverse("login"), {"username": "admin.a", "password": "wrong"})
    assert response.status_code in (403, 429)
    # Now even the right password is refused.
    response = client.post(reverse("login"), {"username": "admin.a", "password": PASSWORD})
    assert response.status_code in (403, 429)
    assert "_auth_user_id" not in client.session


def test_wrong_password_shows_form_error(client: Any, world: dict[str, Any]) -> None:
    response = client.post(reverse("login"), {"username": "admin.a", "password": "wrong"})
    assert response.status_code == 200
    assert response.context["form"].errors
    assert "_auth_user_id" not in client.session


def test_api_token_is_created_and_replaced(client: Any, world: dict[str, Any]) -> None:
    client.force_login(world["orderer_a"])
    client.post(reverse("accounts:token"))
    first = Token.objects.get(user=world["orderer_a"]).key
    client.post(reverse("accounts:token"))
    second = Token.objects.get(user=world["orderer_a"]).key
    assert first != second
    response = client.get(reverse("accounts:token"))
    assert second in response.content.decode()
