"""The columnar reader (DuckDB) gives exactly what the row-by-row reader gives, or declines.

Large CSV files are read by DuckDB (``importing.columnar``); everything it cannot prove valid goes to
the row-by-row reader, which names each bad row and field. These tests lower the size threshold to
zero so that small files take the columnar path, and check that it never accepts a file the other
rejects, nor adds up a line differently: the same lines, the same sums per key, the same
supplier-grain sums, and the same rows stored in the database.
"""

from __future__ import annotations

import datetime
import json
from decimal import Decimal
from typing import Any

import openpyxl
import pytest
from django.db import transaction
from django.db.models import TextField
from django.db.models.functions import Cast
from django.test import override_settings
from hypothesis import event, given
from hypothesis import strategies as st

from hyrkoll.followup import importing
from hyrkoll.followup.importing import columnar, formats, reading, storing
from hyrkoll.followup.importing.aggregation import Parsed
from hyrkoll.followup.models import CostEntry, ImportStatus, StaffingMetric, SupplierCostMonth
from hyrkoll.followup.tests.test_import_properties import cost_rows, metric_rows
from hyrkoll.organisation.models import Region
from tests.strategies import PROPERTY_SETTINGS, table_files

pytestmark = pytest.mark.django_db

ALWAYS_COLUMNAR = override_settings(FOLLOWUP_IMPORT_COLUMNAR_MIN_BYTES=0)
NEVER_COLUMNAR = override_settings(FOLLOWUP_IMPORT_COLUMNAR_MIN_BYTES=2**62)

SWEDISH_LEDGER = (
    "\ufeffLän;Månad;Kostnadstyp;Yrke;Vårdområde;Belopp;Leverantör orgnr;Enhet;Kommentar\n"
    "14;2025-01;hyrd;läkare;primärvård;12500,50;556677-8899;K14P0001;faktura 1\n"
    "14;2025-01;Hyrd;Läkare;Primärvård;-2500,50;5566778899;K14P0001;kreditering\n"
    "14;2025-01;hired;doctor;primary;1000;556000-0001;K14P0002;\n"
    "14;2025-01;egen;;somatik;9000000,00;;K14S0001;lön\n"
    "\n"
    "14;2025-02;hyrpersonal;sjuksköterska;psykiatri;4321.09;556677-8899;;\n"
    "14;2025-02;overtid;;psykiatri;1200;;K14Y0003;\n"
    "14;2025-02;egen;;psykiatri;800000;;;\n"
    ";;;;;;;;\n"
).encode()


def _supplier_sums(parsed: Parsed) -> dict[tuple, Decimal]:
    """The supplier-grain sums of either reader, as the row-by-row reader keys them (per unit)."""
    if parsed.supplier_rows is None:
        return parsed.supplier_sums
    ids = dict(Region.objects.values_list("code", "pk"))
    codes = {pk: code for code, pk in ids.items()}
    sums = {}
    rows = list(parsed.supplier_rows.stored_rows(ids, 0))
    for region, period, text, _import in rows:
        month = datetime.date.fromisoformat(period)
        amounts = {
            (codes[region], month, org, unit, profession, area): Decimal(amount)
            for org, profession, area, units in json.loads(text)
            for unit, amount in units.items()
        }
        # The very JSON text the row-by-row path writes for the same amounts.
        assert SupplierCostMonth.entries_by_month(amounts) == {(codes[region], month): text}
        assert not sums.keys() & amounts.keys()  # a region-month in one row
        sums.update(amounts)
    assert len(rows) == len({key[:2] for key in sums})
    assert parsed.supplier_count == len({key[:3] + key[4:] for key in sums})
    return sums


def _both(kind: formats.FileKind, data: bytes, filename: str, region: Region | None = None) -> tuple:
    row_by_row = reading.read_rows(kind, data, filename, region, None)
    with ALWAYS_COLUMNAR:
        fast = columnar.read_columnar(kind, data, filename, region, None)
    return row_by_row, fast


