"""Property tests of the licence-register and former-employee imports: whatever the file
(arbitrary bytes, CSV or .xlsx from the real column names with arbitrary cells, also damaged, and
files of valid rows with a few cells replaced), the import either stores it or raises its own
ImportFileError with messages; a rejected file leaves the region's lists and the audit log as they
were."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from hypothesis import event, given
from hypothesis import strategies as st

from hyrkoll.audit.models import AuditEvent
from hyrkoll.consultants import imports
from hyrkoll.consultants.models import FormerEmployee, LicenceRegisterEntry
from hyrkoll.lib.orgno import with_check_digit
from tests.strategies import PROPERTY_SETTINGS, any_file, table_files

pytestmark = pytest.mark.django_db

dates = st.dates(min_value=datetime.date(1, 1, 1), max_value=datetime.date(9999, 12, 31))
some_dates = st.one_of(dates, dates.map(datetime.date.isoformat))
licence_rows = st.fixed_dictionaries(
    {
        "licence_number": st.one_of(st.from_regex(r"[0-9]{5,8}", fullmatch=True), st.text(max_size=22)),
        "first_name": st.text(min_size=1, max_size=40),
        "last_name": st.one_of(st.text(min_size=1, max_size=40), st.just("x" * 101)),
        "profession": st.sampled_from(["doctor", "nurse", "midwife", "Doctor", "läkare"]),
        "competence": st.sampled_from(
            ["", "spec_general_medicine", "nurse_district", "doctor_st", "SPEC_ENT"]
        ),
        "licensed_on": some_dates,
        "specialist_since": st.one_of(st.just(""), some_dates),
    }
)


@st.composite
def personal_numbers(draw: Any) -> str:
    """Valid numbers in their written forms, or a near miss."""
    birth = draw(st.dates(min_value=datetime.date(1900, 1, 1), max_value=datetime.date(2024, 12, 31)))
    short = with_check_digit(f"{birth:%y%m%d}" + draw(st.from_regex(r"[0-9]{3}", fullmatch=True)))
    form = draw(st.sampled_from(["long", "short", "plain", "broken"]))
    if form == "long":
        return f"{birth.year // 100}{short}"
    if form == "short":
        return short
    if form == "plain":
        return f"{birth.year // 100}{short}".replace("-", "")
    return short[:-1] + str((int(short[-1]) + 1) % 10)


former_rows = st.fixed_dictionaries({"personal_number": personal_numbers(), "employed_until": some_dates})


def _state() -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]], int]:
    return (
        list(LicenceRegisterEntry.objects.order_by("pk").values_list("pk", "region_id", "licence_number")),
        list(FormerEmployee.objects.order_by("pk").values_list("pk", "region_id", "personal_number_hash")),
        AuditEvent.objects.count(),
    )


def _import(importer: Any, region: Any, data: bytes, filename: str) -> None:
    before = _state()
    try:
        result = importer(None, region, data, filename)
    except imports.ImportFileError as error:
        event("rejected")
        assert error.errors and all(isinstance(message, str) and message for message in error.errors)
        assert _state() == before
    else:
        event("stored")
        assert result.rows > 0


@PROPERTY_SETTINGS
@given(file=any_file(imports.LICENCE_COLUMNS))
def test_licence_register_import_of_any_file(world: dict[str, Any], file: tuple[bytes, str]) -> None:
    _import(imports.import_licence_register, world["region_a"], *file)


@PROPERTY_SETTINGS
@given(file=table_files(imports.LICENCE_COLUMNS, licence_rows))
def test_licence_register_import_of_nearly_valid_files(
    world: dict[str, Any], file: tuple[bytes, str]
) -> None:
    _import(imports.import_licence_register, world["region_a"], *file)


@PROPERTY_SETTINGS
@given(file=any_file(imports.FORMER_EMPLOYEE_COLUMNS))
def test_former_employee_import_of_any_file(world: dict[str, Any], file: tuple[bytes, str]) -> None:
    _import(imports.import_former_employees, world["region_a"], *file)


@PROPERTY_SETTINGS
@given(file=table_files(imports.FORMER_EMPLOYEE_COLUMNS, former_rows))
def test_former_employee_import_of_nearly_valid_files(world: dict[str, Any], file: tuple[bytes, str]) -> None:
    _import(imports.import_former_employees, world["region_a"], *file)
