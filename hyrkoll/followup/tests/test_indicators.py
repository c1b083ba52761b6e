"""The Bemanningstrend definitions, checked against hand-computed figures."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest

from hyrkoll.followup import indicators
from hyrkoll.followup.indicators import Period, add_months, month, target_path
from hyrkoll.followup.models import CostEntry, CostType
from hyrkoll.organisation.models import Region


def _cost(
    region: Region,
    period: datetime.date,
    cost_type: str,
    amount: int,
    profession: str = "",
    care_area: str = "",
) -> None:
    CostEntry.objects.create(
        region=region, period=period, cost_type=cost_type, profession=profession, care_area=care_area,
        amount_sek=Decimal(amount),
    )  # fmt: skip


@pytest.fixture
def costs(db: Any) -> dict[str, Region]:
    """Region 14 and 01, July 2023 – June 2025: hired 10 + (months since 2023-07) per month for
    region 14 (doctors/primary), 5 flat for 01 (nurses/psychiatry); own 1,000 a month each."""
    r14, r01 = Region.objects.get(code="14"), Region.objects.get(code="01")
    for index, current in enumerate(indicators.months_between(month(2023, 7), month(2025, 6))):
        _cost(r14, current, CostType.HIRED, 10 + index, "doctor", "primary")
        _cost(r14, current, CostType.OWN, 1000, "", "primary")
        _cost(r01, current, CostType.HIRED, 5, "nurse", "psychiatry")
        _cost(r01, current, CostType.OWN, 1000, "", "psychiatry")
    return {"14": r14, "01": r01}


def test_share_is_hired_over_own(costs: dict[str, Region]) -> None:
    figures = indicators.figures_for(Period(month(2024, 1), month(2024, 1)))
    # Region 14 in January 2024 is month index 6: hired 16, own 1,000 → 1.6 % (not 16/1016).
    assert figures.regions["14"].hired_sek == 16
    assert figures.regions["14"].share_pct == Decimal("1.60")
    assert figures.national.hired_sek == 21 and figures.national.own_sek == 2000
    assert figures.national.share_pct == Decimal("1.05")


def test_rolling_12_across_a_year_boundary_with_previous_year(costs: dict[str, Region]) -> None:
    """Rolling 12 to 2025-03 = 2024-04 … 2025-03 (indexes 9…20): hired 14 × … by hand:
    region 14: sum(10+i for i in 9..20) = 12×10 + (9+…+20) = 120 + 174 = 294; own 12,000 → 2.45 %.
    The previous year, 2023-04 … 2024-03, has data only from 2023-07 (indexes 0…8):
    hired 9×10 + (0+…+8) = 90 + 36 = 126, own 9,000 → 1.40 %. Change: +168 SEK, +133.33 %,
    own +3,000 (+33.33 %), share +1.05 pp."""
    result = indicators.trend(Period.rolling12(month(2025, 3)), compare_previous_year=True)
    assert result["period"] == {"from": "2024-04", "to": "2025-03"}
    region = result["regions"]["14"]
    assert region["hired_sek"] == 294.0 and region["own_sek"] == 12000.0 and region["share_pct"] == 2.45
    assert region["previous"] == {"hired_sek": 126.0, "own_sek": 9000.0, "share_pct": 1.4}
    assert region["change"] == {
        "hired_sek": 168.0, "hired_pct": 133.33, "own_sek": 3000.0, "own_pct": 33.33, "share_pp": 1.05,
    }  # fmt: skip
    assert region["by_profession"] == {"doctor": {"hired_sek": 294.0}}
    assert region["by_care_area"] == {"primary": {"hired_sek": 294.0}}
    national = result["national"]
    assert national["hired_sek"] == 294.0 + 60.0 and national["own_sek"] == 24000.0
    assert national["share_pct"] == round(100 * 354 / 24000, 2)


def test_quarter_half_year_and_year(costs: dict[str, Region]) -> None:
    assert Period.quarter(2024, 2) == Period(month(2024, 4), month(2024, 6))
    assert Period.half_year(2024, 2) == Period(month(2024, 7), month(2024, 12))
    h1 = indicators.figures_for(Period.half_year(2024, 1)).regions["01"]
    assert h1.hired_sek == 30 and h1.share_pct == Decimal("0.50")


def test_rolling12_series_matches_the_period_sum(costs: dict[str, Region]) -> None:
    shares = indicators.rolling12_shares(month(2024, 6), month(2025, 6), "14")
    assert shares[month(2025, 3)] == Decimal("2.45")
    assert (
        shares[month(2024, 6)]
        == indicators.figures_for(Period.rolling12(month(2024, 6))).regions["14"].share_pct
    )


def test_regions_meeting_two_percent(costs: dict[str, Region]) -> None:
    figures = indicators.figures_for(Period.rolling12(month(2025, 3)))
    assert figures.regions_meeting() == ["01"]


@pytest.mark.parametrize(
    ("at", "expected"),
    [
        (month(2024, 12), None),
        (month(2025, 1), Decimal("3.7")),
        (month(2025, 12), Decimal("3.7")),
        (month(2026, 12), Decimal("2.85")),
        (month(2027, 12), Decimal("2")),
        (month(2028, 6), Decimal("2")),
    ],
)
def test_target_path_is_interpolated_monthly(at: datetime.date, expected: Decimal | None) -> None:
    targets = {2025: Decimal("3.7"), 2027: Decimal("2")}
    assert target_path(targets, at) == expected


def test_add_months() -> None:
    assert add_months(month(2024, 11), 3) == month(2025, 2)
    assert add_months(month(2024, 1), -1) == month(2023, 12)
