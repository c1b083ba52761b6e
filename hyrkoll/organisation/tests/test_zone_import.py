"""Import of the agreement's zone list: the service, the coordinator's upload and the command."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from django.utils.translation import override

from hyrkoll.audit.models import AuditAction, AuditEvent
from hyrkoll.organisation.models import Municipality, ZoneSource
from hyrkoll.organisation.zones import ZoneImportError, import_zones, parse_zone_csv

VALID = b"municipality_code,zone\n0180,2\n2584,3\n"


def _all_zones() -> dict[str, tuple[int, str]]:
    return {m.code: (m.zone, m.zone_source) for m in Municipality.objects.all()}


def _zone_events() -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(content_type__model="municipality").order_by("object_id"))


def _import_errors(data: bytes) -> list[str]:
    with override("en"), pytest.raises(ZoneImportError) as caught:
        import_zones(None, data, "zones.csv")
    return caught.value.errors


# --- The service ------------------------------------------------------------------------------------


def test_a_valid_file_sets_the_zones_and_marks_them_official(world: dict[str, Any]) -> None:
    before = _all_zones()
    assert before["0180"] == (1, ZoneSource.APPROXIMATION)
    assert before["2584"][0] != 3 or before["2584"][1] != ZoneSource.OFFICIAL

    result = import_zones(world["coordinator"], VALID, "zones.csv")

    after = _all_zones()
    assert result.rows == 2
    assert sorted(result.changed) == ["0180", "2584"]
    assert after["0180"] == (2, ZoneSource.OFFICIAL)
    assert after["2584"] == (3, ZoneSource.OFFICIAL)
    untouched = {code: value for code, value in after.items() if code not in ("0180", "2584")}
    assert untouched == {code: value for code, value in before.items() if code not in ("0180", "2584")}


def test_a_valid_import_writes_an_audit_event_per_municipality(world: dict[str, Any]) -> None:
    stockholm, kiruna = Municipality.objects.get(code="0180"), Municipality.objects.get(code="2584")

    import_zones(world["coordinator"], VALID, "zones.csv")

    events = {event.object_id: event for event in _zone_events()}
    assert set(events) == {str(stockholm.pk), str(kiruna.pk)}
    event = events[str(stockholm.pk)]
    assert event.action == AuditAction.UPDATE
    assert event.actor == world["coordinator"]
    assert event.before["zone"] == 1
    assert event.before["zone_source"] == ZoneSource.APPROXIMATION
    assert event.after["zone"] == 2
    assert event.after["zone_source"] == ZoneSource.OFFICIAL
    assert "zones.csv" in event.reason
    assert events[str(kiruna.pk)].after["zone"] == 3


def test_importing_the_same_file_twice_changes_nothing_the_second_time(world: dict[str, Any]) -> None:
    import_zones(world["coordinator"], VALID, "zones.csv")

    result = import_zones(world["coordinator"], VALID, "zones.csv")

    assert result.rows == 2
    assert result.changed == []
    assert len(_zone_events()) == 2


@pytest.mark.django_db
@pytest.mark.parametrize(
    "data",
    [
        pytest.param(b"municipality_code;zone\n0180;2\n2584;3\n", id="semicolon"),
        pytest.param("\ufeffmunicipality_code,zone\r\n0180,2\r\n2584,3\r\n".encode(), id="utf8-bom-crlf"),
        pytest.param(b"municipality_code,zone\n180,2\n2584,3\n", id="three-digit-code"),
        pytest.param(b"Municipality_Code , Zone\n 0180 , 2 \n\n2584,3\n", id="spaces-case-blank-line"),
        pytest.param(b"name,municipality_code,zone\nStockholm,0180,2\nKiruna,2584,3\n", id="extra-column"),
    ],
)
def test_accepted_file_variants(data: bytes) -> None:
    assert parse_zone_csv(data) == {"0180": 2, "2584": 3}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "expected"),
    [
        pytest.param(
            b"municipality_code,zone\n0180,2\n9999,1\n",
            ["Row 3, municipality_code", "9999"],
            id="unknown-code-row-3",
        ),
        pytest.param(b"municipality_code,zone\n0180,4\n", ["Row 2, zone", "'4'"], id="zone-4"),
        pytest.param(b"municipality_code,zone\n0180,2\n2584,x\n", ["Row 3, zone", "'x'"], id="zone-x"),
        pytest.param(b"municipality_code,zone\n0180,2\n2584,\n", ["Row 3, zone"], id="empty-zone"),
        pytest.param(
            b"municipality_code,zone\n0180,2\n0180,3\n",
            ["Row 3, municipality_code", "0180", "row 2"],
            id="duplicate-code",
        ),
        pytest.param(
            b"municipality_code,zone\n0180,2\n\n9999,1\n",
            ["Row 4, municipality_code"],
            id="row-after-blank-line",
        ),
        pytest.param(b"municipality_code\n0180\n", ["Missing column", "zone"], id="missing-column"),
        pytest.param(b"kommun,zon\n0180,2\n", ["municipality_code", "zone"], id="wrong-header"),
        pytest.param(b"", ["empty"], id="empty-file"),
        pytest.param(b" \n\n", ["empty"], id="blank-file"),
        pytest.param(b"municipality_code,zone\n", ["no rows"], id="header-only"),
        pytest.param(bytes(range(256)) * 8, ["not text"], id="binary-garbage"),
        pytest.param(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01", ["Missing column"], id="png"),
        pytest.param(
            b'municipality_code,zone\n"' + b"a" * 200_000 + b"\n", ["Row 2", "CSV"], id="unclosed-quote"
        ),
        pytest.param(b"municipality_code,zone\n" + b"0180,2\n" * 200_000, ["1 MB"], id="too-large"),
    ],
)
def test_a_bad_file_is_rejected_naming_row_and_field_and_nothing_changes(
    data: bytes, expected: list[str]
) -> None:
    before = _all_zones()

    errors = _import_errors(data)

    message = " ".join(errors)
    for part in expected:
        assert part in message, message
    assert _all_zones() == before
    assert _zone_events() == []


@pytest.mark.django_db
def test_every_bad_row_is_reported_and_good_rows_are_not_applied() -> None:
    before = _all_zones()

    errors = _import_errors(b"municipality_code,zone\n0180,2\n9999,1\n2584,7\n1480,3\n")

    assert len(errors) == 2
    assert errors[0].startswith("Row 3, municipality_code")
    assert errors[1].startswith("Row 4, zone")
    assert _all_zones() == before


# --- The coordinator's upload -----------------------------------------------------------------------


def _upload(client: Client, data: bytes, name: str = "zones.csv") -> Any:
    return client.post(reverse("agreement:zone_import"), {"file": SimpleUploadedFile(name, data, "text/csv")})


def test_coordinator_uploads_a_valid_zone_list(world: dict[str, Any], client: Client) -> None:
    client.force_login(world["coordinator"])

    response = _upload(client, VALID)

    assert response.status_code == 302
    assert response["Location"] == reverse("agreement:zones")
    assert _all_zones()["0180"] == (2, ZoneSource.OFFICIAL)
    assert {event.actor for event in _zone_events()} == {world["coordinator"]}


def test_coordinator_upload_of_a_bad_file_shows_the_errors_and_changes_nothing(
    world: dict[str, Any], client: Client
) -> None:
    client.force_login(world["coordinator"])
    before = _all_zones()

    response = _upload(client, b"municipality_code,zone\n0180,2\n9999,1\n")

    assert response.status_code == 200
    [error] = response.context["errors"]
    assert "3" in error and "municipality_code" in error and "9999" in error
    assert "9999" in response.content.decode()
    assert _all_zones() == before
    assert _zone_events() == []


def test_coordinator_upload_without_a_file_is_a_form_error(world: dict[str, Any], client: Client) -> None:
    client.force_login(world["coordinator"])
    before = _all_zones()

    response = client.post(reverse("agreement:zone_import"), {"file": ""})

    assert response.status_code == 200
    assert "file" in response.context["form"].errors
    assert _all_zones() == before


@pytest.mark.parametrize("persona", ["admin_a", "supplier_user_a", "orderer_a"])
def test_only_the_coordinator_may_import_zones(world: dict[str, Any], client: Client, persona: str) -> None:
    client.force_login(world[persona])
    before = _all_zones()

    get = client.get(reverse("agreement:zone_import"))
    post = _upload(client, VALID)

    assert get.status_code == 403
    assert post.status_code == 403
    assert _all_zones() == before
    assert _zone_events() == []


# --- The management command -------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_command_imports_a_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "zones.csv"
    path.write_bytes("municipality_code;zone\r\n180;2\r\n2584;3\r\n".encode("utf-8-sig"))

    call_command("import_zones", str(path))

    assert _all_zones()["0180"] == (2, ZoneSource.OFFICIAL)
    assert _all_zones()["2584"] == (3, ZoneSource.OFFICIAL)
    events = _zone_events()
    assert len(events) == 2
    assert all(event.actor is None and event.actor_name == "system" for event in events)
    assert "2" in capsys.readouterr().out


@pytest.mark.django_db
def test_the_command_refuses_a_bad_file_and_changes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "zones.csv"
    path.write_bytes(b"municipality_code,zone\n0180,2\n2584,4\n")
    before = _all_zones()

    with override("en"), pytest.raises(CommandError) as caught:
        call_command("import_zones", str(path))

    assert "Row 3, zone" in str(caught.value)
    assert _all_zones() == before
    assert _zone_events() == []


@pytest.mark.django_db
def test_the_command_reports_a_missing_file(tmp_path: Path) -> None:
    with pytest.raises(CommandError) as caught:
        call_command("import_zones", str(tmp_path / "missing.csv"))

    assert "missing.csv" in str(caught.value)
