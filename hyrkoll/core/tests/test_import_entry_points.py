"""Every way a file reaches an import parser – the upload pages and the management commands – is
safe whatever the file: arbitrary bytes, CSV or .xlsx with the real column names and arbitrary
cells (also damaged). A page answers with its form and the file's errors or with a redirect after
success, never a server error; a command succeeds or raises CommandError, never a traceback; the
follow-up's queued import ends DONE or REJECTED without the worker's catch-all for crashes.

The parsers' own properties (a rejected file changes nothing, nearly valid files) are tested beside
each parser; this checks the wiring with fewer examples."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from hypothesis import event, given, settings

from conftest import make_user
from hyrkoll.accounts.models import Role, Scope
from hyrkoll.consultants.imports import FORMER_EMPLOYEE_COLUMNS, LICENCE_COLUMNS
from hyrkoll.followup import importing, jobs
from hyrkoll.followup.models import CostImport, ImportStatus
from hyrkoll.invoicing.parsing import HEADERS as INVOICE_HEADERS
from hyrkoll.organisation.zones import REQUIRED_COLUMNS as ZONE_COLUMNS
from tests.strategies import PROPERTY_SETTINGS, any_file

pytestmark = pytest.mark.django_db

ENTRY_SETTINGS = settings(PROPERTY_SETTINGS, max_examples=min(PROPERTY_SETTINGS.max_examples, 8))
HEADERS = sorted(
    {
        *importing.COST_HEADERS,
        *importing.METRIC_HEADERS,
        *INVOICE_HEADERS,
        *LICENCE_COLUMNS,
        *FORMER_EMPLOYEE_COLUMNS,
        *ZONE_COLUMNS,
    }
)

# (URL name, who uploads, further form fields)
PAGES = [
    ("agreement:zone_import", "coordinator", {}),
    ("consultants:licence_register_import", "call_off_unit", {}),
    ("consultants:former_employees_import", "call_off_unit", {}),
    ("invoicing:import", "call_off_unit", {}),
    ("followup:import_upload", "controller", {"kind": "costs"}),
    ("followup:import_upload", "controller", {"kind": "metrics", "replace": "on"}),
]
COMMANDS = [
    ("import_zones", []),
    ("import_licence_register", ["14"]),
    ("import_former_employees", ["14"]),
    ("import_invoices", ["--region", "14"]),
    ("import_costs", []),
    ("import_metrics", ["--replace"]),
]


@pytest.fixture
def uploaders(world: dict[str, Any], settings: Any, tmp_path: Path) -> dict[str, Any]:
    settings.MEDIA_ROOT = tmp_path / "media"
    region = world["region_a"]
    return {
        "coordinator": world["coordinator"],
        "call_off_unit": make_user("avrop.a", scope=Scope.REGION, region=region, roles=(Role.CALL_OFF_UNIT,)),
        "controller": make_user("controller.a", scope=Scope.REGION, region=region, roles=(Role.CONTROLLER,)),
    }


def _no_crash_in_the_worker(*args: Any, **kwargs: Any) -> None:
    raise AssertionError("the import worker caught a crash")  # chained to the crash itself


@pytest.mark.parametrize(
    ("name", "who", "fields"), PAGES, ids=[f"{name}-{fields}" for name, _w, fields in PAGES]
)
@ENTRY_SETTINGS
@given(file=any_file(HEADERS))
def test_an_upload_page_never_answers_a_server_error(
    uploaders: dict[str, Any], name: str, who: str, fields: dict[str, str], file: tuple[bytes, str]
) -> None:
    data, filename = file
    client = Client(raise_request_exception=True)
    client.force_login(uploaders[who])
    queued = set(CostImport.objects.values_list("pk", flat=True))
    response = client.post(reverse(name), {**fields, "file": SimpleUploadedFile(filename, data)})
    assert response.status_code in (200, 302), response.status_code
    event(f"answered {response.status_code}")
    with mock.patch.object(jobs.logger, "exception", _no_crash_in_the_worker):
        jobs.run_pending()
    for cost_import in CostImport.objects.exclude(pk__in=queued):
        assert cost_import.status in (ImportStatus.DONE, ImportStatus.REJECTED)
        event(f"import {cost_import.status}")


@pytest.mark.parametrize(("command", "arguments"), COMMANDS, ids=[command for command, _a in COMMANDS])
@ENTRY_SETTINGS
@given(file=any_file(HEADERS))
def test_an_import_command_succeeds_or_raises_command_error(
    world: dict[str, Any], tmp_path: Path, command: str, arguments: list[str], file: tuple[bytes, str]
) -> None:
    data, filename = file
    path = tmp_path / filename
    path.write_bytes(data)
    try:
        call_command(command, *arguments, str(path), stdout=io.StringIO(), stderr=io.StringIO())
    except CommandError as error:
        assert str(error)