def _assert_same(row_by_row: Parsed, fast: Parsed) -> None:
    try:
        assert not row_by_row.errors, row_by_row.errors.items[:3]
        assert fast.lines == row_by_row.lines
        assert fast.sums == row_by_row.sums
        assert _supplier_sums(fast) == row_by_row.supplier_sums
    finally:
        fast.close()


def test_a_swedish_ledger_is_read_by_the_columnar_reader(world: dict[str, Any]) -> None:
    """BOM, semicolons, Swedish column names and codes, decimal commas, a correction, an extra
    column, blank lines: all within what the columnar reader reads, with the same result."""
    row_by_row, fast = _both(formats.COSTS, SWEDISH_LEDGER, "huvudbok.csv")
    assert fast is not None
    assert fast.lines == 7 and fast.supplier_count == 3
    assert fast.sums[("14", datetime.date(2025, 1, 1), "hired", "doctor", "primary")] == Decimal("11000.00")
    _assert_same(row_by_row, fast)


def _stored() -> tuple[set, set, set]:
    return (
        set(
            CostEntry.objects.values_list(
                "region__code", "period", "cost_type", "profession", "care_area", "amount_sek", "source"
            )
        ),
        set(  # the entries as stored (the JSON's very text on SQLite)
            SupplierCostMonth.objects.annotate(text=Cast("entries", TextField())).values_list(
                "region__code", "period", "text"
            )
        ),
        set(StaffingMetric.objects.values_list("region__code", "period", "metric", "care_area", "value")),
    )


def _import_and_roll_back(data: bytes, filename: str, reader: override_settings) -> tuple[Any, tuple]:
    with transaction.atomic():
        with reader:
            result = importing.import_costs(None, data, filename, replace=False)
        stored = _stored()
        transaction.set_rollback(True)
    return result, stored


def test_both_readers_store_the_same_rows(world: dict[str, Any]) -> None:
    fast, fast_rows = _import_and_roll_back(SWEDISH_LEDGER, "huvudbok.csv", ALWAYS_COLUMNAR)
    slow, slow_rows = _import_and_roll_back(SWEDISH_LEDGER, "huvudbok.csv", NEVER_COLUMNAR)
    assert fast.status == slow.status == ImportStatus.DONE
    assert (fast.lines, fast.entries, fast.totals, fast.region_months) == (
        slow.lines,
        slow.entries,
        slow.totals,
        slow.region_months,
    )
    assert fast_rows == slow_rows and len(fast_rows[1]) == 2  # region-months


# One spelling per value: every group with a supplier is one stored row, without adding up again.
PLAIN_LEDGER = (
    b"region,period,cost_type,profession,care_area,amount_sek,supplier_org_no,unit\n"
    b"14,2025-01,hired,doctor,primary,12500.50,556677-8899,K14P0001\n"
    b"14,2025-01,hired,doctor,primary,-2500.50,556677-8899,K14P0001\n"
    b"14,2025-01,hired,doctor,primary,1000,556677-8899,K14P0002\n"
    b"14,2025-01,hired,nurse,primary,700,556000-0001,K14P0002\n"
    b"14,2025-02,hired,doctor,primary,300.25,556677-8899,K14P0001\n"
    b"01,2025-02,hired,doctor,somatic,90,556000-0001,\n"
    b"01,2025-02,own,,somatic,800000,,K01S0001\n"
)


def test_a_ledger_with_one_spelling_per_value_stores_the_same_rows(world: dict[str, Any]) -> None:
    row_by_row, fast = _both(formats.COSTS, PLAIN_LEDGER, "huvudbok.csv")
    # Five amounts per unit, in four rows (the first supplier's January: two units in one row).
    assert fast is not None and fast.supplier_count == 4 and len(row_by_row.supplier_sums) == 5
    _assert_same(row_by_row, fast)
    fast, fast_rows = _import_and_roll_back(PLAIN_LEDGER, "huvudbok.csv", ALWAYS_COLUMNAR)
    slow, slow_rows = _import_and_roll_back(PLAIN_LEDGER, "huvudbok.csv", NEVER_COLUMNAR)
    assert fast.status == slow.status == ImportStatus.DONE
    assert fast_rows == slow_rows and len(fast_rows[1]) == 3  # region-months


