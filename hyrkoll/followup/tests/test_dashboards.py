"""The follow-up dashboards: figures in the tables, charts that CSP lets render, downloads, and
who may see what (the API's rule: a region sees the nation and the other regions once published).

The fixture (``add_costs``), January 2024 – June 2025, every month:
- region 14: hired doctors/primary care 30,000 in 2024 and 36,000 in 2025, hired nurses/psychiatry
  10,000, own personnel (primary care) 1,000,000, internal pool 5,000;
- region 01: hired doctors/somatic care 20,000, own personnel (somatic care) 2,000,000.

Rolling 12 months to June 2025: region 14 hired 6 × 30,000 + 6 × 36,000 + 12 × 10,000 = 516,000
against 12,000,000 own → 4.30 %; region 01 240,000 / 24,000,000 → 1.00 %; the nation 756,000 /
36,000,000 → 2.10 %. The year before (only January–June 2024 exist): region 14 240,000, pool 30,000.
"""

from __future__ import annotations

import csv
import datetime
import io
from decimal import Decimal
from typing import Any

import openpyxl
import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from conftest import make_user
from hyrkoll.accounts.models import Role, Scope
from hyrkoll.followup import charts
from hyrkoll.followup.indicators import month, months_between
from hyrkoll.followup.models import CostEntry, CostType, MetricKind, StaffingMetric, TrendPublication
from hyrkoll.organisation.models import Region

JUNE_2025 = month(2025, 6)
NBSP = "\xa0"


def add_costs() -> dict[str, Region]:
    r14, r01 = Region.objects.get(code="14"), Region.objects.get(code="01")
    entries = []
    for current in months_between(month(2024, 1), JUNE_2025):
        doctors_14 = 36_000 if current.year == 2025 else 30_000
        rows = [
            (r14, CostType.HIRED, "doctor", "primary", doctors_14),
            (r14, CostType.HIRED, "nurse", "psychiatry", 10_000),
            (r14, CostType.OWN, "", "primary", 1_000_000),
            (r14, CostType.INTERNAL_POOL, "", "", 5_000),
            (r01, CostType.HIRED, "doctor", "somatic", 20_000),
            (r01, CostType.OWN, "", "somatic", 2_000_000),
        ]
        entries += [
            CostEntry(
                region=region,
                period=current,
                cost_type=cost_type,
                profession=profession,
                care_area=care_area,
                amount_sek=Decimal(amount),
            )  # fmt: skip
            for region, cost_type, profession, care_area, amount in rows
        ]
    CostEntry.objects.bulk_create(entries)
    return {"14": r14, "01": r01}


def publish(through: datetime.date, by: Any) -> TrendPublication:
    return TrendPublication.objects.create(through_month=through, published_by=by)


def client_for(user: Any, language: str = "en") -> Client:
    client = Client()
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


@pytest.fixture
def costs(world: dict[str, Any]) -> dict[str, Region]:
    return add_costs()


@pytest.fixture
def coordinator(world: dict[str, Any], costs: Any) -> Client:
    return client_for(world["coordinator"])


@pytest.fixture
def region_user(world: dict[str, Any], costs: Any) -> Client:
    """A controller of region 14 (Västra Götaland)."""
    user = make_user("controller.a", scope=Scope.REGION, region=world["region_a"], roles=(Role.CONTROLLER,))
    return client_for(user)


def read_csv(response: Any) -> list[list[str]]:
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def rows_by_first(rows: list[list[str]]) -> dict[str, list[str]]:
    return {row[0]: row for row in rows[1:]}


# --- the national dashboard ------------------------------------------------------------------------------------


