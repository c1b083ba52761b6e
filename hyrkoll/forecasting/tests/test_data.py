"""The forecast from the database: two regions with targets, a constant number of queries."""

from __future__ import annotations

import datetime
import json
from decimal import Decimal
from typing import Any

import pytest
from django.template.loader import render_to_string
from django.utils import translation

from hyrkoll.followup.indicators import month
from hyrkoll.followup.models import CostEntry, CostType, RegionTarget
from hyrkoll.forecasting.data import forecasts
from hyrkoll.lib.dates import months_between
from hyrkoll.organisation.models import Region

SERIES_KEYS = {"point", "low", "high"}


def _costs(region: Region, hired: int, own: int, start: datetime.date, end: datetime.date) -> None:
    """Flat monthly costs, own cost split in two care areas (the query must add the rows up)."""
    rows = []
    for current in months_between(start, end):
        rows.append(
            CostEntry(region=region, period=current, cost_type=CostType.HIRED, amount_sek=Decimal(hired))
        )
        for area in ("primary", "somatic"):
            amount = Decimal(own) / 2
            rows.append(
                CostEntry(
                    region=region, period=current, cost_type=CostType.OWN, care_area=area, amount_sek=amount
                )
            )
        # Other cost types are not part of the share.
        rows.append(
            CostEntry(region=region, period=current, cost_type=CostType.OVERTIME, amount_sek=Decimal(999))
        )
    CostEntry.objects.bulk_create(rows)


@pytest.fixture
def two_regions(db: Any) -> None:
    """January 2023 – October 2025: region 14 hired 30 / own 1,000 a month (3 %), target 3 % in
    2025 and 2 % in 2026; region 01 hired 10 / own 1,000 (1 %), no target."""
    r14, r01 = Region.objects.get(code="14"), Region.objects.get(code="01")
    _costs(r14, 30, 1000, month(2023, 1), month(2025, 10))
    _costs(r01, 10, 1000, month(2023, 1), month(2025, 10))
    RegionTarget.objects.create(region=r14, year=2025, share_pct=Decimal("3.00"))
    RegionTarget.objects.create(region=r14, year=2026, share_pct=Decimal("2.00"))


def test_the_forecast_of_two_flat_regions(two_regions: None) -> None:
    result = forecasts()
    json.dumps(result)  # JSON-able as it is
    assert result["last_month"] == "2025-10"
    assert result["level"] == 0.8
    assert set(result["regions"]) == {region.code for region in Region.objects.all()}
    assert {code for code, value in result["regions"].items() if value is not None} == {"01", "14"}

    r14 = result["regions"]["14"]
    assert r14["months"][0] == "2025-11" and r14["months"][-1] == "2026-12" and len(r14["months"]) == 14
    assert r14["method"] == {"hired": "damped_trend_seasonal_log", "own": "damped_trend_seasonal_log"}
    for key in ("hired_sek", "own_sek", "rolling12_share_pct"):
        assert set(r14[key]) == SERIES_KEYS
        assert all(len(values) == 14 for values in r14[key].values())
    assert r14["hired_sek"]["point"] == [30.0] * 14
    assert r14["rolling12_share_pct"]["low"] == [3.0] * 14

    this_year, next_year = r14["years"]
    assert this_year == {
        "year": 2025,
        "actual_months": 10,
        "forecast_months": 2,
        "share_pct": {"point": 3.0, "low": 3.0, "high": 3.0},
        "target_pct": 3.0,
        "probability_on_target": 1.0,
        "status": "on_track",
        "reduction": {"monthly_sek": 0.0, "monthly_pct": 0.0, "months": 2, "reachable": True},
    }
    # 2026: 360 of hired against 240 allowed: 10 SEK a month less, a third of the forecast.
    assert next_year["target_pct"] == 2.0
    assert (next_year["probability_on_target"], next_year["status"]) == (0.0, "off_track")
    assert next_year["reduction"] == {
        "monthly_sek": 10.0,
        "monthly_pct": 33.33,
        "months": 12,
        "reachable": True,
    }

    r01 = result["regions"]["01"]["years"][0]
    assert r01["share_pct"]["point"] == 1.0
    assert (r01["target_pct"], r01["status"], r01["reduction"]) == (None, None, None)

    nation = result["nation"]
    assert nation["rolling12_share_pct"]["point"][-1] == 2.0  # 40 / 2,000
    assert [(year["target_pct"], year["status"]) for year in nation["years"]] == [
        (2.0, "on_track"),
        (2.0, "on_track"),
    ]


def test_the_number_of_queries_does_not_grow_with_the_regions(
    two_regions: None, django_assert_num_queries: Any
) -> None:
    with django_assert_num_queries(4):  # last month, the monthly sums, the targets, the names
        forecasts()
    _costs(Region.objects.get(code="25"), 80, 1000, month(2024, 1), month(2025, 10))
    with django_assert_num_queries(4):
        result = forecasts()
    assert result["regions"]["25"]["years"][0]["share_pct"]["point"] == 8.0
    with django_assert_num_queries(3):  # the month given
        forecasts(month(2025, 6), region_codes=["14"])


def test_an_earlier_month_and_a_region_that_ends_earlier(two_regions: None) -> None:
    CostEntry.objects.filter(region__code="01", period__gte=month(2025, 9)).delete()
    result = forecasts(month(2025, 6))
    assert result["last_month"] == "2025-06"
    assert result["regions"]["14"]["months"][0] == "2025-07"
    assert result["regions"]["14"]["years"][0]["actual_months"] == 6
    _costs(Region.objects.get(code="25"), 80, 1000, month(2023, 1), month(2024, 10))  # stopped
    latest = forecasts()
    assert latest["last_month"] == "2025-10"
    assert latest["regions"]["01"]["last_month"] == "2025-08"
    assert latest["regions"]["01"]["months"][0] == "2025-09"
    assert [year["year"] for year in latest["regions"]["01"]["years"]] == [2025, 2026]
    assert latest["regions"]["14"]["last_month"] == "2025-10"
    assert latest["regions"]["25"]["last_month"] == "2024-10"
    assert [year["year"] for year in latest["regions"]["25"]["years"]] == [2024, 2025, 2026]
    # The nation ends where every region still reporting has reported: 01's September and October
    # are not in its history (the sum would look a third lower), 25's stop does not hold it back.
    assert latest["nation"]["last_month"] == "2025-08"
    assert latest["nation"]["months"][0] == "2025-09"


def test_no_costs_no_forecast(db: Any) -> None:
    result = forecasts()
    assert (result["last_month"], result["nation"], result["regions"]) == (None, None, {})


def test_the_method_text_renders_with_the_figures(two_regions: None) -> None:
    with translation.override("en"):
        html = render_to_string("forecasting/_method.html", {"forecast": forecasts()})
    assert "holds the middle 80 % of these runs" in html
    assert "1000 times" in html
    assert "At 70 % or more the region is on track, at 30 % or less" in html
