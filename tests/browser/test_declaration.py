"""A region administrator files the region's declaration of intent for a joint procurement, with a
PDF decision document; the national coordinator then sees the live count one higher."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from conftest import PASSWORD
from hyrkoll.audit.models import AuditEvent
from hyrkoll.governance.models import Declaration, Procurement
from hyrkoll.organisation.models import Region

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(page: Any, live_server: Any, username: str) -> None:
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("Användarnamn").fill(username)
    page.get_by_label("Lösenord").fill(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server.url}/")


def test_region_files_declaration_and_national_count_updates(
    live_server: Any, world: dict[str, Any], page: Any, browser: Any, tmp_path: Path, settings: Any
) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    today = timezone.localdate()
    procurement = Procurement.objects.create(
        name="Nationell upphandling av hyrpersonal 2028",
        declaration_deadline=today + datetime.timedelta(days=21),
        starts_on=today + datetime.timedelta(days=120),
        min_regions=15,
        sub_areas="doctors,nurses",
    )
    # Twelve other regions have already declared that they join.
    for region in Region.objects.exclude(pk=world["region_a"].pk).order_by("code")[:12]:
        Declaration.objects.create(
            procurement=procurement,
            region=region,
            joins=True,
            sub_areas="doctors,nurses",
            decided_by="Regionstyrelsen",
            decided_on=today,
            filed_by=world["coordinator"],
        )
    detail = f"{live_server.url}/governance/procurements/{procurement.pk}/"
    pdf = tmp_path / "beslut.pdf"
    pdf.write_bytes(b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n")

    log_in(page, live_server, "admin.a")
    page.goto(detail)
    assert page.locator("html").get_attribute("lang") == "sv"
    assert page.locator("#joining-count").inner_text() == "12"
    page.locator(f'a[href="/governance/procurements/{procurement.pk}/declare/"]').click()
    page.wait_for_url("**/declare/")
    page.locator("#id_joins_0").check()  # joins
    page.locator('input[name="sub_areas"][value="doctors"]').check()
    page.locator("#id_decided_by").fill("Regionstyrelsen")
    page.locator("#id_decided_on").fill((today - datetime.timedelta(days=1)).isoformat())
    page.locator("#id_document").set_input_files(str(pdf))
    page.locator("form button.primary").click()
    page.wait_for_url(detail)
    assert page.locator(".messages .message").count() == 1
    assert page.locator("#joining-count").inner_text() == "13"

    declaration = Declaration.objects.get(procurement=procurement, region=world["region_a"])
    assert declaration.joins and declaration.sub_area_codes() == ["doctors"]
    assert declaration.document.read().startswith(b"%PDF-1.4")
    assert AuditEvent.objects.filter(object_id=str(declaration.pk), actor=world["admin_a"]).exists()

    # The national coordinator, in a session of their own, sees the count one higher.
    context = browser.new_context(locale="sv-SE")
    national = context.new_page()
    national.set_default_timeout(15_000)
    log_in(national, live_server, "coordinator")
    national.goto(detail)
    assert national.locator("#joining-count").inner_text() == "13"
    row = national.locator("#declarations tbody tr", has_text=world["region_a"].name)
    assert "Regionstyrelsen" in row.inner_text()
    # The national level may open the decision document.
    assert row.locator("a").count() == 1
    context.close()
