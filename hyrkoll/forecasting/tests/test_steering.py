"""On track / at risk / off track at its boundaries, and the monthly cut that reaches the target."""

from __future__ import annotations

import numpy as np
import pytest
from django.utils import translation

from hyrkoll.forecasting.shares import probability_at_most
from hyrkoll.forecasting.steering import Status, classify, required_reduction


@pytest.mark.parametrize(
    ("probability", "status"),
    [
        (1.0, Status.ON_TRACK),
        (0.7, Status.ON_TRACK),  # the boundary is on track
        (0.6999, Status.AT_RISK),
        (0.5, Status.AT_RISK),
        (0.3001, Status.AT_RISK),
        (0.3, Status.OFF_TRACK),  # the boundary is off track
        (0.0, Status.OFF_TRACK),
    ],
)
def test_the_boundaries(probability: float, status: Status) -> None:
    assert classify(probability) is status


def test_a_probability_outside_zero_to_one_is_refused() -> None:
    with pytest.raises(ValueError):
        classify(1.01)
    with pytest.raises(ValueError):
        classify(-0.1)


def test_the_boundaries_reached_by_counting_paths() -> None:
    """Seven of ten simulated year shares at or under the target: exactly 0.7, on track; three:
    exactly 0.3, off track. A share equal to the target counts as meeting it."""
    shares = np.array([1.5, 1.8, 2.0, 2.0, 1.9, 1.2, 2.0, 2.3, 2.5, 3.1])
    assert probability_at_most(shares, 2.0) == 0.7
    assert classify(probability_at_most(shares, 2.0)) is Status.ON_TRACK
    assert probability_at_most(shares, 1.99) == 0.4
    assert classify(probability_at_most(shares, 1.99)) is Status.AT_RISK
    assert probability_at_most(shares, 1.8) == 0.3
    assert classify(probability_at_most(shares, 1.8)) is Status.OFF_TRACK


def test_the_cut_over_a_whole_forecast_year() -> None:
    """Hired 30 and own 1,000 a month, target 2.5 %: 300 allowed of 360, 60 too much over 12
    months = 5 SEK a month, 5 / 30 = 16.67 % of the forecast."""
    cut = required_reduction(0.0, 0.0, [30.0] * 12, [1000.0] * 12, 2.5)
    assert cut.monthly_sek == pytest.approx(5.0)
    assert cut.monthly_pct == pytest.approx(100 / 6)
    assert (cut.months, cut.reachable) == (12, True)


def test_the_cut_with_actual_months() -> None:
    """Jan–Sep actual: hired 270, own 9,000; Oct–Dec forecast hired 40, 30, 20 (90), own 1,000
    each; target 2 %: 240 allowed of 360, 120 over 3 months = 40 a month, 120 / 90 = 133 % – more
    than the whole forecast, so the target cannot be reached this year."""
    cut = required_reduction(270.0, 9000.0, [40.0, 30.0, 20.0], [1000.0] * 3, 2.0)
    assert cut.monthly_sek == pytest.approx(40.0)
    assert cut.monthly_pct == pytest.approx(400 / 3)
    assert (cut.months, cut.reachable) == (3, False)
    reachable = required_reduction(230.0, 9000.0, [40.0, 30.0, 20.0], [1000.0] * 3, 2.0)
    assert reachable.monthly_sek == pytest.approx(80 / 3)
    assert reachable.reachable


def test_no_cut_at_or_under_the_target() -> None:
    assert required_reduction(0.0, 0.0, [30.0] * 12, [1000.0] * 12, 3.0).monthly_sek == 0.0  # exactly at
    below = required_reduction(0.0, 0.0, [30.0] * 12, [1000.0] * 12, 4.0)
    assert (below.monthly_sek, below.monthly_pct, below.reachable) == (0.0, 0.0, True)


def test_the_year_is_over() -> None:
    over = required_reduction(360.0, 12000.0, [], [], 2.0)
    assert (over.monthly_sek, over.monthly_pct, over.months, over.reachable) == (0.0, None, 0, False)


def test_status_labels() -> None:
    with translation.override("en"):
        assert Status.ON_TRACK.label == "On track"
    assert str(Status.OFF_TRACK) == "off_track"
