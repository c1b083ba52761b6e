"""Purchases outside the agreement and hiring stops: both are dispensations decided high up.

Outside the agreement: internal search → steering group review → the director of health care (or
higher, by rule) → approved, never published to the agreement's suppliers; the premium and the
region's running total against the direct-award threshold are shown to the decision-makers.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone, translation

from hyrkoll.accounts.models import DecisionLevel
from hyrkoll.agreement.models import Profession
from hyrkoll.ordering import workflow
from hyrkoll.ordering.models import (
    CallOff,
    Decision,
    DecisionOutcome,
    EventKind,
    Need,
    NeedReason,
    NeedStatus,
)
from hyrkoll.ordering.tests.conftest import make_need
from hyrkoll.rules.engine import OFF_AGREEMENT_LEVEL
from hyrkoll.rules.models import OffAgreementCondition, RegionRule, RuleKind

FOUR_WEEKS = 28


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    with translation.override("en"):
        yield


def start() -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=30)


def outside(flow: dict[str, Any], price: int = 3000, days: int = FOUR_WEEKS, **overrides: Any) -> Need:
    fields: dict[str, Any] = {
        "starts_on": start(),
        "ends_on": start() + datetime.timedelta(days=days - 1),
        "outside_agreement": True,
        "outside_supplier_name": "Direktläkarna i Väst AB",
        "outside_hourly_price_sek": Decimal(price),
        "outside_justification": "Ingen avtalsleverantör kan bemanna helgerna; akut patientsäkerhetsrisk.",
        **overrides,
    }
    return make_need(flow, **fields)


def to_steering(flow: dict[str, Any], need: Need) -> Need:
    need = workflow.save_draft(flow["orderer_a"], need)
    workflow.submit(flow["orderer_a"], need)
    workflow.exhaust_internal(flow["call_off_unit"], need, "Poolen och grannkliniker tillfrågade")
    return need


def approved_outside(flow: dict[str, Any], price: int, days: int = FOUR_WEEKS) -> Need:
    need = to_steering(flow, outside(flow, price, days))
    workflow.steering_review(flow["steering"], need, DecisionOutcome.APPROVE, "Tillstyrks")
    workflow.decide(flow["hsdirektor"], need, DecisionOutcome.APPROVE, "Dispens beviljas")
    assert need.status == NeedStatus.APPROVED
    return need


def test_outside_agreement_goes_through_steering_to_the_health_director(flow: dict[str, Any]) -> None:
    need = to_steering(flow, outside(flow))
    assert need.status == NeedStatus.STEERING_REVIEW
    assert need.required_level == DecisionLevel.HEALTH_DIRECTOR == OFF_AGREEMENT_LEVEL
    assert need.is_dispensation
    assert need.rule_outcome["steering_review"] is True
    rules_event = need.events.get(kind=EventKind.RULES)
    assert "steering group" in rules_event.text

    # Nobody decides before the steering group has reviewed it.
    for who in ("verksamhetschef", "hsdirektor", "regiondirektor"):
        with pytest.raises(workflow.WorkflowError):
            workflow.decide(flow[who], need, DecisionOutcome.APPROVE, "Ok")
    need.refresh_from_db()
    assert need.status == NeedStatus.STEERING_REVIEW

    review = workflow.steering_review(
        flow["steering"], need, DecisionOutcome.APPROVE, "Tillstyrks: akut risk"
    )
    assert review.is_steering_review and review.level is None
    assert need.status == NeedStatus.AWAITING_APPROVAL

    for who in ("verksamhetschef", "omradeschef"):
        with pytest.raises(workflow.WorkflowError, match="must be decided at the level"):
            workflow.decide(flow[who], need, DecisionOutcome.APPROVE, "Ok")
    need.refresh_from_db()
    assert need.status == NeedStatus.AWAITING_APPROVAL

    decision = workflow.decide(
        flow["hsdirektor"], need, DecisionOutcome.APPROVE, "Dispens för direktupphandling"
    )
    assert decision.level == DecisionLevel.HEALTH_DIRECTOR
    need.refresh_from_db()
    assert need.status == NeedStatus.APPROVED
    assert need.is_dispensation
    assert not CallOff.objects.filter(need=need).exists()
    kinds = list(need.events.values_list("kind", flat=True))
    assert EventKind.STEERING_REVIEW in kinds and EventKind.APPROVED in kinds
    assert EventKind.PUBLISHED not in kinds and EventKind.PUBLICATION_FAILED not in kinds
    # Nor can the call-off unit publish it to the agreement's suppliers afterwards.
    with pytest.raises(workflow.WorkflowError, match="not published"):
        workflow.publish(flow["call_off_unit"], need)
    assert not CallOff.objects.filter(need=need).exists()


@pytest.mark.parametrize(
    ("outcome", "status"),
    [(DecisionOutcome.REJECT, NeedStatus.REJECTED), (DecisionOutcome.RETURN, NeedStatus.RETURNED)],
)
def test_steering_group_can_stop_or_return_it(flow: dict[str, Any], outcome: str, status: str) -> None:
    need = to_steering(flow, outside(flow))
    workflow.steering_review(flow["steering"], need, outcome, "Använd avtalet")
    need.refresh_from_db()
    assert need.status == status
    assert Decision.objects.get(need=need).is_steering_review
    with pytest.raises(workflow.WorkflowError):
        workflow.decide(flow["hsdirektor"], need, DecisionOutcome.APPROVE, "Ok")


def test_a_rule_can_demand_the_regional_director_for_purchases_outside(flow: dict[str, Any]) -> None:
    RegionRule.objects.create(
        region=flow["region_a"], kind=RuleKind.DECISION_LEVEL, name="Direktupphandling: regiondirektören",
        decision_level=DecisionLevel.REGIONAL_DIRECTOR, off_agreement=OffAgreementCondition.OUTSIDE,
        valid_from=datetime.date(2024, 1, 1),
    )  # fmt: skip
    inside = workflow.save_draft(flow["orderer_a"], make_need(flow))
    workflow.submit(flow["orderer_a"], inside)
    workflow.exhaust_internal(flow["call_off_unit"], inside, "Inga interna")
    assert inside.required_level == DecisionLevel.DEPARTMENT_HEAD  # the rule is for outside only

    need = to_steering(flow, outside(flow))
    assert need.required_level == DecisionLevel.REGIONAL_DIRECTOR
    workflow.steering_review(flow["steering"], need, DecisionOutcome.APPROVE, "Tillstyrks")
    with pytest.raises(workflow.WorkflowError):
        workflow.decide(flow["hsdirektor"], need, DecisionOutcome.APPROVE, "Ok")
    workflow.decide(flow["regiondirektor"], need, DecisionOutcome.APPROVE, "Dispens")
    assert need.status == NeedStatus.APPROVED


# --- the premium and the direct-award threshold ------------------------------------------------------------


def test_value_and_premium(flow: dict[str, Any]) -> None:
    need = to_steering(flow, outside(flow, price=3000))
    figures = workflow.off_agreement_figures(need)
    # 28 days = 4 weeks × 40 h × 3000 SEK
    assert figures.value_sek == Decimal("480000.00")
    assert need.estimated_cost_sek == 4 * 40 * need.estimated_hourly_price_sek
    assert figures.premium_sek == figures.value_sek - need.estimated_cost_sek
    assert figures.premium_sek > 0
    assert figures.threshold_sek == Decimal(700000)
    assert figures.year_total_sek == 0
    assert figures.share_of_threshold == pytest.approx(Decimal("68.57"), abs=Decimal("0.01"))
    assert not figures.warning and not figures.crosses


def test_premium_is_negative_when_the_outside_price_is_lower(flow: dict[str, Any]) -> None:
    need = to_steering(flow, outside(flow, price=500))
    figures = workflow.off_agreement_figures(need)
    assert figures.value_sek == Decimal("80000.00")
    assert figures.premium_sek < 0


def test_value_counts_part_weeks(flow: dict[str, Any]) -> None:
    need = to_steering(flow, outside(flow, price=1000, days=10, hours_per_week=Decimal(35)))
    # 10/7 weeks × 35 h × 1000 SEK = 50 000 SEK
    assert workflow.off_agreement_figures(need).value_sek == Decimal("50000.00")


def test_running_total_warning_and_crossing(flow: dict[str, Any]) -> None:
    need = to_steering(flow, outside(flow, price=3000))  # 480 000
    approved_outside(flow, price=875)  # 4 × 40 × 875 = 140 000
    # Neither an outside need still under review nor another region's purchase counts.
    to_steering(flow, outside(flow, price=900))
    Need.objects.create(
        region=flow["region_b"], unit=flow["units_b"]["care_unit"], created_by=flow["admin_b"],
        profession=need.profession, competence=need.competence, level=need.level, starts_on=need.starts_on,
        ends_on=need.ends_on, hours_per_week=40, reason=NeedReason.VACANCY, outside_agreement=True,
        outside_supplier_name="X AB", outside_hourly_price_sek=Decimal(5000), outside_justification="x",
        status=NeedStatus.APPROVED,
    )  # fmt: skip
    figures = workflow.off_agreement_figures(need)
    assert figures.year_total_sek == Decimal("140000.00")
    assert figures.share_of_threshold == pytest.approx(Decimal("88.57"), abs=Decimal("0.01"))
    assert figures.warning and not figures.crosses

    approved_outside(flow, price=875)
    figures = workflow.off_agreement_figures(need)
    assert figures.year_total_sek == Decimal("280000.00")
    assert figures.warning and figures.crosses

    # Once approved, the need itself is not counted twice.
    workflow.steering_review(flow["steering"], need, DecisionOutcome.APPROVE, "Tillstyrks")
    workflow.decide(flow["hsdirektor"], need, DecisionOutcome.APPROVE, "Dispens")
    assert workflow.off_agreement_figures(need).year_total_sek == Decimal("280000.00")
    assert workflow.approved_off_agreement_total(flow["region_a"].pk, need.starts_on.year) == Decimal(
        "760000.00"
    )


def test_purchases_of_another_year_do_not_count(flow: dict[str, Any]) -> None:
    need = to_steering(flow, outside(flow, price=3000))
    earlier = approved_outside(flow, price=875)
    Need.objects.filter(pk=earlier.pk).update(
        starts_on=earlier.starts_on.replace(year=earlier.starts_on.year - 1),
        ends_on=earlier.starts_on.replace(year=earlier.starts_on.year - 1) + datetime.timedelta(days=27),
    )
    assert workflow.off_agreement_figures(need).year_total_sek == 0


@pytest.mark.parametrize(
    ("total", "warning", "crosses"),
    [(559_999, False, False), (560_000, True, False), (700_000, True, False), (700_001, True, True)],
)
def test_warning_at_eighty_percent_and_crossing_above_the_threshold(
    total: int, warning: bool, crosses: bool
) -> None:
    figures = workflow.OffAgreementFigures(
        value_sek=Decimal(total), premium_sek=None, year_total_sek=Decimal(0), threshold_sek=Decimal(700_000)
    )
    assert (figures.warning, figures.crosses) == (warning, crosses)


def test_no_threshold_no_warning() -> None:
    figures = workflow.OffAgreementFigures(Decimal(10**9), None, Decimal(0), None)
    assert figures.share_of_threshold is None and not figures.warning and not figures.crosses


# --- a hiring stop -----------------------------------------------------------------------------------------


def hiring_stop(flow: dict[str, Any], **overrides: Any) -> RegionRule:
    fields: dict[str, Any] = {
        "region": flow["region_a"],
        "kind": RuleKind.HIRING_STOP,
        "name": "Hyrstopp läkare",
        "profession": Profession.objects.get(code="doctor"),
        "decision_level": DecisionLevel.REGIONAL_DIRECTOR,
        "valid_from": datetime.date(2024, 1, 1),
        **overrides,
    }
    return RegionRule.objects.create(**fields)


def test_hiring_stop_needs_the_regional_directors_dispensation(flow: dict[str, Any]) -> None:
    hiring_stop(flow)
    need = workflow.save_draft(flow["orderer_a"], make_need(flow))
    workflow.submit(flow["orderer_a"], need)
    outcome = workflow.exhaust_internal(flow["call_off_unit"], need, "Inga interna alternativ")
    assert outcome.is_blocked
    need.refresh_from_db()
    assert need.status == NeedStatus.AWAITING_APPROVAL  # no steering review inside the agreement
    assert need.is_dispensation
    assert need.required_level == DecisionLevel.REGIONAL_DIRECTOR
    assert [stop["name"] for stop in need.rule_outcome["hiring_stops"]] == ["Hyrstopp läkare"]
    assert "Hyrstopp läkare" in need.events.get(kind=EventKind.RULES).text

    for who in ("verksamhetschef", "omradeschef", "hsdirektor"):
        with pytest.raises(workflow.WorkflowError, match="must be decided at the level"):
            workflow.decide(flow[who], need, DecisionOutcome.APPROVE, "Ok")
    assert not Decision.objects.filter(need=need).exists()
    decision = workflow.decide(
        flow["regiondirektor"], need, DecisionOutcome.APPROVE, "Dispens: akut läkarbrist"
    )
    assert decision.level == DecisionLevel.REGIONAL_DIRECTOR
    need.refresh_from_db()
    assert need.status == NeedStatus.PUBLISHED  # under the agreement: published once dispensed
    assert need.is_dispensation


def test_hiring_stop_for_another_profession_or_out_of_force_does_not_apply(flow: dict[str, Any]) -> None:
    hiring_stop(flow, name="Hyrstopp sjuksköterskor", profession=Profession.objects.get(code="nurse"))
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    hiring_stop(flow, name="Gammalt hyrstopp", valid_from=datetime.date(2024, 1, 1), valid_to=yesterday)
    hiring_stop(flow, name="Kommande hyrstopp", valid_from=timezone.localdate() + datetime.timedelta(days=1))
    need = workflow.save_draft(flow["orderer_a"], make_need(flow))
    workflow.submit(flow["orderer_a"], need)
    outcome = workflow.exhaust_internal(flow["call_off_unit"], need, "Inga interna alternativ")
    assert not outcome.is_blocked
    need.refresh_from_db()
    assert not need.is_dispensation
    assert need.required_level == DecisionLevel.DEPARTMENT_HEAD
