"""The need and offer forms in the browser: once a profession is chosen, the competence list holds only that
profession's competences (issue 15: it listed all 31)."""

from __future__ import annotations

from typing import Any

import pytest

from hyrkoll.agreement.models import Profession
from hyrkoll.ordering.tests.conftest import flow  # noqa: F401  (the cast of roles)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_competences_follow_the_profession(live_server: Any, login: Any, flow: dict[str, Any]) -> None:  # noqa: F811
    orderer = login("orderer.a")
    orderer.goto(f"{live_server.url}/ordering/needs/new/")
    groups = "Array.from(document.querySelectorAll('#id_competence optgroup')).filter(g => !g.hidden).map(g => g.label)"
    every = orderer.evaluate(groups)
    assert len(every) == Profession.objects.count() > 1  # before a choice: every profession's group
    for profession in Profession.objects.order_by("code"):
        orderer.select_option("#id_profession", str(profession.pk))
        assert orderer.evaluate(groups) == [profession.name]
    # A competence of the chosen profession stays chosen; one of another is cleared when it changes.
    doctor, nurse = Profession.objects.get(code="doctor"), Profession.objects.get(code="nurse")
    orderer.select_option("#id_profession", str(doctor.pk))
    orderer.select_option("#id_competence", str(flow["competence"].pk))
    orderer.select_option("#id_profession", str(nurse.pk))
    assert orderer.input_value("#id_competence") == ""


def test_the_offer_form_fills_in_the_consultants_record(
    live_server: Any,
    login: Any,
    flow: dict[str, Any],  # noqa: F811
) -> None:
    """Choosing a consultant fills licence number, competence and CPR training from the record;
    a value the user typed is kept (issue 15: the form asked again for what was on file)."""
    import datetime

    from hyrkoll.ordering.models import CallOff
    from hyrkoll.ordering.tests.test_views_supplier import published

    call_off: CallOff = published(flow)
    consultant = flow["consultant_a"]
    consultant.competence = flow["competence"]
    consultant.hlr_trained_on = datetime.date(2026, 3, 1)
    consultant.save()
    supplier = login(flow["supplier_user_a"].username)
    supplier.goto(f"{live_server.url}/ordering/supplier/call-offs/{call_off.pk}/offer/")
    assert supplier.input_value("#id_licence_number") == ""
    supplier.select_option("#id_consultant", str(consultant.pk))
    assert supplier.input_value("#id_licence_number") == consultant.licence_number
    assert supplier.input_value("#id_competence") == str(flow["competence"].pk)
    assert supplier.input_value("#id_hlr_trained_on") == "2026-03-01"
    assert supplier.is_visible("#personal-number-on-file")
    # typed by the user: kept when the consultant changes back and forth
    supplier.fill("#id_licence_number", "999999")
    supplier.select_option("#id_consultant", "")
    supplier.select_option("#id_consultant", str(consultant.pk))
    assert supplier.input_value("#id_licence_number") == "999999"
