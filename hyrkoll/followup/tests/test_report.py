"""The Bemanningstrend report: the web page with its summary, the PDF, the workbook, the period
parameters and the permissions. The fixture is ``test_dashboards.add_costs``.

Half-year 1 2025 against half-year 1 2024: region 14 hired 6 × 36,000 + 6 × 10,000 = 276,000
(240,000 a year earlier) of 6,000,000 own → 4.60 % (4.00 %); region 01 120,000 / 12,000,000 →
1.00 % (1.00 %); the nation 396,000 / 18,000,000 → 2.20 % (360,000 → 2.00 %): +10.00 %, +0.20 pp.
"""

from __future__ import annotations

import io
import time
from typing import Any
from unittest import mock

import openpyxl
import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from conftest import make_user
from hyrkoll.accounts.models import Role, Scope
from hyrkoll.followup.indicators import month
from hyrkoll.followup.models import CostEntry, CostType
from hyrkoll.followup.tests.test_dashboards import (
    NBSP,
    add_costs,
    client_for,
    publish,
    read_csv,
    rows_by_first,
)


@pytest.fixture
def coordinator(world: dict[str, Any]) -> Client:
    add_costs()
    return client_for(world["coordinator"])


@pytest.fixture
def region_user(world: dict[str, Any]) -> Client:
    """A controller of region 14 (Västra Götaland)."""
    add_costs()
    user = make_user("controller.a", scope=Scope.REGION, region=world["region_a"], roles=(Role.CONTROLLER,))
    return client_for(user)


