"""On track or not: the projected year-end share against the target, and the cut that reaches it.

Classification, from P = the probability that the year's share (= the December rolling-12 share)
is at most the target for that year, read off the forecast's simulated paths:

- ``on_track``  when P ≥ 0.7 (exactly 0.7 is on track);
- ``off_track`` when P ≤ 0.3 (exactly 0.3 is off track);
- ``at_risk``   when 0.3 < P < 0.7.

Required reduction: the constant monthly cut in hired cost, over the year's remaining (forecast)
months, that brings the year's share – actual months plus the forecast – exactly to the target;
0 when the forecast already is at or under the target. In % it is the cut relative to the mean
monthly hired cost forecast for those months. A cut larger than the whole forecast hired cost
(over 100 %) cannot reach the target within the year: ``reachable`` is then False.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from django.utils.translation import gettext_lazy as _

ON_TRACK_FROM = 0.7  # P(share ≤ target) at or above this: on track
OFF_TRACK_TO = 0.3  # at or below this: off track
HALF_ORE = 0.005  # an excess this small is float rounding, not a cost over the target


class Status(StrEnum):
    ON_TRACK = "on_track"
    AT_RISK = "at_risk"
    OFF_TRACK = "off_track"

    @property
    def label(self) -> str:
        return str(STATUS_LABELS[self])


STATUS_LABELS = {
    Status.ON_TRACK: _("On track"),
    Status.AT_RISK: _("At risk"),
    Status.OFF_TRACK: _("Off track"),
}


def classify(probability: float) -> Status:
    """The status for P(year-end share ≤ target) (see the module docstring for the boundaries)."""
    if not 0 <= probability <= 1:
        raise ValueError(f"{probability!r} is not a probability")
    if probability >= ON_TRACK_FROM:
        return Status.ON_TRACK
    if probability <= OFF_TRACK_TO:
        return Status.OFF_TRACK
    return Status.AT_RISK


@dataclass(frozen=True)
class Reduction:
    monthly_sek: float  # the cut per remaining month, SEK (0 if none is needed)
    monthly_pct: float | None  # the cut in % of the forecast hired cost; None if that is 0
    months: int  # the remaining months the cut applies to
    reachable: bool  # False: even no hired cost at all in those months would not reach the target


def required_reduction(
    hired_actual_sek: float,
    own_actual_sek: float,
    hired_forecast_sek: Sequence[float],
    own_forecast_sek: Sequence[float],
    target_pct: float,
) -> Reduction:
    """The constant monthly cut c with (hired actual + Σ(hired forecast − c)) ÷ (own actual +
    Σ own forecast) = target; 0 when the forecast share is already at most the target."""
    months = len(hired_forecast_sek)
    hired_total = hired_actual_sek + sum(hired_forecast_sek)
    own_total = own_actual_sek + sum(own_forecast_sek)
    excess = hired_total - target_pct / 100 * own_total  # SEK over the target for the year
    if excess <= HALF_ORE:
        return Reduction(0.0, 0.0, months, True)
    if months == 0:
        return Reduction(0.0, None, 0, False)
    forecast = sum(hired_forecast_sek)
    cut = excess / months
    percent = 100 * excess / forecast if forecast > 0 else None
    return Reduction(cut, percent, months, percent is not None and percent <= 100)
