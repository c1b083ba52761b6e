"""The database side of the forecast: the monthly history in, a JSON-able forecast out.

``forecasts()`` answers for the nation and every region with at most four queries, however many
regions there are: the last month (only when not given), the monthly sums of hired and own cost
per region (one grouped query over ``CostEntry``), the targets and the region names.

The last month is the dashboards' (``dashboard_parts.last_data_month``: the last month with any
cost). A region whose own figures end earlier is forecast from its own last month, the rule
``last_data_month(code)`` applies, read from the grouped query instead of one query per region.
The nation's history ends at the last month every region has reported (``national_last_month``):
with a region whose ledger closes a month later, the national sum of the latest month would
otherwise look far too low, and the forecast would read it as a fall. The nation's target is the national steering goal (2 %) every year; a region's is its target path
at December of the year (``indicators.target_path``).
"""

from __future__ import annotations

import datetime
import math
import zlib
from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

import numpy as np
from django.db.models import Sum

from hyrkoll.followup import indicators
from hyrkoll.followup.models import CostEntry, CostType
from hyrkoll.forecasting.model import HISTORY_MONTHS, LEVEL, PATHS
from hyrkoll.forecasting.shares import Band, Outlook, YearShare, add_months, outlook, probability_at_most
from hyrkoll.forecasting.steering import OFF_TRACK_TO, ON_TRACK_FROM, classify, required_reduction
from hyrkoll.organisation.models import Region

NATION = "nation"
Series = dict[datetime.date, list[float]]  # month → [hired, own]


def _month(value: datetime.date) -> str:
    return f"{value:%Y-%m}"


def _round(value: float | None, digits: int) -> float | None:
    return None if value is None or not math.isfinite(value) else round(float(value), digits)


def _rounded(values: np.ndarray, digits: int) -> list[float | None]:
    return [_round(value, digits) for value in np.asarray(values, dtype=float).tolist()]


def _band_json(point: np.ndarray, low: np.ndarray, high: np.ndarray, digits: int) -> dict[str, Any]:
    return {"point": _rounded(point, digits), "low": _rounded(low, digits), "high": _rounded(high, digits)}


def monthly_history(last_month: datetime.date, months: int | None = HISTORY_MONTHS) -> dict[str, Series]:
    """{region code: {month: [hired, own]}} for the ``months`` months up to ``last_month`` (None:
    all), plus ``NATION`` (the sum), from one grouped query."""
    queryset = CostEntry.objects.filter(cost_type__in=[CostType.HIRED, CostType.OWN], period__lte=last_month)
    if months is not None:
        queryset = queryset.filter(period__gte=add_months(last_month, -(months - 1)))
    rows = (
        queryset.values_list("region__code", "period", "cost_type")
        .annotate(total=Sum("amount_sek"))
        .order_by()
    )
    series: dict[str, Series] = defaultdict(lambda: defaultdict(lambda: [0.0, 0.0]))
    for code, period, cost_type, total in rows:
        column = 0 if cost_type == CostType.HIRED else 1
        series[code][period][column] += float(total)
        series[NATION][period][column] += float(total)
    return series


def consecutive(
    series: Series, last: datetime.date | None = None
) -> tuple[datetime.date, list[float], list[float]]:
    """(last month, hired, own) over every month from the first with data to ``last`` (default: the
    last with data); a month without data counts as zero."""
    first, last = min(series), last or max(series)
    months = [first]
    while months[-1] < last:
        months.append(add_months(months[-1], 1))
    values = [series.get(current, [0.0, 0.0]) for current in months]
    return last, [hired for hired, _ in values], [own for _, own in values]


def national_last_month(history: dict[str, Series], last_month: datetime.date) -> datetime.date | None:
    """The last month of the nation's history: the earliest last month among the regions with
    cost in the 12 months up to ``last_month`` (those that report; None if no region does)."""
    recent = add_months(last_month, -11)
    ends = [max(series) for code, series in history.items() if code != NATION and series]
    return min((end for end in ends if recent <= end <= last_month), default=None)


def _year_json(year: YearShare, target: Decimal | None) -> dict[str, Any]:
    share = year.share
    result: dict[str, Any] = {
        "year": year.year,
        "actual_months": year.actual_months,
        "forecast_months": year.forecast_months,
        "share_pct": {
            "point": _round(float(share.point), 2),
            "low": _round(float(share.low), 2),
            "high": _round(float(share.high), 2),
        },
        "target_pct": None if target is None else float(target),
        "probability_on_target": None,
        "status": None,
        "reduction": None,
    }
    if target is None:
        return result
    probability = probability_at_most(share.samples, float(target))
    cut = required_reduction(
        year.hired_actual_sek,
        year.own_actual_sek,
        year.hired_forecast_sek.tolist(),
        year.own_forecast_sek.tolist(),
        float(target),
    )
    result.update(
        probability_on_target=round(probability, 3),
        status=str(classify(probability)),
        reduction={
            "monthly_sek": _round(cut.monthly_sek, 0),
            "monthly_pct": _round(cut.monthly_pct, 2) if cut.monthly_pct is not None else None,
            "months": cut.months,
            "reachable": cut.reachable,
        },
    )
    return result


