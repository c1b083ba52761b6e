"""Evaluate a region's rules for a need: is it blocked by a hiring stop, and who must decide?

A pure function over rule rows and the facts of a need, so the rule table can be tested as a
table. The outcome says, in words, which rules applied and why.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from hyrkoll.accounts.models import DecisionLevel
from hyrkoll.rules.models import OffAgreementCondition, RegionRule, RuleKind

# Where no rule says otherwise, a call-off is decided by the head of department (verksamhetschef).
DEFAULT_LEVEL = DecisionLevel.DEPARTMENT_HEAD
# A purchase outside the agreement is decided at the top: the director of health care (after the
# steering group's review), unless a rule demands the regional director.
OFF_AGREEMENT_LEVEL = DecisionLevel.HEALTH_DIRECTOR


@dataclass(frozen=True)
class NeedFacts:
    region_id: int
    profession_id: int
    competence_id: int
    level_id: int
    care_area_id: int | None
    unit_ids: frozenset[int]  # the care unit and every unit above it
    length_days: int
    estimated_cost_sek: Decimal
    outside_agreement: bool
    on: datetime.date


@dataclass
class RuleOutcome:
    required_level: int
    hiring_stops: list[RegionRule] = field(default_factory=list)
    level_rules: list[RegionRule] = field(default_factory=list)
    needs_steering_review: bool = False

    @property
    def is_blocked(self) -> bool:
        """A hiring stop applies: the need may go ahead only as a dispensation."""
        return bool(self.hiring_stops)

    @property
    def deciding_rules(self) -> list[RegionRule]:
        return [*self.hiring_stops, *self.level_rules]


def matches(rule: RegionRule, facts: NeedFacts) -> bool:
    if rule.region_id != facts.region_id:
        return False
    if rule.valid_from > facts.on or (rule.valid_to is not None and rule.valid_to < facts.on):
        return False
    if rule.profession_id is not None and rule.profession_id != facts.profession_id:
        return False
    if rule.competence_id is not None and rule.competence_id != facts.competence_id:
        return False
    if rule.level_id is not None and rule.level_id != facts.level_id:
        return False
    if rule.care_area_id is not None and rule.care_area_id != facts.care_area_id:
        return False
    if rule.org_unit_id is not None and rule.org_unit_id not in facts.unit_ids:
        return False
    if rule.min_length_days is not None and facts.length_days < rule.min_length_days:
        return False
    if rule.min_estimated_cost_sek is not None and facts.estimated_cost_sek < rule.min_estimated_cost_sek:
        return False
    if rule.off_agreement == OffAgreementCondition.INSIDE and facts.outside_agreement:
        return False
    return not (rule.off_agreement == OffAgreementCondition.OUTSIDE and not facts.outside_agreement)


def evaluate(facts: NeedFacts, rules: Iterable[RegionRule]) -> RuleOutcome:
    matching = [rule for rule in rules if matches(rule, facts)]
    stops = [rule for rule in matching if rule.kind == RuleKind.HIRING_STOP]
    levels = [rule for rule in matching if rule.kind == RuleKind.DECISION_LEVEL]
    # The highest level named by any matching rule decides: a dispensation from a hiring stop at
    # the stop's level, unless another rule demands a higher one (e.g. for a costly call-off).
    required = max((rule.decision_level for rule in matching), default=DEFAULT_LEVEL)
    if facts.outside_agreement:
        required = max(required, OFF_AGREEMENT_LEVEL)
    return RuleOutcome(
        required_level=required,
        hiring_stops=stops,
        level_rules=levels,
        needs_steering_review=facts.outside_agreement,
    )