def test_progress_of_a_columnar_read(world: dict[str, Any]) -> None:
    calls: list[tuple[int, int]] = []
    with ALWAYS_COLUMNAR:
        result = importing.import_costs(
            None, SWEDISH_LEDGER, "huvudbok.csv", replace=False, progress=lambda *call: calls.append(call)
        )
    assert result.status == ImportStatus.DONE
    assert calls[0][0] == 0 and calls[-1] == (7, 7)


def _xlsx() -> bytes:
    import io

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["region", "period", "cost_type", "profession", "care_area", "amount_sek"])
    sheet.append(["14", "2025-01", "own", "", "", 5])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


HEADER = "region;period;cost_type;profession;care_area;amount_sek;supplier_org_no;unit\n"
DECLINED = {
    "a workbook": (_xlsx(), "f.xlsx"),
    "Windows-1252 text": ((HEADER + "14;2025-01;egen;;primärvård;5;;\n").encode("cp1252"), "f.csv"),
    "thousand separators": ((HEADER + "14;2025-01;own;;;1 234,50;;\n").encode(), "f.csv"),
    "three decimals": ((HEADER + "14;2025-01;own;;;1.005;;\n").encode(), "f.csv"),
    "a space around an amount": ((HEADER + "14;2025-01;own;;; 5;;\n").encode(), "f.csv"),
    "an unknown region": ((HEADER + "99;2025-01;own;;;5;;\n").encode(), "f.csv"),
    "a bad organisation number": ((HEADER + "14;2025-01;hired;;;5;12;\n").encode(), "f.csv"),
    "a unit with spaces around it": ((HEADER + "14;2025-01;hired;;;5;556677-8899; K1 \n").encode(), "f.csv"),
    "a negative hired sum": ((HEADER + "14;2025-01;hired;;;-5;;\n").encode(), "f.csv"),
    # Each unit's amount can be stored, the supplier's row (their sum) cannot.
    "a supplier's row too large": (
        (
            HEADER + "14;2025-01;hired;;;60000000000000;556677-8899;K1\n"
            "14;2025-01;hired;;;60000000000000;556677-8899;K2\n14;2025-01;hired;;;-50000000000000;;\n"
        ).encode(),
        "f.csv",
    ),
    "a row longer than the header": ((HEADER + "14;2025-01;own;;;5;;;extra\n").encode(), "f.csv"),
    "a quoted header": (('"region";' + HEADER[7:] + "14;2025-01;own;;;5;;\n").encode(), "f.csv"),
    "a blank first line": (("\n" + HEADER + "14;2025-01;own;;;5;;\n").encode(), "f.csv"),
    "no rows": (HEADER.encode(), "f.csv"),
    "a NUL byte in a unit": ((HEADER + "14;2025-01;hired;;;5;556677-8899;K\x001\n").encode(), "f.csv"),
}


@pytest.mark.parametrize("case", sorted(DECLINED))
def test_what_the_columnar_reader_cannot_prove_goes_row_by_row(world: dict[str, Any], case: str) -> None:
    data, filename = DECLINED[case]
    row_by_row, fast = _both(formats.COSTS, data, filename)
    assert fast is None
    with ALWAYS_COLUMNAR:
        result = importing.import_costs(None, data, filename, replace=False)
    with NEVER_COLUMNAR:
        again = importing.import_costs(None, data, filename + ".again", replace=False)
    assert (result.status, result.errors) == (again.status, again.errors)
    assert bool(row_by_row.errors) == (result.status == ImportStatus.REJECTED)


