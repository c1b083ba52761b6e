"""Forecast of one monthly cost series (hired or own personnel cost), with simulated paths.

Pure functions on plain sequences of floats (SEK, consecutive months, oldest first); no database.

The model is Holt-Winters exponential smoothing (statsmodels ``ExponentialSmoothing``) with a
damped additive trend and additive monthly seasonality, fitted on the logarithm of the costs – so
the seasonal pattern and the trend act as percentages. It won the back-test
(``bench/bench_forecast.py``) against the model without trend and the undamped one, and it fits in
a few milliseconds (heuristic initial states, local optimiser only).

Fallbacks, so every series gets a forecast:

- fewer than ``MIN_SEASONAL_MONTHS`` (24) months: the same model without seasonality;
- fewer than ``MIN_TREND_MONTHS`` (10) months, or a fit that fails: the mean of the months seen,
  with the months' spread as uncertainty;
- a zero or negative month: the model on the costs themselves instead of their logarithm
  (forecasts and paths never go below zero); no positive month at all: zero.

Uncertainty: ``PATHS`` future paths are simulated from the fitted model with normally distributed
errors of the size seen in the fit; every interval and probability is read off those paths.

Those paths alone are too narrow: the model's own spread grows with the horizon only as its
one-month errors add up, while the real errors also come from changes of direction the model does
not foresee (the back-test: the actual rolling-12 share fell inside the 80 % interval only 62–71 %
of the time). So the spread is calibrated on the series' own history, at forecast time, by a
hold-out (``_widening``): the same model is fitted again without the last ``HOLDOUT_MONTHS`` (12)
months and forecasts them; each of those months' errors, squared and divided by the variance that
fit implied for it (``_model_variance``), estimates how much the real error variance exceeds the
model's at that horizon. The ratio is taken to grow in a straight line with the horizon,
1 + c × (months ahead − 1), c fitted by least squares, never below 0 (the spread is widened, never
narrowed: one year of hold-out is too little evidence for that); the simulated paths' deviations from
the point forecast are then multiplied by the square root of that ratio, month by month. The point
forecast does not change. No calibration (ratio 1) when the history is too short for the hold-out
fit or the model implies no spread at all (a flat series).
"""

from __future__ import annotations

import functools
import warnings
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from statsmodels.tools.sm_exceptions import ConvergenceWarning
from statsmodels.tsa.holtwinters import ExponentialSmoothing
from threadpoolctl import ThreadpoolController

SEASON = 12
HISTORY_MONTHS = 120  # the last ten years are enough; older months only slow the fit down
MIN_SEASONAL_MONTHS = 24
MIN_TREND_MONTHS = 10
PATHS = 1000
LEVEL = 0.8  # the interval holds 80 % of the simulated paths
MAX_LOG = 700.0  # exp(700) is still a finite float
HOLDOUT_MONTHS = 12  # the months the calibration's hold-out fit forecasts (see the module docstring)

SEASONAL_LOG = "damped_trend_seasonal_log"
TREND_LOG = "damped_trend_log"
SEASONAL = "damped_trend_seasonal"
TREND = "damped_trend"
MEAN = "mean"
ZERO = "zero"


@dataclass(frozen=True)
class SeriesForecast:
    """``point[i]`` and ``paths[i, :]`` are the forecast for the i-th month after the history."""

    method: str
    point: np.ndarray  # shape (horizon,)
    paths: np.ndarray  # shape (horizon, paths)

    def band(self, level: float = LEVEL) -> tuple[np.ndarray, np.ndarray]:
        """The lower and upper bounds holding ``level`` of the paths, month by month."""
        return quantile_band(self.paths, level)


def quantile_band(paths: np.ndarray, level: float = LEVEL) -> tuple[np.ndarray, np.ndarray]:
    """Central interval of ``level`` along the last axis (the paths)."""
    tail = (1 - level) / 2
    low, high = np.quantile(paths, [tail, 1 - tail], axis=-1)
    return low, high


@functools.cache
def _threadpools() -> ThreadpoolController:
    """The BLAS libraries loaded (numpy's and scipy's), found once: the search takes milliseconds."""
    return ThreadpoolController()


def _fit(values: np.ndarray, seasonal: bool):
    model = ExponentialSmoothing(
        values,
        trend="add",
        damped_trend=True,
        seasonal="add" if seasonal else None,
        seasonal_periods=SEASON if seasonal else None,
        initialization_method="heuristic",
    )
    return model.fit(use_brute=False)


def _model_variance(result, steps: int) -> np.ndarray:
    """The variance of the forecast error 1, 2, …, ``steps`` months ahead that a fitted model
    implies – the spread of its simulated paths: σ² × (1 + c₁² + … + c_{h−1}²), c_j = α + β × (φ +
    φ² + … + φ^j) + γ if j is a multiple of the season, σ² the residual variance as statsmodels'
    ``simulate`` computes it (its error-correction form: the level moves by α × the error, the trend
    by β ×, the month's seasonal by γ ×)."""
    params = result.params
    seasonal = result.model.seasonal is not None
    alpha, beta, phi = params["smoothing_level"], params["smoothing_trend"], params["damping_trend"]
    gamma = params["smoothing_seasonal"] if seasonal else 0.0
    n_params = 2 + 2 + (SEASON + 1) * seasonal + 1  # as in ``simulate``: trend, damped, seasonal
    sigma2 = float(np.sum(np.square(result.resid))) / (result.model.nobs - n_params)
    lags = np.arange(1, steps)
    c = alpha + beta * np.cumsum(phi**lags) + gamma * (lags % SEASON == 0)
    return sigma2 * (1 + np.concatenate([[0.0], np.cumsum(c**2)]))


