"""Imports of the licence-register extract and of former employees: the services, the upload pages
and the management commands. A bad file names the row and field and changes nothing."""

from __future__ import annotations

import csv
import datetime
import hashlib
import io
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from django.utils.translation import override

from conftest import make_user
from hyrkoll.accounts.models import Role, Scope
from hyrkoll.agreement.models import Competence, Profession
from hyrkoll.audit.models import AuditAction, AuditEvent
from hyrkoll.consultants import imports
from hyrkoll.consultants.imports import ImportFileError
from hyrkoll.consultants.models import FormerEmployee, LicenceRegisterEntry
from hyrkoll.lib.orgno import with_check_digit
from hyrkoll.lib.personal_numbers import keyed_hash

D = datetime.date
LICENCE_HEADER = list(imports.LICENCE_COLUMNS)
GOOD_LICENCE_ROWS = [
    ["20001", "Karin", "Ek", "doctor", "spec_general_medicine", "2010-06-01", "2016-03-15"],
    ["20001", "Karin", "Ek", "doctor", "", "2010-06-01", ""],
    ["20002", "Lars", "Ås", "nurse", "nurse_district", "2012-01-10", "2015-09-01"],
    ["20003", "Åsa", "Öberg", "midwife", "midwife", "2014-08-20", "2014-08-20"],
]


def personal_number(birth: str, serial: str = "123") -> str:
    """A valid number ``YYYYMMDD-NNNN`` for a birth date ``YYYYMMDD`` (Luhn check digit)."""
    short = with_check_digit(birth[2:] + serial)  # YYMMDD-NNNC
    return f"{birth[:2]}{short}"


PN_1 = personal_number("19800101")
PN_2 = personal_number("19751231", "456")
PN_3 = personal_number("20010215", "789")


def csv_bytes(
    rows: list[list[str]], *, delimiter: str = ",", bom: bool = False, encoding: str = "utf-8"
) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator="\n").writerows(rows)
    data = buffer.getvalue().encode(encoding)
    return b"\xef\xbb\xbf" + data if bom else data


def xlsx_bytes(rows: list[list[Any]]) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    workbook.create_sheet("Ignored").append(["not", "read"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@pytest.fixture
def regions(world: dict[str, Any]) -> dict[str, Any]:
    """Region A and B each have an earlier extract and list of former employees."""
    doctor = Profession.objects.get(code="doctor")
    for region, number in ((world["region_a"], "10001"), (world["region_b"], "90001")):
        LicenceRegisterEntry.objects.create(
            region=region,
            licence_number=number,
            first_name="Gammal",
            last_name="Rad",
            profession=doctor,
            licensed_on=D(2000, 1, 1),
        )
        FormerEmployee.objects.create(
            region=region, personal_number_hash="0" * 64, employed_until=D(2020, 1, 1)
        )
    region_a = world["region_a"]
    return {
        **world,
        "call_off_unit_a": make_user(
            "avrop.a", scope=Scope.REGION, region=region_a, roles=(Role.CALL_OFF_UNIT,)
        ),
        "reader_a": make_user("lasare.a", scope=Scope.REGION, region=region_a, roles=(Role.READER,)),
    }


def _entries() -> list[tuple[Any, ...]]:
    return list(
        LicenceRegisterEntry.objects.order_by("pk").values_list(
            "pk",
            "region_id",
            "licence_number",
            "first_name",
            "last_name",
            "profession__code",
            "competence__code",
            "licensed_on",
            "specialist_since",
        )
    )


def _former() -> list[tuple[Any, ...]]:
    return list(
        FormerEmployee.objects.order_by("pk").values_list(
            "pk", "region_id", "personal_number_hash", "employed_until"
        )
    )


def _state() -> dict[str, Any]:
    return {"entries": _entries(), "former": _former(), "events": AuditEvent.objects.count()}


def _import_events() -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=AuditAction.IMPORT).order_by("pk"))