def test_report_page_with_summary(coordinator: Client) -> None:
    response = coordinator.get(reverse("followup:report"), {"half": "2025-1"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Bemanningstrend – Half-year 1 2025" in html
    assert "Hired-staff cost rose by 10.00 % to 396,000 SEK compared with the same period last year." in html
    assert "2.20 % of own personnel cost, 0.20 percentage points more than a year earlier." in html
    assert "1 of 2 regions met the 2 % indicator" in html
    assert "The share rose most in Västra Götalandsregionen (+0.60 percentage points)." in html
    # Charts with their tables: cost types, regions, profession, care area.
    assert html.count("<svg") == 4
    for name in ("costs", "regions", "by_profession", "by_care_area"):
        assert f'id="table-{name}"' in html
        assert f"half=2025-1&amp;table={name}&amp;format=xlsx" in html
    assert f"4.60{NBSP}%" in html and "276,000" in html
    assert f'href="{reverse("followup:report_pdf")}?half=2025-1"' in html
    assert f'href="{reverse("followup:report_xlsx")}?half=2025-1"' in html
    assert 'style="' not in html


def test_default_is_the_last_complete_half_year(coordinator: Client) -> None:
    html = coordinator.get(reverse("followup:report")).content.decode()
    assert "Half-year 1 2025" in html
    assert '<option value="2025-1" selected>' in html


def test_quarter(coordinator: Client) -> None:
    response = coordinator.get(reverse("followup:report"), {"quarter": "2025-2"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Quarter 2 2025" in html and "2025-04 – 2025-06" in html


@pytest.mark.parametrize(
    "parameters",
    [{"half": "2025-3"}, {"half": "2025"}, {"quarter": "2025-5"}, {"half": "2025-1", "quarter": "2025-1"}],
)
def test_bad_period_is_a_400_with_a_message(coordinator: Client, parameters: dict[str, str]) -> None:
    response = coordinator.get(reverse("followup:report"), parameters)
    assert response.status_code == 400
    assert 'class="error-summary"' in response.content.decode()
    assert coordinator.get(reverse("followup:report_pdf"), parameters).status_code == 400
    assert coordinator.get(reverse("followup:report_xlsx"), parameters).status_code == 400
    download = {"table": "regions", "format": "csv", **parameters}
    assert coordinator.get(reverse("followup:download"), download).status_code == 400


def test_pdf(coordinator: Client) -> None:
    started = time.perf_counter()
    response = coordinator.get(reverse("followup:report_pdf"), {"half": "2025-1"})
    elapsed = time.perf_counter() - started
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert 'filename="hyrkoll-bemanningstrend-2025-1.pdf"' in response["Content-Disposition"]
    assert response.content.startswith(b"%PDF")
    assert len(response.content) > 20_000  # text, four charts and four tables
    assert elapsed < 30


def test_the_same_report_is_laid_out_once_and_new_figures_again(coordinator: Client) -> None:
    """The PDF is kept in the shared cache under a hash of its HTML (``exports.to_pdf``): asked for
    again it is served from there, while other figures or another half-year are laid out anew."""
    import weasyprint

    cache.clear()
    url = reverse("followup:report_pdf")
    with mock.patch.object(weasyprint, "HTML", wraps=weasyprint.HTML) as layout:
        first = coordinator.get(url, {"half": "2025-1"}).content
        again = coordinator.get(url, {"half": "2025-1"}).content
        assert layout.call_count == 1 and again == first
        coordinator.get(url, {"half": "2024-2"})
        assert layout.call_count == 2
        entry = CostEntry.objects.filter(
            region__code="14", cost_type=CostType.HIRED, period=month(2025, 3)
        ).first()
        entry.amount_sek += 50_000
        entry.save()
        changed = coordinator.get(url, {"half": "2025-1"}).content
        assert layout.call_count == 3 and changed.startswith(b"%PDF") and changed != first


def test_workbook_has_a_sheet_per_table(coordinator: Client) -> None:
    response = coordinator.get(reverse("followup:report_xlsx"), {"half": "2025-1"})
    assert response.status_code == 200
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["Summary", "Cost types", "Regions", "By profession", "By care area"]
    summary = [row[0] for row in workbook["Summary"].iter_rows(values_only=True)]
    assert summary[0] == "Bemanningstrend – Half-year 1 2025"
    assert any(text and text.startswith("Hired-staff cost rose by 10.00 %") for text in summary)
    regions = workbook["Regions"]
    assert regions.freeze_panes == "B2"
    rows = {row[0]: row for row in regions.iter_rows(min_row=2, values_only=True)}
    assert rows["Västra Götalandsregionen"][1] == 276000 and rows["Västra Götalandsregionen"][4] == 4.6
    assert rows["Whole country"][1] == 396000 and rows["Whole country"][6] == pytest.approx(0.2)
    assert regions["B2"].number_format == "#,##0" and regions["E2"].number_format == '0.00" %"'
    assert regions.column_dimensions["A"].width >= 20


def test_report_table_download(coordinator: Client) -> None:
    response = coordinator.get(
        reverse("followup:download"), {"half": "2025-1", "table": "regions", "format": "csv"}
    )
    assert response.status_code == 200
    rows = rows_by_first(read_csv(response))
    assert rows["Västra Götalandsregionen"][1] == "276000.00"
    assert rows["Whole country"][6] == "0.20"


def test_region_user_before_publication_gets_their_region_only(region_user: Client) -> None:
    response = region_user.get(reverse("followup:report"), {"half": "2025-1"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Västra Götalandsregionen" in html and "Region Stockholm" not in html
    assert "Hired-staff cost rose" not in html and "Whole country" not in html
    assert "396,000" not in html  # no national figure anywhere
    assert 'id="table-costs"' not in html and 'id="table-by_profession"' not in html
    workbook = openpyxl.load_workbook(
        io.BytesIO(region_user.get(reverse("followup:report_xlsx"), {"half": "2025-1"}).content)
    )
    assert workbook.sheetnames == ["Summary", "Regions"]
    assert [row[0] for row in workbook["Regions"].iter_rows(min_row=2, values_only=True)] == [
        "Västra Götalandsregionen"
    ]
    response = region_user.get(
        reverse("followup:download"), {"half": "2025-1", "table": "by_profession", "format": "csv"}
    )
    assert response.status_code == 404  # not part of their report
    pdf = region_user.get(reverse("followup:report_pdf"), {"half": "2025-1"})
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


def test_region_user_after_publication_gets_the_whole_report(
    region_user: Client, world: dict[str, Any]
) -> None:
    publish(month(2025, 6), world["coordinator"])
    html = region_user.get(reverse("followup:report"), {"half": "2025-1"}).content.decode()
    assert "Region Stockholm" in html and "Hired-staff cost rose by 10.00 %" in html
    # The quarter after is not published.
    html = region_user.get(reverse("followup:report"), {"quarter": "2025-3"}).content.decode()
    assert "Region Stockholm" not in html
