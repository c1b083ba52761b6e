"""The rule engine as a table: each row is a region's rule table, a need, and what must happen.

Rules are unsaved ``RegionRule`` rows with ids set directly, so no database is needed.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import pytest

from hyrkoll.accounts.models import DecisionLevel
from hyrkoll.rules.engine import DEFAULT_LEVEL, OFF_AGREEMENT_LEVEL, NeedFacts, evaluate
from hyrkoll.rules.models import OffAgreementCondition, RegionRule, RuleKind

D = datetime.date
TODAY = D(2025, 6, 2)

# Decision levels, as the rule table names them
UNIT_MANAGER = DecisionLevel.UNIT_MANAGER
DEPARTMENT_HEAD = DecisionLevel.DEPARTMENT_HEAD
AREA_MANAGER = DecisionLevel.AREA_MANAGER
HEALTH_DIRECTOR = DecisionLevel.HEALTH_DIRECTOR
REGIONAL_DIRECTOR = DecisionLevel.REGIONAL_DIRECTOR

# Ids of the reference data the rows refer to
VGR, STOCKHOLM = 14, 1
DOCTOR, NURSE = 1, 2
GENERAL_MEDICINE, PSYCHIATRY_SPECIALIST, DISTRICT_NURSE = 11, 12, 21
SPECIALIST_A, SPECIALIST_B, NURSE_HIGH = 101, 102, 201
PRIMARY_CARE, PSYCHIATRY = 1, 2
# Unit tree: Förvaltning (10) → Verksamhet Primärvård Norr (11) → Vårdcentral Ale (12);
#            Förvaltning (10) → Verksamhet Psykiatri (20) → Psykiatrimottagning (21)
VC_ALE = frozenset({10, 11, 12})
PSYK_MOTTAGNING = frozenset({10, 20, 21})
PRIMARVARD_NORR = 11


def stop(name: str, level: int, **conditions: Any) -> RegionRule:
    return _rule(name, RuleKind.HIRING_STOP, level, **conditions)


def decide_at(level: int, name: str, **conditions: Any) -> RegionRule:
    return _rule(name, RuleKind.DECISION_LEVEL, level, **conditions)


def _rule(name: str, kind: str, level: int, **conditions: Any) -> RegionRule:
    values: dict[str, Any] = {
        "region_id": VGR,
        "valid_from": D(2025, 1, 1),
        "valid_to": None,
        "off_agreement": OffAgreementCondition.ANY,
    }
    values.update(conditions)
    rule = RegionRule(name=name, kind=kind, decision_level=level)
    for attribute, value in values.items():
        setattr(rule, attribute, value)
    return rule


def need(**facts: Any) -> NeedFacts:
    """A doctor, specialist in general medicine, at Vårdcentral Ale for 90 days, 600 000 SEK."""
    values: dict[str, Any] = {
        "region_id": VGR,
        "profession_id": DOCTOR,
        "competence_id": GENERAL_MEDICINE,
        "level_id": SPECIALIST_A,
        "care_area_id": PRIMARY_CARE,
        "unit_ids": VC_ALE,
        "length_days": 90,
        "estimated_cost_sek": Decimal(600_000),
        "outside_agreement": False,
        "on": TODAY,
    }
    values.update(facts)
    return NeedFacts(**values)


NURSE_NEED = {"profession_id": NURSE, "competence_id": DISTRICT_NURSE, "level_id": NURSE_HIGH}
OUTSIDE = {"outside_agreement": True}


@dataclass
class Expect:
    level: int
    blocked: bool = False
    applied: list[str] = field(default_factory=list)
    steering_review: bool = False


HYRSTOPP_SSK = stop("Hyrstopp sjuksköterskor", AREA_MANAGER, profession_id=NURSE)
HYRSTOPP_PRIMARVARD = stop("Hyrstopp primärvård", HEALTH_DIRECTOR, care_area_id=PRIMARY_CARE)
HYRSTOPP_NORR = stop("Hyrstopp Primärvård Norr", AREA_MANAGER, org_unit_id=PRIMARVARD_NORR)
LANGA_AVROP = decide_at(AREA_MANAGER, "Avrop från 90 dagar", min_length_days=90)
DYRA_AVROP = decide_at(HEALTH_DIRECTOR, "Avrop från 1 mnkr", min_estimated_cost_sek=Decimal(1_000_000))
SPECIALIST_B_RULE = decide_at(AREA_MANAGER, "Specialistläkare grupp B", level_id=SPECIALIST_B)

CASES = [
    # id, rule table, need, expected outcome
    ("no rules: head of department decides", [], need(), Expect(DEFAULT_LEVEL)),
    # Hiring stops by profession
    (
        "nurse stop blocks a nurse need",
        [HYRSTOPP_SSK],
        need(**NURSE_NEED),
        Expect(AREA_MANAGER, blocked=True, applied=["Hyrstopp sjuksköterskor"]),
    ),
    ("nurse stop does not block a doctor need", [HYRSTOPP_SSK], need(), Expect(DEFAULT_LEVEL)),
    (
        "stop for one competence only",
        [stop("Hyrstopp allmänmedicin", AREA_MANAGER, competence_id=GENERAL_MEDICINE)],
        need(competence_id=PSYCHIATRY_SPECIALIST),
        Expect(DEFAULT_LEVEL),
    ),
    # ... limited to a care area
    (
        "primary-care stop blocks a need in primary care",
        [HYRSTOPP_PRIMARVARD],
        need(),
        Expect(HEALTH_DIRECTOR, blocked=True, applied=["Hyrstopp primärvård"]),
    ),
    (
        "primary-care stop does not block psychiatry",
        [HYRSTOPP_PRIMARVARD],
        need(care_area_id=PSYCHIATRY, unit_ids=PSYK_MOTTAGNING),
        Expect(DEFAULT_LEVEL),
    ),
    # ... limited to a part of the organisation
    (
        "unit stop blocks a care unit under that unit",
        [HYRSTOPP_NORR],
        need(),
        Expect(AREA_MANAGER, blocked=True, applied=["Hyrstopp Primärvård Norr"]),
    ),
    (
        "unit stop does not block another branch",
        [HYRSTOPP_NORR],
        need(care_area_id=PSYCHIATRY, unit_ids=PSYK_MOTTAGNING),
        Expect(DEFAULT_LEVEL),
    ),
    # ... limited in time
    (
        "stop from 1 July is not yet in force in June",
        [stop("Hyrstopp från juli", AREA_MANAGER, valid_from=D(2025, 7, 1))],
        need(),
        Expect(DEFAULT_LEVEL),
    ),
    (
        "stop is in force on its first day",
        [stop("Hyrstopp från idag", AREA_MANAGER, valid_from=TODAY)],
        need(),
        Expect(AREA_MANAGER, blocked=True, applied=["Hyrstopp från idag"]),
    ),
    (
        "stop is in force on its last day",
        [stop("Hyrstopp t.o.m. idag", AREA_MANAGER, valid_to=TODAY)],
        need(),
        Expect(AREA_MANAGER, blocked=True, applied=["Hyrstopp t.o.m. idag"]),
    ),
    (
        "stop that ended in May has expired",
        [stop("Hyrstopp vår", AREA_MANAGER, valid_to=D(2025, 5, 31))],
        need(),
        Expect(DEFAULT_LEVEL),
    ),
    # Decision levels by length, cost and competence level
    (
        "90-day need reaches the 90-day rule",
        [LANGA_AVROP],
        need(length_days=90),
        Expect(AREA_MANAGER, applied=["Avrop från 90 dagar"]),
    ),
    ("89-day need stays below the 90-day rule", [LANGA_AVROP], need(length_days=89), Expect(DEFAULT_LEVEL)),
    (
        "need of 1.2 MSEK reaches the 1 MSEK rule",
        [DYRA_AVROP],
        need(estimated_cost_sek=Decimal(1_200_000)),
        Expect(HEALTH_DIRECTOR, applied=["Avrop från 1 mnkr"]),
    ),
    (
        "need of 999 999 SEK stays below the 1 MSEK rule",
        [DYRA_AVROP],
        need(estimated_cost_sek=Decimal(999_999)),
        Expect(DEFAULT_LEVEL),
    ),
    (
        "specialist group B rule applies to group B",
        [SPECIALIST_B_RULE],
        need(level_id=SPECIALIST_B, competence_id=PSYCHIATRY_SPECIALIST),
        Expect(AREA_MANAGER, applied=["Specialistläkare grupp B"]),
    ),
    ("specialist group B rule skips group A", [SPECIALIST_B_RULE], need(), Expect(DEFAULT_LEVEL)),
    (
        "a rule may delegate short needs to the head of unit",
        [decide_at(UNIT_MANAGER, "Korta avrop", profession_id=DOCTOR)],
        need(length_days=14),
        Expect(UNIT_MANAGER, applied=["Korta avrop"]),
    ),
    # Several rules: the highest level wins
    (
        "nurse stop and 1 MSEK rule: the higher level decides the dispensation",
        [HYRSTOPP_SSK, DYRA_AVROP],
        need(**NURSE_NEED, estimated_cost_sek=Decimal(1_500_000)),
        Expect(
            HEALTH_DIRECTOR,
            blocked=True,
            applied=["Hyrstopp sjuksköterskor", "Avrop från 1 mnkr"],
        ),
    ),
    (
        "90-day, 1 MSEK and regional-director rules: regional director",
        [
            LANGA_AVROP,
            DYRA_AVROP,
            decide_at(REGIONAL_DIRECTOR, "Avrop från 2 mnkr", min_estimated_cost_sek=2_000_000),
        ],
        need(length_days=180, estimated_cost_sek=Decimal(2_400_000)),
        Expect(
            REGIONAL_DIRECTOR,
            applied=["Avrop från 90 dagar", "Avrop från 1 mnkr", "Avrop från 2 mnkr"],
        ),
    ),
    # Purchases outside the agreement
    (
        "outside the agreement, no rules: steering group, then director of health care",
        [],
        need(**OUTSIDE),
        Expect(OFF_AGREEMENT_LEVEL, steering_review=True),
    ),
    (
        "outside the agreement is never decided below the director of health care",
        [LANGA_AVROP],
        need(**OUTSIDE),
        Expect(HEALTH_DIRECTOR, applied=["Avrop från 90 dagar"], steering_review=True),
    ),
    (
        "'outside only' rule applies to an outside purchase",
        [decide_at(REGIONAL_DIRECTOR, "Direktupphandling", off_agreement=OffAgreementCondition.OUTSIDE)],
        need(**OUTSIDE),
        Expect(REGIONAL_DIRECTOR, applied=["Direktupphandling"], steering_review=True),
    ),
    (
        "'outside only' rule skips a call-off under the agreement",
        [decide_at(REGIONAL_DIRECTOR, "Direktupphandling", off_agreement=OffAgreementCondition.OUTSIDE)],
        need(),
        Expect(DEFAULT_LEVEL),
    ),
    (
        "'inside only' rule applies to a call-off under the agreement",
        [decide_at(AREA_MANAGER, "Avrop enligt avtal", off_agreement=OffAgreementCondition.INSIDE)],
        need(),
        Expect(AREA_MANAGER, applied=["Avrop enligt avtal"]),
    ),
    (
        "'inside only' rule skips an outside purchase",
        [decide_at(REGIONAL_DIRECTOR, "Avrop enligt avtal", off_agreement=OffAgreementCondition.INSIDE)],
        need(**OUTSIDE),
        Expect(OFF_AGREEMENT_LEVEL, steering_review=True),
    ),
    # Another region's table
    (
        "Stockholm's stop for all needs never matches a VGR need",
        [stop("Hyrstopp Stockholm", REGIONAL_DIRECTOR, region_id=STOCKHOLM)],
        need(),
        Expect(DEFAULT_LEVEL),
    ),
]


@pytest.mark.parametrize(("rules", "facts", "expect"), [pytest.param(*row[1:], id=row[0]) for row in CASES])
def test_rule_table(rules: list[RegionRule], facts: NeedFacts, expect: Expect) -> None:
    outcome = evaluate(facts, rules)

    assert outcome.required_level == expect.level
    assert outcome.is_blocked is expect.blocked
    assert [rule.name for rule in outcome.deciding_rules] == expect.applied
    assert outcome.needs_steering_review is expect.steering_review
    assert all(rule.kind == RuleKind.HIRING_STOP for rule in outcome.hiring_stops)


def test_default_levels_are_as_the_agreement_routine_says() -> None:
    assert DEFAULT_LEVEL == DEPARTMENT_HEAD
    assert OFF_AGREEMENT_LEVEL == HEALTH_DIRECTOR
