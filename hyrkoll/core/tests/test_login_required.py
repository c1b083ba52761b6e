"""Anonymous visitors are sent to sign in on every page, whatever the page's own checks."""

from __future__ import annotations

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "path",
    ["/agreement/1/edit/", "/governance/measures/new/", "/rules/new/", "/account/users/", "/audit/"],
)
def test_a_page_whose_role_check_refuses_sends_an_anonymous_visitor_to_the_login(path: str) -> None:
    response = Client().get(path)
    assert response.status_code == 302
    assert response["Location"] == f"/login/?next={path}"


def test_the_login_page_the_language_switch_and_the_api_do_not_redirect() -> None:
    client = Client()
    assert client.get("/login/").status_code == 200
    assert client.post("/i18n/setlang/", {"language": "en", "next": "/login/"})["Location"] == "/login/"
    assert client.get("/api/v1/needs/").status_code == 401  # the API answers for itself


def test_oidc_is_not_routed_when_no_identity_provider_is_configured() -> None:
    # Its views answered 500 (ImproperlyConfigured) when OIDC was not set up.
    assert Client().get("/oidc/authenticate/").status_code == 404