# --- Licence register: good files ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(csv_bytes([LICENCE_HEADER, *GOOD_LICENCE_ROWS]), id="csv-comma"),
        pytest.param(
            csv_bytes([LICENCE_HEADER, *GOOD_LICENCE_ROWS], delimiter=";", bom=True), id="csv-semicolon-bom"
        ),
        pytest.param(
            csv_bytes([LICENCE_HEADER, *GOOD_LICENCE_ROWS], delimiter=";", encoding="cp1252"),
            id="csv-windows-1252",
        ),
        pytest.param(xlsx_bytes([LICENCE_HEADER, *GOOD_LICENCE_ROWS]), id="xlsx-text-cells"),
        pytest.param(
            xlsx_bytes(
                [
                    [name.upper() for name in LICENCE_HEADER],
                    [20001, "Karin", "Ek", "doctor", "spec_general_medicine", D(2010, 6, 1), D(2016, 3, 15)],
                    [],
                    [20001, "Karin", "Ek", "doctor", None, datetime.datetime(2010, 6, 1), None],
                    [20002, "Lars", "Ås", "nurse", "nurse_district", D(2012, 1, 10), D(2015, 9, 1)],
                    [20003, "Åsa", "Öberg", "midwife", "midwife", D(2014, 8, 20), D(2014, 8, 20)],
                ]
            ),
            id="xlsx-number-and-date-cells",
        ),
    ],
)
def test_a_good_file_replaces_the_region_extract(regions: dict[str, Any], data: bytes) -> None:
    region_a, region_b = regions["region_a"], regions["region_b"]
    region_b_rows = [row for row in _entries() if row[1] == region_b.pk]

    result = imports.import_licence_register(regions["admin_a"], region_a, data, "hosp.csv")

    assert (result.rows, result.removed) == (4, 1)
    rows = [row[2:] for row in _entries() if row[1] == region_a.pk]
    assert rows == [
        ("20001", "Karin", "Ek", "doctor", "spec_general_medicine", D(2010, 6, 1), D(2016, 3, 15)),
        ("20001", "Karin", "Ek", "doctor", None, D(2010, 6, 1), None),
        ("20002", "Lars", "Ås", "nurse", "nurse_district", D(2012, 1, 10), D(2015, 9, 1)),
        ("20003", "Åsa", "Öberg", "midwife", "midwife", D(2014, 8, 20), D(2014, 8, 20)),
    ]
    assert [row for row in _entries() if row[1] == region_b.pk] == region_b_rows
    [event] = _import_events()
    assert event.actor == regions["admin_a"]
    assert event.region == region_a
    assert event.after["rows"] == 4
    assert event.after["replaced_rows"] == 1
    assert event.after["sha256"] == hashlib.sha256(data).hexdigest()


# --- Licence register: bad files --------------------------------------------------------------------------