def test_national_dashboard_shows_charts_and_their_tables(coordinator: Client) -> None:
    response = coordinator.get(reverse("followup:dashboard"))
    assert response.status_code == 200
    html = response.content.decode()
    # The default month is the last with data.
    assert 'value="2025-06"' in html
    assert "2024-07 – 2025-06" in html
    # Six charts (five and, for the national level, the forecast), each with a table and its
    # downloads beside it; the regions' outlook is a table of its own.
    assert html.count("<svg") == 6
    assert html.count('role="img"') == 6
    names = (
        "yearly_hired",
        "forecast",
        "regions_outlook",
        "rolling12",
        "regions",
        "by_care_area",
        "by_profession",
    )
    for name in names:
        assert f'id="table-{name}"' in html
        assert f"table={name}&amp;format=csv" in html and f"table={name}&amp;format=xlsx" in html
    assert html.count("<caption>") == 7 and 'scope="col"' in html and 'scope="row"' in html
    # The figures, in the tables.
    assert "516,000" in html  # region 14's hired cost
    assert f"4.30{NBSP}%" in html and f"1.00{NBSP}%" in html  # the shares of 14 and 01
    assert f"2.10{NBSP}%" in html  # the whole country
    assert "through 2025-06" in html  # 2025 is a partial year
    # The drill-down: a region's name leads to its dashboard for the same month.
    assert f'href="{reverse("followup:region_dashboard", args=["14"])}?month=2025-06"' in html
    # CSP (style-src 'self') would block style attributes and <style>: the charts use none.
    assert 'style="' not in html and "<style" not in html


def test_numbers_are_formatted_the_swedish_way(world: dict[str, Any], costs: Any) -> None:
    response = client_for(world["coordinator"], "sv").get(reverse("followup:dashboard"))
    html = response.content.decode()
    assert f"516{NBSP}000" in html
    assert f"4,30{NBSP}%" in html and f"2,10{NBSP}%" in html


def test_month_parameter(coordinator: Client) -> None:
    response = coordinator.get(reverse("followup:dashboard"), {"month": "2024-12"})
    assert response.status_code == 200
    assert "2024-01 – 2024-12" in response.content.decode()
    assert coordinator.get(reverse("followup:dashboard"), {"month": "2024-13"}).status_code == 400
    assert coordinator.get(reverse("followup:dashboard"), {"month": "June"}).status_code == 400


def test_empty_database(world: dict[str, Any]) -> None:
    response = client_for(world["coordinator"]).get(reverse("followup:dashboard"))
    assert response.status_code == 200
    assert "No costs have been imported yet." in response.content.decode()


# --- a region's dashboard --------------------------------------------------------------------------------------


