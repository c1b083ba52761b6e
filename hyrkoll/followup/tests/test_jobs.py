"""The database-backed job runner: an upload is stored QUEUED, ``run_jobs`` claims it with a
compare-and-set update and runs it with progress; a crash leaves it REJECTED."""

from __future__ import annotations

import hashlib
import io
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from conftest import make_user
from hyrkoll.accounts.models import Role, Scope
from hyrkoll.followup import importing, jobs
from hyrkoll.followup.importing import aggregation, storing
from hyrkoll.followup.models import CostEntry, CostImport, ImportKind, ImportStatus
from hyrkoll.followup.tests.test_import_costs import HEADER, csv_bytes

GOOD = csv_bytes(
    [HEADER, ["14", "2024-01", "hired", "doctor", "", "100"], ["14", "2024-01", "own", "", "", "5000"]]
)


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.FOLLOWUP_IMPORT_INLINE_THREAD = False


def queue(world: dict[str, Any], data: bytes = GOOD, name: str = "ledger.csv", **kwargs: Any) -> CostImport:
    kwargs.setdefault("kind", ImportKind.COSTS)
    kwargs.setdefault("replace", False)
    kwargs.setdefault("region", None)
    return jobs.enqueue(world["coordinator"], SimpleUploadedFile(name, data), **kwargs)


def test_an_upload_is_queued_then_run_by_run_jobs_once(world: dict[str, Any], client: Client) -> None:
    controller = make_user(
        "controller.a", scope=Scope.REGION, region=world["region_a"], roles=(Role.CONTROLLER,)
    )
    client.force_login(controller)
    response = client.post(
        reverse("followup:import_upload"),
        {
            "kind": "costs",
            "file": SimpleUploadedFile("ledger.csv", GOOD),
            "definition_note": "exkl. tandvård",
        },
    )
    cost_import = CostImport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("followup:import_detail", args=[cost_import.pk])
    assert cost_import.status == ImportStatus.QUEUED and cost_import.progress_pct == 0
    assert cost_import.region == world["region_a"] and cost_import.created_by == controller
    assert cost_import.file.name.startswith("imports/") and cost_import.file.read() == GOOD
    assert cost_import.sha256 == hashlib.sha256(GOOD).hexdigest()
    assert not CostEntry.objects.exists()

    out = io.StringIO()
    call_command("run_jobs", "--once", stdout=out)
    cost_import.refresh_from_db()
    assert cost_import.status == ImportStatus.DONE, cost_import.errors
    assert cost_import.progress_pct == 100
    assert cost_import.lines == cost_import.lines_done == 2
    assert cost_import.entries == 2 and cost_import.definition_note == "exkl. tandvård"
    assert "Imported" in out.getvalue() or "Importerad" in out.getvalue()
    assert set(CostEntry.objects.values_list("cost_import", flat=True)) == {cost_import.pk}
    status = client.get(reverse("followup:import_status", args=[cost_import.pk])).json()
    assert status["status"] == "done" and status["progress_pct"] == 100 and status["finished"]

    out = io.StringIO()
    call_command("run_jobs", "--once", stdout=out)
    assert "No queued imports." in out.getvalue()


def test_run_jobs_without_options_runs_every_queued_import_in_order(world: dict[str, Any]) -> None:
    first = queue(world)
    second = queue(world, GOOD, "again.csv")  # the same file: already imported
    third = queue(world, csv_bytes([HEADER, ["01", "2024-01", "own", "", "", "1"]]), "b.csv")
    call_command("run_jobs", stdout=io.StringIO())
    statuses = {c.pk: c for c in CostImport.objects.all()}
    assert statuses[first.pk].status == ImportStatus.DONE
    assert statuses[second.pk].status == ImportStatus.REJECTED
    assert statuses[second.pk].errors[0]["duplicate_of"] == first.pk
    assert statuses[third.pk].status == ImportStatus.DONE
    assert CostEntry.objects.count() == 3


def test_a_claim_is_compare_and_set(world: dict[str, Any]) -> None:
    cost_import = queue(world)
    claimed = jobs.claim()
    assert claimed is not None and claimed.pk == cost_import.pk and claimed.status == ImportStatus.RUNNING
    assert jobs.claim() is None
    assert jobs.claim(cost_import.pk) is None
    # A second process that read the row as QUEUED before the first claimed it updates nothing.
    assert (
        CostImport.objects.filter(pk=cost_import.pk, status=ImportStatus.QUEUED).update(status="running") == 0
    )