BAD_LICENCE_FILES = [
    # id, rows after the header (or the whole file as bytes), what the error must say
    (
        "unknown-profession",
        [["20001", "K", "Ek", "dentist", "", "2010-06-01", ""]],
        ["Row 2", "profession", "dentist"],
    ),
    (
        "unknown-competence",
        [GOOD_LICENCE_ROWS[0], ["20002", "L", "Ås", "nurse", "nurse_astronaut", "2012-01-10", ""]],
        ["Row 3", "competence", "nurse_astronaut"],
    ),
    (
        "competence-of-another-profession",
        [["20002", "L", "Ås", "nurse", "spec_general_medicine", "2012-01-10", "2016-01-01"]],
        ["Row 2", "competence", "another profession"],
    ),
    (
        "impossible-date",
        [["20001", "K", "Ek", "doctor", "", "2010-13-01", ""]],
        ["Row 2", "licensed_on", "2010-13-01"],
    ),
    ("swedish-date-format", [["20001", "K", "Ek", "doctor", "", "01/06/2010", ""]], ["Row 2", "licensed_on"]),
    ("no-licence-date", [["20001", "K", "Ek", "doctor", "", "", ""]], ["Row 2", "licensed_on", "required"]),
    (
        "bad-specialist-date",
        [["20001", "K", "Ek", "doctor", "spec_general_medicine", "2010-06-01", "2016-02-30"]],
        ["Row 2", "specialist_since"],
    ),
    (
        "specialist-before-licence",
        [["20001", "K", "Ek", "doctor", "spec_general_medicine", "2010-06-01", "2009-12-31"]],
        ["Row 2", "specialist_since", "before the licence date"],
    ),
    (
        "duplicate-licence-and-competence",
        [GOOD_LICENCE_ROWS[0], GOOD_LICENCE_ROWS[2], GOOD_LICENCE_ROWS[0]],
        ["Row 4", "licence_number", "20001", "row 2"],
    ),
    (
        "no-licence-number",
        [["", "K", "Ek", "doctor", "", "2010-06-01", ""]],
        ["Row 2", "licence_number", "required"],
    ),
    ("no-name", [["20001", "", "Ek", "doctor", "", "2010-06-01", ""]], ["Row 2", "first_name", "required"]),
    (
        "missing-column",
        csv_bytes([LICENCE_HEADER[:5] + LICENCE_HEADER[6:], ["20001", "K", "Ek", "doctor", "", ""]]),
        ["Row 1", "licensed_on"],
    ),
    ("empty-file", b"", ["empty"]),
    ("only-blank-lines", b"\n\n  \n", ["empty"]),
    ("header-only", csv_bytes([LICENCE_HEADER]), ["no rows"]),
    ("larger-than-5-mb", csv_bytes([LICENCE_HEADER]) + b"x" * (5 * 1024 * 1024), ["5 MB"]),
    ("not-text", b"\x00\x81\x8d\x8f\x90\x9d" * 10, ["not text"]),
    ("broken-workbook", b"PK\x03\x04 this is not a zip", ["Excel"]),
    (
        "bad-row-in-workbook",
        xlsx_bytes(
            [
                LICENCE_HEADER,
                GOOD_LICENCE_ROWS[0],
                ["20009", "K", "Ek", "doctor", "", "2010-06-01", "1999-01-01"],
            ]
        ),
        ["Row 3", "specialist_since"],
    ),
]


@pytest.mark.parametrize(
    ("content", "expected"),
    [pytest.param(content, expected, id=name) for name, content, expected in BAD_LICENCE_FILES],
)
def test_a_bad_licence_file_is_rejected_and_nothing_changes(
    regions: dict[str, Any], content: list[list[str]] | bytes, expected: list[str]
) -> None:
    data = content if isinstance(content, bytes) else csv_bytes([LICENCE_HEADER, *content])
    before = _state()

    with override("en"), pytest.raises(ImportFileError) as caught:
        imports.import_licence_register(regions["admin_a"], regions["region_a"], data, "hosp.csv")

    message = "\n".join(caught.value.errors)
    for text in expected:
        assert text in message
    assert _state() == before


def test_every_bad_row_and_field_is_named(regions: dict[str, Any]) -> None:
    data = csv_bytes(
        [
            LICENCE_HEADER,
            GOOD_LICENCE_ROWS[0],
            ["20002", "L", "Ås", "dentist", "", "2012-01-10", ""],
            GOOD_LICENCE_ROWS[2],
            ["20004", "M", "Al", "doctor", "spec_nothing", "yesterday", ""],
        ]
    )

    with override("en"), pytest.raises(ImportFileError) as caught:
        imports.import_licence_register(regions["admin_a"], regions["region_a"], data)

    assert [error.split(":")[0] for error in caught.value.errors] == [
        "Row 3, profession",
        "Row 5, competence",
        "Row 5, licensed_on",
    ]