def test_a_file_on_disk_with_a_nul_byte_goes_row_by_row(world: dict[str, Any], tmp_path: Any) -> None:
    path = tmp_path / "f.csv"
    path.write_bytes(DECLINED["a NUL byte in a unit"][0])
    with ALWAYS_COLUMNAR:
        assert columnar.read_columnar(formats.COSTS, path, "f.csv", None, None) is None
        result = importing.import_file(formats.COSTS.kind, path, "f.csv", actor=None)
    assert result.status == ImportStatus.REJECTED and result.errors


@pytest.mark.parametrize(
    ("head", "size", "expected"),
    [
        (b"h\n1\n2\n3\n", 8, 3),  # the whole file: its data lines exactly
        (b"h\n1\n2\n3\n", 8_000, 3_999),  # 4 line ends in 8 bytes: about 4,000 lines, less the header
        (b"header without a line end", 10_000, 1),
    ],
)
def test_the_progress_bar_starts_from_the_first_blocks_line_density(
    head: bytes, size: int, expected: int
) -> None:
    assert columnar.estimated_lines(head, size) == expected


def test_a_percentage_given_twice_goes_row_by_row(world: dict[str, Any]) -> None:
    data = (
        "region;period;metric;profession;care_area;value\n"
        "14;2025-01;turnover_pct;;;10\n14;2025-01;Personalomsättning;;;11\n"
    ).encode()
    row_by_row, fast = _both(formats.METRICS_FILE, data, "m.csv")
    assert fast is None and row_by_row.errors.items[0]["row"] == 3


def test_metrics_are_read_by_the_columnar_reader(world: dict[str, Any]) -> None:
    data = (
        "Region;Period;Indikator;Yrke;Vårdområde;Värde\n"
        "14;2025-01;hyrda_arsarbetare;läkare;;1,5\n14;2025-01;hired_fte;doctor;;2,25\n"
        "14;2025-01;sjukfrånvaro;;;5\n"
    ).encode()
    row_by_row, fast = _both(formats.METRICS_FILE, data, "m.csv")
    assert fast is not None and fast.supplier_rows is None
    _assert_same(row_by_row, fast)


@PROPERTY_SETTINGS
@given(
    file=table_files(formats.COSTS.required + formats.COSTS.optional, cost_rows, csv_only=True, max_rows=8),
    plain=st.booleans(),
)
def test_the_columnar_reader_agrees_or_declines_on_cost_files(
    world: dict[str, Any], file: tuple[bytes, str], plain: bool
) -> None:
    data, filename = file
    if plain:  # plain amounts and units, so that the columnar reader often accepts
        data = data.replace(b" ", b"")
    row_by_row, fast = _both(formats.COSTS, data, filename)
    event("columnar" if fast is not None else "declined")
    if fast is not None:
        _assert_same(row_by_row, fast)


@PROPERTY_SETTINGS
@given(file=table_files(formats.METRICS_FILE.required, metric_rows, csv_only=True, max_rows=8))
def test_the_columnar_reader_agrees_or_declines_on_metrics_files(
    world: dict[str, Any], file: tuple[bytes, str]
) -> None:
    data, filename = file
    row_by_row, fast = _both(formats.METRICS_FILE, data, filename, world["region_a"])
    event("columnar" if fast is not None else "declined")
    if fast is not None:
        _assert_same(row_by_row, fast)


def test_windows_line_ends_are_read_alike(world: dict[str, Any]) -> None:
    """Excel on Windows ends lines with CR LF."""
    data = SWEDISH_LEDGER.replace(b"\n", b"\r\n")
    row_by_row, fast = _both(formats.COSTS, data, "huvudbok.csv")
    assert fast is not None and fast.lines == 7
    _assert_same(row_by_row, fast)


def test_quoted_cells_are_read_alike(world: dict[str, Any]) -> None:
    """A spreadsheet quotes a cell holding the delimiter, a quote or a line break."""
    data = (
        HEADER + '14;2025-01;hired;doctor;primary;100;556677-8899;"K;1"\n'
        '14;2025-01;hired;doctor;primary;"200,50";556677-8899;"K ""2"""\n'
        '"14";"2025-01";"own";"";"";"300";"";"rad\nbrytning"\n'
    ).encode()
    row_by_row, fast = _both(formats.COSTS, data, "f.csv")
    # Two units of one supplier in one row.
    assert fast is not None and fast.lines == 3 and fast.supplier_count == 1
    assert len(row_by_row.supplier_sums) == 2
    _assert_same(row_by_row, fast)


