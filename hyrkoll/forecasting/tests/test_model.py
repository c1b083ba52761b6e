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
