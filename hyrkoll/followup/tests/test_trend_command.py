"""``hyrkoll trend``: the JSON interface against hand-computed figures, the table and the errors.

The fixture (``trend_costs``), July 2020 – June 2022, month index i = 0 … 23:
- region 14: hired doctor/primary 10 + i, hired nurse/somatic 5, own (primary) 1,000 a month;
- region 01: hired nurse/psychiatry 20 a month before July 2021 and 10 from then, own 2,000 a
  month (psychiatry), and an internal pool cost of 7 a month (not part of the trend).
"""

from __future__ import annotations

import datetime
import json
from decimal import Decimal
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from hyrkoll.followup.indicators import month, months_between
from hyrkoll.followup.models import CostEntry, CostType
from hyrkoll.organisation.models import Region


def add_trend_costs() -> dict[str, Region]:
    r14, r01 = Region.objects.get(code="14"), Region.objects.get(code="01")
    entries = []

    def entry(
        region: Region, current: datetime.date, cost_type: str, amount: int, profession: str, care_area: str
    ) -> CostEntry:
        return CostEntry(
            region=region, period=current, cost_type=cost_type, profession=profession,
            care_area=care_area, amount_sek=Decimal(amount),
        )  # fmt: skip

    for index, current in enumerate(months_between(month(2020, 7), month(2022, 6))):
        entries += [
            entry(r14, current, CostType.HIRED, 10 + index, "doctor", "primary"),
            entry(r14, current, CostType.HIRED, 5, "nurse", "somatic"),
            entry(r14, current, CostType.OWN, 1000, "", "primary"),
            entry(r01, current, CostType.HIRED, 20 if index < 12 else 10, "nurse", "psychiatry"),
            entry(r01, current, CostType.OWN, 2000, "", "psychiatry"),
            entry(r01, current, CostType.INTERNAL_POOL, 7, "", ""),
        ]
    CostEntry.objects.bulk_create(entries)
    return {"14": r14, "01": r01}


@pytest.fixture
def trend_costs(db: Any) -> dict[str, Region]:
    return add_trend_costs()


def run(*args: str) -> str:
    out = StringIO()
    call_command("trend", *args, stdout=out)
    return out.getvalue()


def run_json(*args: str) -> dict[str, Any]:
    return json.loads(run(*args))


def test_from_to(trend_costs: dict[str, Region]) -> None:
    """2022-01 … 2022-06 = i 18 … 23. Region 14: doctors 6×10 + (18+…+23) = 60 + 123 = 183, nurses
    30, hired 213, own 6,000 → 3.55 %. Region 01: 60 / 12,000 → 0.50 %. Nation 273 / 18,000 → 1.52 %."""
    result = run_json("--from", "2022-01", "--to", "2022-06")

    assert result["period"] == {"from": "2022-01", "to": "2022-06"}
    assert list(result["regions"]) == ["01", "14"]
    assert result["regions"]["14"] == {
        "hired_sek": 213.0,
        "own_sek": 6000.0,
        "share_pct": 3.55,
        "by_profession": {"doctor": {"hired_sek": 183.0}, "nurse": {"hired_sek": 30.0}},
        "by_care_area": {"primary": {"hired_sek": 183.0}, "somatic": {"hired_sek": 30.0}},
    }
    assert result["regions"]["01"]["share_pct"] == 0.5
    national = result["national"]
    assert (national["hired_sek"], national["own_sek"], national["share_pct"]) == (273.0, 18000.0, 1.52)
    assert national["by_profession"] == {"doctor": {"hired_sek": 183.0}, "nurse": {"hired_sek": 90.0}}
    assert "previous" not in national and "change" not in national


def test_compare_previous_year_across_a_year_boundary(trend_costs: dict[str, Region]) -> None:
    """2021-11 … 2022-02 (i 16 … 19) against 2020-11 … 2021-02 (i 4 … 7).
    Region 14: hired 40 + 70 + 20 = 130 (3.25 %) against 40 + 22 + 20 = 82 (2.05 %): +48 SEK,
    +58.54 %, own unchanged (0 %), +1.20 pp. Region 01: 40 (0.50 %) against 80 (1.00 %): −40 SEK,
    −50 %, −0.50 pp. Nation: 170 / 12,000 (1.42 %) against 162 / 12,000 (1.35 %): +8, +4.94 %,
    +0.07 pp (100 × 8 / 12,000 = 0.0667)."""
    result = run_json("--from", "2021-11", "--to", "2022-02", "--compare-previous-year")

    assert result["period"] == {"from": "2021-11", "to": "2022-02"}
    r14 = result["regions"]["14"]
    assert (r14["hired_sek"], r14["share_pct"]) == (130.0, 3.25)
    assert r14["previous"] == {"hired_sek": 82.0, "own_sek": 4000.0, "share_pct": 2.05}
    assert r14["change"] == {
        "hired_sek": 48.0, "hired_pct": 58.54, "own_sek": 0.0, "own_pct": 0.0, "share_pp": 1.2,
    }  # fmt: skip
    r01 = result["regions"]["01"]
    assert r01["previous"] == {"hired_sek": 80.0, "own_sek": 8000.0, "share_pct": 1.0}
    assert r01["change"] == {
        "hired_sek": -40.0, "hired_pct": -50.0, "own_sek": 0.0, "own_pct": 0.0, "share_pp": -0.5,
    }  # fmt: skip
    national = result["national"]
    assert national["share_pct"] == 1.42
    assert national["previous"] == {"hired_sek": 162.0, "own_sek": 12000.0, "share_pct": 1.35}
    assert national["change"] == {
        "hired_sek": 8.0, "hired_pct": 4.94, "own_sek": 0.0, "own_pct": 0.0, "share_pp": 0.07,
    }  # fmt: skip


