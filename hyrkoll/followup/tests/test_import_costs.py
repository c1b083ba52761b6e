"""The cost import, with real CSV and Excel files: formats, adding up, every bad-input case (the file
is rejected, every bad row and field is named, nothing changes), replacing exactly the covered
region-months, idempotence, and the command."""

from __future__ import annotations

import csv
import datetime
import hashlib
import io
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from django.core.management import CommandError, call_command
from django.db.models import Sum
from django.utils import translation

from hyrkoll.audit.models import AuditAction, AuditEvent
from hyrkoll.followup import importing
from hyrkoll.followup.importing import aggregation
from hyrkoll.followup.models import CostEntry, CostImport, ImportStatus
from hyrkoll.followup.tests.supplier_rows import supplier_rows
from hyrkoll.organisation.models import Region

D = datetime.date
HEADER = ["region", "period", "cost_type", "profession", "care_area", "amount_sek"]
ORG_A = "556677-8899"  # valid check digit (the conftest supplier A)


def csv_bytes(
    rows: list[list[Any]], *, delimiter: str = ",", bom: bool = False, encoding: str = "utf-8"
) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator="\n").writerows(rows)
    data = buffer.getvalue().encode(encoding)
    return b"\xef\xbb\xbf" + data if bom else data


def write_csv(tmp_path: Path, name: str, rows: list[list[Any]], **kwargs: Any) -> Path:
    path = tmp_path / name
    path.write_bytes(csv_bytes(rows, **kwargs))
    return path


