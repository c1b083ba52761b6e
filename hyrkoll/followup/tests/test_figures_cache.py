"""The dashboards' data kept in the cache (``figures_cache``): a second view asks the database for
less and shows the same page, and every kind of write – a cost import, ``--replace``, a staffing
metrics import, a target set, changed or removed, a region renamed in the admin, an edit or a
deletion in the shell – shows at once. The figures are ``test_dashboards``' fixture (``add_costs``):
region 14 hired 516,000 against 12,000,000 own in the 12 months to June 2025 (4.30 %).
"""

from __future__ import annotations

import pickle
import re
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from conftest import make_user
from hyrkoll.accounts.models import Scope
from hyrkoll.followup import dashboard_data, figures_cache, importing
from hyrkoll.followup.indicators import month
from hyrkoll.followup.models import (
    CostEntry,
    CostType,
    FiguresVersion,
    ImportStatus,
    MetricKind,
    RegionTarget,
    StaffingMetric,
)
from hyrkoll.followup.tests.test_dashboards import add_costs, client_for
from hyrkoll.followup.tests.test_import_costs import csv_bytes
from hyrkoll.organisation.models import Region

JUNE_2025 = month(2025, 6)
NBSP = "\xa0"
NATIONAL = reverse("followup:dashboard") + "?month=2025-06"
REGION_14 = reverse("followup:region_dashboard", args=["14"]) + "?month=2025-06"
REPORT = reverse("followup:report") + "?half=2025-1"
COST_HEADER = ["region", "period", "cost_type", "profession", "care_area", "amount_sek"]
METRIC_HEADER = ["region", "period", "metric", "profession", "care_area", "value"]
# What differs between two renderings of the same page: the CSRF token and the CSP nonce.
PER_RESPONSE = re.compile(r'(csrfmiddlewaretoken" value="|nonce=")[^"]*"')


@pytest.fixture
def coordinator(world: dict[str, Any]) -> Client:
    add_costs()
    return client_for(world["coordinator"])


def page(client: Client, url: str) -> tuple[str, int]:
    """The page's HTML without what differs per response, and the number of queries it made."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return PER_RESPONSE.sub("", response.content.decode()), len(queries)


def import_costs(rows: list[list[str]], *, replace: bool = False) -> None:
    result = importing.import_costs(None, csv_bytes([COST_HEADER, *rows]), "costs.csv", replace=replace)
    assert result.status == ImportStatus.DONE, result.errors


def import_metrics(rows: list[list[str]], *, replace: bool = False) -> None:
    result = importing.import_metrics(None, csv_bytes([METRIC_HEADER, *rows]), "metrics.csv", replace=replace)
    assert result.status == ImportStatus.DONE, result.errors


# --- the version ---------------------------------------------------------------------------------------------


def test_every_write_of_the_figures_changes_the_marker(world: dict[str, Any]) -> None:
    region = Region.objects.get(code="14")
    seen = {figures_cache.marker()}

    def changed() -> None:
        current = figures_cache.marker()
        assert current not in seen
        seen.add(current)

    entry = CostEntry.objects.create(
        region=region, period=JUNE_2025, cost_type=CostType.HIRED, amount_sek=Decimal(1)
    )
    changed()
    CostEntry.objects.bulk_create(
        [CostEntry(region=region, period=JUNE_2025, cost_type=CostType.OWN, amount_sek=Decimal(9))]
    )
    changed()
    CostEntry.objects.filter(pk=entry.pk).update(amount_sek=Decimal(2))
    changed()
    CostEntry.objects.filter(pk=entry.pk).delete()  # not the highest pk
    changed()
    metric = StaffingMetric.objects.create(
        region=region, period=JUNE_2025, metric=MetricKind.OWN_FTE, value=Decimal(10)
    )
    changed()
    metric.value = Decimal(11)
    metric.save()
    changed()
    metric.delete()
    changed()
    target = RegionTarget.objects.create(region=region, year=2025, share_pct=Decimal(3))
    changed()
    target.share_pct = Decimal("2.5")
    target.save(update_fields=["share_pct"])
    changed()
    target.delete()
    changed()
    region.name = "Region Väst"
    region.save()
    changed()
    # The highest row deleted, then a row inserted that may take its id (SQLite reuses it).
    highest = CostEntry.objects.latest("pk")
    highest.delete()
    changed()
    again = CostEntry.objects.create(
        region=region, period=JUNE_2025, cost_type=CostType.HIRED, amount_sek=Decimal(3)
    )
    changed()
    # A flushed version table gets its row back with the next update or deletion.
    FiguresVersion.objects.all().delete()
    seen.add(figures_cache.marker())
    CostEntry.objects.filter(pk=again.pk).delete()
    changed()
    assert FiguresVersion.objects.filter(pk=1).exists()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="session_replication_role is PostgreSQL's")
def test_a_write_as_replica_changes_the_marker_too(world: dict[str, Any]) -> None:
    """The scale generator copies with ``session_replication_role = replica``, which silences
    ordinary triggers; the version's are ENABLE ALWAYS."""
    region = Region.objects.get(code="14")
    before = figures_cache.marker()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL session_replication_role = replica")
        CostEntry.objects.create(
            region=region, period=JUNE_2025, cost_type=CostType.HIRED, amount_sek=Decimal(1)
        )
        cursor.execute("SET LOCAL session_replication_role = origin")

    assert figures_cache.marker() != before