def _widening(values: np.ndarray, seasonal: bool, horizon: int) -> np.ndarray:
    """The factor, per forecast month, by which the simulated paths' deviations from the point
    forecast are multiplied (see the module docstring): √(1 + c × (h − 1)), from a hold-out fit
    without the last ``HOLDOUT_MONTHS`` months; all 1 when that is not possible."""
    ones = np.ones(horizon)
    known = len(values) - HOLDOUT_MONTHS
    if known < (MIN_SEASONAL_MONTHS if seasonal else MIN_TREND_MONTHS):
        return ones
    try:
        result = _fit(values[:known], seasonal)
        errors = values[known:] - np.asarray(result.forecast(HOLDOUT_MONTHS), dtype=float)
        variance = _model_variance(result, HOLDOUT_MONTHS)
    except (ValueError, np.linalg.LinAlgError):
        return ones
    if not (np.all(np.isfinite(errors)) and np.all(np.isfinite(variance)) and np.all(variance > 0)):
        return ones
    ratio = np.square(errors) / variance  # each ≈ 1 if the model's spread were right
    ahead = np.arange(HOLDOUT_MONTHS, dtype=float)  # months ahead − 1
    slope = max(0.0, float(np.sum(ahead * (ratio - 1)) / np.sum(ahead**2)))
    return np.sqrt(1 + slope * np.arange(horizon))


def _smoothing(
    values: np.ndarray, horizon: int, paths: int, rng: np.random.Generator
) -> tuple[bool, np.ndarray, np.ndarray] | None:
    """(seasonal, point, paths) from the largest model the history allows, the paths' spread
    calibrated (``_widening``); None if no model fits."""
    candidates = [True, False] if len(values) >= MIN_SEASONAL_MONTHS else [False]
    if len(values) < MIN_TREND_MONTHS:
        return None
    # One BLAS thread: the optimiser's matrices are tiny, and on a busy machine OpenBLAS's threads
    # made a fit 3–10× slower. Warnings of a fit that does not converge are not the reader's business.
    with _threadpools().limit(limits=1, user_api="blas"), warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        warnings.simplefilter("ignore", RuntimeWarning)  # numpy's overflow in a rejected trial step
        for seasonal in candidates:
            try:
                result = _fit(values, seasonal)
                point = np.asarray(result.forecast(horizon), dtype=float)
                simulated = np.asarray(result.simulate(horizon, repetitions=paths, rng=rng), dtype=float)
            except (ValueError, np.linalg.LinAlgError):
                continue
            simulated = simulated.reshape(horizon, paths)
            if np.all(np.isfinite(point)) and np.all(np.isfinite(simulated)):
                factor = _widening(values, seasonal, horizon)[:, None]
                return seasonal, point, point[:, None] + factor * (simulated - point[:, None])
    return None


def _mean_model(values: np.ndarray, horizon: int, paths: int, rng: np.random.Generator) -> SeriesForecast:
    level = float(values.mean())
    spread = float(values.std(ddof=1)) if len(values) > 1 else 0.0
    simulated = np.maximum(level + spread * rng.standard_normal((horizon, paths)), 0.0)
    return SeriesForecast(MEAN, np.full(horizon, max(level, 0.0)), simulated)


def forecast_series(
    history: Sequence[float], horizon: int, *, paths: int = PATHS, rng: np.random.Generator | None = None
) -> SeriesForecast:
    """Forecast the ``horizon`` months after ``history`` (see the module docstring)."""
    if horizon < 1 or paths < 1:
        raise ValueError("horizon and paths must be at least 1")
    values = np.asarray(history, dtype=float)[-HISTORY_MONTHS:]
    if len(values) == 0 or not np.all(np.isfinite(values)):
        raise ValueError("the history must be a non-empty sequence of finite numbers")
    rng = rng if rng is not None else np.random.default_rng(0)
    if not np.any(values > 0):
        return SeriesForecast(ZERO, np.zeros(horizon), np.zeros((horizon, paths)))
    on_log = bool(np.all(values > 0))
    fitted = _smoothing(np.log(values) if on_log else values, horizon, paths, rng)
    if fitted is None:
        return _mean_model(values, horizon, paths, rng)
    seasonal, point, simulated = fitted
    if on_log:
        point, simulated = np.exp(np.minimum(point, MAX_LOG)), np.exp(np.minimum(simulated, MAX_LOG))
        method = SEASONAL_LOG if seasonal else TREND_LOG
    else:
        point, simulated = np.maximum(point, 0.0), np.maximum(simulated, 0.0)
        method = SEASONAL if seasonal else TREND
    return SeriesForecast(method, point, simulated)
