"""Fixtures: the ordering cast of region A (``flow``), English messages, clients per persona."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.utils import translation

from conftest import make_user
from hyrkoll.accounts.models import Role, Scope
from hyrkoll.ordering.tests.conftest import flow, make_need, make_offer  # noqa: F401


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    with translation.override("en"):
        yield


@pytest.fixture
def cast(flow: dict[str, Any]) -> dict[str, Any]:  # noqa: F811
    """The flow plus region B's call-off unit and a controller of region A."""
    people = dict(flow)
    people["call_off_unit_b"] = make_user(
        "avrop.b", scope=Scope.REGION, region=flow["region_b"], roles=(Role.CALL_OFF_UNIT,)
    )
    people["controller_a"] = make_user(
        "controller.a", scope=Scope.REGION, region=flow["region_a"], roles=(Role.CONTROLLER,)
    )
    return people


@pytest.fixture
def client_for() -> Callable[[Any], Client]:
    def make(user: Any) -> Client:
        client = Client()
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # messages are asserted in English
        client.force_login(user)
        return client

    return make