def test_the_dashboards_data_pickles(world: dict[str, Any]) -> None:
    add_costs()
    StaffingMetric.objects.create(
        region=Region.objects.get(code="14"), period=JUNE_2025, metric=MetricKind.OWN_FTE, value=Decimal(10)
    )
    for data in (
        dashboard_data.compute_national_dashboard(JUNE_2025),
        dashboard_data.compute_region_dashboard("14", JUNE_2025),
    ):
        assert pickle.loads(pickle.dumps(data)) == data


# --- a second view -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("url", [NATIONAL, REGION_14], ids=["national", "region"])
def test_a_second_view_makes_fewer_queries_and_shows_the_same_page(coordinator: Client, url: str) -> None:
    first, first_queries = page(coordinator, url)
    second, second_queries = page(coordinator, url)
    assert second == first
    assert second_queries < first_queries
    assert "516,000" in second


def test_the_report_is_computed_once_and_shows_an_import_at_once(coordinator: Client) -> None:
    first, first_queries = page(coordinator, REPORT)
    second, second_queries = page(coordinator, REPORT)
    assert second == first
    assert second_queries < first_queries
    assert "Norrbotten" in second

    # Region 25 had no figures for the half-year: it gets a share of its own.
    import_costs(
        [
            ["25", "2025-03", "hired", "doctor", "primary", "5000"],
            ["25", "2025-03", "own", "", "primary", "100000"],
        ]
    )

    third = page(coordinator, REPORT)[0]

    def norrbotten(html: str) -> str:
        row = re.search(r"Norrbotten</a></th>(.*?)</tr>", html)
        assert row is not None
        return row.group(1)

    assert f"5.00{NBSP}%" not in norrbotten(second)
    assert f">5.00{NBSP}%<" in norrbotten(third)


def test_the_data_is_computed_once_per_language(coordinator: Client) -> None:
    english, _queries = page(coordinator, NATIONAL)
    assert "Primary care" in english
    coordinator.cookies["django_language"] = "sv"
    with translation.override("sv"):
        swedish, _queries = page(coordinator, NATIONAL)
    assert "Primärvård" in swedish and "Primary care" not in swedish


# --- every kind of write shows at once ----------------------------------------------------------------------


def test_a_cost_import_and_a_replace_show_at_once(coordinator: Client) -> None:
    assert "Norrbotten" in page(coordinator, NATIONAL)[0]
    page(coordinator, REGION_14)
    # A new region-month: region 25 had no figures.
    import_costs(
        [
            ["25", "2025-06", "hired", "doctor", "primary", "5000"],
            ["25", "2025-06", "own", "", "primary", "100000"],
        ]
    )
    assert f"5.00{NBSP}%" in page(coordinator, NATIONAL)[0]
    # --replace of region 14's June: hired doctors 36,000 → 136,000, so 616,000 in the 12 months.
    import_costs(
        [
            ["14", "2025-06", "hired", "doctor", "primary", "136000"],
            ["14", "2025-06", "hired", "nurse", "psychiatry", "10000"],
            ["14", "2025-06", "own", "", "primary", "1000000"],
            ["14", "2025-06", "internal_pool", "", "", "5000"],
        ],
        replace=True,
    )
    national, region = page(coordinator, NATIONAL)[0], page(coordinator, REGION_14)[0]
    assert "616,000" in national and "516,000" not in national
    assert "616,000" in region and "516,000" not in region