def xlsx_bytes(rows: list[list[Any]], *, extra_sheets: bool = True) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Kostnader"
    for row in rows:
        sheet.append(row)
    if extra_sheets:
        workbook.create_sheet("Anteckningar").append(["region", "period", "not", "read"])
        workbook.create_sheet("Pivot").append(["99", "garbage", "x", "y", "z", "nonsense"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def state() -> dict[str, Any]:
    """Everything an import may change, to assert that a rejected one changed nothing."""
    return {
        "entries": sorted(
            CostEntry.objects.values_list(
                "region__code",
                "period",
                "cost_type",
                "profession",
                "care_area",
                "amount_sek",
                "cost_import_id",
            )
        ),
        "suppliers": [
            (row.region_code, row.period, row.supplier_org_no, row.amount_sek) for row in supplier_rows()
        ],
        "sum": CostEntry.objects.aggregate(total=Sum("amount_sek"))["total"],
        "count": CostEntry.objects.count(),
        "done_imports": CostImport.objects.filter(status=ImportStatus.DONE).count(),
        "audit": AuditEvent.objects.filter(action=AuditAction.IMPORT).count(),
    }


def amounts() -> dict[tuple[str, str, str, str, str], Decimal]:
    return {
        (code, f"{period:%Y-%m}", cost_type, profession, care_area): amount
        for code, period, cost_type, profession, care_area, amount in CostEntry.objects.values_list(
            "region__code", "period", "cost_type", "profession", "care_area", "amount_sek"
        )
    }


def run(data: bytes, name: str = "costs.csv", **kwargs: Any) -> CostImport:
    kwargs.setdefault("replace", False)
    return importing.import_costs(None, data, name, **kwargs)


def fields_of(cost_import: CostImport) -> set[tuple[Any, str]]:
    return {(error["row"], error["field"]) for error in cost_import.errors}


@pytest.fixture
def existing(world: dict[str, Any]) -> CostImport:
    """Region 14 and 01 hold January and February 2024 from an earlier import."""
    done = run(
        csv_bytes(
            [
                HEADER,
                ["14", "2024-01", "hired", "doctor", "primary", "1000"],
                ["14", "2024-01", "own", "", "primary", "50000"],
                ["14", "2024-02", "hired", "doctor", "primary", "2000"],
                ["14", "2024-02", "own", "", "primary", "50000"],
                ["01", "2024-01", "hired", "nurse", "psychiatry", "300"],
                ["01", "2024-01", "own", "", "psychiatry", "40000"],
            ]
        ),
        "earlier.csv",
    )
    assert done.status == ImportStatus.DONE, done.errors
    return done


# --- Good files ---------------------------------------------------------------------------------------------


def test_a_canonical_csv_is_imported_and_recorded(world: dict[str, Any], tmp_path: Path) -> None:
    path = write_csv(
        tmp_path,
        "kostnader.csv",
        [
            [*HEADER, "supplier_org_no", "unit"],
            ["14", "2024-01", "hired", "doctor", "primary", "1234.50", ORG_A, "VC Angered"],
            ["14", "2024-01", "own", "", "primary", "100000", "", ""],
            ["14", "2024-01", "internal_pool", "nurse", "somatic", "500", "", ""],
            ["14", "2024-01", "overtime", "", "", "250.25", "", ""],
            ["01", "2024-02", "hired", "nurse", "psychiatry", "-10", "", ""],
            ["01", "2024-02", "hired", "nurse", "psychiatry", "110", "", ""],
            ["01", "2024-02", "own", "other", "", "9000", "", ""],
        ],
    )
    result = importing.import_costs(
        world["coordinator"], path.read_bytes(), path.name, replace=False, definition_note="exkl. tandvård"
    )
    assert result.status == ImportStatus.DONE, result.errors
    assert not result.already_imported
    assert result.lines == 7 and result.entries == 6
    assert result.region_months == ["01-2024-02", "14-2024-01"]
    assert result.totals == {
        "hired": "1334.50",
        "own": "109000.00",
        "internal_pool": "500.00",
        "overtime": "250.25",
    }
    assert len(result.sha256) == 64 and result.finished_at is not None
    assert result.created_by == world["coordinator"] and result.definition_note == "exkl. tandvård"
    assert result.region is None  # two regions
    assert amounts() == {
        ("14", "2024-01", "hired", "doctor", "primary"): Decimal("1234.50"),
        ("14", "2024-01", "own", "", "primary"): Decimal("100000.00"),
        ("14", "2024-01", "internal_pool", "nurse", "somatic"): Decimal("500.00"),
        ("14", "2024-01", "overtime", "", ""): Decimal("250.25"),
        ("01", "2024-02", "hired", "nurse", "psychiatry"): Decimal("100.00"),
        ("01", "2024-02", "own", "other", ""): Decimal("9000.00"),
    }
    assert set(CostEntry.objects.values_list("cost_import", flat=True)) == {result.pk}
    [supplier] = supplier_rows()
    assert (supplier.region_code, supplier.period, supplier.supplier_org_no, supplier.units) == (
        "14",
        D(2024, 1, 1),
        ORG_A,
        {"VC Angered": "1234.50"},
    )
    assert supplier.amount_sek == Decimal("1234.50") and supplier.profession == "doctor"
    event = AuditEvent.objects.get(action=AuditAction.IMPORT)
    assert event.object_id == str(result.pk) and event.actor == world["coordinator"]
    assert event.after["entries"] == 6 and event.after["sha256"] == result.sha256
    assert event.after["supplier_entries"] == 1


@pytest.mark.parametrize("encoding,bom", [("utf-8", True), ("utf-8", False), ("cp1252", False)])
def test_swedish_headers_values_and_number_formats(world: dict[str, Any], encoding: str, bom: bool) -> None:
    rows = [
        ["Region", "Period", "Kostnadstyp", "Yrke", "Vårdområde", "Belopp", "Leverantör_orgnr", "Enhet"],
        ["14", "2024-03", "Hyrd", "Läkare", "Primärvård", "1 234 567,50", "5566778899", "Enhet 1"],
        ["14", "2024-03", "hyrd", "LÄKARE", "primärvård", "1\u00a0000,25", "", ""],
        ["14", "2024-03", "egen", "", "Primärvård", "10 000 000", "", ""],
        ["14", "2024-03", "Övertid", "Sjuksköterska", "Psykiatri", "12,5", "", ""],
        ["14", "2024-03", "bemanningspool", "övriga", "somatisk vård", "7", "", ""],
        ["14", "2024-03", "intern_pool", "Övrig", "Somatik", "3", "", ""],
        ["1", "2024-03-01", "Hyrd", "sjukskoterska", "psykiatri", "−100,00", "", ""],
        ["1", "2024-03", "Hyrd", "sjukskoterska", "psykiatri", "200", "", ""],
    ]
    if encoding == "cp1252":
        rows[7][5] = "-100,00"  # no minus sign in Windows-1252
    result = run(csv_bytes(rows, delimiter=";", bom=bom, encoding=encoding), "kostnader.csv")
    assert result.status == ImportStatus.DONE, result.errors
    assert amounts() == {
        ("14", "2024-03", "hired", "doctor", "primary"): Decimal("1235567.75"),
        ("14", "2024-03", "own", "", "primary"): Decimal("10000000.00"),
        ("14", "2024-03", "overtime", "nurse", "psychiatry"): Decimal("12.50"),
        ("14", "2024-03", "internal_pool", "other", "somatic"): Decimal("10.00"),
        ("01", "2024-03", "hired", "nurse", "psychiatry"): Decimal("100.00"),
    }
    [supplier] = supplier_rows()
    assert supplier.supplier_org_no == ORG_A


def test_an_xlsx_with_extra_sheets_numeric_and_date_cells(world: dict[str, Any], tmp_path: Path) -> None:
    path = tmp_path / "kostnader.xlsx"
    path.write_bytes(
        xlsx_bytes(
            [
                ["region", "period", "kostnadstyp", "yrke", "vardomrade", "belopp"],
                [14, datetime.datetime(2024, 5, 1), "hyrd", "läkare", "primärvård", 1500.75],
                [14, datetime.datetime(2024, 5, 17), "hyrd", "läkare", "primärvård", 499.25],
                ["14", "2024-05", "egen", None, "primärvård", 100000],
                [1, datetime.date(2024, 6, 1), "hired", "nurse", "psychiatry", "2 500,50"],
                [1.0, "2024-06", "own", "", "", Decimal("80000.10")],
                [None, None, None, None, None, None],
            ]
        )
    )
    result = run(path.read_bytes(), path.name)
    assert result.status == ImportStatus.DONE, result.errors
    assert result.lines == 5
    assert amounts() == {
        ("14", "2024-05", "hired", "doctor", "primary"): Decimal("2000.00"),
        ("14", "2024-05", "own", "", "primary"): Decimal("100000.00"),
        ("01", "2024-06", "hired", "nurse", "psychiatry"): Decimal("2500.50"),
        ("01", "2024-06", "own", "", ""): Decimal("80000.10"),
    }


def test_lines_with_the_same_key_add_up(world: dict[str, Any]) -> None:
    result = run(
        csv_bytes(
            [
                HEADER,
                ["14", "2024-01", "hired", "doctor", "primary", "100.10"],
                ["14", "2024-01", "hired", "doctor", "primary", "200.20"],
                ["14", "2024-01", "hired", "doctor", "primary", "-50.30"],
            ]
        )
    )
    assert result.status == ImportStatus.DONE
    assert result.lines == 3 and result.entries == 1
    assert CostEntry.objects.get().amount_sek == Decimal("250.00")


def test_blank_lines_and_extra_columns_are_ignored(world: dict[str, Any]) -> None:
    data = (
        b"region,period,cost_type,profession,care_area,amount_sek,comment\n\n14,2024-01,own,,,5,x\n,,,,,,\n"
    )
    result = run(data)
    assert result.status == ImportStatus.DONE, result.errors
    assert result.lines == 1 and CostEntry.objects.get().amount_sek == 5


def test_progress_is_reported(world: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(aggregation, "PROGRESS_EVERY", 2)
    rows = [HEADER] + [["14", f"2024-{m:02d}", "own", "", "", "1"] for m in range(1, 8)]
    calls: list[tuple[int, int]] = []
    result = run(csv_bytes(rows), progress=lambda done, total: calls.append((done, total)))
    assert result.status == ImportStatus.DONE
    assert calls[-1] == (7, 7)
    assert [done for done, _total in calls[:3]] == [2, 4, 6]
    assert all(total == 7 for _done, total in calls)


# --- Bad files -----------------------------------------------------------------------------------------------

BAD_FILES: dict[str, tuple[list[list[str]], set[tuple[Any, str]]]] = {
    "missing column": (
        [["region", "period", "cost_type", "profession", "amount_sek"], ["14", "2024-03", "hired", "", "1"]],
        {(1, "care_area")},
    ),
    "text in amount": ([HEADER, ["14", "2024-03", "hired", "", "", "12 kr"]], {(2, "amount_sek")}),
    "empty amount": ([HEADER, ["14", "2024-03", "hired", "", "", ""]], {(2, "amount_sek")}),
    "ambiguous amount": ([HEADER, ["14", "2024-03", "hired", "", "", "1.234,50"]], {(2, "amount_sek")}),
    "not a number": ([HEADER, ["14", "2024-03", "hired", "", "", "NaN"]], {(2, "amount_sek")}),
    "unknown region": ([HEADER, ["99", "2024-03", "hired", "", "", "1"]], {(2, "region")}),
    "bad period": ([HEADER, ["14", "2024-13", "hired", "", "", "1"]], {(2, "period")}),
    "day in period": ([HEADER, ["14", "2024-03-15", "hired", "", "", "1"]], {(2, "period")}),
    "unknown cost type": ([HEADER, ["14", "2024-03", "rental", "", "", "1"]], {(2, "cost_type")}),
    "unknown profession": ([HEADER, ["14", "2024-03", "hired", "dentist", "", "1"]], {(2, "profession")}),
    "unknown care area": ([HEADER, ["14", "2024-03", "hired", "", "dental", "1"]], {(2, "care_area")}),
    "negative total": (
        [
            HEADER,
            ["14", "2024-03", "hired", "doctor", "", "100"],
            ["14", "2024-03", "hired", "doctor", "", "-150"],
        ],
        {(None, "amount_sek")},
    ),
    "bad org number": (
        [[*HEADER, "supplier_org_no"], ["14", "2024-03", "hired", "", "", "1", "556677-8898"]],
        {(2, "supplier_org_no")},
    ),
    "header only": ([HEADER], {(None, "")}),
}


@pytest.mark.parametrize("case", sorted(BAD_FILES))
def test_a_bad_file_is_rejected_naming_row_and_field_and_nothing_changes(
    existing: CostImport, case: str
) -> None:
    rows, expected = BAD_FILES[case]
    before = state()
    result = run(csv_bytes(rows), replace=True)  # even with replace, nothing is touched
    assert result.status == ImportStatus.REJECTED
    assert result.pk is not None and result.entries == 0
    assert fields_of(result) == expected, result.errors
    assert all(error["message"] for error in result.errors)
    assert state() == before


def test_the_negative_total_names_the_key(existing: CostImport) -> None:
    result = run(
        csv_bytes(
            [
                HEADER,
                ["14", "2024-03", "own", "", "primary", "100"],
                ["14", "2024-03", "own", "", "primary", "-101"],
            ]
        )
    )
    assert result.status == ImportStatus.REJECTED
    assert "14 2024-03 own – primary" in result.errors[0]["message"]
    # A negative total of overtime (a correction) is allowed.
    assert run(csv_bytes([HEADER, ["14", "2024-03", "overtime", "", "", "-5"]])).status == ImportStatus.DONE


@pytest.mark.parametrize("data", [b"", b"  \n\n", b"\xef\xbb\xbf"])
def test_an_empty_file_is_rejected(existing: CostImport, data: bytes) -> None:
    before = state()
    result = run(data)
    assert result.status == ImportStatus.REJECTED
    assert result.errors[0]["message"]
    assert state() == before


def test_every_bad_row_and_field_is_named_with_its_value(existing: CostImport) -> None:
    before = state()
    result = run(
        csv_bytes(
            [
                HEADER,
                ["14", "2024-03", "hired", "doctor", "primary", "100"],
                ["99", "2024-13", "hyra", "doctor", "primary", "1x"],
                ["14", "2024-03", "hired", "doctor", "primary", "100"],
                ["99", "2024-13", "hyra", "doctor", "primary", "2"],
            ]
        )
    )
    assert result.status == ImportStatus.REJECTED
    got = {(e["row"], e["field"], e["value"]) for e in result.errors}
    assert got == {
        (3, "region", "99"),
        (3, "period", "2024-13"),
        (3, "cost_type", "hyra"),
        (3, "amount_sek", "1x"),
        (5, "region", "99"),
        (5, "period", "2024-13"),
        (5, "cost_type", "hyra"),
    }
    assert state() == before


def test_errors_name_the_columns_as_the_file_writes_them(existing: CostImport) -> None:
    result = run(
        csv_bytes(
            [
                ["Region", "Period", "Kostnadstyp", "Yrke", "Vårdområde", "Belopp"],
                ["14", "2024-03", "x", "", "", "1"],
            ],
            delimiter=";",
        )
    )
    assert fields_of(result) == {(2, "Kostnadstyp")}


def test_an_xlsx_with_errors_names_the_sheet_rows(existing: CostImport) -> None:
    before = state()
    data = xlsx_bytes(
        [
            ["region", "period", "cost_type", "profession", "care_area", "amount_sek"],
            [14, "2024-04", "hired", "", "", 5],
            [99, "2024-04", "hired", "", "", "fem"],
        ]
    )
    result = run(data, "fel.xlsx")
    assert result.status == ImportStatus.REJECTED
    assert fields_of(result) == {(3, "region"), (3, "amount_sek")}
    assert state() == before


def test_a_broken_workbook_is_rejected(existing: CostImport) -> None:
    result = run(b"PK\x03\x04 not really a zip", "trasig.xlsx")
    assert result.status == ImportStatus.REJECTED
    assert "Excel" in result.errors[0]["message"]


def test_an_unreadable_csv_is_rejected(existing: CostImport) -> None:
    before = state()
    data = csv_bytes([HEADER, ["14", "2024-01", "own", "", "", "1"]]) + b'14,"' + b"x" * 200_000 + b"\n"
    result = run(data)
    assert result.status == ImportStatus.REJECTED
    assert "CSV" in result.errors[0]["message"]
    assert state() == before


def test_a_region_users_file_may_only_hold_their_region(existing: CostImport, world: dict[str, Any]) -> None:
    before = state()
    result = run(
        csv_bytes(
            [
                HEADER,
                ["14", "2024-03", "hired", "", "", "1"],
                ["01", "2024-03", "hired", "", "", "1"],
                ["01", "2024-04", "own", "", "", "1"],
            ]
        ),
        region=world["region_a"],
        replace=True,
    )
    assert result.status == ImportStatus.REJECTED
    assert fields_of(result) == {(3, "region"), (4, "region")}
    assert result.region == world["region_a"]
    assert state() == before


def test_thousands_of_errors_are_counted_and_a_readable_number_stored(existing: CostImport) -> None:
    rows = [HEADER] + [["99", "2024-01", "own", "", "", "1"]] * 3000
    result = run(csv_bytes(rows))
    assert result.status == ImportStatus.REJECTED
    assert len(result.errors) == importing.MAX_ERRORS + 1
    assert importing.error_count(result) == 3000


# --- Replacing and idempotence -------------------------------------------------------------------------


def test_overlapping_region_months_are_refused_without_replace(existing: CostImport) -> None:
    before = state()
    result = run(
        csv_bytes(
            [
                HEADER,
                ["14", "2024-02", "hired", "doctor", "primary", "1"],
                ["14", "2024-03", "hired", "doctor", "primary", "1"],
                ["01", "2024-01", "own", "", "", "1"],
            ]
        )
    )
    assert result.status == ImportStatus.REJECTED
    message = result.errors[0]["message"]
    assert "01-2024-01" in message and "14-2024-02" in message and "14-2024-03" not in message
    assert state() == before


def test_replace_replaces_exactly_the_covered_region_months(existing: CostImport) -> None:
    result = run(
        csv_bytes(
            [
                [*HEADER, "supplier_org_no"],
                ["14", "2024-02", "hired", "nurse", "somatic", "7", ORG_A],
                ["14", "2024-03", "own", "", "", "9", ""],
            ]
        ),
        replace=True,
    )
    assert result.status == ImportStatus.DONE, result.errors
    assert amounts() == {
        # untouched: 14 in January, 01 in January
        ("14", "2024-01", "hired", "doctor", "primary"): Decimal("1000.00"),
        ("14", "2024-01", "own", "", "primary"): Decimal("50000.00"),
        ("01", "2024-01", "hired", "nurse", "psychiatry"): Decimal("300.00"),
        ("01", "2024-01", "own", "", "psychiatry"): Decimal("40000.00"),
        # 14-2024-02 replaced as a whole (its own cost is gone), 14-2024-03 new
        ("14", "2024-02", "hired", "nurse", "somatic"): Decimal("7.00"),
        ("14", "2024-03", "own", "", ""): Decimal("9.00"),
    }
    assert result.region_months == ["14-2024-02", "14-2024-03"]
    assert result.region.code == "14"  # one region only
    event = AuditEvent.objects.filter(action=AuditAction.IMPORT).latest("pk")
    assert event.after["replaced_rows"] == 2


def test_replace_removes_the_supplier_rows_of_the_covered_months(world: dict[str, Any]) -> None:
    header = [*HEADER, "supplier_org_no", "unit"]
    run(csv_bytes([header, ["14", "2024-01", "hired", "", "", "5", ORG_A, "A"]]))
    run(csv_bytes([header, ["14", "2024-02", "hired", "", "", "6", ORG_A, "A"]]))
    run(csv_bytes([header, ["14", "2024-01", "hired", "", "", "8", "", ""]]), replace=True)
    assert [(row.period, row.amount_sek) for row in supplier_rows()] == [(D(2024, 2, 1), 6)]


def test_importing_the_same_file_twice_changes_nothing(existing: CostImport) -> None:
    data = csv_bytes(
        [
            HEADER,
            ["14", "2024-01", "hired", "doctor", "primary", "1000"],
            ["14", "2024-01", "own", "", "primary", "50000"],
            ["14", "2024-02", "hired", "doctor", "primary", "2000"],
            ["14", "2024-02", "own", "", "primary", "50000"],
            ["01", "2024-01", "hired", "nurse", "psychiatry", "300"],
            ["01", "2024-01", "own", "", "psychiatry", "40000"],
        ]
    )
    assert existing.sha256 == hashlib.sha256(data).hexdigest()
    imports_before = CostImport.objects.count()
    before = state()
    for replace in (False, True):
        again = run(data, "earlier.csv", replace=replace)
        assert again.pk == existing.pk and again.already_imported
        assert again.status == ImportStatus.DONE
    assert CostImport.objects.count() == imports_before
    assert state() == before


def test_the_same_file_after_its_months_were_replaced_is_not_a_duplicate(existing: CostImport) -> None:
    run(csv_bytes([HEADER, ["14", "2024-01", "own", "", "", "1"]]), replace=True)
    data = csv_bytes(
        [
            HEADER,
            ["14", "2024-01", "hired", "doctor", "primary", "1000"],
            ["14", "2024-01", "own", "", "primary", "50000"],
            ["14", "2024-02", "hired", "doctor", "primary", "2000"],
            ["14", "2024-02", "own", "", "primary", "50000"],
            ["01", "2024-01", "hired", "nurse", "psychiatry", "300"],
            ["01", "2024-01", "own", "", "psychiatry", "40000"],
        ]
    )
    assert run(data).status == ImportStatus.REJECTED  # the months hold other figures now
    restored = run(data, replace=True)
    assert restored.status == ImportStatus.DONE and restored.pk != existing.pk
    assert CostEntry.objects.count() == 6


# --- The command ----------------------------------------------------------------------------------------


def test_the_command_imports_and_prints_a_summary(world: dict[str, Any], tmp_path: Path) -> None:
    path = write_csv(
        tmp_path,
        "ledger.csv",
        [HEADER, ["14", "2024-01", "hired", "", "", "10"], ["14", "2024-01", "hired", "", "", "5"]],
    )
    out = io.StringIO()
    call_command("import_costs", str(path), "--definition-note", "inkl. tandvård", stdout=out)
    text = out.getvalue()
    assert "2 lines read, 1 monthly rows stored" in text
    assert "hired: 15.00" in text and "14-2024-01" in text
    assert CostImport.objects.get().definition_note == "inkl. tandvård"
    out = io.StringIO()
    call_command("import_costs", str(path), stdout=out)
    assert "already imported" in out.getvalue()
    assert CostEntry.objects.get().amount_sek == 15


def test_the_command_lists_errors_and_exits(world: dict[str, Any], tmp_path: Path) -> None:
    rows = [HEADER] + [["99", "2024-01", "own", "", "", "1"]] * 60
    path = write_csv(tmp_path, "bad.csv", rows)
    with translation.override("en"), pytest.raises(CommandError) as raised:  # messages asserted in English
        call_command("import_costs", str(path))
    message = str(raised.value)
    assert "60 error(s)" in message
    assert "Row 2, region" in message and "Row 51, region" in message and "Row 52, region" not in message
    assert "… and 10 more." in message
    assert not CostEntry.objects.exists()


def test_the_command_refuses_overlaps_unless_replace(existing: CostImport, tmp_path: Path) -> None:
    path = write_csv(tmp_path, "jan.csv", [HEADER, ["14", "2024-01", "own", "", "primary", "1"]])
    with pytest.raises(CommandError, match="14-2024-01"):
        call_command("import_costs", str(path))
    call_command("import_costs", str(path), "--replace", stdout=io.StringIO())
    assert amounts()[("14", "2024-01", "own", "", "primary")] == 1
    assert ("14", "2024-01", "hired", "doctor", "primary") not in amounts()


def test_the_command_reports_a_missing_file(db: Any, tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="nope.csv"):
        call_command("import_costs", str(tmp_path / "nope.csv"))


def test_regions_exist(db: Any) -> None:
    assert Region.objects.filter(code__in=["01", "14", "25"]).count() == 3
