"""Demo action plans and steering decisions for every region.

Each region gets an action plan adopted by its regional board, with three to seven measures from
the catalogue (some limited to a part of the organisation), one or two dated sub-goals per measure
– one of them the share of hired cost, with a target below the region's current rolling-12 value –
statuses and reported effects that follow the plan's age, and a few entries in the steering
group's decision log linked to the plan and to the region's dispensation needs.
"""

from __future__ import annotations

import datetime
import random
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING

from django.db.models import Max

from hyrkoll.accounts.models import Role, User
from hyrkoll.followup.indicators import Period, figures_for
from hyrkoll.followup.models import CostEntry
from hyrkoll.governance.models import (
    ActionPlan,
    Effect,
    GoalIndicator,
    Measure,
    PlanMeasure,
    PlanStatus,
    SteeringDecision,
    SubGoal,
)
from hyrkoll.ordering.models import Need
from hyrkoll.organisation.models import OrgUnit, OrgUnitKind, Region

if TYPE_CHECKING:
    from hyrkoll.demo.generator import DemoSummary

OWNERS = [
    "HR-direktör",
    "Hälso- och sjukvårdsdirektör",
    "Områdeschef",
    "Ekonomidirektör",
    "Chef bemanningsenheten",
]
DECISIONS = [
    (
        "Uppföljning av handlingsplanen: fortsätt enligt plan, delmålen för andelen ligger fast.",
        "Månadsrapport",
    ),
    (
        "Dispens beviljas för inhyrning av specialistläkare under sommaren; återrapport i september.",
        "Underlag från verksamheten",
    ),
    ("Hyrstoppet för sjuksköterskor förlängs till årsskiftet.", "Kostnadsuppföljning och bemanningsläge"),
    ("Intern bemanningspool utökas med fyra sjuksköterskor.", "Analys av avrop senaste kvartalet"),
]
EFFECT_WEIGHTS_WORKING = [Effect.POSITIVE] * 5 + [Effect.NONE] * 2 + [Effect.UNKNOWN] * 2 + [Effect.NEGATIVE]
EFFECT_WEIGHTS_OTHER = [Effect.POSITIVE] * 2 + [Effect.NONE] * 3 + [Effect.UNKNOWN] * 3 + [Effect.NEGATIVE]
ONE = Decimal("0.1")


def _first_of_month(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def _steering_user(region: Region) -> User | None:
    users = User.objects.filter(region=region)
    for role in (Role.STEERING_GROUP, Role.REGION_ADMIN):
        user = users.filter(role_assignments__role=role).order_by("username").first()
        if user is not None:
            return user
    return users.order_by("username").first()


def _current_shares() -> dict[str, Decimal | None]:
    last = CostEntry.objects.aggregate(last=Max("period"))["last"]
    if last is None:
        return {}
    return {code: figures.share_pct for code, figures in figures_for(Period.rolling12(last)).regions.items()}


def load_governance_demo(rng: random.Random, today: datetime.date, summary: DemoSummary) -> None:
    measures = list(Measure.objects.filter(is_active=True).order_by("heading", "name"))
    shares = _current_shares()
    counts = {"action plans": 0, "plan measures": 0, "sub-goals": 0, "steering decisions": 0}
    for region in Region.objects.order_by("code"):
        start = _first_of_month(today - datetime.timedelta(days=rng.randint(180, 720)))
        plan = ActionPlan.objects.create(
            region=region,
            name=f"Handlingsplan för oberoende av inhyrd personal {start.year}–{start.year + 2}",
            starts_on=start,
            adopted_by="Regionstyrelsen",
            adopted_on=start - datetime.timedelta(days=rng.randint(10, 40)),
        )
        units = list(
            OrgUnit.objects.filter(region=region, kind__in=[OrgUnitKind.ADMINISTRATION, OrgUnitKind.AREA])
        )
        chosen = rng.sample(measures, rng.randint(3, min(7, len(measures))))
        share = shares.get(region.code)
        for index, measure in enumerate(chosen):
            measure_start = start + datetime.timedelta(days=rng.randint(0, 120))
            age = (today - measure_start).days
            status = (
                PlanStatus.PLANNED
                if age < 0
                else rng.choice([PlanStatus.ONGOING, PlanStatus.ONGOING, PlanStatus.DONE, PlanStatus.STOPPED])
                if age > 365
                else PlanStatus.ONGOING
            )
            weights = EFFECT_WEIGHTS_WORKING if measure.reported_as_working else EFFECT_WEIGHTS_OTHER
            effect = rng.choice(weights) if status != PlanStatus.PLANNED and age > 120 else Effect.UNKNOWN
            comment = {
                Effect.POSITIVE: "Minskade kostnader för inhyrd personal i berörda verksamheter.",
                Effect.NONE: "Ingen mätbar förändring hittills.",
                Effect.NEGATIVE: "Ökad arbetsbelastning; åtgärden ses över.",
            }.get(effect, "")
            unit = rng.choice(units) if units and rng.random() < 0.3 else None
            plan_measure = PlanMeasure.objects.create(
                plan=plan,
                measure=measure,
                owner=rng.choice(OWNERS),
                org_unit=unit,
                starts_on=measure_start,
                status=status,
                effect=effect,
                effect_comment=comment,
            )
            counts["plan measures"] += 1
            due = measure_start + datetime.timedelta(days=rng.randint(180, 540))
            if index == 0:
                current = share if share is not None else Decimal("4.0")
                target = max(Decimal("2.0"), (current * Decimal("0.8")).quantize(ONE, ROUND_HALF_UP))
                SubGoal.objects.create(
                    plan_measure=plan_measure,
                    description="Andelen inhyrd personal av egen personalkostnad minskar",
                    due_on=due,
                    indicator=GoalIndicator.SHARE_PCT,
                    target_value=target,
                    achieved=None if due > today else (current <= target),
                )
            else:
                indicator = rng.choice(
                    [GoalIndicator.HIRED_FTE, GoalIndicator.TURNOVER_PCT, GoalIndicator.OTHER]
                )
                target = {
                    GoalIndicator.HIRED_FTE: Decimal(rng.randint(5, 60)),
                    GoalIndicator.TURNOVER_PCT: Decimal(rng.randint(8, 14)),
                }.get(indicator)
                SubGoal.objects.create(
                    plan_measure=plan_measure,
                    description=f"Delmål: {measure.name.lower()}",
                    due_on=due,
                    indicator=indicator,
                    target_value=target,
                    achieved=None if due > today else rng.random() < 0.6,
                )
            counts["sub-goals"] += 1
        counts["action plans"] += 1

        recorder = _steering_user(region)
        if recorder is None:
            continue
        needs = list(Need.objects.filter(region=region).order_by("-is_dispensation", "pk")[:6])
        for number in range(rng.randint(2, 4)):
            text, basis = DECISIONS[number % len(DECISIONS)]
            decided = start + datetime.timedelta(days=rng.randint(0, max(1, (today - start).days)))
            decision = SteeringDecision.objects.create(
                region=region,
                decided_on=decided,
                decision=text,
                basis=basis,
                follow_up_on=decided + datetime.timedelta(days=rng.choice([60, 90, 120])),
                recorded_by=recorder,
            )
            if number == 0:
                decision.plans.add(plan)
            if needs and number > 0:
                decision.needs.add(*rng.sample(needs, min(len(needs), rng.randint(1, 2))))
            counts["steering decisions"] += 1
    summary.counts.update(counts)
