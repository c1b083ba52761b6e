"""The list pages on a phone and on a desktop, with the realistic demo data.

- At 390 px wide every list page fits: the page itself never scrolls sideways (a wide table scrolls
  inside its own box, the filter fields shrink).
- At 1280 px a sortable column header is a link: clicking it sorts the list, ``aria-sort`` says
  which way, and clicking again turns the order round; the filters and the sort stay in the URL.

The demo data is loaded once for the module, committed so the live server's thread sees it (also on
PostgreSQL), and flushed at the end (the reference data of the data migrations is loaded again).
"""

from __future__ import annotations

import datetime
import os
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse
from pytest_django import DjangoDbBlocker

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

DEMO_SEED = 2026
DEMO_PASSWORD = "hyrkoll-demo"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}

#: Every list page, as a demo user who may open it (region A = Västra Götaland, supplier 45).
LIST_PAGES: dict[str, list[str]] = {
    "vgr.avropsenhet": [
        "ordering:needs",
        "ordering:call_offs",
        "assignments:list",
        "invoicing:list",
        "compliance:deviations",
        "compliance:suspensions",
        "compliance:purchases",
        "pool:members",
        "consultants:credentials",
    ],
    "leverantor.45": ["ordering:supplier_call_offs", "assignments:supplier_list", "invoicing:list"],
    "vgr.admin": ["accounts:users", "audit:events", "rules:list"],
    "vgr.controller": ["followup:imports"],
    "vgr.styrgrupp": [
        "governance:plans",
        "governance:decisions",
        "governance:hiring_stops",
        "governance:dispensations",
        "governance:procurements",
    ],
    "nationell.samordnare": [
        "ordering:needs",
        "audit:events",
        "accounts:users",
        "compliance:deviations",
        "governance:decisions",
        "agreement:suppliers",
        "agreement:accessions",
        "agreement:price_lists",
        "agreement:zones",
    ],
}

PAGE_WIDTH_JS = "() => document.documentElement.scrollWidth"
# For the failure message: the outermost elements that stick out on the right.
STICKING_OUT_JS = """
(limit) => {
  const out = [];
  for (const el of document.body.querySelectorAll('*')) {
    if (el.getBoundingClientRect().right <= limit) continue;
    if (el.parentElement && el.parentElement.getBoundingClientRect().right > limit) continue;
    out.push(el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + (el.className ? '.' + el.className : ''));
  }
  return out.slice(0, 5);
}
"""


@pytest.fixture(autouse=True)
def reference_data() -> None:
    """Replaces the browser conftest's per-test reload: the module's demo data stays loaded."""


def _load_reference_data() -> None:
    from django.apps import apps

    from hyrkoll.agreement.reference import load_reference_data as load_agreement
    from hyrkoll.governance.catalogue import load_catalogue
    from hyrkoll.organisation.reference import load_reference_data as load_organisation

    load_organisation(
        apps.get_model("organisation", "Region"),
        apps.get_model("organisation", "Municipality"),
        apps.get_model("organisation", "CareArea"),
    )
    load_agreement(lambda name: apps.get_model(name) if "." in name else apps.get_model("agreement", name))
    load_catalogue(apps.get_model("governance", "Measure"))


@pytest.fixture(scope="module")
def demo_url(django_db_setup: None, django_db_blocker: DjangoDbBlocker) -> Iterator[str]:
    """The demo data, committed, behind a live server of its own; flushed at the end."""
    from django.core.management import call_command
    from pytest_django.live_server_helper import LiveServer

    from hyrkoll.demo.generator import load_demo_data

    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with django_db_blocker.unblock():
        _load_reference_data()
        load_demo_data(DEMO_SEED, datetime.date.today())
        server = LiveServer("localhost")
        server._live_server_modified_settings.enable()
        try:
            yield server.url
        finally:
            server._live_server_modified_settings.disable()
            server.stop()
            call_command("flush", interactive=False, verbosity=0)
            _load_reference_data()


def _log_in(browser: Any, base: str, username: str, viewport: dict[str, int]) -> Any:
    context = browser.new_context(locale="sv-SE", viewport=viewport)
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(f"{base}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", DEMO_PASSWORD)
    page.press("#id_password", "Enter")
    page.wait_for_url(f"{base}/")
    return page


@pytest.mark.parametrize("persona", list(LIST_PAGES))
def test_no_list_page_scrolls_sideways_at_390_px(browser: Any, demo_url: str, persona: str) -> None:
    page = _log_in(browser, demo_url, persona, PHONE)
    too_wide = []
    try:
        for name in LIST_PAGES[persona]:
            response = page.goto(demo_url + reverse(name))
            assert response is not None and response.status == 200, (name, response and response.status)
            width = page.evaluate(PAGE_WIDTH_JS)
            if width > PHONE["width"]:
                too_wide.append(f"{name}: {width} px ({page.evaluate(STICKING_OUT_JS, PHONE['width'])})")
    finally:
        page.context.close()
    assert not too_wide, f"{persona}: pages wider than {PHONE['width']} px: {too_wide}"


def _aria_sort(page: Any, text: str) -> str | None:
    return page.locator("thead th", has=page.locator("a.sort", has_text=text)).get_attribute("aria-sort")


def test_a_sortable_header_sorts_and_says_so(browser: Any, demo_url: str) -> None:
    page = _log_in(browser, demo_url, "vgr.avropsenhet", DESKTOP)
    try:
        page.goto(demo_url + reverse("ordering:call_offs") + "?status=awarded")
        header = page.locator("thead a.sort").nth(4)  # the response deadline
        label = header.inner_text().strip()
        assert _aria_sort(page, label) is None
        header.click()
        page.wait_for_url("**sort=deadline**")
        assert _aria_sort(page, label) == "ascending"
        query = parse_qs(urlsplit(page.url).query)
        assert query["status"] == ["awarded"] and query["sort"] == ["deadline"]
        # By keyboard: the header is a link, Enter follows it.
        page.locator("thead a.sort").nth(4).focus()
        page.keyboard.press("Enter")
        page.wait_for_url("**sort=-deadline**")
        assert _aria_sort(page, label) == "descending"
        deadlines = page.locator("tbody tr td:nth-child(5)").all_inner_texts()
        assert deadlines == sorted(deadlines, reverse=True)
    finally:
        page.context.close()