def outlook_json(result: Outlook, targets: dict[int, Decimal | None]) -> dict[str, Any]:
    """One region's (or the nation's) forecast as JSON; ``targets`` {year: target share or None}."""
    hired_low, hired_high = result.hired.band(result.level)
    own_low, own_high = result.own.band(result.level)
    share: Band = result.rolling12
    return {
        "last_month": _month(result.last_month),
        "method": {"hired": result.hired.method, "own": result.own.method},
        "months": [_month(current) for current in result.months],
        "hired_sek": _band_json(result.hired.point, hired_low, hired_high, 0),
        "own_sek": _band_json(result.own.point, own_low, own_high, 0),
        "rolling12_share_pct": _band_json(share.point, share.low, share.high, 2),
        "years": [_year_json(year, targets.get(year.year)) for year in result.years],
    }


def _entity(
    code: str,
    series: Series,
    horizon_end: datetime.date,
    targets: dict[int, Decimal | None],
    seed: int,
    last: datetime.date | None = None,
) -> dict[str, Any]:
    last, hired, own = consecutive(series, last)
    horizon = (horizon_end.year - last.year) * 12 + horizon_end.month - last.month
    result = outlook(hired, own, last, horizon, seed=[seed, zlib.crc32(code.encode())])
    return outlook_json(result, targets)


def forecasts(
    last_month: datetime.date | None = None, region_codes: Iterable[str] | None = None, *, seed: int = 0
) -> dict[str, Any]:
    """The forecast for the nation and the regions (all, or those in ``region_codes``).

    ``{"last_month": "YYYY-MM" | None, "level": 0.8, "paths": 1000, "thresholds": {"on_track_from",
    "off_track_to"}, "nation": F | None, "regions": {code: F | None}}`` – a region without cost
    history gets None. F: ``{"last_month", "method": {"hired", "own"}, "months": ["YYYY-MM"...],
    "hired_sek"/"own_sek"/"rolling12_share_pct": {"point", "low", "high"} (lists, one per month),
    "years": [{"year", "actual_months", "forecast_months", "share_pct": {"point", "low", "high"},
    "target_pct", "probability_on_target", "status", "reduction": {"monthly_sek", "monthly_pct",
    "months", "reachable"}}], "code", "name"}`` (the nation's code and name are None). ``years``
    holds every year whose December the forecast reaches, oldest first: ``years[-2]`` is the
    current year (of the month after ``last_month``) and ``years[-1]`` the next; a region whose
    figures end earlier can have one more before them. SEK are whole kronor, shares two
    decimals, the probability three; None where a value is undefined (a rolling-12 window the
    history does not fill). Without a target, probability, status and reduction are None. The same
    seed gives the same figures. No access control here: the caller shows what the user may see.
    """
    from hyrkoll.followup.dashboard_parts import last_data_month  # the pages import much; only here

    last_month = last_month or last_data_month()
    result: dict[str, Any] = {
        "last_month": None if last_month is None else _month(last_month),
        "level": LEVEL,
        "paths": PATHS,
        "thresholds": {"on_track_from": ON_TRACK_FROM, "off_track_to": OFF_TRACK_TO},
        "nation": None,
        "regions": {},
    }
    if last_month is None:
        return result
    history = monthly_history(last_month)
    horizon_end = datetime.date(add_months(last_month, 1).year + 1, 12, 1)
    wanted = set(region_codes) if region_codes is not None else None
    names = dict(Region.objects.values_list("code", "name").order_by("code"))
    all_targets = indicators.targets_by_region()
    national_last = national_last_month(history, last_month)
    if national_last is not None:
        years = range(last_month.year - 1, horizon_end.year + 1)
        national = {year: indicators.NATIONAL_TARGET_PCT for year in years}
        result["nation"] = {
            "code": None,
            "name": None,
            **_entity(NATION, history[NATION], horizon_end, national, seed, national_last),
        }
    for code, name in names.items():
        if wanted is not None and code not in wanted:
            continue
        if code not in history:
            result["regions"][code] = None
            continue
        targets = all_targets.get(code, {})
        by_year = {
            year: indicators.target_path(targets, datetime.date(year, 12, 1))
            for year in range(last_month.year - 1, horizon_end.year + 1)
        }
        result["regions"][code] = {
            "code": code,
            "name": name,
            **_entity(code, history[code], horizon_end, by_year, seed),
        }
    return result