def test_region_dashboard(coordinator: Client, costs: dict[str, Region]) -> None:
    RegionTarget = costs["14"].targets.model
    RegionTarget.objects.create(region=costs["14"], year=2025, share_pct=Decimal("4.5"))
    RegionTarget.objects.create(region=costs["14"], year=2027, share_pct=Decimal("2"))
    for current in months_between(month(2024, 7), JUNE_2025):
        StaffingMetric.objects.create(
            region=costs["14"], period=current, metric=MetricKind.SICK_LEAVE_PCT, value=Decimal("6.25")
        )
    response = coordinator.get(reverse("followup:region_dashboard", args=["14"]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Västra Götalandsregionen" in html
    # the forecast, costs, per year, rolling 12, care area, profession, staffing
    assert html.count("<svg") == 7
    for name in (
        "forecast",
        "costs",
        "yearly_hired",
        "rolling12",
        "by_care_area",
        "by_profession",
        "metrics",
    ):
        assert f'id="table-{name}"' in html
        assert f"region=14&amp;table={name}&amp;format=csv" in html
    assert "516,000" in html and f"4.30{NBSP}%" in html
    assert f"4.50{NBSP}%" in html  # the target (the first target year's target holds in 2025)
    assert "60,000" in html  # the internal pool beside hired cost
    assert f"6.25{NBSP}%" in html  # sick leave
    # Back up to the nation, and on to the profession and care-area tables.
    assert 'href="#block-by_profession"' in html and 'href="#block-by_care_area"' in html
    assert f'href="{reverse("followup:dashboard")}?month=2025-06"' in html
    assert 'style="' not in html


def test_unknown_region_is_404(coordinator: Client) -> None:
    assert coordinator.get(reverse("followup:region_dashboard", args=["99"])).status_code == 404


# --- permissions -----------------------------------------------------------------------------------------------


def test_region_user_before_publication_sees_only_their_region(region_user: Client) -> None:
    response = region_user.get(reverse("followup:dashboard"))
    assert response.status_code == 403
    html = response.content.decode()
    assert "has not been published yet" in html
    assert reverse("followup:region_dashboard", args=["14"]) in html  # the way on
    assert "516,000" not in html

    assert region_user.get(reverse("followup:region_dashboard", args=["14"])).status_code == 200
    assert region_user.get(reverse("followup:region_dashboard", args=["01"])).status_code == 403


def test_region_user_after_publication_sees_the_published_months(
    region_user: Client, world: dict[str, Any]
) -> None:
    publish(month(2025, 3), world["coordinator"])
    # The default month is capped at the last published one.
    response = region_user.get(reverse("followup:dashboard"))
    assert response.status_code == 200
    assert 'value="2025-03"' in response.content.decode()
    assert region_user.get(reverse("followup:region_dashboard", args=["01"])).status_code == 200
    # Later months are not published: refused, with the reason and the last published month.
    response = region_user.get(reverse("followup:dashboard"), {"month": "2025-06"})
    assert response.status_code == 403
    assert "2025-03" in response.content.decode()
    response = region_user.get(reverse("followup:region_dashboard", args=["01"]), {"month": "2025-06"})
    assert response.status_code == 403
    # Their own region: any month.
    response = region_user.get(reverse("followup:region_dashboard", args=["14"]), {"month": "2025-06"})
    assert response.status_code == 200


def test_suppliers_and_strangers_are_refused(world: dict[str, Any], costs: Any) -> None:
    supplier = client_for(world["supplier_user_a"])
    urls = [
        reverse("followup:dashboard"),
        reverse("followup:region_dashboard", args=["14"]),
        reverse("followup:download") + "?table=regions&format=csv",
        reverse("followup:report"),
        reverse("followup:report_pdf"),
        reverse("followup:report_xlsx"),
    ]
    for url in urls:
        assert supplier.get(url).status_code == 403, url
        response = Client().get(url)
        assert response.status_code == 302 and "/login/" in response["Location"], url


def test_start_page_links_to_follow_up(world: dict[str, Any], costs: Any) -> None:
    html = client_for(world["coordinator"]).get(reverse("start")).content.decode()
    assert reverse("followup:dashboard") in html and reverse("followup:report") in html
    html = client_for(world["admin_a"]).get(reverse("start")).content.decode()
    assert reverse("followup:region_dashboard", args=["14"]) in html
    html = client_for(world["supplier_user_a"]).get(reverse("start")).content.decode()
    assert reverse("followup:dashboard") not in html


# --- downloads -------------------------------------------------------------------------------------------------


def download(client: Client, **parameters: str) -> Any:
    return client.get(reverse("followup:download"), parameters)


def test_csv_download_of_the_regions_table(coordinator: Client) -> None:
    response = download(coordinator, table="regions", format="csv", month="2025-06")
    assert response.status_code == 200
    # named after the table's caption, in the user's language
    assert (
        'filename="hyrkoll-hired-staff-cost-per-region-2024-07-2025-06.csv"'
        in response["Content-Disposition"]
    )
    rows = read_csv(response)
    assert rows[0][:5] == ["Region", "Hired (SEK)", "Change, hired (%)", "Own (SEK)", "Share (%)"]
    regions = rows_by_first(rows)
    assert regions["Västra Götalandsregionen"][:5] == [
        "Västra Götalandsregionen",
        "516000.00",
        "115.00",
        "12000000.00",
        "4.30",
    ]
    assert regions["Region Stockholm"][4] == "1.00"
    assert regions["Whole country"][1] == "756000.00" and regions["Whole country"][4] == "2.10"
    assert regions["Region Norrbotten"][1:5] == ["0.00", "", "0.00", ""]  # no data: empty, not 0 %


def test_csv_download_in_swedish_opens_in_swedish_excel(coordinator: Client) -> None:
    """In Swedish: semicolons between columns, decimal commas, a Swedish file name (å/ä/ö folded)."""
    coordinator.cookies[settings.LANGUAGE_COOKIE_NAME] = "sv"
    response = download(coordinator, table="regions", format="csv", month="2025-06")
    assert (
        'filename="hyrkoll-kostnad-for-inhyrd-personal-per-region-2024-07-2025-06.csv"'
        in response["Content-Disposition"]
    )
    text = response.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[0][0] == "Region" and len(rows[0]) > 4
    whole = next(row for row in rows if row[0] == "Hela riket")
    assert whole[1] == "756000,00" and whole[4] == "2,10"


def test_csv_download_of_a_region_table(coordinator: Client) -> None:
    rows = read_csv(download(coordinator, table="costs", format="csv", month="2025-06", region="14"))
    assert rows[0] == ["Cost", "Cost (SEK)", "A year earlier (SEK)", "Change (SEK)", "Change (%)"]
    costs = rows_by_first(rows)
    assert costs["Hired staff"][1:] == ["516000.00", "240000.00", "276000.00", "115.00"]
    assert costs["Internal staffing pool"][1:] == ["60000.00", "30000.00", "30000.00", "100.00"]
    rows = read_csv(download(coordinator, table="rolling12", format="csv", month="2025-06", region="14"))
    assert rows[-1] == ["2025-06", "4.30", ""]  # no target set
    assert len(rows) == 1 + 36


def test_xlsx_download_has_numbers(coordinator: Client) -> None:
    response = download(coordinator, table="by_profession", format="xlsx", month="2025-06")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["By profession"]
    sheet = workbook["By profession"]
    assert [cell.value for cell in sheet[1]] == [
        "Profession", "Hired-staff cost (SEK)", "A year earlier (SEK)", "Change (SEK)", "Change (%)",
    ]  # fmt: skip
    assert sheet.freeze_panes == "B2"
    doctors = [cell.value for cell in sheet[2]]
    # Doctors, rolling 12 to June 2025: 14 → 396,000, 01 → 240,000; a year earlier 180,000 + 120,000.
    assert doctors == ["Doctors", 636000, 300000, 336000, 112]
    assert sheet["B2"].number_format == "#,##0"
    assert sheet["E2"].number_format.startswith("+0.00")

    sheet = openpyxl.load_workbook(
        io.BytesIO(download(coordinator, table="rolling12", format="xlsx", month="2025-06").content)
    ).active
    assert sheet["A37"].value == datetime.datetime(2025, 6, 1) and sheet["A37"].number_format == "yyyy-mm"
    assert sheet["B37"].value == pytest.approx(2.10)


def test_download_permissions_and_errors(region_user: Client, coordinator: Client) -> None:
    assert download(region_user, table="regions", format="csv").status_code == 403
    assert download(region_user, table="costs", format="csv", region="01").status_code == 403
    assert download(region_user, table="costs", format="csv", region="14").status_code == 200
    assert download(coordinator, table="nothing", format="csv").status_code == 404
    assert download(coordinator, table="regions", format="pdf").status_code == 400
    assert download(coordinator, table="regions", format="csv", month="2025-6").status_code == 400
    assert download(coordinator, table="regions", format="csv", region="99").status_code == 404


# --- the charts under CSP --------------------------------------------------------------------------------------


def test_charts_use_presentation_attributes_only() -> None:
    svg = charts.bars(
        ["2024", "2025"], [Decimal(1), Decimal(2)], title="T", description="D", unit_label="SEK"
    )
    assert "style=" not in svg and "<style" not in svg
    assert 'fill="#00558c"' in svg  # the bars' colour
    assert 'stroke-linejoin="round"' in svg.split(">", 1)[0]  # matplotlib's stylesheet, on the root
    assert charts.presentation_attributes(
        '<svg a="1"><path style="fill: #fff; stroke-width: 0.8"/></svg>'
    ) == ('<svg a="1"><path fill="#fff" stroke-width="0.8"/></svg>')
