"""A refusal, a missing page and a server error are Swedish pages in the normal layout, with a way on:
the menu (for a signed-in user) and a link to the start page – not Django's bare English pages."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client, RequestFactory
from django.utils import translation
from django.views.defaults import server_error

pytestmark = pytest.mark.django_db


@pytest.fixture
def orderer(world: dict[str, Any]) -> Client:
    client = Client()
    client.force_login(world["orderer_a"])
    return client


def _page(response: Any) -> str:
    return response.content.decode()


def test_a_refusal_is_a_swedish_page_with_the_menu_and_a_way_on(orderer: Client) -> None:
    response = orderer.get("/ordering/call-offs/")  # the call-off unit's list
    assert response.status_code == 403
    page = _page(response)
    assert "Du har inte behörighet till den här sidan" in page
    assert 'aria-label="Huvudmeny"' in page and 'href="/"' in page and "Till startsidan" in page
    assert '<html lang="sv">' in page


def test_a_missing_page_is_a_swedish_page_with_the_menu(orderer: Client) -> None:
    response = orderer.get("/finns-inte/")
    assert response.status_code == 404
    page = _page(response)
    assert "Sidan hittades inte" in page and 'aria-label="Huvudmeny"' in page and "Till startsidan" in page


def test_another_regions_need_is_the_same_missing_page(orderer: Client, world: dict[str, Any]) -> None:
    response = orderer.get("/ordering/needs/999999/")
    assert response.status_code == 404 and "Sidan hittades inte" in _page(response)


def test_a_server_error_is_a_swedish_page_without_the_request() -> None:
    request = RequestFactory().get("/")
    with translation.override("sv"):
        response = server_error(request)
    page = _page(response)
    assert response.status_code == 500
    assert "Något gick fel" in page and "Till startsidan" in page and "Hyrkoll" in page
