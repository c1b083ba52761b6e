"""The forecast against hand-computable series, and the shares derived from it."""

from __future__ import annotations

import datetime
import warnings

import numpy as np
import pytest

from hyrkoll.forecasting import model
from hyrkoll.forecasting.model import SeriesForecast, forecast_series
from hyrkoll.forecasting.shares import (
    default_horizon,
    outlook,
    probability_at_most,
    rolling12,
    share_pct,
    year_shares,
)

# Hired cost by month, a summer peak (January first); own cost flat.
PATTERN = np.array([95, 93, 97, 96, 98, 106, 130, 120, 97, 96, 95, 77], dtype=float)


def test_a_flat_series_forecasts_flat_with_no_spread() -> None:
    result = forecast_series([250.0] * 36, 13)
    assert result.method == model.SEASONAL_LOG
    assert result.point == pytest.approx([250.0] * 13, rel=1e-9)
    low, high = result.band()
    assert low == pytest.approx([250.0] * 13, rel=1e-9)
    assert high == pytest.approx([250.0] * 13, rel=1e-9)


def test_a_pure_seasonal_series_forecasts_the_same_pattern() -> None:
    history = np.tile(PATTERN, 4)  # January 2022 – December 2025
    result = forecast_series(history, 24)
    assert result.method == model.SEASONAL_LOG
    assert result.point == pytest.approx(np.tile(PATTERN, 2), rel=1e-6)


def test_the_pattern_follows_the_calendar_when_the_history_ends_mid_year() -> None:
    history = np.tile(PATTERN, 4)[:-5]  # ends in July
    result = forecast_series(history, 5)
    assert result.point == pytest.approx(PATTERN[7:], rel=1e-6)


def test_a_flat_series_keeps_its_share_and_the_probability_is_all_or_nothing() -> None:
    result = outlook([20.0] * 36, [1000.0] * 36, datetime.date(2026, 11, 1))
    assert [m.isoformat() for m in (result.months[0], result.months[-1])] == ["2026-12-01", "2027-12-01"]
    assert result.rolling12.point == pytest.approx([2.0] * 13)
    assert result.rolling12.low == pytest.approx([2.0] * 13)
    assert result.rolling12.high == pytest.approx([2.0] * 13)
    assert [(year.year, year.actual_months, year.forecast_months) for year in result.years] == [
        (2026, 11, 1),
        (2027, 0, 12),
    ]
    for year in result.years:
        assert float(year.share.point) == pytest.approx(2.0)
        assert probability_at_most(year.share.samples, 2.0) == 1.0
        assert probability_at_most(year.share.samples, 1.99) == 0.0


def test_a_seasonal_series_keeps_its_rolling_share() -> None:
    hired, own = np.tile(PATTERN, 4), np.full(48, 5000.0)
    result = outlook(hired, own, datetime.date(2025, 12, 1))
    assert len(result.months) == 24  # all of 2026 and 2027
    assert result.rolling12.point == pytest.approx([100 * PATTERN.sum() / 60000] * 24, rel=1e-6)
    assert result.hired.point[6] == pytest.approx(130.0, rel=1e-6)  # July


def test_the_horizon_is_the_rest_of_the_year_and_the_next() -> None:
    assert default_horizon(datetime.date(2026, 11, 1)) == 13
    assert default_horizon(datetime.date(2026, 12, 1)) == 24  # the year is done: the next two
    assert default_horizon(datetime.date(2026, 1, 1)) == 23


def test_the_model_variance_is_the_spread_of_the_simulated_paths() -> None:
    """``_model_variance`` is the closed form of the spread ``simulate`` draws (within the sampling
    error of 20,000 paths)."""
    rng = np.random.default_rng(3)
    history = np.log(np.tile(PATTERN, 4) * np.linspace(1, 1.4, 48) * rng.uniform(0.95, 1.05, 48))
    for seasonal in (True, False):
        result = model._fit(history, seasonal)
        simulated = result.simulate(14, repetitions=20000, rng=np.random.default_rng(1))
        assert np.sqrt(model._model_variance(result, 14)) == pytest.approx(simulated.std(axis=1), rel=0.03)


def _turning(months_after_turn: int) -> np.ndarray:
    """Hired cost rising 1 % a month with ±2 % noise, then falling 4 % a month for the last
    ``months_after_turn`` months – a change of direction the months before it do not announce."""
    rng = np.random.default_rng(5)
    growth = np.concatenate([np.full(48 - months_after_turn, 1.01), np.full(months_after_turn, 0.96)])
    return np.tile(PATTERN, 4) * np.cumprod(growth) * rng.uniform(0.98, 1.02, 48)


def test_the_spread_widens_with_the_errors_of_the_hold_out_year() -> None:
    """The hold-out fit (the first 36 months) forecasts a rise where the last 12 months fell: its
    errors are far larger than its spread, so the factor grows with the horizon, from 1 the first
    month. A steady series of the same noise gets none: its hold-out errors are of the model's size."""
    turned = model._widening(np.log(_turning(12)), True, 24)
    assert turned[0] == 1.0
    assert np.all(np.diff(turned) > 0)
    assert turned[11] > 2
    assert turned[23] ** 2 - 1 == pytest.approx(23 / 11 * (turned[11] ** 2 - 1))  # linear in the variance
    steady = model._widening(np.log(_turning(0)), True, 24)
    assert steady.tolist() == [1.0] * 24


