"""One need walked through the whole flow in the browser, as the different roles: the orderer,
the call-off unit (internal pool first), the approver, a supplier offering a consultant (checked
automatically) and the call-off unit awarding at the agreement price."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import timezone

from hyrkoll.assignments.models import Assignment
from hyrkoll.ordering.models import Need, NeedStatus, Offer
from hyrkoll.ordering.tests.conftest import flow  # noqa: F401  (the cast of roles)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_need_from_orderer_to_award(live_server: Any, login: Any, flow: dict[str, Any]) -> None:  # noqa: F811
    base = live_server.url
    start = timezone.localdate() + datetime.timedelta(days=30)
    end = start + datetime.timedelta(days=90)

    # 1. The orderer registers the need; the price comes from the price list.
    orderer = login("orderer.a")
    orderer.goto(f"{base}/ordering/needs/new/")
    orderer.select_option("#id_unit", str(flow["units_a"]["care_unit"].pk))
    orderer.select_option("#id_profession", str(flow["competence"].profession_id))
    orderer.select_option("#id_competence", str(flow["competence"].pk))
    orderer.fill("#id_starts_on", start.isoformat())
    orderer.fill("#id_ends_on", end.isoformat())
    orderer.fill("#id_hours_per_week", "40")
    orderer.select_option("#id_reason", "vacancy")
    orderer.locator("form button.primary").first.click()
    orderer.wait_for_url("**/ordering/needs/*/")
    need = Need.objects.get(unit=flow["units_a"]["care_unit"])
    assert need.estimated_hourly_price_sek is not None
    page_text = orderer.locator("main").inner_text().replace("\xa0", "").replace(" ", "")
    assert f"{need.estimated_hourly_price_sek:.0f}" in page_text
    orderer.locator("form[action$='/submit/'] button").click()
    orderer.wait_for_load_state()
    need.refresh_from_db()
    assert need.status == NeedStatus.INTERNAL_SEARCH

    # 2. The call-off unit checks the internal pool and records that it is exhausted.
    unit = login("avrop.a")
    unit.goto(f"{base}/ordering/needs/{need.pk}/")
    unit.fill("#exhaust_reason", "Bemanningspoolen har ingen specialist i allmänmedicin ledig.")
    unit.locator("form[action$='/internal-exhausted/'] button").click()
    unit.wait_for_load_state()
    need.refresh_from_db()
    assert need.status == NeedStatus.AWAITING_APPROVAL

    # 3. The head of department approves; the call-off goes to every admitted supplier.
    approver = login("verksamhetschef.a")
    approver.goto(f"{base}/ordering/needs/{need.pk}/")
    approver.select_option("#decision_outcome", "approve")
    approver.fill("#decision_reason", "Vakans, inga interna alternativ.")
    approver.locator("form[action$='/decide/'] button").click()
    approver.wait_for_load_state()
    need.refresh_from_db()
    assert need.status == NeedStatus.PUBLISHED
    call_off = need.call_off

    # 4. Supplier A offers its consultant; the checks run at once.
    supplier = login("supplier.a")
    supplier.goto(f"{base}/ordering/supplier/call-offs/")
    supplier.locator(f"a[href$='/supplier/call-offs/{call_off.pk}/']").first.click()
    supplier.locator(f"a[href$='/supplier/call-offs/{call_off.pk}/offer/']").first.click()
    consultant = flow["consultant_a"]
    supplier.select_option("#id_consultant", str(consultant.pk))
    supplier.fill("#id_licence_number", consultant.licence_number)
    supplier.select_option("#id_competence", str(flow["competence"].pk))
    supplier.fill("#id_hlr_trained_on", (timezone.localdate() - datetime.timedelta(days=30)).isoformat())
    supplier.fill("#id_available_from", start.isoformat())
    supplier.fill("#id_available_to", end.isoformat())
    supplier.fill("#id_references", "Verksamhetschef Eva Ek, 070-1111111\nEnhetschef Per Ås, 070-2222222")
    supplier.locator("form button.primary").first.click()
    supplier.wait_for_load_state()
    offer = Offer.objects.get(call_off=call_off, consultant=consultant)
    assert offer.checks_passed, list(offer.checks.values_list("code", "reason"))
    # Supplier B sees the call-off but not A's offer.
    other = login("supplier.b")
    other.goto(f"{base}/ordering/supplier/call-offs/{call_off.pk}/")
    assert consultant.last_name not in other.locator("main").inner_text()

    # 5. The call-off unit awards the top-ranked offer at the agreement price.
    unit.goto(f"{base}/ordering/needs/{need.pk}/")
    unit.locator(f"a[href$='/offers/{offer.pk}/award/']").click()
    unit.wait_for_url(f"**/offers/{offer.pk}/award/")  # the confirmation: nothing is awarded yet
    assert not Assignment.objects.filter(call_off=call_off).exists()
    unit.locator(f"form[action$='/offers/{offer.pk}/award/'] button.primary").click()
    unit.wait_for_url(f"**/ordering/needs/{need.pk}/")
    assignment = Assignment.objects.get(call_off=call_off)
    assert assignment.consultant == consultant
    assert assignment.hourly_price_sek == need.estimated_hourly_price_sek
    need.refresh_from_db()
    assert need.status == NeedStatus.AWARDED
    page_text = unit.locator("main").inner_text().replace("\xa0", "").replace(" ", "")
    assert consultant.last_name in page_text
    assert f"{assignment.hourly_price_sek:.0f}" in page_text
