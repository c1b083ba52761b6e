"""A region administrator logs in with the keyboard and adds a care unit to the organisation."""

from __future__ import annotations

from typing import Any

import pytest

from conftest import PASSWORD
from hyrkoll.audit.models import AuditEvent
from hyrkoll.organisation.models import OrgUnit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_region_admin_adds_care_unit(live_server: Any, world: dict[str, Any], page: Any) -> None:
    page.goto(f"{live_server.url}/")
    # Not logged in: the login page, in Swedish.
    assert page.locator("html").get_attribute("lang") == "sv"
    page.get_by_label("Användarnamn").fill("admin.a")
    page.get_by_label("Lösenord").fill(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server.url}/")
    assert "admin.a" in page.locator(".who").inner_text()

    page.goto(f"{live_server.url}/organisation/units/new/")
    page.get_by_label("Nivå").select_option("care_unit")
    page.get_by_label("Ingår i").select_option(label="Verksamhet A (A-2)")
    page.get_by_label("Kod").fill("A-99")
    page.get_by_label("Namn").fill("Vårdcentralen Testby")
    page.get_by_label("Vårdområde").select_option(label="Primärvård")
    # Submit with an invalid form first: no municipality → the error summary names the field.
    page.get_by_role("button", name="Spara").click()
    assert page.locator(".error-summary").is_visible()
    assert "Kommun" in page.locator(".error-summary").inner_text()
    assert not OrgUnit.objects.filter(code="A-99").exists()

    municipality = world["units_a"]["care_unit"].municipality
    page.get_by_label("Kommun").select_option(str(municipality.pk))
    page.get_by_role("button", name="Spara").click()
    page.wait_for_url("**/organisation/units/*/")
    assert page.get_by_role("heading", level=1).inner_text() == "Vårdcentralen Testby"

    unit = OrgUnit.objects.get(code="A-99")
    assert unit.region == world["region_a"] and unit.municipality == municipality
    assert AuditEvent.objects.filter(object_id=str(unit.pk), actor=world["admin_a"]).exists()

    # The tree shows the new unit, and region B's units are nowhere.
    page.goto(f"{live_server.url}/organisation/")
    tree = page.locator(".tree").inner_text()
    assert "Vårdcentralen Testby" in tree
    assert "Vårdcentral B" not in tree


def test_keyboard_user_can_skip_to_content(live_server: Any, world: dict[str, Any], page: Any) -> None:
    page.goto(f"{live_server.url}/login/")
    # The login form puts the cursor in the username field: no mouse needed to log in.
    assert page.evaluate("document.activeElement.name") == "username"
    page.keyboard.type("orderer.a")
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server.url}/")

    page.goto(f"{live_server.url}/agreement/zones/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    # The next Tab stop is the first control of the page's content, not the site menu.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "region"