def test_edits_and_deletions_outside_the_import_show_at_once(coordinator: Client) -> None:
    page(coordinator, NATIONAL)
    assert "516,000" in page(coordinator, REGION_14)[0]
    # An edit in place (no new row, the highest pk unchanged).
    CostEntry.objects.filter(
        region__code="14", period=month(2025, 1), cost_type=CostType.HIRED, profession="doctor"
    ).update(amount_sek=Decimal(46_000))
    assert "526,000" in page(coordinator, NATIONAL)[0]
    assert "526,000" in page(coordinator, REGION_14)[0]
    # A deletion that leaves the highest pk: January's nurses (10,000) gone.
    CostEntry.objects.filter(
        region__code="14", period=month(2025, 1), cost_type=CostType.HIRED, profession="nurse"
    ).delete()
    assert "516,000" in page(coordinator, NATIONAL)[0]
    assert "516,000" in page(coordinator, REGION_14)[0]


def test_a_target_set_changed_and_removed_shows_at_once(coordinator: Client) -> None:
    region = Region.objects.get(code="14")
    assert "No target set" in page(coordinator, REGION_14)[0]
    page(coordinator, NATIONAL)
    targets = reverse("followup:targets")
    response = coordinator.post(targets, {"region": region.pk, "year": "2025", "share_pct": "4.5"})
    assert response.status_code == 302
    # The region's target path (a fact of its page) and the regions' table of the nation.
    assert f"2025: 4.50{NBSP}%" in page(coordinator, REGION_14)[0]
    assert f"4.50{NBSP}%" in page(coordinator, NATIONAL)[0]
    # The same year again: the row is changed in place.
    coordinator.post(targets, {"region": region.pk, "year": "2025", "share_pct": "3.9"})
    html = page(coordinator, REGION_14)[0]
    assert f"2025: 3.90{NBSP}%" in html and f"2025: 4.50{NBSP}%" not in html
    html = page(coordinator, NATIONAL)[0]
    assert f"3.90{NBSP}%" in html and f"4.50{NBSP}%" not in html
    target = RegionTarget.objects.get(region=region)
    assert coordinator.post(targets, {"delete": target.pk}).status_code == 302
    html = page(coordinator, REGION_14)[0]
    assert "No target set" in html and f"2025: 3.90{NBSP}%" not in html


def test_a_staffing_metrics_import_and_replace_show_at_once(coordinator: Client) -> None:
    page(coordinator, REGION_14)
    import_metrics([["14", "2025-06", "sick_leave_pct", "", "", "7.75"]])
    assert f"7.75{NBSP}%" in page(coordinator, REGION_14)[0]
    import_metrics([["14", "2025-06", "sick_leave_pct", "", "", "8.25"]], replace=True)
    html = page(coordinator, REGION_14)[0]
    assert f"8.25{NBSP}%" in html and f"7.75{NBSP}%" not in html


def test_a_region_renamed_in_the_admin_shows_at_once(coordinator: Client, world: dict[str, Any]) -> None:
    region = Region.objects.get(code="14")
    assert "Västra Götalandsregionen" in page(coordinator, NATIONAL)[0]
    root = make_user("root", scope=Scope.NATIONAL, is_staff=True, is_superuser=True)
    admin = Client()
    admin.force_login(root)
    response = admin.post(
        reverse("admin:organisation_region_change", args=[region.pk]),
        {"code": "14", "name": "Region Västra Götaland"},
    )
    assert response.status_code == 302, response.content.decode()[:500]
    html = page(coordinator, NATIONAL)[0]
    assert "Region Västra Götaland" in html and "Västra Götalandsregionen" not in html