def test_a_file_with_thousands_of_errors_lists_a_readable_number(regions: dict[str, Any]) -> None:
    rows = [[str(30000 + n), "K", "Ek", "dentist", "", "2010-06-01", ""] for n in range(500)]

    with override("en"), pytest.raises(ImportFileError) as caught:
        imports.import_licence_register(None, regions["region_a"], csv_bytes([LICENCE_HEADER, *rows]))

    assert len(caught.value.errors) == imports.MAX_ERRORS + 1
    assert "300 more" in caught.value.errors[-1]


# --- Former employees -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(
            csv_bytes(
                [
                    ["personal_number", "employed_until"],
                    [PN_1, "2025-03-31"],
                    [PN_2.replace("-", ""), "2024-12-31"],
                    [PN_3[2:], "2025-06-30"],
                ]
            ),
            id="csv-three-formats",
        ),
        pytest.param(
            xlsx_bytes(
                [
                    ["personal_number", "employed_until"],
                    [int(PN_1.replace("-", "")), D(2025, 3, 31)],
                    [PN_2, datetime.datetime(2024, 12, 31, 16, 30)],
                    [PN_3, "2025-06-30"],
                ]
            ),
            id="xlsx",
        ),
    ],
)
def test_former_employees_are_stored_only_as_keyed_hashes(regions: dict[str, Any], data: bytes) -> None:
    region_a, region_b = regions["region_a"], regions["region_b"]
    region_b_rows = [row for row in _former() if row[1] == region_b.pk]

    result = imports.import_former_employees(regions["call_off_unit_a"], region_a, data, "anstallda.csv")

    assert (result.rows, result.removed) == (3, 1)
    stored = {(row[2], row[3]) for row in _former() if row[1] == region_a.pk}
    assert stored == {
        (keyed_hash(PN_1), D(2025, 3, 31)),
        (keyed_hash(PN_2), D(2024, 12, 31)),
        (keyed_hash(PN_3), D(2025, 6, 30)),
    }
    assert [row for row in _former() if row[1] == region_b.pk] == region_b_rows
    # The number itself is nowhere: not in any column, not in the audit trail.
    digits = [pn.replace("-", "") for pn in (PN_1, PN_2, PN_3)]
    for employee in FormerEmployee.objects.values():
        for value in employee.values():
            for number in digits:
                assert number not in str(value) and number[2:] not in str(value)
    [event] = _import_events()
    assert event.region == region_a and event.after["rows"] == 3
    trail = str(event.after) + event.reason + event.object_repr
    assert not any(number[2:] in trail for number in digits)
    assert hashlib.sha256(data).hexdigest() not in trail


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        pytest.param(
            [["19800101-1235", "2025-01-01"]], ["Row 2", "personal_number", "invalid"], id="wrong-check-digit"
        ),
        pytest.param(
            [["19801301-1234", "2025-01-01"]], ["Row 2", "personal_number", "invalid"], id="impossible-date"
        ),
        pytest.param([["800101", "2025-01-01"]], ["Row 2", "personal_number", "invalid"], id="too-short"),
        pytest.param([["", "2025-01-01"]], ["Row 2", "personal_number", "required"], id="missing"),
        pytest.param(
            [[PN_1, "2025-01-01"], [PN_2, "2025-01-01"], [PN_1.replace("-", "")[2:], "2025-02-01"]],
            ["Row 4", "personal_number", "same person", "row 2"],
            id="same-person-twice",
        ),
        pytest.param([[PN_1, "31/12/2024"]], ["Row 2", "employed_until", "31/12/2024"], id="bad-date"),
        pytest.param([[PN_1, ""]], ["Row 2", "employed_until", "required"], id="no-date"),
    ],
)
def test_a_bad_former_employees_file_is_rejected_without_echoing_numbers(
    regions: dict[str, Any], rows: list[list[str]], expected: list[str]
) -> None:
    data = csv_bytes([["personal_number", "employed_until"], *rows])
    before = _state()

    with override("en"), pytest.raises(ImportFileError) as caught:
        imports.import_former_employees(regions["admin_a"], regions["region_a"], data)

    message = "\n".join(caught.value.errors)
    for text in expected:
        assert text in message
    for row in rows:
        digits = row[0].replace("-", "")
        if digits:
            assert digits[-10:-4] not in message and digits[-4:] not in message
    assert _state() == before


