"""Cost and metrics imports over the API: upload → queued → the job runner → status, totals, errors."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from rest_framework.test import APIClient

from conftest import make_user
from hyrkoll.accounts.models import Role, Scope, User
from hyrkoll.followup import jobs
from hyrkoll.followup.models import CostEntry, CostImport, ImportStatus
from hyrkoll.followup.tests.test_import_costs import HEADER, csv_bytes

pytestmark = pytest.mark.django_db

URL = "/api/v1/cost-imports/"
GOOD = csv_bytes(
    [HEADER, ["14", "2024-01", "hired", "doctor", "", "100"], ["14", "2024-01", "own", "", "", "5000"]]
)


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.FOLLOWUP_IMPORT_INLINE_THREAD = False


def api(user: User) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def controller_a(world: dict[str, Any]) -> User:
    return make_user("controller.a", scope=Scope.REGION, region=world["region_a"], roles=(Role.CONTROLLER,))


@pytest.fixture
def controller_b(world: dict[str, Any]) -> User:
    return make_user("controller.b", scope=Scope.REGION, region=world["region_b"], roles=(Role.CONTROLLER,))


def upload(client: APIClient, data: bytes = GOOD, name: str = "ledger.csv", **fields: Any) -> Any:
    return client.post(URL, {"file": SimpleUploadedFile(name, data), **fields}, format="multipart")


def run_jobs() -> None:
    call_command("run_jobs", "--once", stdout=io.StringIO())


def test_an_upload_is_queued_then_run_and_read_back(world: dict[str, Any], controller_a: User) -> None:
    client = api(controller_a)
    response = upload(client, kind="costs", definition_note="exkl. tandvård")
    assert response.status_code == 202, response.content
    body = response.json()
    cost_import = CostImport.objects.get()
    assert body["id"] == cost_import.pk and body["status"] == "queued"
    assert body["url"].endswith(f"{URL}{cost_import.pk}/") and response["Location"] == body["url"]
    assert body["region"] == "14" and body["errors"] == [] and body["error_count"] == 0
    assert cost_import.region == world["region_a"] and cost_import.created_by == controller_a
    assert not CostEntry.objects.exists()

    run_jobs()
    detail = client.get(f"{URL}{cost_import.pk}/").json()
    assert detail["status"] == ImportStatus.DONE, detail["errors"]
    assert detail["lines"] == detail["lines_done"] == 2 and detail["progress_pct"] == 100
    assert detail["entries"] == 2 and detail["definition_note"] == "exkl. tandvård"
    assert detail["totals"] == {"hired": "100.00", "own": "5000.00"}
    assert detail["region_months"] == ["14-2024-01"]
    assert len(detail["sha256"]) == 64 and detail["finished_at"]
    listed = client.get(URL).json()["results"]
    assert [row["id"] for row in listed] == [cost_import.pk] and "errors" not in listed[0]


def test_a_file_with_errors_lists_them_by_row_and_field(world: dict[str, Any], controller_a: User) -> None:
    client = api(controller_a)
    bad = csv_bytes(
        [HEADER, ["14", "2024-01", "hired", "doctor", "", "abc"], ["14", "2024-13", "own", "", "", "5"]]
    )
    pk = upload(client, bad).json()["id"]
    run_jobs()
    detail = client.get(f"{URL}{pk}/").json()
    assert detail["status"] == ImportStatus.REJECTED
    assert detail["error_count"] == len(detail["errors"]) >= 2
    fields = {(error["row"], error["field"]) for error in detail["errors"]}
    assert (2, "amount_sek") in fields and (3, "period") in fields
    assert all(error["message"] for error in detail["errors"])
    assert not CostEntry.objects.exists()


def test_replace_flag(world: dict[str, Any], controller_a: User) -> None:
    client = api(controller_a)
    upload(client)
    run_jobs()
    changed = csv_bytes([HEADER, ["14", "2024-01", "own", "", "", "7000"]])
    refused = upload(client, changed, "again.csv").json()
    run_jobs()
    assert client.get(refused["url"]).json()["status"] == ImportStatus.REJECTED
    replaced = upload(client, changed, "again.csv", replace="true").json()
    assert replaced["replace"] is True
    run_jobs()
    detail = client.get(replaced["url"]).json()
    assert detail["status"] == ImportStatus.DONE, detail["errors"]
    assert list(CostEntry.objects.values_list("amount_sek", flat=True)) == [7000]


def test_who_may_upload_and_see(world: dict[str, Any], controller_a: User, controller_b: User) -> None:
    pk = upload(api(controller_a)).json()["id"]
    # Another region's import is not found; the nation sees it; suppliers are refused.
    assert api(controller_b).get(f"{URL}{pk}/").status_code == 404
    assert api(controller_b).get(URL).json()["results"] == []
    assert api(world["coordinator"]).get(f"{URL}{pk}/").status_code == 200
    assert api(world["supplier_user_a"]).get(f"{URL}{pk}/").status_code == 403
    # Not a controller (a region admin, an orderer), a supplier: 403, nothing stored.
    for user in (world["admin_a"], world["orderer_a"], world["supplier_user_a"]):
        assert upload(api(user)).status_code == 403
    assert CostImport.objects.count() == 1
    # The coordinator uploads a national file (any regions).
    national = upload(api(world["coordinator"]), name="riket.xlsx", kind="metrics")
    assert national.status_code == 202 and national.json()["region"] is None


def test_a_region_controller_cannot_import_another_region(world: dict[str, Any], controller_a: User) -> None:
    client = api(controller_a)
    pk = upload(client, csv_bytes([HEADER, ["01", "2024-01", "own", "", "", "5"]])).json()["id"]
    run_jobs()
    detail = client.get(f"{URL}{pk}/").json()
    assert detail["status"] == ImportStatus.REJECTED and detail["errors"]
    assert not CostEntry.objects.exists()


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"kind": "costs"}, "file"),
        ({"file": SimpleUploadedFile("ledger.pdf", GOOD)}, "file"),
        ({"file": SimpleUploadedFile("ledger.csv", b"")}, "file"),
        ({"file": SimpleUploadedFile("ledger.csv", GOOD), "kind": "invoices"}, "kind"),
        ({"file": SimpleUploadedFile("ledger.csv", GOOD), "replace": "perhaps"}, "replace"),
    ],
)
def test_bad_input_is_refused_with_the_field(
    world: dict[str, Any], controller_a: User, fields: dict[str, Any], field: str
) -> None:
    response = api(controller_a).post(URL, fields, format="multipart")
    assert response.status_code == 400, response.content
    assert list(response.json()) == [field] and response.json()[field][0]
    assert not CostImport.objects.exists()


def test_a_too_large_file_is_refused(world: dict[str, Any], controller_a: User, settings: Any) -> None:
    settings.FOLLOWUP_IMPORT_MAX_BYTES = 10
    response = upload(api(controller_a))
    assert response.status_code == 400 and "file" in response.json()
    assert not CostImport.objects.exists()


def test_the_inline_thread_starts_as_for_a_web_upload(
    world: dict[str, Any],
    controller_a: User,
    settings: Any,
    monkeypatch: pytest.MonkeyPatch,
    django_capture_on_commit_callbacks: Any,
) -> None:
    settings.FOLLOWUP_IMPORT_INLINE_THREAD = True
    started: list[int] = []
    monkeypatch.setattr(jobs, "run_in_thread", started.append)
    with django_capture_on_commit_callbacks(execute=True):
        pk = upload(api(controller_a)).json()["id"]
    assert started == [pk]
