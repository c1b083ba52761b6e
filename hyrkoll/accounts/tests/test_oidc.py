"""OIDC login (a region's IdP) matches existing users by e-mail and never creates users."""

from __future__ import annotations

from typing import Any

from django.test import override_settings

from hyrkoll.accounts.oidc import HyrkollOIDCBackend

OIDC = {
    "OIDC_RP_CLIENT_ID": "hyrkoll",
    "OIDC_RP_CLIENT_SECRET": "secret",
    "OIDC_OP_TOKEN_ENDPOINT": "https://idp.example/token",
    "OIDC_OP_USER_ENDPOINT": "https://idp.example/userinfo",
    "OIDC_OP_JWKS_ENDPOINT": "https://idp.example/jwks",
    "OIDC_RP_SIGN_ALGO": "RS256",
}


@override_settings(**OIDC)
def test_existing_active_user_is_matched_by_email(world: dict[str, Any]) -> None:
    user = world["orderer_a"]
    user.email = "Orderer.A@VGregion.example"
    user.save()
    backend = HyrkollOIDCBackend()
    assert list(backend.filter_users_by_claims({"email": "orderer.a@vgregion.example"})) == [user]
    user.is_active = False
    user.save()
    assert not backend.filter_users_by_claims({"email": "orderer.a@vgregion.example"}).exists()


@override_settings(**OIDC)
def test_unknown_person_gets_no_account(world: dict[str, Any]) -> None:
    backend = HyrkollOIDCBackend()
    assert not backend.filter_users_by_claims({"email": "stranger@example.se"}).exists()
    assert not backend.filter_users_by_claims({}).exists()
    assert backend.create_user({"email": "stranger@example.se"}) is None