def test_a_former_employees_file_without_its_columns_is_rejected(regions: dict[str, Any]) -> None:
    before = _state()
    with override("en"), pytest.raises(ImportFileError) as caught:
        imports.import_former_employees(
            None, regions["region_a"], csv_bytes([["pnr", "slutdatum"], [PN_1, "2025-01-01"]])
        )
    assert "personal_number, employed_until" in caught.value.errors[0]
    assert _state() == before


# --- Upload pages ---------------------------------------------------------------------------------------------


def _upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="text/csv")


@pytest.mark.parametrize("who", ["admin_a", "call_off_unit_a"])
def test_region_admin_and_call_off_unit_upload_into_their_region(
    regions: dict[str, Any], client: Client, who: str
) -> None:
    client.force_login(regions[who])
    region_b_state = [row for row in _entries() if row[1] == regions["region_b"].pk]

    response = client.post(
        reverse("consultants:licence_register_import"),
        {"file": _upload("hosp.csv", csv_bytes([LICENCE_HEADER, *GOOD_LICENCE_ROWS]))},
    )

    assert response.status_code == 302
    assert LicenceRegisterEntry.objects.filter(region=regions["region_a"]).count() == 4
    assert [row for row in _entries() if row[1] == regions["region_b"].pk] == region_b_state
    page = client.get(reverse("consultants:licence_register_import"))
    assert page.context["current_rows"] == 4


def test_region_b_admin_importing_never_touches_region_a(regions: dict[str, Any], client: Client) -> None:
    region_a_entries = [row for row in _entries() if row[1] == regions["region_a"].pk]
    region_a_former = [row for row in _former() if row[1] == regions["region_a"].pk]
    client.force_login(regions["admin_b"])

    # Even a request naming region A imports into the user's own region.
    client.post(
        reverse("consultants:licence_register_import") + "?region=14",
        {"file": _upload("hosp.csv", csv_bytes([LICENCE_HEADER, *GOOD_LICENCE_ROWS])), "region": "14"},
    )
    client.post(
        reverse("consultants:former_employees_import"),
        {
            "file": _upload(
                "f.csv", csv_bytes([["personal_number", "employed_until"], [PN_1, "2025-01-01"]])
            ),
            "region": "14",
        },
    )

    assert [row for row in _entries() if row[1] == regions["region_a"].pk] == region_a_entries
    assert [row for row in _former() if row[1] == regions["region_a"].pk] == region_a_former
    assert LicenceRegisterEntry.objects.filter(region=regions["region_b"]).count() == 4
    assert list(
        FormerEmployee.objects.filter(region=regions["region_b"]).values_list(
            "personal_number_hash", flat=True
        )
    ) == [keyed_hash(PN_1)]
    assert {event.region for event in _import_events()} == {regions["region_b"]}