def test_rolling12(trend_costs: dict[str, Region]) -> None:
    """Rolling 12 to 2022-06 = 2021-07 … 2022-06 (i 12 … 23): region 14 doctors 120 + 210 = 330,
    nurses 60 → 390 / 12,000 = 3.25 %; region 01 120 / 24,000 = 0.50 %; nation 510 / 36,000 = 1.42 %."""
    result = run_json("--rolling12", "2022-06")

    assert result["period"] == {"from": "2021-07", "to": "2022-06"}
    assert result["regions"]["14"]["hired_sek"] == 390.0
    assert result["regions"]["14"]["share_pct"] == 3.25
    assert result["regions"]["01"]["share_pct"] == 0.5
    assert result["national"]["share_pct"] == 1.42
    assert result["national"]["by_care_area"] == {
        "primary": {"hired_sek": 330.0}, "psychiatry": {"hired_sek": 120.0}, "somatic": {"hired_sek": 60.0},
    }  # fmt: skip


def test_rolling12_with_comparison_and_region_filter(trend_costs: dict[str, Region]) -> None:
    """Previous rolling 12 = 2020-07 … 2021-06 (i 0 … 11): region 14 doctors 120 + 66 + nurses 60 = 246
    (2.05 %)."""
    result = run_json("--rolling12", "2022-06", "--compare-previous-year", "--region", "14")

    assert list(result["regions"]) == ["14"]
    assert result["regions"]["14"]["previous"]["share_pct"] == 2.05
    assert result["regions"]["14"]["change"]["share_pp"] == 1.2
    assert result["national"]["hired_sek"] == 510.0  # the nation is always the whole nation


def test_json_is_pretty_and_keeps_non_ascii(trend_costs: dict[str, Region]) -> None:
    output = run("--rolling12", "2022-06")
    assert output.startswith("{\n  ")
    assert "\\u" not in output


def test_region_without_data_is_listed_when_asked_for(trend_costs: dict[str, Region]) -> None:
    result = run_json("--rolling12", "2022-06", "--region", "25")
    assert result["regions"] == {
        "25": {"hired_sek": 0.0, "own_sek": 0.0, "share_pct": None, "by_profession": {}, "by_care_area": {}}
    }


def test_table(trend_costs: dict[str, Region]) -> None:
    output = run("--from", "2022-01", "--to", "2022-06", "--format", "table", "--compare-previous-year")
    lines = output.splitlines()

    assert "2022-01 – 2022-06" in lines[0]
    assert "Share %" in lines[1] and "Change pp" in lines[1]
    assert lines[3].startswith("Riket")
    assert "1.52" in lines[3]
    assert any(line.startswith("01 Region Stockholm") for line in lines)
    r14 = next(line for line in lines if line.startswith("14 Västra Götalandsregionen"))
    assert "3.55" in r14 and "+1.20" in r14
    # Aligned: every row as wide as the header.
    assert len({len(line) for line in lines[1:3]}) == 1


def test_table_without_comparison(trend_costs: dict[str, Region]) -> None:
    output = run("--rolling12", "2022-06", "--format", "table")
    assert "Change pp" not in output
    assert "Riket" in output and "Västra Götalandsregionen" in output and "Region Stockholm" in output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--from", "2022-13", "--to", "2022-06"], "--from"),
        (["--from", "2022-01", "--to", "22-06"], "--to"),
        (["--rolling12", "june"], "--rolling12"),
        (["--from", "2022-07", "--to", "2022-06"], "after"),
        (["--rolling12", "2022-06", "--from", "2022-01", "--to", "2022-06"], "not both"),
        (["--rolling12", "2022-06", "--from", "2022-01"], "not both"),
        ([], "Give a period"),
        (["--from", "2022-01"], "together"),
        (["--to", "2022-01"], "together"),
        (["--rolling12", "2022-06", "--region", "99"], "99"),
    ],
)
@pytest.mark.django_db
def test_errors(args: list[str], message: str) -> None:
    with pytest.raises(CommandError, match=message):
        run(*args)


@pytest.mark.django_db
def test_bad_format_is_refused() -> None:
    with pytest.raises(CommandError):
        run("--rolling12", "2022-06", "--format", "xml")