def test_the_widening_leaves_the_point_forecast_and_the_centre_of_the_paths() -> None:
    history = _turning(12)
    result = forecast_series(history, 13)
    fit = model._fit(np.log(history), True)
    assert result.point == pytest.approx(np.exp(fit.forecast(13)), rel=1e-9)
    raw = np.exp(fit.simulate(13, repetitions=model.PATHS, rng=np.random.default_rng(0)))
    factor = model._widening(np.log(history), True, 13)
    # The same random numbers, each month's deviation from the point (on the log scale) × the factor.
    expected = np.exp(np.log(result.point)[:, None] + factor[:, None] * np.log(raw / result.point[:, None]))
    assert result.paths == pytest.approx(expected, rel=1e-9)
    low, high = result.band()
    raw_low, raw_high = model.quantile_band(raw)
    assert np.all(high - low >= raw_high - raw_low - 1e-9)


def test_no_widening_without_a_hold_out_or_without_spread() -> None:
    assert model._widening(np.log(_turning(12))[:30], True, 6).tolist() == [1.0] * 6  # 18 months left
    assert model._widening(np.full(40, np.log(250.0)), True, 6).tolist() == [1.0] * 6  # flat


def test_short_histories_fall_back_to_simpler_models() -> None:
    rising = [100.0 + month for month in range(18)]
    assert forecast_series(rising, 6).method == model.TREND_LOG
    result = forecast_series([100.0, 110.0, 90.0], 4, paths=2000)
    assert result.method == model.MEAN
    assert result.point == pytest.approx([100.0] * 4)
    assert result.paths.std() == pytest.approx(10.0, rel=0.1)


def test_zeros_and_negatives_are_handled_without_warnings() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert forecast_series([0.0] * 30, 3).method == model.ZERO
        assert forecast_series([0.0] * 30, 3).point.tolist() == [0.0] * 3
        with_zeros = np.tile(PATTERN, 3)
        with_zeros[[3, 15]] = 0.0
        with_zeros[20] = -50.0  # a correction larger than the month
        result = forecast_series(with_zeros, 12)
    assert result.method == model.SEASONAL
    assert np.all(result.point >= 0) and np.all(result.paths >= 0)


def test_bad_input_is_refused() -> None:
    with pytest.raises(ValueError):
        forecast_series([], 3)
    with pytest.raises(ValueError):
        forecast_series([1.0, float("nan")], 3)
    with pytest.raises(ValueError):
        forecast_series([1.0] * 30, 0)
    with pytest.raises(ValueError):
        outlook([1.0] * 30, [1.0] * 29, datetime.date(2026, 1, 1))


def test_the_same_seed_gives_the_same_paths() -> None:
    history = np.tile(PATTERN, 3) * np.linspace(1, 1.3, 36)
    first = outlook(history, np.full(36, 4000.0), datetime.date(2025, 12, 1), seed=7)
    again = outlook(history, np.full(36, 4000.0), datetime.date(2025, 12, 1), seed=7)
    assert np.array_equal(first.rolling12.samples, again.rolling12.samples)


def _known(point: list[float], paths: list[list[float]]) -> SeriesForecast:
    return SeriesForecast("known", np.array(point), np.array(paths))


def test_rolling12_and_year_shares_from_a_known_forecast() -> None:
    """History: Jan–Oct 2026, hired 10 and own 100 a month; forecast Nov–Dec: hired 40 and 10
    (paths 40/10 and 70/70), own 100. Rolling 12 in Nov (the first 10 months of history missing
    two): incomplete; the year 2026: (100 + 50) / 1200 = 12.5 %, the other path 240 / 1200 = 20 %."""
    hired, own = np.full(10, 10.0), np.full(10, 100.0)
    hired_forecast = _known([40.0, 10.0], [[40.0, 70.0], [10.0, 70.0]])
    own_forecast = _known([100.0, 100.0], [[100.0, 100.0], [100.0, 100.0]])
    months = [datetime.date(2026, 11, 1), datetime.date(2026, 12, 1)]
    band = rolling12(hired, own, hired_forecast, own_forecast, 0.8)
    assert np.isnan(band.point[0])
    assert band.point[1] == pytest.approx(12.5)
    (year,) = year_shares(hired, own, datetime.date(2026, 10, 1), months, hired_forecast, own_forecast, 0.8)
    assert (year.year, year.actual_months, year.forecast_months) == (2026, 10, 2)
    assert (year.hired_actual_sek, year.own_actual_sek) == (100.0, 1000.0)
    assert float(year.share.point) == pytest.approx(12.5)
    assert year.share.samples == pytest.approx([12.5, 20.0])
    assert probability_at_most(year.share.samples, 12.5) == 0.5
    assert probability_at_most(year.share.samples, 20.0) == 1.0


def test_share_of_no_own_cost_is_undefined() -> None:
    assert np.isnan(share_pct(5.0, 0.0))
    assert share_pct([5.0, 1.0], [100.0, 50.0]) == pytest.approx([5.0, 2.0])
