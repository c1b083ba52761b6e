"""The import pages, targets and publication: what each role may see and do."""

from __future__ import annotations

import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from conftest import make_user
from hyrkoll.accounts.models import Role, Scope
from hyrkoll.audit.models import AuditAction, AuditEvent
from hyrkoll.followup import jobs
from hyrkoll.followup.models import CostEntry, CostImport, ImportStatus, RegionTarget, TrendPublication
from hyrkoll.followup.tests.test_import_costs import HEADER, csv_bytes

FILE_A = csv_bytes(
    [HEADER, ["14", "2024-01", "hired", "", "", "100"], ["14", "2024-01", "own", "", "", "9000"]]
)
FILE_B = csv_bytes([HEADER, ["01", "2024-01", "hired", "", "", "50"]])
FILE_AB = csv_bytes([HEADER, ["14", "2024-02", "own", "", "", "1"], ["01", "2024-02", "own", "", "", "2"]])


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.FOLLOWUP_IMPORT_INLINE_THREAD = False


@pytest.fixture
def people(world: dict[str, Any]) -> dict[str, Any]:
    region_a, region_b = world["region_a"], world["region_b"]
    return {
        **world,
        "controller_a": make_user(
            "controller.a", scope=Scope.REGION, region=region_a, roles=(Role.CONTROLLER,)
        ),
        "controller_b": make_user(
            "controller.b", scope=Scope.REGION, region=region_b, roles=(Role.CONTROLLER,)
        ),
        "reader_a": make_user("reader.a", scope=Scope.REGION, region=region_a, roles=(Role.READER,)),
        "national_reader": make_user("national.reader", scope=Scope.NATIONAL, roles=(Role.NATIONAL_READER,)),
    }


def upload(client: Client, data: bytes, name: str = "ledger.csv", **fields: Any) -> Any:
    return client.post(
        reverse("followup:import_upload"),
        {"kind": "costs", "file": SimpleUploadedFile(name, data), **fields},
    )


# --- Upload ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["reader_a", "orderer_a", "admin_a", "supplier_user_a", "national_reader"])
def test_only_controllers_and_the_coordinator_may_upload(
    people: dict[str, Any], client: Client, who: str
) -> None:
    client.force_login(people[who])
    assert client.get(reverse("followup:import_upload")).status_code == 403
    assert upload(client, FILE_A).status_code == 403
    assert not CostImport.objects.exists()


def test_the_upload_page_shows_the_form(people: dict[str, Any], client: Client) -> None:
    client.force_login(people["controller_a"])
    page = client.get(reverse("followup:import_upload")).content.decode()
    assert 'type="file"' in page and 'name="replace"' in page and "Västra Götaland" in page


def test_a_region_controllers_upload_cannot_touch_another_region(
    people: dict[str, Any], client: Client
) -> None:
    client.force_login(people["coordinator"])
    upload(client, FILE_B, "b.csv")
    jobs.run_pending()
    before = list(CostEntry.objects.filter(region=people["region_b"]).values_list("period", "amount_sek"))
    assert before == [(datetime.date(2024, 1, 1), Decimal("50.00"))]

    client.force_login(people["controller_a"])
    # Even with "replace" and a region field in the request, the file may only hold region A.
    upload(client, FILE_B, "b-again.csv", replace="on", region=str(people["region_b"].pk))
    jobs.run_pending()
    rejected = CostImport.objects.latest("pk")
    assert rejected.status == ImportStatus.REJECTED and rejected.region == people["region_a"]
    assert {(e["row"], e["field"]) for e in rejected.errors} == {(2, "region")}
    assert (
        list(CostEntry.objects.filter(region=people["region_b"]).values_list("period", "amount_sek"))
        == before
    )

    upload(client, FILE_A, "a.csv", replace="on")
    jobs.run_pending()
    assert CostImport.objects.latest("pk").status == ImportStatus.DONE
    assert (
        list(CostEntry.objects.filter(region=people["region_b"]).values_list("period", "amount_sek"))
        == before
    )
    assert CostEntry.objects.filter(region=people["region_a"]).count() == 2


def test_the_coordinator_uploads_a_national_file(people: dict[str, Any], client: Client) -> None:
    client.force_login(people["coordinator"])
    response = upload(client, FILE_AB, "national.csv")
    assert response.status_code == 302
    jobs.run_pending()
    cost_import = CostImport.objects.get()
    assert cost_import.status == ImportStatus.DONE and cost_import.region is None
    assert cost_import.region_months == ["01-2024-02", "14-2024-02"]


def test_the_upload_refuses_other_file_types(people: dict[str, Any], client: Client) -> None:
    client.force_login(people["controller_a"])
    response = upload(client, b"%PDF-1.4", "ledger.pdf")
    assert response.status_code == 200 and not CostImport.objects.exists()
    assert "error-summary" in response.content.decode()


