"""The Bemanningstrend indicators, computed from the stored monthly aggregates (``CostEntry``).

Definitions (``../shared/domain``):
- ``share_pct = 100 × hired / own`` – hired-staff cost as a share of OWN personnel cost (not of
  hired + own), rounded to two decimals.
- A period is any range of whole months: a month, a quarter, a half-year, a year, or the rolling
  12 months ending at a month. The comparison period is the same months one year earlier.
- Change: in SEK, in % of the earlier value, and the share's change in percentage points.
- A region "meets the indicator" when its share is at most 2 %.

One aggregate query per period answers for the nation and every region at once.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Sum

from hyrkoll.followup.models import CostEntry, CostType, RegionTarget
from hyrkoll.lib.dates import months_between

NATIONAL_TARGET_PCT = Decimal(2)
ZERO = Decimal(0)
CENT = Decimal("0.01")


# --- months and periods -------------------------------------------------------------------------------


def month(year: int, month_number: int) -> datetime.date:
    return datetime.date(year, month_number, 1)


def parse_month(text: str) -> datetime.date:
    """``YYYY-MM`` → the first day of the month; ValueError otherwise."""
    year, _, month_number = text.partition("-")
    if len(year) != 4 or len(month_number) != 2 or not (year + month_number).isdigit():
        raise ValueError(f"{text!r} is not a month (YYYY-MM)")
    return month(int(year), int(month_number))


def add_months(day: datetime.date, months: int) -> datetime.date:
    index = day.year * 12 + day.month - 1 + months
    return month(index // 12, index % 12 + 1)


@dataclass(frozen=True)
class Period:
    start: datetime.date  # first month
    end: datetime.date  # last month (inclusive)

    @property
    def label(self) -> str:
        return f"{self.start:%Y-%m} – {self.end:%Y-%m}"

    def previous_year(self) -> Period:
        return Period(add_months(self.start, -12), add_months(self.end, -12))

    @classmethod
    def rolling12(cls, last: datetime.date) -> Period:
        return cls(add_months(last, -11), last)

    @classmethod
    def quarter(cls, year: int, quarter: int) -> Period:
        return cls(month(year, 3 * quarter - 2), month(year, 3 * quarter))

    @classmethod
    def half_year(cls, year: int, half: int) -> Period:
        return cls(month(year, 6 * half - 5), month(year, 6 * half))

    @classmethod
    def year(cls, year: int) -> Period:
        return cls(month(year, 1), month(year, 12))


# --- figures ------------------------------------------------------------------------------------------------


def pct(numerator: Decimal, denominator: Decimal) -> Decimal | None:
    if not denominator:
        return None
    return (Decimal(100) * numerator / denominator).quantize(CENT, ROUND_HALF_UP)


@dataclass
class Figures:
    hired_sek: Decimal = ZERO
    own_sek: Decimal = ZERO
    internal_pool_sek: Decimal = ZERO
    overtime_sek: Decimal = ZERO
    hired_by_profession: dict[str, Decimal] = field(default_factory=lambda: defaultdict(lambda: ZERO))
    hired_by_care_area: dict[str, Decimal] = field(default_factory=lambda: defaultdict(lambda: ZERO))
    own_by_care_area: dict[str, Decimal] = field(default_factory=lambda: defaultdict(lambda: ZERO))

    @property
    def share_pct(self) -> Decimal | None:
        return pct(self.hired_sek, self.own_sek)

    def add(self, cost_type: str, profession: str, care_area: str, amount: Decimal) -> None:
        if cost_type == CostType.HIRED:
            self.hired_sek += amount
            self.hired_by_profession[profession or ""] += amount
            self.hired_by_care_area[care_area or ""] += amount
        elif cost_type == CostType.OWN:
            self.own_sek += amount
            self.own_by_care_area[care_area or ""] += amount
        elif cost_type == CostType.INTERNAL_POOL:
            self.internal_pool_sek += amount
        elif cost_type == CostType.OVERTIME:
            self.overtime_sek += amount

    def care_area_share_pct(self, care_area: str) -> Decimal | None:
        return pct(self.hired_by_care_area.get(care_area, ZERO), self.own_by_care_area.get(care_area, ZERO))


@dataclass(frozen=True)
class Change:
    hired_sek: Decimal
    hired_pct: Decimal | None
    own_sek: Decimal
    own_pct: Decimal | None
    share_pp: Decimal | None


def change(current: Figures, previous: Figures) -> Change:
    # Percentage points from the unrounded shares, then rounded.
    share_pp = None
    if current.own_sek and previous.own_sek:
        exact = Decimal(100) * (current.hired_sek / current.own_sek - previous.hired_sek / previous.own_sek)
        share_pp = exact.quantize(CENT, ROUND_HALF_UP)
    return Change(
        hired_sek=current.hired_sek - previous.hired_sek,
        hired_pct=pct(current.hired_sek - previous.hired_sek, previous.hired_sek),
        own_sek=current.own_sek - previous.own_sek,
        own_pct=pct(current.own_sek - previous.own_sek, previous.own_sek),
        share_pp=share_pp,
    )


@dataclass
class PeriodFigures:
    """The nation and each region (by county code) for one period."""

    period: Period
    national: Figures
    regions: dict[str, Figures]

    def regions_meeting(self, target_pct: Decimal = NATIONAL_TARGET_PCT) -> list[str]:
        return sorted(
            code
            for code, figures in self.regions.items()
            if figures.share_pct is not None and figures.share_pct <= target_pct
        )


def figures_for(period: Period, region_codes: Iterable[str] | None = None) -> PeriodFigures:
    """One aggregate query: sums per region, cost type, profession and care area.

    ``national`` always covers every region (the national figure is the nation's, whoever asks);
    ``regions`` holds the regions in ``region_codes`` (all when None).
    """
    rows = (
        CostEntry.objects.filter(period__gte=period.start, period__lte=period.end)
        .values_list("region__code", "cost_type", "profession", "care_area")
        .annotate(total=Sum("amount_sek"))
        .order_by()
    )
    wanted = set(region_codes) if region_codes is not None else None
    national = Figures()
    regions: dict[str, Figures] = {}
    for code, cost_type, profession, care_area, total in rows:
        national.add(cost_type, profession, care_area, total)
        if wanted is None or code in wanted:
            regions.setdefault(code, Figures()).add(cost_type, profession, care_area, total)
    if wanted:
        for code in wanted:
            regions.setdefault(code, Figures())
    return PeriodFigures(period=period, national=national, regions=dict(sorted(regions.items())))


def monthly_series(
    start: datetime.date, end: datetime.date, region_code: str | None = None
) -> dict[datetime.date, Figures]:
    """Figures per month (for charts and rolling sums) – one query."""
    queryset = CostEntry.objects.filter(period__gte=start, period__lte=end)
    if region_code is not None:
        queryset = queryset.filter(region__code=region_code)
    rows = (
        queryset.values_list("period", "cost_type", "profession", "care_area")
        .annotate(total=Sum("amount_sek"))
        .order_by()
    )
    series = {m: Figures() for m in months_between(start, end)}
    for period, cost_type, profession, care_area, total in rows:
        series[period].add(cost_type, profession, care_area, total)
    return series


def rolling12_shares(
    start: datetime.date, end: datetime.date, region_code: str | None = None
) -> dict[datetime.date, Decimal | None]:
    """The rolling-12 share at every month from ``start`` to ``end`` (a sliding window)."""
    series = monthly_series(add_months(start, -11), end, region_code)
    months = list(series)
    shares: dict[datetime.date, Decimal | None] = {}
    hired = own = ZERO
    for index, current in enumerate(months):
        hired += series[current].hired_sek
        own += series[current].own_sek
        if index >= 12:
            dropped = series[months[index - 12]]
            hired -= dropped.hired_sek
            own -= dropped.own_sek
        if current >= start:
            shares[current] = pct(hired, own) if index >= 11 else None
    return shares


def yearly_hired(first_year: int, last_year: int, region_code: str | None = None) -> dict[int, Decimal]:
    queryset = CostEntry.objects.filter(
        cost_type=CostType.HIRED, period__year__gte=first_year, period__year__lte=last_year
    )
    if region_code is not None:
        queryset = queryset.filter(region__code=region_code)
    totals = dict(queryset.values_list("period__year").annotate(total=Sum("amount_sek")).order_by())
    return {year: totals.get(year, ZERO) for year in range(first_year, last_year + 1)}


# --- targets ---------------------------------------------------------------------------------------------------


def target_path(targets: dict[int, Decimal], at: datetime.date) -> Decimal | None:
    """The region's target share at a month.

    A year's target is the share to reach by December of that year; months between two targets
    are interpolated linearly; before the first target's year there is no target; in the first
    target's year and after the last one, that target holds.
    """
    if not targets:
        return None
    years = sorted(targets)
    if at.year < years[0]:
        return None
    if at.year == years[0] or at.year > years[-1]:
        return targets[years[0] if at.year == years[0] else years[-1]]
    for earlier, later in zip(years, years[1:], strict=False):
        if earlier < at.year <= later:
            since = (at.year - earlier) * 12 + at.month - 12  # months after December of `earlier`
            span = (later - earlier) * 12
            value = targets[earlier] + (targets[later] - targets[earlier]) * Decimal(since) / Decimal(span)
            return value.quantize(CENT, ROUND_HALF_UP)
    return targets[years[-1]]


def targets_by_region() -> dict[str, dict[int, Decimal]]:
    result: dict[str, dict[int, Decimal]] = defaultdict(dict)
    for code, year, share in RegionTarget.objects.values_list("region__code", "year", "share_pct"):
        result[code][year] = share
    return dict(result)


# --- the trend JSON (the interface of `hyrkoll trend` and the API) ------------------------------------------


def _number(value: Decimal | None) -> float | None:
    return None if value is None else float(value.quantize(CENT, ROUND_HALF_UP))


def figures_json(figures: Figures) -> dict[str, Any]:
    return {
        "hired_sek": _number(figures.hired_sek),
        "own_sek": _number(figures.own_sek),
        "share_pct": _number(figures.share_pct),
        "by_profession": {
            key: {"hired_sek": _number(value)}
            for key, value in sorted(figures.hired_by_profession.items())
            if key
        },
        "by_care_area": {
            key: {"hired_sek": _number(value)}
            for key, value in sorted(figures.hired_by_care_area.items())
            if key
        },
    }


def _with_comparison(current: Figures, previous: Figures) -> dict[str, Any]:
    data = figures_json(current)
    difference = change(current, previous)
    data["previous"] = {
        "hired_sek": _number(previous.hired_sek),
        "own_sek": _number(previous.own_sek),
        "share_pct": _number(previous.share_pct),
    }
    data["change"] = {
        "hired_sek": _number(difference.hired_sek),
        "hired_pct": _number(difference.hired_pct),
        "own_sek": _number(difference.own_sek),
        "own_pct": _number(difference.own_pct),
        "share_pp": _number(difference.share_pp),
    }
    return data


def trend(
    period: Period, *, compare_previous_year: bool, region_codes: Iterable[str] | None = None
) -> dict[str, Any]:
    """``{"period": {"from", "to"}, "national": M, "regions": {"14": M, ...}}``."""
    current = figures_for(period, region_codes)
    result: dict[str, Any] = {"period": {"from": f"{period.start:%Y-%m}", "to": f"{period.end:%Y-%m}"}}
    if compare_previous_year:
        previous = figures_for(period.previous_year(), list(current.regions))
        result["national"] = _with_comparison(current.national, previous.national)
        result["regions"] = {
            code: _with_comparison(figures, previous.regions.get(code, Figures()))
            for code, figures in current.regions.items()
        }
    else:
        result["national"] = figures_json(current.national)
        result["regions"] = {code: figures_json(figures) for code, figures in current.regions.items()}
    return result
