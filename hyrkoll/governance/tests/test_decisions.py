"""The steering group's decision log: recorded by the steering group and region admins, audited,
follow-up not before the decision, links only to the same region's needs and plans."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from hyrkoll.audit.models import AuditAction, AuditEvent
from hyrkoll.governance.models import SteeringDecision
from hyrkoll.governance.tests.test_plans import gov  # noqa: F401 (fixture)
from hyrkoll.governance.tests.test_registers import _dispensation
from hyrkoll.ordering.models import NeedReason

pytestmark = pytest.mark.django_db


def _need_b(cast: dict[str, Any]) -> Any:
    decision = _dispensation(cast, NeedReason.VACANCY, None)
    need = decision.need
    need.region = cast["region_b"]
    need.unit = cast["units_b"]["care_unit"]
    need.save()
    return need


def test_record_and_edit_audited_with_links(client: Any, gov: dict[str, Any]) -> None:  # noqa: F811
    need_a = _dispensation(gov, NeedReason.VACANCY, None).need
    client.force_login(gov["steering_a"])
    response = client.post(
        reverse("governance:decision_create"),
        {
            "decided_on": "2025-05-01",
            "decision": "Dispens för sommaren",
            "basis": "Underlag",
            "follow_up_on": "2025-09-01",
            "needs": [need_a.pk],
            "plans": [gov["plan_a"].pk],
        },
    )
    assert response.status_code == 302
    decision = SteeringDecision.objects.get()
    assert decision.region == gov["region_a"] and decision.recorded_by == gov["steering_a"]
    assert list(decision.needs.all()) == [need_a] and list(decision.plans.all()) == [gov["plan_a"]]
    assert AuditEvent.objects.filter(object_id=str(decision.pk), action=AuditAction.CREATE).exists()
    listing = client.get(reverse("governance:decisions")).content.decode()
    assert "Dispens för sommaren" in listing and "Plan A" in listing and f"#{need_a.pk}" in listing
    client.force_login(gov["admin_a"])
    response = client.post(
        reverse("governance:decision_edit", args=[decision.pk]),
        {
            "decided_on": "2025-05-01",
            "decision": "Ändrat beslut",
            "follow_up_on": "",
            "plans": [gov["plan_a"].pk],
        },
    )
    assert response.status_code == 302
    decision.refresh_from_db()
    assert decision.decision == "Ändrat beslut" and decision.needs.count() == 0
    assert AuditEvent.objects.filter(object_id=str(decision.pk), action=AuditAction.UPDATE).exists()
    text = client.get(reverse("governance:decisions"), {"format": "csv"}).content.decode("utf-8-sig")
    assert "Ändrat beslut" in text and "Plan A" in text


def test_follow_up_before_decision_refused(client: Any, gov: dict[str, Any]) -> None:  # noqa: F811
    client.force_login(gov["steering_a"])
    before = AuditEvent.objects.count()
    response = client.post(
        reverse("governance:decision_create"),
        {"decided_on": "2025-05-01", "decision": "X", "follow_up_on": "2025-04-01"},
    )
    assert response.status_code == 200
    assert "The follow-up cannot be before the decision" in response.content.decode()
    assert not SteeringDecision.objects.exists() and AuditEvent.objects.count() == before
    with pytest.raises(IntegrityError), transaction.atomic():
        SteeringDecision.objects.create(
            region=gov["region_a"],
            decided_on="2025-05-01",
            follow_up_on="2025-04-01",
            decision="X",
            recorded_by=gov["steering_a"],
        )


def test_links_to_another_region_refused(client: Any, gov: dict[str, Any]) -> None:  # noqa: F811
    need_b = _need_b(gov)
    client.force_login(gov["steering_a"])
    for field, value in (("needs", need_b.pk), ("plans", gov["plan_b"].pk)):
        response = client.post(
            reverse("governance:decision_create"),
            {"decided_on": "2025-05-01", "decision": "X", field: [value]},
        )
        assert response.status_code == 200
        assert "Only call-offs, purchases and plans of your own region" in response.content.decode()
    assert not SteeringDecision.objects.exists()
    form = client.get(reverse("governance:decision_create")).context["form"]
    assert need_b not in form.fields["needs"].queryset and gov["plan_b"] not in form.fields["plans"].queryset


def test_who_records_and_who_sees(client: Any, gov: dict[str, Any]) -> None:  # noqa: F811
    decision = SteeringDecision.objects.create(
        region=gov["region_a"], decided_on="2025-05-01", decision="Beslut A", recorded_by=gov["steering_a"]
    )
    for who in ("reader_a", "controller_a", "orderer_a"):
        client.force_login(gov[who])
        assert client.get(reverse("governance:decision_create")).status_code == 403
        assert client.post(reverse("governance:decision_edit", args=[decision.pk]), {}).status_code == 403
        assert "Beslut A" in client.get(reverse("governance:decisions")).content.decode()
    client.force_login(gov["steering_b"])
    assert "Beslut A" not in client.get(reverse("governance:decisions")).content.decode()
    assert client.get(reverse("governance:decision_edit", args=[decision.pk])).status_code == 404
    client.force_login(gov["coordinator"])
    assert "Beslut A" in client.get(reverse("governance:decisions")).content.decode()
    assert client.get(reverse("governance:decision_create")).status_code == 403