# --- Viewing -------------------------------------------------------------------------------------------------


def _done_import(people: dict[str, Any], data: bytes, region: Any = None) -> CostImport:
    cost_import = jobs.enqueue(
        people["coordinator"], SimpleUploadedFile("f.csv", data), kind="costs", replace=False, region=region
    )
    jobs.run_pending()
    cost_import.refresh_from_db()
    return cost_import


def test_who_sees_which_imports(people: dict[str, Any], client: Client) -> None:
    import_a = _done_import(people, FILE_A)
    import_b = _done_import(people, FILE_B)
    national = _done_import(people, FILE_AB)
    assert (import_a.region.code, import_b.region.code, national.region) == ("14", "01", None)
    expectations = {
        "reader_a": {import_a.pk},
        "controller_b": {import_b.pk},
        "coordinator": {import_a.pk, import_b.pk, national.pk},
        "national_reader": {import_a.pk, import_b.pk, national.pk},
    }
    for who, visible in expectations.items():
        client.force_login(people[who])
        response = client.get(reverse("followup:imports"))
        assert response.status_code == 200
        assert {c.pk for c in response.context["object_list"]} == visible, who
        for cost_import in (import_a, import_b, national):
            expected = 200 if cost_import.pk in visible else 404
            assert (
                client.get(reverse("followup:import_detail", args=[cost_import.pk])).status_code == expected
            )
            assert (
                client.get(reverse("followup:import_status", args=[cost_import.pk])).status_code == expected
            )


def test_an_import_run_from_the_command_line_is_listed_as_by_the_system(
    people: dict[str, Any], client: Client
) -> None:
    """The demo and `hyrkoll import_costs` record imports without a user; the list and the detail
    page answered 500 reading that user's name."""
    cost_import = _done_import(people, FILE_A)
    CostImport.objects.filter(pk=cost_import.pk).update(created_by=None)
    client.force_login(people["controller_a"])
    listing = client.get(reverse("followup:imports"), HTTP_ACCEPT_LANGUAGE="en")
    assert listing.status_code == 200
    assert "<td>system</td>" in listing.content.decode()
    assert client.get(reverse("followup:import_detail", args=[cost_import.pk])).status_code == 200


def test_suppliers_get_403_everywhere(people: dict[str, Any], client: Client) -> None:
    cost_import = _done_import(people, FILE_A)
    client.force_login(people["supplier_user_a"])
    for url in (
        reverse("followup:imports"),
        reverse("followup:import_detail", args=[cost_import.pk]),
        reverse("followup:import_status", args=[cost_import.pk]),
        reverse("followup:targets"),
        reverse("followup:publish"),
    ):
        assert client.get(url).status_code == 403, url


def test_anonymous_users_are_sent_to_log_in(db: Any, client: Client) -> None:
    response = client.get(reverse("followup:imports"))
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_a_queued_import_shows_a_progress_bar_with_a_script_and_a_refresh_link(
    people: dict[str, Any], client: Client
) -> None:
    client.force_login(people["controller_a"])
    upload(client, FILE_A)
    cost_import = CostImport.objects.get()
    page = client.get(reverse("followup:import_detail", args=[cost_import.pk])).content.decode()
    assert "<progress" in page and 'aria-live="polite"' in page
    assert "followup/import_progress.js" in page and "<script>" not in page
    assert f'href="{reverse("followup:import_detail", args=[cost_import.pk])}"' in page
    status = client.get(reverse("followup:import_status", args=[cost_import.pk])).json()
    assert status == {
        "status": "queued",
        "status_label": status["status_label"],
        "progress_pct": 0,
        "lines": 0,
        "lines_done": 0,
        "errors": 0,
        "finished": False,
        "text": status["text"],
    }


def test_a_done_import_shows_totals_and_region_months(people: dict[str, Any], client: Client) -> None:
    cost_import = _done_import(people, FILE_A)
    client.force_login(people["reader_a"])
    page = client.get(reverse("followup:import_detail", args=[cost_import.pk])).content.decode()
    assert "9000.00" in page and "14-2024-01" in page
    assert "import_progress.js" not in page


def test_a_rejected_import_lists_its_errors(people: dict[str, Any], client: Client) -> None:
    cost_import = _done_import(people, csv_bytes([HEADER, ["14", "2024-13", "hired", "", "", "1x"]]))
    assert cost_import.status == ImportStatus.REJECTED
    client.force_login(people["coordinator"])
    response = client.get(reverse("followup:import_detail", args=[cost_import.pk]))
    page = response.content.decode()
    assert "2024-13" in page and "1x" in page and "amount_sek" in page
    assert response.context["error_count"] == 2
    assert client.get(reverse("followup:import_status", args=[cost_import.pk])).json()["errors"] == 2