def test_a_short_row_goes_row_by_row(world: dict[str, Any]) -> None:
    """The row-by-row reader pads a row that leaves out its trailing empty cells."""
    data = (HEADER + "14;2025-01;own;;;5\n14;2025-01;own;;;6;;\n").encode()
    row_by_row, fast = _both(formats.COSTS, data, "f.csv")
    assert fast is None and not row_by_row.errors and row_by_row.lines == 2


@pytest.mark.parametrize("reader", [ALWAYS_COLUMNAR, NEVER_COLUMNAR], ids=["columnar", "row by row"])
def test_a_file_given_by_its_path_imports_as_its_bytes(
    world: dict[str, Any], tmp_path: Any, reader: Any
) -> None:
    """The command and the upload job hand over the file's path: DuckDB reads it where it lies."""
    path = tmp_path / "huvudbok.csv"
    path.write_bytes(SWEDISH_LEDGER)
    with transaction.atomic():
        with reader:
            by_path = importing.import_file("costs", path, path.name, actor=None)
        stored = _stored()
        transaction.set_rollback(True)
    by_bytes, stored_from_bytes = _import_and_roll_back(SWEDISH_LEDGER, path.name, reader)
    assert by_path.status == ImportStatus.DONE and by_path.sha256 == by_bytes.sha256
    assert (by_path.lines, by_path.entries, by_path.totals) == (
        by_bytes.lines,
        by_bytes.entries,
        by_bytes.totals,
    )
    assert stored == stored_from_bytes


def test_duckdb_memory_limit_grows_with_the_file() -> None:
    """The benchmark ledger's 107 MB gets the floor; a 1 GiB ledger 1.5 × its size, not the floor."""
    from hyrkoll.followup.importing.columnar import memory_limit

    assert memory_limit(107 * 2**20) == "160MB"
    assert memory_limit(2**30) == "1536MB"


def test_supplier_rows_are_made_ready_while_the_monthly_rows_are_stored(
    world: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    """DuckDB's thread starts before the monthly rows go in (the two overlap); when storing those
    fails, the thread is stopped and nothing is stored."""
    from hyrkoll.followup.importing import supplier_rows

    started: list[supplier_rows.in_thread] = []
    real_in_thread = supplier_rows.in_thread

    def recording(items: Any) -> supplier_rows.in_thread:
        started.append(real_in_thread(items))
        return started[-1]

    def failing_insert(model: Any, fields: Any, rows: Any) -> None:
        assert len(started) == 1  # DuckDB's thread is under way before the monthly rows go in
        raise RuntimeError("disk full")

    monkeypatch.setattr(supplier_rows, "in_thread", recording)
    monkeypatch.setattr(storing, "insert_rows", failing_insert)
    with ALWAYS_COLUMNAR, pytest.raises(RuntimeError, match="disk full"):
        importing.import_costs(None, PLAIN_LEDGER, "huvudbok.csv", replace=True)
    assert len(started) == 1 and not started[0]._worker.is_alive()
    assert not CostEntry.objects.exists() and not SupplierCostMonth.objects.exists()


def test_a_thread_ahead_stops_when_closed_unread() -> None:
    from hyrkoll.followup.importing.supplier_rows import in_thread

    made: list[int] = []

    def numbers() -> Any:
        for number in range(1000):
            made.append(number)
            yield number

    ahead = in_thread(numbers())
    assert next(ahead) == 0
    ahead.close()
    assert not ahead._worker.is_alive() and len(made) < 10
    assert list(ahead) == []
    assert list(in_thread(iter(range(5)))) == [0, 1, 2, 3, 4]
