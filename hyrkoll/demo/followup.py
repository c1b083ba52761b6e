"""Demo follow-up data beyond the cost history: targets, costs moving into the internal pool and
overtime, the indicators beyond cost, and a published Bemanningstrend.

- Targets: Region Västerbotten's decided path (3.7 % in 2025, 2 % in 2027); every other region a
  path from a little under its 2024 share in 2025 to 2 % in 2027 (never below 2 %).
- Internal pool and overtime costs for the last 36 months: a few per cent of own cost, growing
  as hired cost falls (the cost moves rather than disappears).
- Staffing metrics for the last 36 months: hired FTE (hired cost ÷ 150,000 SEK a month),
  own FTE (own cost ÷ 62,000 SEK a month), turnover, sick leave and continuity.
- The Bemanningstrend published through the last complete half-year.
"""

from __future__ import annotations

import datetime
import random
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Sum

from hyrkoll.accounts.models import User
from hyrkoll.followup.indicators import add_months
from hyrkoll.followup.models import (
    CostEntry,
    CostType,
    MetricKind,
    RegionTarget,
    StaffingMetric,
    TrendPublication,
)
from hyrkoll.organisation.models import Region

VASTERBOTTEN = "24"
HIRED_COST_PER_FTE_MONTH = Decimal(150_000)
OWN_COST_PER_FTE_MONTH = Decimal(62_000)
MONTHS_OF_METRICS = 36


def _q(value: Decimal, places: str = "0.01") -> Decimal:
    return value.quantize(Decimal(places), ROUND_HALF_UP)


def _monthly_totals(since: datetime.date) -> dict[tuple[str, datetime.date, str], Decimal]:
    rows = (
        CostEntry.objects.filter(period__gte=since, cost_type__in=[CostType.HIRED, CostType.OWN])
        .values_list("region__code", "period", "cost_type")
        .annotate(total=Sum("amount_sek"))
        .order_by()
    )
    return {(code, period, cost_type): total for code, period, cost_type, total in rows}


def _targets(regions: list[Region]) -> int:
    hired = dict(
        CostEntry.objects.filter(period__year=2024, cost_type=CostType.HIRED)
        .values_list("region__code")
        .annotate(total=Sum("amount_sek"))
        .order_by()
    )
    own = dict(
        CostEntry.objects.filter(period__year=2024, cost_type=CostType.OWN)
        .values_list("region__code")
        .annotate(total=Sum("amount_sek"))
        .order_by()
    )
    rows = []
    for region in regions:
        if region.code == VASTERBOTTEN:
            path = {2025: Decimal("3.7"), 2027: Decimal("2.0")}
            note = "Regionstyrelsens uppdrag 2024–2025"
        else:
            share_2024 = Decimal(100) * hired.get(region.code, Decimal(0)) / own[region.code]
            first = max(Decimal(2), _q(share_2024 * Decimal("0.85"), "0.1"))
            path = {2025: first, 2026: _q((first + 2) / 2, "0.1"), 2027: Decimal("2.0")}
            note = "Demo"
        rows += [
            RegionTarget(region=region, year=year, share_pct=share, note=note) for year, share in path.items()
        ]
    RegionTarget.objects.bulk_create(rows)
    return len(rows)


def _pool_overtime_and_metrics(
    rng: random.Random, regions: list[Region], last_month: datetime.date
) -> tuple[int, int]:
    first = add_months(last_month, -(MONTHS_OF_METRICS - 1))
    totals = _monthly_totals(first)
    by_code = {region.code: region for region in regions}
    costs: list[CostEntry] = []
    metrics: list[StaffingMetric] = []
    for code, region in by_code.items():
        turnover = Decimal(rng.uniform(9, 14))
        sick = Decimal(rng.uniform(5, 7.5))
        continuity = Decimal(rng.uniform(55, 75))
        current = first
        step = 0
        while current <= last_month:
            if (code, current, CostType.HIRED) not in totals:
                break  # the region's ledger ends earlier (generator.LEDGER_LAG_MONTHS)
            hired = totals.get((code, current, CostType.HIRED), Decimal(0))
            own = totals.get((code, current, CostType.OWN), Decimal(0))
            growth = Decimal(1) + Decimal(step) / Decimal(60)  # the pool grows as hired falls
            costs.append(
                CostEntry(region=region, period=current, cost_type=CostType.INTERNAL_POOL,
                          amount_sek=_q(own * Decimal("0.012") * growth), source="demo")
            )  # fmt: skip
            costs.append(
                CostEntry(region=region, period=current, cost_type=CostType.OVERTIME,
                          amount_sek=_q(own * Decimal(rng.uniform(0.015, 0.022))), source="demo")
            )  # fmt: skip
            values = {
                MetricKind.HIRED_FTE: _q(hired / HIRED_COST_PER_FTE_MONTH, "0.1"),
                MetricKind.OWN_FTE: _q(own / OWN_COST_PER_FTE_MONTH, "0.1"),
                MetricKind.TURNOVER_PCT: _q(turnover + Decimal(rng.uniform(-0.6, 0.6))),
                MetricKind.SICK_LEAVE_PCT: _q(
                    sick + Decimal(rng.uniform(-0.8, 0.8)) + (1 if current.month in (1, 2) else 0)
                ),
                MetricKind.CONTINUITY_PCT: _q(min(Decimal(95), continuity + Decimal(step) / 3)),
            }
            metrics += [
                StaffingMetric(region=region, period=current, metric=kind, value=value)
                for kind, value in values.items()
            ]
            current = add_months(current, 1)
            step += 1
    CostEntry.objects.bulk_create(costs, batch_size=2000)
    StaffingMetric.objects.bulk_create(metrics, batch_size=2000)
    return len(costs), len(metrics)


def last_complete_half_year_end(today: datetime.date) -> datetime.date:
    return datetime.date(today.year, 6, 1) if today.month > 6 else datetime.date(today.year - 1, 12, 1)


def load_followup_demo(rng: random.Random, today: datetime.date, counts: dict[str, int]) -> None:
    regions = list(Region.objects.order_by("code"))
    last_month = add_months(datetime.date(today.year, today.month, 1), -1)
    counts["targets"] = _targets(regions)
    counts["pool and overtime cost entries"], counts["staffing metrics"] = _pool_overtime_and_metrics(
        rng, regions, last_month
    )
    coordinator = User.objects.filter(role_assignments__role="coordinator").order_by("pk").first()
    if coordinator is not None:
        TrendPublication.objects.create(
            through_month=last_complete_half_year_end(today),
            published_by=coordinator,
            note="Bemanningstrend (demo)",
        )
        counts["trend publications"] = 1
