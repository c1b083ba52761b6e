"""Property tests of the cost and metrics imports: whatever the file (arbitrary bytes, CSV built
from the real column names and aliases with arbitrary cells, .xlsx with arbitrary cell values, also
damaged, and files of valid rows with a few cells replaced), the import returns a DONE or REJECTED
import and never raises; a rejected import names its errors and changes no figures."""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
from django.utils import translation
from hypothesis import event, given
from hypothesis import strategies as st

from hyrkoll.followup import importing
from hyrkoll.followup.models import (
    CostCareArea,
    CostEntry,
    CostProfession,
    CostType,
    ImportStatus,
    MetricKind,
    StaffingMetric,
    SupplierCostMonth,
)
from tests.strategies import PROPERTY_SETTINGS, any_file, table_files

pytestmark = pytest.mark.django_db

COST_HEADERS = [*importing.COST_HEADERS, "Belopp SEK", "Vårdområde", "Kostnadstyp"]
METRIC_HEADERS = [*importing.METRIC_HEADERS, "Värde", "Indikator"]

months = st.dates(min_value=datetime.date(1989, 12, 1), max_value=datetime.date(2100, 1, 1)).map(
    lambda day: f"{day:%Y-%m}"
)
amounts = st.one_of(
    st.decimals(places=2, min_value=-(10**7), max_value=10**9, allow_nan=False, allow_infinity=False).map(
        str
    ),
    st.decimals(places=2, min_value=0, max_value=10**6, allow_nan=False, allow_infinity=False).map(
        lambda amount: f"{amount:,}".replace(",", " ").replace(".", ",")
    ),
    st.sampled_from(["9" * 40, "1E+999999", "1e30", "0." + "1" * 40, "²", "٣", "1_000"]),
)
profession = st.sampled_from(["", *CostProfession.values, "läkare", "Sjuksköterska"])
care_area = st.sampled_from(["", *CostCareArea.values, "primärvård"])
cost_rows = st.fixed_dictionaries(
    {
        "region": st.sampled_from(["14", "01", "1", "14 "]),
        "period": months,
        "cost_type": st.sampled_from([*CostType.values, "hyrd", "egen"]),
        "profession": profession,
        "care_area": care_area,
        "amount_sek": amounts,
        "supplier_org_no": st.sampled_from(["", "556677-8899", "5566778899", "556000-0001"]),
        "unit": st.text(max_size=32),
    }
)
metric_rows = st.fixed_dictionaries(
    {
        "region": st.just("14"),
        "period": months,
        "metric": st.sampled_from([*MetricKind.values, "sjukfrånvaro"]),
        "profession": profession,
        "care_area": care_area,
        "value": st.one_of(amounts, st.integers(0, 100).map(str)),
    }
)


def _figures() -> tuple[int, int, int]:
    return CostEntry.objects.count(), SupplierCostMonth.objects.count(), StaffingMetric.objects.count()


def _check(result: Any, before: tuple[int, int, int]) -> None:
    event("already imported" if getattr(result, "already_imported", False) else str(result.status))
    if getattr(result, "already_imported", False):
        assert _figures() == before
        return
    assert result.status in (ImportStatus.DONE, ImportStatus.REJECTED)
    months = SupplierCostMonth.objects.filter(cost_import=result).values_list("entries", flat=True)
    for entries in months if result.status == ImportStatus.DONE else ():
        assert entries  # a month's row has entries, each with units, each amount as text with two decimals
        assert all(
            units and all(re.fullmatch(r"-?[0-9]+\.[0-9]{2}", v) for v in units.values())
            for *_k, units in entries
        )
        assert len({tuple(entry[:3]) for entry in entries}) == len(entries)  # a supplier's row once a month
    if result.status == ImportStatus.REJECTED:
        assert result.errors and all(error["message"] for error in result.errors)
        assert _figures() == before
        for error in result.errors:
            assert importing.format_error(error)  # each one can be shown


@PROPERTY_SETTINGS
@given(file=any_file(COST_HEADERS), replace=...)
def test_cost_import_never_raises_and_a_rejection_changes_nothing(
    world: dict[str, Any], file: tuple[bytes, str], replace: bool
) -> None:
    data, filename = file
    before = _figures()
    _check(importing.import_costs(None, data, filename, replace=replace), before)


@PROPERTY_SETTINGS
@given(file=table_files(importing.COSTS.required + importing.COSTS.optional, cost_rows), replace=...)
def test_cost_import_of_nearly_valid_files(
    world: dict[str, Any], file: tuple[bytes, str], replace: bool
) -> None:
    data, filename = file
    before = _figures()
    _check(importing.import_costs(None, data, filename, replace=replace), before)


@PROPERTY_SETTINGS
@given(file=any_file(METRIC_HEADERS), replace=...)
def test_metrics_import_never_raises_and_a_rejection_changes_nothing(
    world: dict[str, Any], file: tuple[bytes, str], replace: bool
) -> None:
    data, filename = file
    before = _figures()
    _check(importing.import_metrics(None, data, filename, replace=replace, region=world["region_a"]), before)


@PROPERTY_SETTINGS
@given(file=table_files(importing.METRICS_FILE.required, metric_rows), replace=...)
def test_metrics_import_of_nearly_valid_files(
    world: dict[str, Any], file: tuple[bytes, str], replace: bool
) -> None:
    data, filename = file
    before = _figures()
    _check(importing.import_metrics(None, data, filename, replace=replace, region=world["region_a"]), before)


# --- What the properties found: each now a rejection naming row and column -------------------------------

COST_HEADER = "region;period;cost_type;profession;care_area;amount_sek;supplier_org_no;unit\n"


@pytest.mark.parametrize(
    ("line", "field", "message"),
    [
        # The sums were rounded to öre with more digits than Decimal computes with: InvalidOperation.
        ("14;2025-06;hired;doctor;primary;" + "9" * 40 + ";;", "amount_sek", "too large."),
        ("14;2025-06;hired;doctor;primary;1E+999999;;", "amount_sek", "too large."),
        # Digits that str.isdigit accepts and Decimal does not.
        ("14;2025-06;hired;doctor;primary;\u00b2;;", "amount_sek", "\u00b2 is not a number"),
        # A NUL in a cell: PostgreSQL refused the unit and the stored errors (DataError).
        ("14;2025-06;hired;doctor;primary;100;556677-8899;a\x00b", "", "Row 2: a NUL character"),
        ("1\x004;2025-06;hired;doctor;primary;100;;", "", "Row 2: a NUL character"),
    ],
)
def test_a_cost_file_that_raised_is_rejected(
    world: dict[str, Any], line: str, field: str, message: str
) -> None:
    before = _figures()
    with translation.override("en"):
        result = importing.import_costs(None, (COST_HEADER + line).encode(), "f.csv", replace=False)
    assert result.status == ImportStatus.REJECTED and _figures() == before
    [error] = result.errors
    assert error["field"] == field and error["message"].startswith(message)
    assert error["row"] == (2 if field else None)


@pytest.mark.parametrize("value", ["\u00b2", "9" * 40])
def test_a_metrics_file_that_raised_is_rejected(world: dict[str, Any], value: str) -> None:
    data = f"region;period;metric;profession;care_area;value\n14;2025-06;hired_fte;doctor;primary;{value}"
    result = importing.import_metrics(None, data.encode(), "f.csv", replace=False, region=world["region_a"])
    assert result.status == ImportStatus.REJECTED and _figures() == (0, 0, 0)
    assert [(error["row"], error["field"]) for error in result.errors] == [(2, "value")]
