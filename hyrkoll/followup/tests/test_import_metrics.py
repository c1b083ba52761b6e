"""The staffing-metrics import: the same rules as costs; FTE values add up, a percentage given twice
for one key is an error."""

from __future__ import annotations

import io
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from hyrkoll.followup import importing
from hyrkoll.followup.models import ImportStatus, StaffingMetric
from hyrkoll.followup.tests.test_import_costs import csv_bytes, fields_of, xlsx_bytes

HEADER = ["region", "period", "metric", "profession", "care_area", "value"]


def values() -> dict[tuple[str, str, str, str, str], Decimal]:
    return {
        (code, f"{period:%Y-%m}", metric, profession, care_area): value
        for code, period, metric, profession, care_area, value in StaffingMetric.objects.values_list(
            "region__code", "period", "metric", "profession", "care_area", "value"
        )
    }


@pytest.fixture(autouse=True)
def english() -> Any:
    """The messages are asserted in English; without this the outcome hung on the language an
    earlier test left active (the default is Swedish)."""
    with translation.override("en"):
        yield


def run(data: bytes, name: str = "metrics.csv", **kwargs: Any) -> Any:
    kwargs.setdefault("replace", False)
    return importing.import_metrics(None, data, name, **kwargs)


@pytest.fixture
def existing(world: dict[str, Any]) -> Any:
    result = run(
        csv_bytes(
            [
                HEADER,
                ["14", "2024-01", "hired_fte", "doctor", "", "4.5"],
                ["14", "2024-01", "sick_leave_pct", "", "", "6.2"],
                ["01", "2024-01", "own_fte", "", "", "1000"],
            ]
        )
    )
    assert result.status == ImportStatus.DONE, result.errors
    return result


def test_canonical_metrics_are_imported(existing: Any) -> None:
    assert existing.kind == "metrics" and existing.entries == 3
    assert existing.region_months == ["01-2024-01", "14-2024-01"]
    assert existing.totals == {"hired_fte": "4.50", "own_fte": "1000.00", "sick_leave_pct": "6.20"}
    assert values()[("14", "2024-01", "sick_leave_pct", "", "")] == Decimal("6.20")


def test_swedish_aliases_and_fte_adding_up(world: dict[str, Any]) -> None:
    result = run(
        csv_bytes(
            [
                ["Region", "Period", "Indikator", "Yrke", "Vårdområde", "Värde"],
                ["14", "2024-02", "Hyrda_årsarbetare", "Läkare", "Psykiatri", "1,5"],
                ["14", "2024-02", "hyrda_arsarbetare", "läkare", "psykiatri", "2,25"],
                ["14", "2024-02", "egna_arsarbetare", "", "", "1 200"],
                ["14", "2024-02", "personalomsättning", "", "", "11,5"],
                ["14", "2024-02", "sjukfrånvaro", "", "", "5"],
                ["14", "2024-02", "kontinuitet", "", "", "80"],
            ],
            delimiter=";",
        )
    )
    assert result.status == ImportStatus.DONE, result.errors
    assert values() == {
        ("14", "2024-02", "hired_fte", "doctor", "psychiatry"): Decimal("3.75"),
        ("14", "2024-02", "own_fte", "", ""): Decimal("1200.00"),
        ("14", "2024-02", "turnover_pct", "", ""): Decimal("11.50"),
        ("14", "2024-02", "sick_leave_pct", "", ""): Decimal("5.00"),
        ("14", "2024-02", "continuity_pct", "", ""): Decimal("80.00"),
    }


def test_metrics_from_a_workbook(world: dict[str, Any]) -> None:
    result = run(
        xlsx_bytes(
            [HEADER, [14, "2024-03", "hired_fte", "", "", 2.5], [14, "2024-03", "own_fte", "", "", 90]]
        ),
        "m.xlsx",
    )
    assert result.status == ImportStatus.DONE, result.errors
    assert values()[("14", "2024-03", "hired_fte", "", "")] == Decimal("2.50")


BAD = {
    "duplicate percentage": (
        [
            HEADER,
            ["14", "2024-03", "turnover_pct", "", "", "10"],
            ["14", "2024-03", "turnover_pct", "", "", "11"],
        ],
        {(3, "metric")},
    ),
    "percentage over 100": ([HEADER, ["14", "2024-03", "continuity_pct", "", "", "101"]], {(2, "value")}),
    "unknown metric": ([HEADER, ["14", "2024-03", "happiness", "", "", "1"]], {(2, "metric")}),
    "text value": ([HEADER, ["14", "2024-03", "hired_fte", "", "", "many"]], {(2, "value")}),
    "negative fte": ([HEADER, ["14", "2024-03", "own_fte", "", "", "-1"]], {(None, "value")}),
    "unknown region": ([HEADER, ["99", "2024-03", "own_fte", "", "", "1"]], {(2, "region")}),
    "missing column": ([HEADER[:-1], ["14", "2024-03", "own_fte", "", ""]], {(1, "value")}),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_bad_metrics_files_are_rejected_and_nothing_changes(existing: Any, case: str) -> None:
    rows, expected = BAD[case]
    before = values()
    result = run(csv_bytes(rows), replace=True)
    assert result.status == ImportStatus.REJECTED
    assert fields_of(result) == expected, result.errors
    assert values() == before


def test_the_duplicate_percentage_names_the_first_row(existing: Any) -> None:
    result = run(
        csv_bytes(
            [
                HEADER,
                ["14", "2024-03", "turnover_pct", "", "", "10"],
                ["14", "2024-03", "Personalomsattning", "", "", "11"],
            ]
        )
    )
    assert "row 2" in result.errors[0]["message"]


def test_overlap_refused_and_replace_replaces_exactly(existing: Any) -> None:
    data = csv_bytes(
        [HEADER, ["14", "2024-01", "own_fte", "", "", "700"], ["14", "2024-02", "own_fte", "", "", "710"]]
    )
    refused = run(data)
    assert refused.status == ImportStatus.REJECTED and "14-2024-01" in refused.errors[0]["message"]
    assert run(data, replace=True).status == ImportStatus.DONE
    assert values() == {
        ("01", "2024-01", "own_fte", "", ""): Decimal("1000.00"),
        ("14", "2024-01", "own_fte", "", ""): Decimal("700.00"),
        ("14", "2024-02", "own_fte", "", ""): Decimal("710.00"),
    }
    again = run(data, replace=True)
    assert again.already_imported and StaffingMetric.objects.count() == 3


def test_the_metrics_command(world: dict[str, Any], tmp_path: Path) -> None:
    path = tmp_path / "m.csv"
    path.write_bytes(csv_bytes([HEADER, ["14", "2024-01", "hired_fte", "", "", "3"]]))
    out = io.StringIO()
    call_command("import_metrics", str(path), stdout=out)
    assert "1 lines read, 1 monthly rows stored" in out.getvalue()
    bad = tmp_path / "bad.csv"
    bad.write_bytes(csv_bytes([HEADER, ["14", "2024-01", "hired_fte", "", "", "x"]]))
    with pytest.raises(CommandError, match="Row 2, value"):
        call_command("import_metrics", str(bad))
    other = tmp_path / "m2.csv"
    other.write_bytes(csv_bytes([HEADER, ["14", "2024-01", "own_fte", "", "", "3"]]))
    with pytest.raises(CommandError, match="14-2024-01"):
        call_command("import_metrics", str(other))
