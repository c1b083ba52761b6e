"""The dashboards' and the Bemanningstrend report's data (``dashboard_data``, ``trend_report``, ``report_rows``), on the trend fixture.

See ``test_trend_command`` for the fixture (July 2020 – June 2022, regions 14 and 01).
"""

from __future__ import annotations

import datetime
import json
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from hyrkoll.followup import dashboard_data, report_rows, trend_report
from hyrkoll.followup.indicators import Period, month
from hyrkoll.followup.models import CostEntry, CostType, RegionTarget, StaffingMetric
from hyrkoll.followup.tests.test_trend_command import add_trend_costs
from hyrkoll.organisation.models import Region

JUNE_2022 = month(2022, 6)


@pytest.fixture
def data(db: Any) -> dict[str, Region]:
    regions = add_trend_costs()
    RegionTarget.objects.create(region=regions["14"], year=2022, share_pct=Decimal("4.0"))
    RegionTarget.objects.create(region=regions["14"], year=2024, share_pct=Decimal("2.0"))
    return regions


def by_code(rows: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {row["code"]: row for row in rows}


def test_national_dashboard(data: dict[str, Region]) -> None:
    with CaptureQueriesContext(connection) as queries:
        result = dashboard_data.national_dashboard(JUNE_2022)
    assert len(queries) <= 8  # no query per region

    assert result["period"] == Period(month(2021, 7), JUNE_2022)
    assert result["national_target_pct"] == Decimal(2)
    # Since the first year with data (2020); 2022 is partial. 2020: region 14 (75 + 30) + region 01 120.
    assert [row["year"] for row in result["yearly_hired"]] == [2020, 2021, 2022]
    assert result["yearly_hired"][0]["hired_sek"] == Decimal(225)
    assert result["yearly_hired"][-1]["partial"] is True
    # 36 months of rolling-12 shares, ending at June 2022 (510 / 36,000 = 1.42 %).
    assert len(result["rolling12"]) == 36
    assert result["rolling12"][-1] == {"month": JUNE_2022, "share_pct": Decimal("1.42")}
    assert result["rolling12"][0]["share_pct"] is None  # no data then
    assert result["national"]["share_pct"] == Decimal("1.42")
    assert result["national"]["internal_pool_sek"] == Decimal(84)
    # Every region listed; one meets 2 %.
    assert result["regions_count"] == Region.objects.count()
    assert result["regions_with_data"] == 2
    assert result["regions_meeting"] == ["01"] and result["regions_meeting_count"] == 1
    regions = by_code(result["regions"])
    assert regions["14"]["share_pct"] == Decimal("3.25")
    assert regions["14"]["previous_share_pct"] == Decimal("2.05")
    assert regions["14"]["change_pp"] == Decimal("1.20")
    assert regions["14"]["target_pct"] == Decimal("4.00")  # the first target year's target holds
    assert regions["14"]["meets_national_target"] is False
    assert regions["14"]["meets_own_target"] is True
    assert regions["01"]["target_pct"] is None and regions["01"]["meets_own_target"] is None
    assert regions["25"]["share_pct"] is None and regions["25"]["meets_national_target"] is None
    # By profession: doctors 330 against 186; nurses 60 + 120 = 180 against 60 + 240 = 300.
    professions = by_code(result["by_profession"])
    assert list(professions) == ["doctor", "nurse"]
    assert professions["doctor"]["change_sek"] == Decimal(144)
    assert professions["nurse"]["change_pct"] == Decimal("-40.00")
    areas = by_code(result["by_care_area"])
    assert list(areas) == ["primary", "psychiatry", "somatic"]
    assert areas["primary"]["share_pct"] == Decimal("2.75")  # 330 / 12,000
    assert areas["psychiatry"]["change_sek"] == Decimal(-120)
    assert areas["somatic"]["change_sek"] == 0


def test_region_dashboard(data: dict[str, Region]) -> None:
    r14 = data["14"]
    CostEntry.objects.create(
        region=r14, period=JUNE_2022, cost_type=CostType.INTERNAL_POOL, amount_sek=Decimal(50)
    )
    CostEntry.objects.create(
        region=r14, period=JUNE_2022, cost_type=CostType.OVERTIME, amount_sek=Decimal(30)
    )
    CostEntry.objects.create(
        region=r14, period=month(2021, 6), cost_type=CostType.OVERTIME, amount_sek=Decimal(10)
    )
    for kind, value, profession in [
        ("hired_fte", "5", ""),
        ("own_fte", "100", ""),
        ("turnover_pct", "10", "doctor"),
        ("turnover_pct", "20", "nurse"),
    ]:
        StaffingMetric.objects.create(
            region=r14, period=JUNE_2022, metric=kind, profession=profession, value=Decimal(value)
        )
    StaffingMetric.objects.create(
        region=r14, period=month(2022, 5), metric="sick_leave_pct", value=Decimal("6.5")
    )

    result = dashboard_data.region_dashboard("14", JUNE_2022)

    assert result["region"] == {"code": "14", "name": "Västra Götalandsregionen"}
    assert result["figures"]["share_pct"] == Decimal("3.25")
    assert result["figures"]["internal_pool_sek"] == Decimal(50)
    assert result["figures"]["overtime_sek"] == Decimal(30)
    assert result["figures"]["change"]["overtime_sek"] == Decimal(20)
    assert result["targets"] == {2022: Decimal("4.00"), 2024: Decimal("2.00")}
    assert result["target_pct"] == Decimal("4.00")
    assert result["meets_own_target"] is True and result["meets_national_target"] is False
    assert result["rolling12"][-1] == {
        "month": JUNE_2022,
        "share_pct": Decimal("3.25"),
        "target_pct": Decimal("4.00"),
    }
    assert result["rolling12"][0]["target_pct"] is None  # 2019: before the first target
    assert [row["year"] for row in result["yearly_hired"]] == [2020, 2021, 2022]
    assert result["monthly_costs"][-1]["internal_pool_sek"] == Decimal(50)
    assert by_code(result["by_profession"])["doctor"]["hired_sek"] == Decimal(330)
    assert list(by_code(result["by_care_area"])) == ["primary", "somatic"]
    metrics = {row["kind"]: row for row in result["metrics"]}
    assert metrics["hired_fte"]["latest_value"] == Decimal(5)
    assert metrics["hired_fte"]["unit"] == "fte"
    assert metrics["turnover_pct"]["latest_value"] == Decimal("15.00")  # mean of the profession rows
    assert metrics["sick_leave_pct"]["latest_month"] == month(2022, 5)
    assert metrics["continuity_pct"]["latest_value"] is None
    assert metrics["hired_fte_share_pct"]["latest_value"] == Decimal("5.00")
    assert len(metrics["own_fte"]["series"]) == 12
    assert "national" not in result


def test_region_dashboard_unknown_region(db: Any) -> None:
    with pytest.raises(Region.DoesNotExist):
        dashboard_data.region_dashboard("99", JUNE_2022)


def test_bemanningstrend_rose(data: dict[str, Region]) -> None:
    """H1 2022 against H1 2021: nation 273 against 261 (+4.60 %), share 1.52 % (+0.07 pp)."""
    with translation.override("en"):
        result = trend_report.bemanningstrend(Period.half_year(2022, 1))

    assert result["label"] == "Half-year 1 2022"
    assert result["national"]["hired_sek"] == Decimal(273)
    assert result["national"]["change"]["hired_pct"] == Decimal("4.60")
    assert result["regions_meeting_count"] == 1 and result["regions_with_data"] == 2
    assert result["previous_regions_meeting_count"] == 1
    assert result["largest_increase"]["code"] == "14" and result["largest_increase"]["change_pp"] == Decimal(
        "1.20"
    )
    assert result["largest_decrease"]["code"] == "01"
    r14 = by_code(result["regions"])["14"]
    assert (r14["share_pct"], r14["previous_share_pct"], r14["target_pct"]) == (
        Decimal("3.55"),
        Decimal("2.35"),
        Decimal("4.00"),
    )
    summary = result["summary"]
    assert summary[0] == "Hired-staff cost rose by 4.60 % to 273 SEK compared with the same period last year."
    assert "1.52 % of own personnel cost, 0.07 percentage points more" in summary[1]
    assert "rose for: Doctors (+64.86 %)" in " ".join(summary)  # 183 against 111
    assert "fell for: Nurses (\u221240.00 %)" in " ".join(summary)  # 90 against 150
    assert "1 of 2 regions met the 2 % indicator" in " ".join(summary)
    assert "The share rose most in Västra Götalandsregionen (+1.20 percentage points)." in summary
    assert "The share fell most in Region Stockholm (\u22120.50 percentage points)." in summary


def test_bemanningstrend_fell(data: dict[str, Region]) -> None:
    CostEntry.objects.create(
        region=data["01"], period=month(2021, 4), cost_type=CostType.HIRED, profession="doctor",
        care_area="psychiatry", amount_sek=Decimal(1000),
    )  # fmt: skip
    with translation.override("en"):
        result = trend_report.bemanningstrend(Period.quarter(2022, 2))

    assert result["label"] == "Quarter 2 2022"
    assert result["national"]["change"]["hired_sek"] < 0
    assert result["summary"][0].startswith("Hired-staff cost fell by ")
    assert "percentage points less than a year earlier" in result["summary"][1]


def test_bemanningstrend_in_swedish_formats_numbers_the_swedish_way(data: dict[str, Region]) -> None:
    with translation.override("sv"):
        result = trend_report.bemanningstrend(Period.half_year(2022, 1))
    assert "4,60" in result["summary"][0]


def test_bemanningstrend_limited_for_a_region_before_publication(data: dict[str, Region]) -> None:
    result = trend_report.bemanningstrend(Period.half_year(2022, 1), ["14"], include_national=False)

    assert [row["code"] for row in result["regions"]] == ["14"]
    assert result["national"] is None and result["by_profession"] is None
    assert result["regions_meeting_count"] is None and result["largest_increase"] is None
    assert result["summary"] == []


def test_bemanningstrend_without_previous_year(data: dict[str, Region]) -> None:
    with translation.override("en"):
        result = trend_report.bemanningstrend(Period.half_year(2020, 2))
    assert "There are no figures for the same period last year." in result["summary"][0]
    assert result["largest_increase"] is None


def test_jsonable(data: dict[str, Region]) -> None:
    result = report_rows.jsonable(trend_report.bemanningstrend(Period.half_year(2022, 1)))
    json.dumps(result)  # plain JSON
    assert result["period"] == {"from": "2022-01", "to": "2022-06"}
    assert result["national"]["share_pct"] == 1.52
    assert result["national"]["hired_sek"] == 273.0


@pytest.mark.parametrize(
    ("text", "expected"),
    [("2025-1", Period(month(2025, 1), month(2025, 6))), ("2025-2", Period(month(2025, 7), month(2025, 12)))],
)
def test_parse_half(text: str, expected: Period) -> None:
    assert trend_report.parse_half(text) == expected


@pytest.mark.parametrize("text", ["2025-3", "2025", "25-1", "2025-0", "x-1"])
def test_parse_half_refuses(text: str) -> None:
    with pytest.raises(ValueError):
        trend_report.parse_half(text)


def test_parse_quarter() -> None:
    assert trend_report.parse_quarter("2025-4") == Period(month(2025, 10), month(2025, 12))
    with pytest.raises(ValueError):
        trend_report.parse_quarter("2025-5")


def test_period_label_of_other_periods() -> None:
    with translation.override("en"):
        assert trend_report.period_label(Period.rolling12(datetime.date(2025, 3, 1))) == "2024-04 – 2025-03"