def test_an_upload_with_errors_shows_them_and_changes_nothing(
    regions: dict[str, Any], client: Client
) -> None:
    before = _state()
    client.force_login(regions["admin_a"])

    response = client.post(
        reverse("consultants:former_employees_import"),
        {
            "file": _upload(
                "f.csv",
                csv_bytes(
                    [
                        ["personal_number", "employed_until"],
                        [PN_1, "2025-01-01"],
                        ["19800101-1235", "2025-01-01"],
                    ]
                ),
            )
        },
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert response.status_code == 200
    assert response.context["errors"] == ["Row 3, personal_number: invalid personal identity number."]
    body = response.content.decode()
    assert "Row 3, personal_number: invalid personal identity number." in body
    assert "1235" not in body and "800101" not in body
    assert _state() == before


@pytest.mark.parametrize(
    "url_name", ["consultants:licence_register_import", "consultants:former_employees_import"]
)
@pytest.mark.parametrize("who", ["reader_a", "orderer_a", "coordinator", "supplier_user_a"])
def test_others_cannot_import(regions: dict[str, Any], client: Client, url_name: str, who: str) -> None:
    before = _state()
    client.force_login(regions[who])

    assert client.get(reverse(url_name)).status_code == 403
    response = client.post(
        reverse(url_name), {"file": _upload("f.csv", csv_bytes([LICENCE_HEADER, *GOOD_LICENCE_ROWS]))}
    )

    assert response.status_code == 403
    assert _state() == before


# --- Management commands --------------------------------------------------------------------------------------


def test_the_licence_register_command_imports_a_file(regions: dict[str, Any], tmp_path: Path) -> None:
    path = tmp_path / "hosp.xlsx"
    path.write_bytes(xlsx_bytes([LICENCE_HEADER, *GOOD_LICENCE_ROWS]))
    out = io.StringIO()

    call_command("import_licence_register", "14", str(path), stdout=out)

    assert "4 licence-register rows imported" in out.getvalue()
    assert LicenceRegisterEntry.objects.filter(region=regions["region_a"]).count() == 4
    [event] = _import_events()
    assert event.actor is None and event.actor_name == "system"


def test_the_former_employees_command_imports_a_file(regions: dict[str, Any], tmp_path: Path) -> None:
    path = tmp_path / "former.csv"
    path.write_bytes(csv_bytes([["personal_number", "employed_until"], [PN_1, "2025-01-01"]], delimiter=";"))

    call_command("import_former_employees", "01", str(path), stdout=io.StringIO())

    assert list(
        FormerEmployee.objects.filter(region=regions["region_b"]).values_list(
            "personal_number_hash", flat=True
        )
    ) == [keyed_hash(PN_1)]


@pytest.mark.parametrize(
    ("command", "data", "expected"),
    [
        (
            "import_licence_register",
            csv_bytes([LICENCE_HEADER, ["20001", "K", "Ek", "dentist", "", "2010-06-01", ""]]),
            "Row 2, profession",
        ),
        (
            "import_former_employees",
            csv_bytes([["personal_number", "employed_until"], ["19800101-1235", "2025-01-01"]]),
            "Row 2, personal_number",
        ),
    ],
)
def test_the_commands_list_row_errors_and_change_nothing(
    regions: dict[str, Any], tmp_path: Path, command: str, data: bytes, expected: str
) -> None:
    path = tmp_path / "bad.csv"
    path.write_bytes(data)
    before = _state()

    with override("en"), pytest.raises(CommandError) as caught:
        call_command(command, "14", str(path), stdout=io.StringIO())

    assert "Nothing was imported" in str(caught.value)
    assert expected in str(caught.value)
    assert _state() == before


@pytest.mark.parametrize("command", ["import_licence_register", "import_former_employees"])
def test_the_commands_refuse_an_unknown_region_or_missing_file(
    regions: dict[str, Any], tmp_path: Path, command: str
) -> None:
    path = tmp_path / "f.csv"
    path.write_bytes(b"x")
    with pytest.raises(CommandError, match="No region"):
        call_command(command, "99", str(path))
    with pytest.raises(CommandError, match="missing.csv"):
        call_command(command, "14", str(tmp_path / "missing.csv"))


def test_the_competence_codes_in_the_fixture_rows_exist(db: Any) -> None:
    codes = {row[4] for row in GOOD_LICENCE_ROWS if row[4]}
    assert set(Competence.objects.filter(code__in=codes).values_list("code", flat=True)) == codes
