"""The forecast on the pages: the region dashboard (own region and national level only), the
national dashboard's regions at risk, the start pages, the action plan's sub-goals.

The fixture: two years (July 2023 – June 2025) of flat monthly costs, so the forecast is flat and
the classification is certain:
- region 14: hired 40,000 against own 1,000,000 a month → 4 %; its target for 2025 is 2 % → off
  track (the year's share cannot fall from 4 % to 2 % in six months without a cut): the needed cut
  is (12 × 40,000 − 0.02 × 12,000,000) / 6 = 40,000 kr a month, 100 % of the forecast hired cost;
- region 01: hired 10,000 against own 1,000,000 → 1 %; target 2 % → on track.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.core.cache import cache
from django.urls import reverse

from conftest import make_user
from hyrkoll.accounts.models import Role, Scope
from hyrkoll.followup import outlook
from hyrkoll.followup.indicators import month, months_between
from hyrkoll.followup.models import CostEntry, CostType, RegionTarget
from hyrkoll.followup.tests.test_dashboards import client_for, publish
from hyrkoll.governance.models import ActionPlan, GoalIndicator, Measure, PlanMeasure, SubGoal
from hyrkoll.organisation.models import Region

JUNE_2025 = month(2025, 6)


@pytest.fixture
def flat(world: dict[str, Any]) -> dict[str, Region]:
    cache.clear()
    r14, r01 = Region.objects.get(code="14"), Region.objects.get(code="01")
    rows = []
    for current in months_between(month(2023, 7), JUNE_2025):
        for region, hired in ((r14, 40_000), (r01, 10_000)):
            rows.append(CostEntry(region=region, period=current, cost_type=CostType.HIRED, profession="doctor",
                                  care_area="primary", amount_sek=Decimal(hired)))  # fmt: skip
            rows.append(CostEntry(region=region, period=current, cost_type=CostType.OWN, care_area="primary",
                                  amount_sek=Decimal(1_000_000)))  # fmt: skip
    CostEntry.objects.bulk_create(rows)
    for region in (r14, r01):
        RegionTarget.objects.create(region=region, year=2025, share_pct=Decimal(2))
    return {"14": r14, "01": r01}


def test_forecast_of_flat_figures(flat: dict[str, Region]) -> None:
    result = outlook.forecast()
    off = outlook.current_year(result["regions"]["14"])
    assert off["year"] == 2025 and off["share_pct"]["point"] == pytest.approx(4.0, abs=0.01)
    assert off["status"] == "off_track"
    assert off["reduction"]["monthly_sek"] == pytest.approx(40_000, rel=0.001)
    assert off["reduction"]["monthly_pct"] == pytest.approx(100, abs=0.1)
    on = outlook.current_year(result["regions"]["01"])
    assert on["status"] == "on_track" and on["reduction"]["monthly_sek"] == 0
    assert [code for code, _name, _year in outlook.regions_at_risk(result)] == ["14"]


def test_region_dashboard_outlook_for_the_region_and_the_nation_only(
    world: dict[str, Any], flat: dict[str, Region]
) -> None:
    url = reverse("followup:region_dashboard", args=["14"])
    steering = make_user("styr.a", scope=Scope.REGION, region=world["region_a"], roles=(Role.STEERING_GROUP,))
    for user in (steering, world["coordinator"]):
        html = client_for(user).get(url).content.decode()
        assert 'id="outlook-heading"' in html and 'id="block-forecast"' in html
        assert "Off track" in html and "40,000 kr a month" in html
        assert "How the forecast is made" in html
    # Region 01's users see region 14's published figures, never its forecast.
    other = make_user("ctrl.b", scope=Scope.REGION, region=world["region_b"], roles=(Role.CONTROLLER,))
    publish(JUNE_2025, world["coordinator"])
    response = client_for(other).get(url)
    assert response.status_code == 200
    assert 'id="block-forecast"' not in response.content.decode()
    refused = client_for(other).get(
        reverse("followup:download"),
        {"region": "14", "month": "2025-06", "table": "forecast", "format": "csv"},
    )
    assert refused.status_code == 404
    download = client_for(steering).get(
        reverse("followup:download"),
        {"region": "14", "month": "2025-06", "table": "forecast", "format": "csv"},
    )
    body = download.content.decode("utf-8-sig")
    assert download.status_code == 200 and "2025-07" in body and "2026-12" in body
    # A past month shows no forecast (it starts from the latest figures).
    assert 'id="block-forecast"' not in client_for(steering).get(url, {"month": "2025-03"}).content.decode()


def test_action_plan_link_when_off_track(world: dict[str, Any], flat: dict[str, Region]) -> None:
    url = reverse("followup:region_dashboard", args=["14"])
    admin = make_user("admin14", scope=Scope.REGION, region=world["region_a"], roles=(Role.REGION_ADMIN,))
    reader = make_user("las.a", scope=Scope.REGION, region=world["region_a"], roles=(Role.READER,))
    assert reverse("governance:plan_create") in client_for(admin).get(url).content.decode()
    assert reverse("governance:plan_create") not in client_for(reader).get(url).content.decode()
    plan = ActionPlan.objects.create(region=flat["14"], name="Plan 2025", starts_on=datetime.date(2025, 1, 1))
    html = client_for(reader).get(url).content.decode()
    assert reverse("governance:plan_detail", args=[plan.pk]) in html and "Plan 2025" in html
    # Region 01 is on track: no link.
    on_track = make_user("admin01", scope=Scope.REGION, region=world["region_b"], roles=(Role.REGION_ADMIN,))
    page = client_for(on_track).get(reverse("followup:region_dashboard", args=["01"])).content.decode()
    assert 'id="outlook-heading"' in page and reverse("governance:plan_create") not in page


def test_national_dashboard_lists_regions_at_risk(world: dict[str, Any], flat: dict[str, Region]) -> None:
    html = client_for(world["coordinator"]).get(reverse("followup:dashboard")).content.decode()
    assert 'id="block-regions_outlook"' in html
    table = html[html.index('id="table-regions_outlook"') :]
    assert table.index("14 ") < table.index("01 ")  # off track first


def test_start_pages(world: dict[str, Any], flat: dict[str, Region]) -> None:
    steering = make_user("styr.a", scope=Scope.REGION, region=world["region_a"], roles=(Role.STEERING_GROUP,))
    html = client_for(steering).get(reverse("start")).content.decode()
    assert 'id="outlook-notice-heading"' in html and "Off track" in html
    orderer = make_user("best.a", scope=Scope.REGION, region=world["region_a"], roles=(Role.ORDERER,))
    assert 'id="outlook-notice-heading"' not in client_for(orderer).get(reverse("start")).content.decode()
    national = client_for(world["coordinator"]).get(reverse("start")).content.decode()
    notice = national[national.index('id="outlook-notice-heading"') :]
    assert "14 " in notice[:2000] and "01 " not in notice[: notice.index("</section>")]


def test_sub_goal_shows_its_forecast(world: dict[str, Any], flat: dict[str, Region]) -> None:
    plan = ActionPlan.objects.create(region=flat["14"], name="Plan", starts_on=datetime.date(2025, 1, 1))
    measure = PlanMeasure.objects.create(plan=plan, measure=Measure.objects.first(), owner="HR",
                                         starts_on=datetime.date(2025, 1, 1))  # fmt: skip
    SubGoal.objects.create(plan_measure=measure, description="3 % by December", due_on=datetime.date(2025, 12, 31),
                           indicator=GoalIndicator.SHARE_PCT, target_value=Decimal(3))  # fmt: skip
    steering = make_user("styr.a", scope=Scope.REGION, region=world["region_a"], roles=(Role.STEERING_GROUP,))
    html = client_for(steering).get(reverse("governance:plan_detail", args=[plan.pk])).content.decode()
    assert "Forecast at the due month" in html
    row = html[html.index("3 % by December") :]
    assert "4.00" in row[: row.index("</tr>")]
