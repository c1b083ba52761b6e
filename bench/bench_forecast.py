"""Forecast back-test: error of the rolling-12 share 6 and 12 months ahead, Hyrkoll against two naive baselines.

History: the demo's monthly cost history in the bench database (``CostEntry`` rows written by
``load_demo_data`` from ``hyrkoll.demo.costs.cost_rows``: January 2015 → the last complete month,
all 21 regions; the benchmark ledger of ``bench/ledger.py`` has the same calibration), read with
the forecast's own grouped query (``forecasting.data.monthly_history``); the nation is the sum of
the regions, up to the last month all of them have reported (the demo's Västra Götaland closes its
ledger a month later). The series is synthetic: smooth yearly trends with a seasonal pattern, ±5 % noise per
region and month on hired cost, ±1 % on own cost, and the national totals exact.

Origins: every month from January 2019 (48 months of history or more before it) to the last one
with an actual value 6 (12) months later. At each origin, with only the months up to it:

- Hyrkoll: ``forecasting.shares.outlook`` (the function the dashboards call) → the rolling-12
  share at origin + h (actual months and forecast months together);
- baseline (a) "the same months a year earlier, scaled by the latest trend": each future month of
  hired and of own cost = the month 12 months earlier × (last 12 months' sum ÷ the 12 months
  before), and the share from those;
- baseline (b) "the last rolling-12 value": the share stays as at the origin.

Error: the mean absolute error, in percentage points, against the actual rolling-12 share – for
the nation, and the mean of the 21 regions' errors. Also: how often the actual share fell inside
Hyrkoll's 80 % interval (calibrated at each origin by the hold-out year of the months known then,
``forecasting.model._widening`` – nothing of the back-test's outcomes goes into it), and the time the
dashboards' call takes (nation + 21 regions).

Before that calibration the coverage was 66 % (nation) / 68 % (regions) at 6 months and 71 % / 62 %
at 12 months. Most of the misses are at origins in 2021–2023, just before the demo's hired cost
turns from rising to falling fast; nothing in the history before them announces that.
"""

from __future__ import annotations

import datetime
import time

import numpy as np
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bench.timing import measure
from hyrkoll.followup.dashboard_parts import last_data_month
from hyrkoll.forecasting.data import NATION, consecutive, forecasts, monthly_history, national_last_month
from hyrkoll.forecasting.model import LEVEL
from hyrkoll.forecasting.shares import add_months, outlook

FIRST_ORIGIN = datetime.date(2019, 1, 1)
HORIZONS = (6, 12)
METHODS = ("hyrkoll", "baseline_a", "baseline_b")
TITLES = {
    "hyrkoll": "Hyrkoll",
    "baseline_a": "(a) year earlier × trend",
    "baseline_b": "(b) last rolling-12",
}


def _share(hired: np.ndarray, own: np.ndarray, end: int) -> float:
    """The rolling-12 share of the 12 months ending before index ``end``."""
    return 100 * hired[end - 12 : end].sum() / own[end - 12 : end].sum()


def _seasonal_trend(values: np.ndarray, known: int, horizon: int) -> np.ndarray:
    """Baseline (a) for one cost: the months up to ``known`` and ``horizon`` forecast months."""
    trend = values[known - 12 : known].sum() / values[known - 24 : known - 12].sum()
    future = [values[known + step - 12] * trend for step in range(horizon)]
    return np.concatenate([values[:known], future])


def _errors(hired: np.ndarray, own: np.ndarray, months: list[datetime.date]) -> dict:
    """{horizon: {method: [absolute errors]}, (horizon, "inside"): [bool]} over every origin."""
    errors: dict = {h: {method: [] for method in METHODS} for h in HORIZONS}
    for h in HORIZONS:
        errors[(h, "inside")] = []
    first = months.index(FIRST_ORIGIN) + 1  # months known at the first origin
    for known in range(first, len(months) - min(HORIZONS) + 1):
        result = outlook(hired[:known], own[:known], months[known - 1], max(HORIZONS), seed=known)
        for h in HORIZONS:
            if known + h > len(months):
                continue
            actual = _share(hired, own, known + h)
            band = result.rolling12
            naive = _share(_seasonal_trend(hired, known, h), _seasonal_trend(own, known, h), known + h)
            errors[h]["hyrkoll"].append(abs(band.point[h - 1] - actual))
            errors[h]["baseline_a"].append(abs(naive - actual))
            errors[h]["baseline_b"].append(abs(_share(hired, own, known) - actual))
            errors[(h, "inside")].append(bool(band.low[h - 1] <= actual <= band.high[h - 1]))
    return errors


def _backtest() -> tuple[dict, dict]:
    last = last_data_month()
    history = monthly_history(last, months=None)
    per_series = {}
    for code, series in sorted(history.items()):
        # The nation ends at the last month every region has reported, as in the forecast itself.
        _, hired, own = consecutive(series, national_last_month(history, last) if code == NATION else None)
        months = [add_months(min(series), step) for step in range(len(hired))]
        per_series[code] = _errors(np.array(hired), np.array(own), months)
    nation = per_series.pop(NATION)
    return nation, per_series


def _table(nation: dict, regions: dict) -> None:
    print(f"{'ahead':<11}{'':<8}" + "".join(f"{TITLES[m]:>26}" for m in METHODS) + "   Hyrkoll beats both")
    verdicts = []
    for h in HORIZONS:
        for label, mae in (
            ("nation", {m: float(np.mean(nation[h][m])) for m in METHODS}),
            ("regions", {m: float(np.mean([np.mean(r[h][m]) for r in regions.values()])) for m in METHODS}),
        ):
            beats = mae["hyrkoll"] < mae["baseline_a"] and mae["hyrkoll"] < mae["baseline_b"]
            verdicts.append(beats)
            cells = "".join(f"{mae[m]:>23.3f} pp" for m in METHODS)
            print(f"{f'{h} months':<11}{label:<8}{cells}   {'yes' if beats else 'NO'}")
    print(f"Hyrkoll's forecast beats both baselines in every cell: {'yes' if all(verdicts) else 'NO'}")


def run() -> None:
    started = time.perf_counter()
    nation, regions = _backtest()
    counts = ", ".join(f"{len(nation[h]['hyrkoll'])} for {h} months ahead" for h in HORIZONS)
    print(
        f"back-test: origins every month from {FIRST_ORIGIN:%Y-%m} (nation: {counts}), nation + {len(regions)} "
        f"regions, {time.perf_counter() - started:.0f} s"
    )
    print("mean absolute error of the rolling-12 share (percentage points):")
    _table(nation, regions)
    for h in HORIZONS:
        inside_nation = np.mean(nation[(h, "inside")])
        inside_regions = np.mean([np.mean(r[(h, "inside")]) for r in regions.values()])
        print(
            f"{LEVEL:.0%} interval, {h} months ahead: actual share inside it {inside_nation:.0%} (nation), "
            f"{inside_regions:.0%} (regions mean)"
        )
    with CaptureQueriesContext(connection) as queries:
        result = forecasts()
    count = sum(1 for value in result["regions"].values() if value is not None) + 1
    print(
        f"\nforecasts(): {count} series × hired and own, {len(queries)} queries, from {result['last_month']}"
    )
    measure("forecasts() – nation + 21 regions, from the database", forecasts, repeat=5)