def test_the_progress_script_is_served(people: dict[str, Any], client: Client) -> None:
    from django.contrib.staticfiles import finders

    assert finders.find("followup/import_progress.js")


# --- Targets -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["controller_a", "admin_a"])
def test_a_regions_controller_or_admin_sets_its_targets(
    people: dict[str, Any], client: Client, who: str
) -> None:
    client.force_login(people[who])
    url = reverse("followup:targets")
    assert client.get(url).status_code == 200
    # A region field in the request is ignored: the target is always the user's own region's.
    response = client.post(
        url, {"year": "2025", "share_pct": "3,7", "note": "RF 2024", "region": people["region_b"].pk}
    )
    assert response.status_code == 302
    target = RegionTarget.objects.get()
    assert (target.region, target.year, target.share_pct) == (people["region_a"], 2025, Decimal("3.70"))
    client.post(url, {"year": "2025", "share_pct": "3.5", "note": "RF 2025"})
    target.refresh_from_db()
    assert target.share_pct == Decimal("3.50") and RegionTarget.objects.count() == 1
    actions = list(
        AuditEvent.objects.filter(object_id=str(target.pk)).order_by("pk").values_list("action", flat=True)
    )
    assert actions == [AuditAction.CREATE, AuditAction.UPDATE]
    client.post(url, {"delete": target.pk})
    assert not RegionTarget.objects.exists()
    assert AuditEvent.objects.filter(action=AuditAction.DELETE, object_id=str(target.pk)).exists()


def test_readers_see_targets_but_cannot_set_them(people: dict[str, Any], client: Client) -> None:
    RegionTarget.objects.create(region=people["region_a"], year=2027, share_pct=Decimal(2))
    RegionTarget.objects.create(region=people["region_b"], year=2027, share_pct=Decimal(3))
    client.force_login(people["reader_a"])
    response = client.get(reverse("followup:targets"))
    assert response.status_code == 200 and response.context["form"] is None
    assert [t.region.code for t in response.context["targets"]] == ["14"]
    assert client.post(reverse("followup:targets"), {"year": "2025", "share_pct": "1"}).status_code == 403
    assert RegionTarget.objects.count() == 2


def test_a_region_cannot_remove_another_regions_target(people: dict[str, Any], client: Client) -> None:
    target_b = RegionTarget.objects.create(region=people["region_b"], year=2027, share_pct=Decimal(3))
    client.force_login(people["controller_a"])
    assert client.post(reverse("followup:targets"), {"delete": target_b.pk}).status_code == 404
    assert RegionTarget.objects.filter(pk=target_b.pk).exists()


def test_the_coordinator_sets_any_regions_target(people: dict[str, Any], client: Client) -> None:
    client.force_login(people["coordinator"])
    response = client.post(
        reverse("followup:targets"), {"region": people["region_b"].pk, "year": "2026", "share_pct": "2.5"}
    )
    assert response.status_code == 302
    assert RegionTarget.objects.get().region == people["region_b"]


def test_a_target_must_be_a_percentage(people: dict[str, Any], client: Client) -> None:
    client.force_login(people["controller_a"])
    response = client.post(reverse("followup:targets"), {"year": "2025", "share_pct": "120"})
    assert response.status_code == 200 and response.context["form"].errors
    assert not RegionTarget.objects.exists()


# --- Publication ---------------------------------------------------------------------------------------------


def test_the_coordinator_publishes_the_trend(people: dict[str, Any], client: Client) -> None:
    client.force_login(people["coordinator"])
    url = reverse("followup:publish")
    assert client.get(url).status_code == 200
    assert client.post(url, {"through_month": "2024-06", "note": "Halvår 1"}).status_code == 302
    publication = TrendPublication.objects.get()
    assert (
        publication.through_month == datetime.date(2024, 6, 1)
        and publication.published_by == people["coordinator"]
    )
    assert AuditEvent.objects.filter(action=AuditAction.CREATE, object_id=str(publication.pk)).exists()
    # Not again, not earlier, not a month that has not begun.
    next_month = (timezone.localdate().replace(day=28) + datetime.timedelta(days=5)).strftime("%Y-%m")
    for month in ("2024-06", "2024-03", next_month, "2024-13"):
        response = client.post(url, {"through_month": month})
        assert response.status_code == 200 and response.context["form"].errors, month
    assert TrendPublication.objects.count() == 1


@pytest.mark.parametrize("who", ["controller_a", "reader_a", "admin_a", "national_reader"])
def test_only_the_coordinator_publishes(people: dict[str, Any], client: Client, who: str) -> None:
    client.force_login(people[who])
    url = reverse("followup:publish")
    assert client.get(url).status_code == 403
    assert client.post(url, {"through_month": "2024-06"}).status_code == 403
    assert not TrendPublication.objects.exists()
