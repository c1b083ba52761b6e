"""Playwright driving Debian's chromium (no browser download: the machine has no internet)."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from typing import Any

import pytest

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    executable = shutil.which("chromium")
    if executable is None:
        pytest.fail("Debian's chromium is not installed: run `make browser` (make test does it).")
    # Playwright's sync API runs an event loop; Django must allow ORM calls from the test thread.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(locale="sv-SE")
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture
def login(browser: Any, live_server: Any) -> Iterator[Callable[[str], Any]]:
    """``login(username)``: a new Swedish browser session of that user on the live server, at the
    start page (every test user has the password ``conftest.PASSWORD``)."""
    from conftest import PASSWORD

    contexts = []

    def open_as(username: str) -> Any:
        context = browser.new_context(locale="sv-SE")
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15_000)
        page.goto(f"{live_server.url}/login/")
        page.fill("#id_username", username)
        page.fill("#id_password", PASSWORD)
        page.press("#id_password", "Enter")
        page.wait_for_url(f"{live_server.url}/")
        return page

    yield open_as
    for context in contexts:
        context.close()


@pytest.fixture(autouse=True)
def reference_data(transactional_db: Any) -> None:
    """Browser tests need a live server, so they run in transactional tests, and those flush the
    database afterwards, data migrations included. Load the reference data again (idempotent)."""
    from django.apps import apps

    from hyrkoll.agreement.reference import load_reference_data as load_agreement
    from hyrkoll.organisation.reference import load_reference_data as load_organisation

    load_organisation(
        apps.get_model("organisation", "Region"),
        apps.get_model("organisation", "Municipality"),
        apps.get_model("organisation", "CareArea"),
    )
    load_agreement(lambda name: apps.get_model(name) if "." in name else apps.get_model("agreement", name))
