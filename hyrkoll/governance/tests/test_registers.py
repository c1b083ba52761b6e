"""The registers: rules in force and their closed versions, dispensations granted by level, reason
and quarter; region isolation; downloads."""

from __future__ import annotations

import datetime
import io
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from hyrkoll.accounts.models import DecisionLevel
from hyrkoll.governance.tests.test_plans import gov  # noqa: F401 (fixture)
from hyrkoll.ordering.models import Decision, DecisionOutcome, Need, NeedReason, NeedStatus
from hyrkoll.ordering.tests.conftest import make_need
from hyrkoll.rules import services as rules
from hyrkoll.rules.models import RegionRule, RuleKind

pytestmark = pytest.mark.django_db


def _stop(region: Any, name: str, valid_from: datetime.date, **fields: Any) -> RegionRule:
    return RegionRule.objects.create(
        region=region,
        kind=fields.pop("kind", RuleKind.HIRING_STOP),
        name=name,
        decision_level=fields.pop("decision_level", DecisionLevel.HEALTH_DIRECTOR),
        valid_from=valid_from,
        **fields,
    )


def test_rules_in_force_and_history(client: Any, gov: dict[str, Any]) -> None:  # noqa: F811
    today = timezone.localdate()
    old = _stop(gov["region_a"], "Hyrstopp sjuksköterskor", today - datetime.timedelta(days=400))
    rules.replace_rule(
        gov["admin_a"], old, {"name": "Hyrstopp sjuksköterskor v2"}, today - datetime.timedelta(days=30)
    )
    _stop(
        gov["region_a"],
        "Beslutsnivå läkare",
        today - datetime.timedelta(days=10),
        kind=RuleKind.DECISION_LEVEL,
    )
    _stop(gov["region_b"], "Stockholms hyrstopp", today - datetime.timedelta(days=10))
    client.force_login(gov["reader_a"])
    response = client.get(reverse("governance:hiring_stops"))
    assert response.status_code == 200
    names = [r.name for r in response.context["in_force"]]
    assert sorted(names) == ["Beslutsnivå läkare", "Hyrstopp sjuksköterskor v2"]
    assert [r.name for r in response.context["ended"]] == ["Hyrstopp sjuksköterskor"]
    assert response.context["stops_in_force"] == 1
    assert "Stockholms hyrstopp" not in response.content.decode()
    # A region user cannot look at another region through the filter.
    assert (
        "Stockholms hyrstopp"
        not in client.get(reverse("governance:hiring_stops"), {"region": "01"}).content.decode()
    )
    text = client.get(reverse("governance:hiring_stops"), {"format": "csv"}).content.decode("utf-8-sig")
    assert "Hyrstopp sjuksköterskor v2" in text and "Hyrstopp sjuksköterskor," in text
    client.force_login(gov["national_reader"])
    everything = client.get(reverse("governance:hiring_stops")).content.decode()
    assert "Stockholms hyrstopp" in everything and "Beslutsnivå läkare" in everything
    only_b = client.get(reverse("governance:hiring_stops"), {"region": "01"}).content.decode()
    assert "Stockholms hyrstopp" in only_b and "Beslutsnivå läkare" not in only_b


def _dispensation(
    cast: dict[str, Any],
    reason: str,
    level: int | None,
    *,
    dispensation: bool = True,
    outcome: str = "approve",
) -> Decision:
    need = make_need({**cast, "competence": _competence()}, reason=reason)
    need.region = cast["region_a"]
    need.level = need.competence.level
    need.created_by = cast["orderer_a"]
    need.is_dispensation = dispensation
    need.status = NeedStatus.APPROVED
    need.save()
    return Decision.objects.create(
        need=need, level=level, outcome=outcome, reason="Akut läge", decided_by=cast["admin_a"]
    )


def _competence() -> Any:
    from hyrkoll.agreement.models import Competence

    return Competence.objects.get(code="spec_general_medicine")


def test_dispensations_by_level_reason_and_quarter(client: Any, gov: dict[str, Any]) -> None:  # noqa: F811
    _dispensation(gov, NeedReason.VACANCY, DecisionLevel.HEALTH_DIRECTOR)
    _dispensation(gov, NeedReason.VACANCY, DecisionLevel.HEALTH_DIRECTOR)
    old = _dispensation(gov, NeedReason.SICK_LEAVE, DecisionLevel.AREA_MANAGER)
    Decision.objects.filter(pk=old.pk).update(
        decided_at=timezone.make_aware(datetime.datetime(2024, 2, 10, 12))
    )
    _dispensation(
        gov, NeedReason.PEAK, DecisionLevel.DEPARTMENT_HEAD, dispensation=False
    )  # not a dispensation
    _dispensation(
        gov, NeedReason.PEAK, DecisionLevel.HEALTH_DIRECTOR, outcome=DecisionOutcome.REJECT
    )  # refused
    client.force_login(gov["reader_a"])
    response = client.get(reverse("governance:dispensations"))
    assert response.status_code == 200 and response.context["total"] == 3
    by_level, by_reason, by_quarter = response.context["tables"]
    assert dict((row[0], row[1]) for row in by_level.rows) == {
        str(DecisionLevel.AREA_MANAGER.label): 1,
        str(DecisionLevel.HEALTH_DIRECTOR.label): 2,
    }
    assert dict((row[0], row[1]) for row in by_reason.rows) == {
        str(NeedReason.VACANCY.label): 2,
        str(NeedReason.SICK_LEAVE.label): 1,
    }
    assert by_quarter.rows[0][0] == "2024 Q1" and by_quarter.rows[0][-1] == 1
    assert sum(row[-1] for row in by_quarter.rows) == 3
    # Region B sees none of region A's dispensations.
    client.force_login(gov["admin_b"])
    assert client.get(reverse("governance:dispensations")).context["total"] == 0
    # The national level sees them, and may filter.
    client.force_login(gov["coordinator"])
    assert client.get(reverse("governance:dispensations")).context["total"] == 3
    assert client.get(reverse("governance:dispensations"), {"region": "01"}).context["total"] == 0
    xlsx = client.get(reverse("governance:dispensations"), {"format": "xlsx"})
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(xlsx.content))
    assert len(workbook.worksheets) == 4
    listing = list(workbook.worksheets[3].iter_rows(values_only=True))
    assert len(listing) == 1 + 3
    csv = client.get(reverse("governance:dispensations"), {"format": "csv"}).content.decode("utf-8-sig")
    assert "Akut läge" in csv
    assert Need.objects.count() == 5


def test_supplier_refused_registers(client: Any, gov: dict[str, Any]) -> None:  # noqa: F811
    client.force_login(gov["supplier_user_a"])
    for name in ("hiring_stops", "dispensations", "decisions"):
        assert client.get(reverse(f"governance:{name}")).status_code == 403
