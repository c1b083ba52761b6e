"""The share (hired ÷ own personnel cost, in %) derived from the two cost forecasts.

Pure functions, no database. ``outlook`` forecasts both costs and derives, at every future month,
the rolling-12 share (the 12 months ending at that month: actual months and forecast months
together), and for every calendar year the forecast reaches through December, the year's share
(the year's actual months plus its forecast months) – in December the two are the same.

Point: from the point forecasts (the model's central value). Interval and probability: from the
simulated paths – each path of hired cost is paired with a path of own cost (drawn independently;
own cost varies far less than hired cost), the share is computed path by path, and the interval
holds the central ``level`` of the path shares; the probability that a share is at most a target
is the part of the paths where it is.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from hyrkoll.forecasting.model import LEVEL, PATHS, SeriesForecast, forecast_series, quantile_band

WINDOW = 12
TOLERANCE = 1e-9  # a share equal to the target (up to float rounding) counts as meeting it


def add_months(day: datetime.date, months: int) -> datetime.date:
    index = day.year * 12 + day.month - 1 + months
    return datetime.date(index // 12, index % 12 + 1, 1)


def default_horizon(last_month: datetime.date) -> int:
    """Months from the one after ``last_month`` through December of the following year: the rest
    of the current year and the whole next year."""
    first = add_months(last_month, 1)
    return (12 - first.month + 1) + 12


def share_pct(hired: np.ndarray | float, own: np.ndarray | float) -> np.ndarray:
    """100 × hired ÷ own, NaN where own cost is not positive."""
    hired, own = np.asarray(hired, dtype=float), np.asarray(own, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(own > 0, 100 * hired / np.where(own > 0, own, 1), np.nan)


def probability_at_most(samples: np.ndarray, target_pct: float) -> float:
    """The part of the simulated shares at most ``target_pct`` (NaN shares count as above)."""
    return float(np.mean(np.asarray(samples) <= target_pct + TOLERANCE))


@dataclass(frozen=True)
class Band:
    """A share: the point value, the interval and the simulated values it comes from."""

    point: np.ndarray
    low: np.ndarray
    high: np.ndarray
    samples: np.ndarray  # the point's shape + (paths,)

    @classmethod
    def of(cls, point: np.ndarray, samples: np.ndarray, level: float) -> Band:
        low, high = quantile_band(samples, level)
        return cls(np.asarray(point, dtype=float), low, high, samples)


@dataclass(frozen=True)
class YearShare:
    year: int
    actual_months: int
    hired_actual_sek: float
    own_actual_sek: float
    hired_forecast_sek: np.ndarray  # point forecast of each of the year's forecast months
    own_forecast_sek: np.ndarray
    share: Band  # scalar point/low/high, samples of shape (paths,)

    @property
    def forecast_months(self) -> int:
        return len(self.hired_forecast_sek)


@dataclass(frozen=True)
class Outlook:
    last_month: datetime.date
    months: list[datetime.date]  # the forecast months
    level: float
    hired: SeriesForecast
    own: SeriesForecast
    rolling12: Band  # per forecast month; NaN where the history is shorter than the window
    years: list[YearShare]


def _rolling_sums(history: np.ndarray, future: np.ndarray) -> np.ndarray:
    """Sum of the ``WINDOW`` months ending at each future month (axis 0), NaN if incomplete.
    ``future`` is (horizon,) or (horizon, paths)."""
    tail = history[-(WINDOW - 1) :]
    known = np.broadcast_to(
        tail.reshape((len(tail),) + (1,) * (future.ndim - 1)), (len(tail), *future.shape[1:])
    )
    full = np.concatenate([known, future])
    cumulative = np.concatenate([np.zeros((1, *future.shape[1:])), np.cumsum(full, axis=0)])
    ends = np.arange(len(tail) + 1, len(full) + 1)  # exclusive end of each future month's window
    sums = cumulative[ends] - cumulative[np.maximum(ends - WINDOW, 0)]
    incomplete = ends < WINDOW
    sums[incomplete] = np.nan
    return sums


def rolling12(
    hired_history: np.ndarray,
    own_history: np.ndarray,
    hired: SeriesForecast,
    own: SeriesForecast,
    level: float,
) -> Band:
    point = share_pct(_rolling_sums(hired_history, hired.point), _rolling_sums(own_history, own.point))
    samples = share_pct(_rolling_sums(hired_history, hired.paths), _rolling_sums(own_history, own.paths))
    return Band.of(point, samples, level)


def year_shares(
    hired_history: np.ndarray,
    own_history: np.ndarray,
    last_month: datetime.date,
    months: list[datetime.date],
    hired: SeriesForecast,
    own: SeriesForecast,
    level: float,
) -> list[YearShare]:
    """The share of every calendar year whose December is among the forecast months."""
    result = []
    for year in sorted({m.year for m in months if m.month == 12}):
        index = np.array([i for i, m in enumerate(months) if m.year == year])
        actual = min(last_month.month if last_month.year == year else 0, len(hired_history))
        hired_actual = float(hired_history[len(hired_history) - actual :].sum()) if actual else 0.0
        own_actual = float(own_history[len(own_history) - actual :].sum()) if actual else 0.0
        point = share_pct(hired_actual + hired.point[index].sum(), own_actual + own.point[index].sum())
        samples = share_pct(
            hired_actual + hired.paths[index].sum(axis=0), own_actual + own.paths[index].sum(axis=0)
        )
        result.append(
            YearShare(
                year=year,
                actual_months=actual,
                hired_actual_sek=hired_actual,
                own_actual_sek=own_actual,
                hired_forecast_sek=hired.point[index],
                own_forecast_sek=own.point[index],
                share=Band.of(point, samples, level),
            )
        )
    return result


def outlook(
    hired: Sequence[float],
    own: Sequence[float],
    last_month: datetime.date,
    horizon: int | None = None,
    *,
    level: float = LEVEL,
    paths: int = PATHS,
    seed: int | Sequence[int] = 0,
) -> Outlook:
    """Forecast hired and own cost for ``horizon`` months after ``last_month`` (the month of the
    last values; default: through December of the next year) and derive the shares."""
    hired_history, own_history = np.asarray(hired, dtype=float), np.asarray(own, dtype=float)
    if hired_history.shape != own_history.shape:
        raise ValueError("hired and own cost must cover the same months")
    horizon = horizon or default_horizon(last_month)
    rng = np.random.default_rng(seed)
    hired_forecast = forecast_series(hired_history, horizon, paths=paths, rng=rng)
    own_forecast = forecast_series(own_history, horizon, paths=paths, rng=rng)
    months = [add_months(last_month, step) for step in range(1, horizon + 1)]
    return Outlook(
        last_month=last_month,
        months=months,
        level=level,
        hired=hired_forecast,
        own=own_forecast,
        rolling12=rolling12(hired_history, own_history, hired_forecast, own_forecast, level),
        years=year_shares(
            hired_history, own_history, last_month, months, hired_forecast, own_forecast, level
        ),
    )