def test_progress_is_written_to_the_row(world: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> None:
    cost_import = queue(world, csv_bytes([HEADER] + [["14", "2024-01", "own", "", "", "1"]] * 10))
    seen: list[tuple[int, int, int]] = []
    writer = jobs._progress_writer

    def spying_writer(pk: int) -> importing.Progress:
        write = writer(pk)

        def spy(done: int, total: int) -> None:
            write(done, total)
            row = CostImport.objects.get(pk=pk)
            seen.append((row.lines_done, row.lines, row.progress_pct))

        return spy

    monkeypatch.setattr(aggregation, "PROGRESS_EVERY", 4)
    monkeypatch.setattr(jobs, "_progress_writer", spying_writer)
    jobs.run_pending()
    assert seen == [(4, 10, 40), (8, 10, 80), (10, 10, 100)]
    cost_import.refresh_from_db()
    assert cost_import.status == ImportStatus.DONE and CostEntry.objects.get().amount_sek == 10


def test_a_crashing_import_is_rejected_and_changes_nothing(
    world: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    cost_import = queue(world)
    real_store = storing.store

    def crash(*args: Any, **kwargs: Any) -> Any:
        real_store(*args, **kwargs)  # writes, then fails inside the transaction
        raise RuntimeError("disk on fire")

    def crashing_store(kind: Any, record: Any, parsed: Any, actor: Any) -> Any:
        from django.db import transaction

        with transaction.atomic():
            return crash(kind, record, parsed, actor)

    monkeypatch.setattr(storing, "store", crashing_store)
    jobs.run_pending()
    cost_import.refresh_from_db()
    assert cost_import.status == ImportStatus.REJECTED
    assert "RuntimeError: disk on fire" in cost_import.errors[0]["message"]
    assert cost_import.progress_pct == 100 and cost_import.finished_at is not None
    assert not CostEntry.objects.exists()


def test_a_missing_stored_file_is_rejected(world: dict[str, Any]) -> None:
    cost_import = queue(world)
    cost_import.file.storage.delete(cost_import.file.name)
    jobs.run_pending()
    cost_import.refresh_from_db()
    assert cost_import.status == ImportStatus.REJECTED and cost_import.errors[0]["message"]


def test_a_bad_file_in_the_queue_is_rejected_with_its_errors(world: dict[str, Any]) -> None:
    cost_import = queue(world, csv_bytes([HEADER, ["99", "2024-01", "own", "", "", "1"]]))
    jobs.run_pending()
    cost_import.refresh_from_db()
    assert cost_import.status == ImportStatus.REJECTED
    assert (cost_import.errors[0]["row"], cost_import.errors[0]["field"]) == (2, "region")


def test_metrics_run_as_jobs_too(world: dict[str, Any]) -> None:
    data = csv_bytes(
        [
            ["region", "period", "metric", "profession", "care_area", "value"],
            ["14", "2024-01", "own_fte", "", "", "9"],
        ]
    )
    cost_import = queue(world, data, "m.csv", kind=ImportKind.METRICS)
    jobs.run_pending()
    cost_import.refresh_from_db()
    assert cost_import.status == ImportStatus.DONE and cost_import.kind == "metrics"


def test_requeue_running(world: dict[str, Any]) -> None:
    cost_import = queue(world)
    jobs.claim()
    out = io.StringIO()
    call_command("run_jobs", "--requeue-running", stdout=out)
    cost_import.refresh_from_db()
    assert cost_import.status == ImportStatus.DONE


def test_the_upload_starts_a_thread_after_commit_when_enabled(
    world: dict[str, Any],
    client: Client,
    settings: Any,
    monkeypatch: pytest.MonkeyPatch,
    django_capture_on_commit_callbacks: Any,
) -> None:
    started: list[int] = []
    monkeypatch.setattr(jobs, "run_in_thread", started.append)
    settings.FOLLOWUP_IMPORT_INLINE_THREAD = True
    client.force_login(world["coordinator"])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("followup:import_upload"), {"kind": "costs", "file": SimpleUploadedFile("a.csv", GOOD)}
        )
    assert started == [CostImport.objects.get().pk]


def test_the_inline_thread_defaults_to_debug(settings: Any) -> None:
    del settings.FOLLOWUP_IMPORT_INLINE_THREAD
    settings.DEBUG = True
    assert jobs.inline_thread_enabled()
    settings.DEBUG = False
    assert not jobs.inline_thread_enabled()


@pytest.fixture
def reference_data(transactional_db: Any) -> None:
    """Transactional tests flush the database afterwards, data migrations included, so a test that
    runs after one of them finds no regions. Load the reference data again (idempotent)."""
    from django.apps import apps

    from hyrkoll.agreement.reference import load_reference_data as load_agreement
    from hyrkoll.organisation.reference import load_reference_data as load_organisation

    load_organisation(
        apps.get_model("organisation", "Region"),
        apps.get_model("organisation", "Municipality"),
        apps.get_model("organisation", "CareArea"),
    )
    load_agreement(lambda name: apps.get_model(name) if "." in name else apps.get_model("agreement", name))


@pytest.mark.django_db(transaction=True)
def test_run_in_thread_imports_in_a_thread_of_its_own(reference_data: None) -> None:
    coordinator = make_user("coordinator.thread", scope=Scope.NATIONAL, roles=(Role.COORDINATOR,))
    cost_import = jobs.enqueue(
        coordinator, SimpleUploadedFile("t.csv", GOOD), kind=ImportKind.COSTS, replace=False, region=None
    )
    thread = jobs.run_in_thread(cost_import.pk)
    thread.join(timeout=60)
    assert not thread.is_alive()
    cost_import.refresh_from_db()
    assert cost_import.status == ImportStatus.DONE, cost_import.errors
    assert CostEntry.objects.count() == 2
