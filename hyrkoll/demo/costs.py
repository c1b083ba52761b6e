"""Monthly cost history 2015 → last complete month, calibrated to the published figures.

Rows per region and month (source ``demo``):

- ``hired``: one row per profession (doctor, nurse, other) × care area (primary, psychiatry,
  somatic) – nine rows;
- ``own``: one row per care area with the profession empty (own personnel cost is not split by
  profession in the demo) – three rows.

Calibration (``domain/figures.md``): the national hired total of every year equals
``HIRED_BN`` (2026: an annualised level; only its complete months are written), and own cost
equals ``OWN_BN``, so the national share is hired ÷ own. A region's own cost is proportional to its
population; its hired cost follows a relative factor (metropolitan regions low, the north high)
normalised every month so the national total stays exact. Hired cost is a little higher in summer.
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

from hyrkoll.demo.data import REGION_POPULATION

FIRST_YEAR = 2015
BN = 1_000_000_000

# National hired-staff cost per year (SEK bn); 2020 interpolated, 2026 the annualised fall.
HIRED_BN = {
    2015: 3.9, 2016: 4.6, 2017: 5.2, 2018: 5.4, 2019: 5.6, 2020: 5.85, 2021: 6.3, 2022: 7.95,
    2023: 9.05, 2024: 5.95, 2025: 4.75, 2026: 4.2,
}  # fmt: skip
# National own personnel cost per year (SEK bn): share ≈ 3.8 % 2017–2019, 3.9 % 2021, ≈ 3.2 % 2024,
# ≈ 2.5 % 2025; growth 3–6 % a year (higher in the inflation years 2022–2023).
OWN_BN = {
    2015: 127.0, 2016: 131.5, 2017: 136.8, 2018: 142.1, 2019: 147.4, 2020: 154.0, 2021: 161.5,
    2022: 168.0, 2023: 177.0, 2024: 187.0, 2025: 192.5, 2026: 199.0,
}  # fmt: skip

# A region's hired share relative to the nation, at anchor years (interpolated between the middle
# of those years). 2024: the metropolitan regions near 1 %, Västernorrland, Norrbotten and Jämtland
# Härjedalen at 10–14 %; 2025: Stockholm, Skåne, Östergötland, Uppsala, VGR under 2 %.
FACTOR_YEARS = (2015, 2019, 2022, 2024, 2025, 2026)
REGION_FACTORS = {
    "01": (0.60, 0.55, 0.80, 0.31, 0.38, 0.38),
    "03": (0.90, 0.90, 0.90, 0.90, 0.62, 0.60),
    "04": (1.50, 1.40, 1.30, 1.45, 1.40, 1.35),
    "05": (0.85, 0.85, 0.85, 0.90, 0.60, 0.58),
    "06": (0.80, 0.85, 0.90, 0.85, 0.95, 0.95),
    "07": (1.20, 1.20, 1.10, 1.10, 1.05, 1.00),
    "08": (1.30, 1.20, 1.10, 1.00, 0.95, 0.90),
    "09": (1.80, 1.80, 1.60, 1.90, 1.80, 1.70),
    "10": (1.30, 1.40, 1.20, 1.20, 1.15, 1.05),
    "12": (0.70, 0.70, 0.80, 0.33, 0.45, 0.45),
    "13": (0.90, 0.95, 1.00, 1.20, 1.15, 1.10),
    "14": (0.70, 0.65, 0.85, 0.35, 0.52, 0.52),
    "17": (1.40, 1.40, 1.30, 1.55, 1.50, 1.45),
    "18": (1.20, 1.20, 1.15, 1.40, 1.35, 1.30),
    "19": (1.20, 1.20, 1.10, 1.40, 1.30, 1.25),
    "20": (1.70, 1.60, 1.50, 1.80, 1.65, 1.55),
    "21": (1.80, 1.70, 1.50, 1.90, 1.75, 1.65),
    "22": (2.60, 2.70, 2.40, 3.70, 3.70, 3.60),
    "23": (2.80, 2.90, 2.50, 3.40, 3.40, 3.30),
    "24": (1.50, 1.50, 1.40, 1.90, 1.85, 1.75),
    "25": (2.40, 2.50, 2.20, 3.90, 4.00, 3.80),
}
# Hired cost by month (summer holidays are covered by hired staff); normalised to a mean of 1.
SEASON = (0.97, 0.95, 0.98, 0.97, 0.98, 1.06, 1.18, 1.12, 0.97, 0.96, 0.95, 0.91)
# Own personnel cost by month (holiday pay in summer, a little lower in July).
OWN_SEASON = (1.00, 0.98, 1.01, 0.99, 1.00, 1.04, 0.95, 1.02, 1.00, 1.01, 1.00, 1.00)
# Doctors' part of hired cost (about three quarters in 2016, 54 % in 2022); "other" ~4 %.
DOCTOR_SHARE = {
    2015: 0.76, 2016: 0.75, 2017: 0.72, 2018: 0.68, 2019: 0.65, 2020: 0.61, 2021: 0.58, 2022: 0.54,
    2023: 0.52, 2024: 0.56, 2025: 0.60, 2026: 0.62,
}  # fmt: skip
OTHER_SHARE = 0.04
# Care-area split per profession of hired cost, and of own cost.
HIRED_AREA_SPLIT = {
    "doctor": {"primary": 0.46, "psychiatry": 0.27, "somatic": 0.27},
    "nurse": {"primary": 0.15, "psychiatry": 0.10, "somatic": 0.75},
    "other": {"primary": 0.20, "psychiatry": 0.20, "somatic": 0.60},
}
OWN_AREA_SPLIT = {"primary": 0.22, "psychiatry": 0.12, "somatic": 0.66}


@dataclass(frozen=True)
class CostRow:
    region_code: str
    period: datetime.date
    cost_type: str
    profession: str
    care_area: str
    amount_sek: Decimal


def months_until(today: datetime.date) -> list[datetime.date]:
    """First days of every month from January 2015 up to the last complete month before ``today``."""
    months = []
    year, month = FIRST_YEAR, 1
    while datetime.date(year, month, 1) < datetime.date(today.year, today.month, 1):
        months.append(datetime.date(year, month, 1))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def _interpolate(points: dict[float, float], x: float) -> float:
    keys = sorted(points)
    if x <= keys[0]:
        return points[keys[0]]
    for left, right in zip(keys, keys[1:], strict=False):
        if x <= right:
            return points[left] + (points[right] - points[left]) * (x - left) / (right - left)
    return points[keys[-1]]


def _year_position(month: datetime.date) -> float:
    """Month as a fractional year, mid-month (July 1 of year y ≈ y + 0.5)."""
    return month.year + (month.month - 0.5) / 12


def _monthly_national(yearly_bn: dict[int, float], season: tuple[float, ...]) -> dict[datetime.date, float]:
    """Monthly amounts following a smooth trend through the years, each year summing exactly."""
    season_mean = sum(season) / 12
    trend = {year + 0.5: value * BN / 12 for year, value in yearly_bn.items()}
    result = {}
    for year, value in yearly_bn.items():
        months = [datetime.date(year, m, 1) for m in range(1, 13)]
        raw = [_interpolate(trend, _year_position(d)) * season[d.month - 1] / season_mean for d in months]
        scale = value * BN / sum(raw)
        result.update({d: r * scale for d, r in zip(months, raw, strict=True)})
    return result


def _sek(value: float) -> Decimal:
    return Decimal(f"{value:.2f}")


def _split(rng: random.Random, weights: dict[str, float], noise: float) -> dict[str, float]:
    noisy = {key: weight * rng.uniform(1 - noise, 1 + noise) for key, weight in weights.items()}
    total = sum(noisy.values())
    return {key: value / total for key, value in noisy.items()}


def cost_rows(rng: random.Random, region_codes: list[str], today: datetime.date) -> Iterator[CostRow]:
    """Every demo cost row up to the last complete month before ``today``."""
    years = dict(HIRED_BN)
    for year in range(max(HIRED_BN) + 1, today.year + 1):  # beyond the table: keep falling slowly
        years[year] = years[year - 1] * 0.95
    own_years = {
        year: OWN_BN.get(year, OWN_BN[max(OWN_BN)] * 1.035 ** (year - max(OWN_BN))) for year in years
    }
    hired_national = _monthly_national(years, SEASON)
    own_national = _monthly_national(own_years, OWN_SEASON)
    population = sum(REGION_POPULATION[code] for code in region_codes)
    weights = {code: REGION_POPULATION[code] / population for code in region_codes}
    # Each region's care-area mix of own cost is fixed (its own profile).
    own_mix = {code: _split(rng, OWN_AREA_SPLIT, 0.15) for code in region_codes}
    region_bias = {code: rng.uniform(0.9, 1.1) for code in region_codes}
    factors = {
        code: dict(zip((y + 0.5 for y in FACTOR_YEARS), REGION_FACTORS[code], strict=True))
        for code in region_codes
    }
    doctor_points = {year + 0.5: share for year, share in DOCTOR_SHARE.items()}
    for month in months_until(today):
        position = _year_position(month)
        hired_raw = {
            code: weights[code] * _interpolate(factors[code], position) * rng.uniform(0.95, 1.05)
            for code in region_codes
        }
        hired_total = sum(hired_raw.values())
        own_raw = {code: weights[code] * rng.uniform(0.99, 1.01) for code in region_codes}
        own_total = sum(own_raw.values())
        doctor_share = _interpolate(doctor_points, position)
        for code in region_codes:
            hired = hired_national[month] * hired_raw[code] / hired_total
            doctors = min(0.9, doctor_share * region_bias[code] * rng.uniform(0.97, 1.03))
            by_profession = {"doctor": doctors, "nurse": 1 - doctors - OTHER_SHARE, "other": OTHER_SHARE}
            for profession, part in by_profession.items():
                for area, area_part in _split(rng, HIRED_AREA_SPLIT[profession], 0.1).items():
                    yield CostRow(code, month, "hired", profession, area, _sek(hired * part * area_part))
            own = own_national[month] * own_raw[code] / own_total
            for area, area_part in own_mix[code].items():
                yield CostRow(code, month, "own", "", area, _sek(own * area_part))
