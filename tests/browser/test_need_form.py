"""The need form in the browser: once a profession is chosen, the competence list holds only that
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
