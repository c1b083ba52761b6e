"""A 390 px phone: the main menu folds away behind a "Menu" button (by mouse and by keyboard) and the
detail pages with wide tables – the invoice, the need, the assignment, a region's dashboard – never
scroll sideways; at 1280 px the menu is always shown and the button hidden; without JavaScript the
menu shows."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
from playwright.sync_api import expect

from conftest import PASSWORD
from hyrkoll.assignments.tests.conftest import award
from hyrkoll.followup.models import MetricKind, StaffingMetric
from hyrkoll.followup.tests.test_dashboards import add_costs
from hyrkoll.invoicing.models import Invoice
from hyrkoll.invoicing.tests.conftest import first_monday, line, report_week, send
from hyrkoll.ordering.tests.conftest import flow  # noqa: F401  (the cast of roles)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture
def invoiced(flow: dict[str, Any]) -> Invoice:  # noqa: F811
    """An awarded assignment of region A with a week of approved time, invoiced above the price."""
    assignment = award(flow)
    week = first_monday(assignment)
    report_week(flow, assignment, week, [8, 8, 8, 8, 8, 0, 0])
    price = assignment.hourly_price_sek + Decimal(25)
    send(flow, "MOBIL-1", [line(assignment, week, week + datetime.timedelta(days=4), 40, price)])
    return Invoice.objects.get(number="MOBIL-1")


@pytest.fixture
def phone(login: Any, flow: dict[str, Any]) -> Iterator[Any]:  # noqa: F811
    """The call-off unit of region A, signed in on a 390 px phone."""
    page = login("avrop.a")
    page.set_viewport_size(PHONE)
    page.reload()
    yield page


def no_sideways_scroll(page: Any) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], f"{page.url} is {width} px wide"


def menu_link(page: Any) -> Any:
    return page.locator("nav .nav a").first


def test_the_menu_is_folded_on_a_phone_and_opens_with_the_button(phone: Any, invoiced: Invoice) -> None:
    button = phone.locator("button.menu-toggle")
    assert button.is_visible() and button.get_attribute("aria-expanded") == "false"
    assert button.get_attribute("aria-controls") == "site-menu"
    assert not menu_link(phone).is_visible()
    assert not phone.locator(".who").is_visible()  # the user and log out fold away with the menu
    header = phone.locator(".site-header").bounding_box()
    assert header is not None and header["height"] < 100  # one row: the name and the button

    button.click()
    assert button.get_attribute("aria-expanded") == "true"
    assert menu_link(phone).is_visible() and phone.locator(".who button").is_visible()
    assert phone.locator("#language-select").is_visible()
    no_sideways_scroll(phone)
    button.click()
    assert button.get_attribute("aria-expanded") == "false" and not menu_link(phone).is_visible()

    # By keyboard: Enter opens, Tab reaches the first link, Escape closes and returns to the button,
    # Space opens again.
    button.focus()
    phone.keyboard.press("Enter")
    assert button.get_attribute("aria-expanded") == "true"
    phone.keyboard.press("Tab")
    assert phone.evaluate("document.activeElement.closest('.nav') !== null")
    phone.keyboard.press("Escape")
    assert button.get_attribute("aria-expanded") == "false"
    assert phone.evaluate("document.activeElement.classList.contains('menu-toggle')")
    phone.keyboard.press(" ")
    assert button.get_attribute("aria-expanded") == "true" and menu_link(phone).is_visible()

    # A link in the opened menu leads on; the next page starts with the menu folded again.
    phone.locator("nav .nav a[href='/invoices/']").click()
    phone.wait_for_url("**/invoices/")
    assert phone.locator("button.menu-toggle").get_attribute("aria-expanded") == "false"


def test_detail_pages_do_not_scroll_sideways_on_a_phone(
    phone: Any,
    login: Any,
    live_server: Any,
    flow: dict[str, Any],  # noqa: F811
    invoiced: Invoice,
) -> None:
    phone.goto(f"{live_server.url}/invoices/{invoiced.pk}/")
    lines = phone.locator("div.table-wrap[role=region]", has=phone.locator("table"))
    assert lines.count() >= 1 and lines.first.get_attribute("tabindex") == "0"
    assert phone.evaluate(
        "(el) => el.scrollWidth > el.clientWidth", lines.first.element_handle()
    )  # it scrolls
    no_sideways_scroll(phone)
    assignment = invoiced.lines.get().assignment
    phone.goto(f"{live_server.url}/ordering/needs/{assignment.call_off.need_id}/")
    assert phone.locator("main dl.facts").first.is_visible()
    no_sideways_scroll(phone)
    phone.goto(f"{live_server.url}/assignments/{assignment.pk}/")
    assert phone.locator("#periods-heading").is_visible()
    no_sideways_scroll(phone)

    add_costs()
    for current in (datetime.date(2025, 5, 1), datetime.date(2025, 6, 1)):
        StaffingMetric.objects.create(
            region=flow["region_a"], period=current, metric=MetricKind.SICK_LEAVE_PCT, value=Decimal("6.25")
        )
    coordinator = login("coordinator")
    coordinator.set_viewport_size(PHONE)
    coordinator.goto(f"{live_server.url}/follow-up/regions/14/")
    assert coordinator.locator("#block-metrics svg[role=img]").is_visible()
    # The facts stack (a term above its value) instead of spilling out of their box.
    facts = coordinator.locator("dl.key-figures").first
    term, value = facts.locator("dt").first.bounding_box(), facts.locator("dd").first.bounding_box()
    assert value["y"] >= term["y"] + term["height"] - 1
    box = facts.bounding_box()
    assert box["x"] + box["width"] <= 390
    # A chart keeps readable labels: it scrolls in its own box instead of shrinking.
    chart = coordinator.locator("#block-rolling12 figure.chart")
    assert chart.get_attribute("tabindex") == "0"
    assert coordinator.evaluate("(el) => el.scrollWidth > el.clientWidth", chart.element_handle())
    no_sideways_scroll(coordinator)


def test_the_menu_is_always_shown_on_a_wide_screen(login: Any, flow: dict[str, Any]) -> None:  # noqa: F811
    page = login("avrop.a")
    page.set_viewport_size(DESKTOP)
    assert not page.locator("button.menu-toggle").is_visible()
    assert menu_link(page).is_visible() and page.locator(".who").is_visible()
    # From a phone's width to a wide screen and back: shown, then folded again.
    page.set_viewport_size(PHONE)
    # Playwright's expect polls without eval (the pages' CSP forbids it, which wait_for_function needs)
    expect(page.locator(".menu-toggle")).to_have_attribute("aria-expanded", "false")
    assert not menu_link(page).is_visible()
    page.set_viewport_size(DESKTOP)
    expect(page.locator(".menu-toggle")).to_have_attribute("aria-expanded", "true")
    assert menu_link(page).is_visible()


def test_without_javascript_the_menu_shows_on_a_phone(
    browser: Any,
    live_server: Any,
    flow: dict[str, Any],  # noqa: F811
) -> None:
    context = browser.new_context(locale="sv-SE", java_script_enabled=False, viewport=PHONE)
    try:
        page = context.new_page()
        page.goto(f"{live_server.url}/login/")
        page.fill("#id_username", "avrop.a")
        page.fill("#id_password", PASSWORD)
        page.locator("form button[type=submit]").last.click()
        page.wait_for_url(f"{live_server.url}/")
        assert not page.locator("button.menu-toggle").is_visible()
        assert menu_link(page).is_visible() and page.locator(".who").is_visible()
        no_sideways_scroll(page)
    finally:
        context.close()
