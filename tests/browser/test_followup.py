"""The national coordinator opens the Bemanningstrend dashboard (in Swedish), sees a chart drawn –
under the app's Content-Security-Policy – with its table beside it, drills down to a region and
opens the report with its generated summary."""

from __future__ import annotations

from typing import Any

import pytest

from conftest import PASSWORD
from hyrkoll.followup.tests.test_dashboards import add_costs

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_coordinator_follows_the_trend(live_server: Any, world: dict[str, Any], page: Any) -> None:
    add_costs()
    csp_violations: list[str] = []
    page.on(
        "console",
        lambda message: (
            csp_violations.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )

    page.goto(f"{live_server.url}/login/")
    page.get_by_label("Användarnamn").fill("coordinator")
    page.get_by_label("Lösenord").fill(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server.url}/")

    # The national dashboard: every chart is drawn, in colour, with its table beside it.
    page.goto(f"{live_server.url}/follow-up/")
    assert page.locator("html").get_attribute("lang") == "sv"
    chart = page.locator("#block-regions svg[role=img]")
    box = chart.bounding_box()
    assert box is not None and box["width"] > 300 and box["height"] > 150
    # Under style-src 'self' a blocked style attribute would leave the bars black (the SVG default).
    fills = page.eval_on_selector_all(
        "#block-yearly_hired svg path", "paths => paths.map(p => getComputedStyle(p).fill)"
    )
    assert "rgb(0, 85, 140)" in fills  # the bars' blue
    # Five charts and, for the national level, the forecast with its band (and the method below).
    assert page.locator("svg[role=img]").count() == 6
    assert page.locator("#block-forecast svg[role=img]").bounding_box()["width"] > 300
    assert page.locator("#forecast-method-heading").is_visible()
    table = page.locator("#table-regions")
    assert table.is_visible()
    assert "Västra Götalandsregionen" in table.inner_text()
    assert "4,30\xa0%" in table.inner_text()  # Swedish number format
    assert page.locator("#table-regions caption").count() == 1

    # Drill down: the region's name in the table leads to its dashboard.
    table.get_by_role("link", name="Västra Götalandsregionen").click()
    page.wait_for_url("**/follow-up/regions/14/?month=2025-06")
    assert "Västra Götalandsregionen" in page.get_by_role("heading", level=1).inner_text()
    region_chart = page.locator("#block-rolling12 svg[role=img]").bounding_box()
    assert region_chart is not None and region_chart["width"] > 300
    assert page.locator("#table-by_profession").is_visible()

    # The report for the default (last complete) half-year, with its summary.
    page.goto(f"{live_server.url}/follow-up/report/")
    summary = page.locator(".summary li")
    assert summary.count() >= 3
    assert "396\xa0000" in summary.first.inner_text()  # the nation's hired cost, 2025 H1
    assert page.locator("#block-regions svg[role=img]").bounding_box()["height"] > 150
    assert not csp_violations, csp_violations
