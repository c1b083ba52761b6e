"""Catalogue, national overview and action plans: CRUD with audit, bad input refused with nothing
changed, region isolation, the share beside the target, downloads."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from conftest import make_user
from hyrkoll.accounts.models import Role, Scope
from hyrkoll.audit.models import AuditAction, AuditEvent
from hyrkoll.followup.models import CostEntry
from hyrkoll.governance.models import ActionPlan, Effect, GoalIndicator, Measure, PlanMeasure, SubGoal

pytestmark = pytest.mark.django_db

START = datetime.date(2025, 1, 1)


def make_plan(region: Any, name: str = "Plan", starts_on: datetime.date = START) -> ActionPlan:
    return ActionPlan.objects.create(region=region, name=name, starts_on=starts_on)


def add_measure(plan: ActionPlan, measure: Measure, **fields: Any) -> PlanMeasure:
    values: dict[str, Any] = {"owner": "HR-direktör", "starts_on": plan.starts_on}
    values.update(fields)
    return PlanMeasure.objects.create(plan=plan, measure=measure, **values)


@pytest.fixture
def gov(world: dict[str, Any]) -> dict[str, Any]:
    cast = dict(world)
    a, b = world["region_a"], world["region_b"]
    cast["steering_a"] = make_user("styr.a", scope=Scope.REGION, region=a, roles=(Role.STEERING_GROUP,))
    cast["controller_a"] = make_user("ctrl.a", scope=Scope.REGION, region=a, roles=(Role.CONTROLLER,))
    cast["reader_a"] = make_user("reader.a", scope=Scope.REGION, region=a, roles=(Role.READER,))
    cast["steering_b"] = make_user("styr.b", scope=Scope.REGION, region=b, roles=(Role.STEERING_GROUP,))
    cast["national_reader"] = make_user("nat.reader", scope=Scope.NATIONAL, roles=(Role.NATIONAL_READER,))
    cast["plan_a"] = make_plan(a, "Plan A")
    cast["plan_b"] = make_plan(b, "Plan B")
    cast["measures"] = list(Measure.objects.order_by("pk"))
    return cast


def _audited(obj: Any, action: str) -> bool:
    return AuditEvent.objects.filter(object_id=str(obj.pk), action=action).exists()


def test_catalogue_is_seeded_and_coordinator_edits_it(client: Any, gov: dict[str, Any]) -> None:
    assert len(gov["measures"]) >= 9
    client.force_login(gov["reader_a"])
    page = client.get(reverse("governance:catalogue"))
    assert page.status_code == 200 and "Interna bemanningspooler" in page.content.decode()
    assert client.get(reverse("governance:measure_create")).status_code == 403
    client.force_login(gov["coordinator"])
    response = client.post(
        reverse("governance:measure_create"),
        {"heading": "recruitment", "name": "Mentorprogram", "description": "", "is_active": "on"},
    )
    assert response.status_code == 302
    measure = Measure.objects.get(name="Mentorprogram")
    assert _audited(measure, AuditAction.CREATE)
    response = client.post(
        reverse("governance:measure_edit", args=[measure.pk]),
        {"heading": "recruitment", "name": "Mentorprogram för nyanställda", "is_active": "on"},
    )
    assert response.status_code == 302 and _audited(measure, AuditAction.UPDATE)


def test_supplier_is_refused(client: Any, gov: dict[str, Any]) -> None:
    client.force_login(gov["supplier_user_a"])
    for name in ("catalogue", "overview", "plans"):
        assert client.get(reverse(f"governance:{name}")).status_code == 403
    assert client.get(reverse("governance:plan_detail", args=[gov["plan_a"].pk])).status_code == 403


def test_plan_crud_audited(client: Any, gov: dict[str, Any]) -> None:
    client.force_login(gov["steering_a"])
    response = client.post(
        reverse("governance:plan_create"),
        {"name": "Ny plan", "starts_on": "2025-03-01", "adopted_by": "Regionstyrelsen"},
    )
    assert response.status_code == 302
    plan = ActionPlan.objects.get(name="Ny plan")
    assert plan.region == gov["region_a"] and _audited(plan, AuditAction.CREATE)
    client.post(
        reverse("governance:plan_edit", args=[plan.pk]), {"name": "Ny plan 2", "starts_on": "2025-03-01"}
    )
    plan.refresh_from_db()
    assert plan.name == "Ny plan 2" and _audited(plan, AuditAction.UPDATE)

    measure = gov["measures"][0]
    response = client.post(
        reverse("governance:plan_measure_create", args=[plan.pk]),
        {"measure": measure.pk, "owner": "HR", "starts_on": "2025-04-01", "status": "ongoing"},
    )
    assert response.status_code == 302
    pm = PlanMeasure.objects.get(plan=plan)
    assert _audited(pm, AuditAction.CREATE)
    response = client.post(
        reverse("governance:plan_measure_effect", args=[pm.pk]),
        {"status": "done", "effect": "positive", "effect_comment": "Färre avrop"},
    )
    pm.refresh_from_db()
    assert pm.effect == Effect.POSITIVE and _audited(pm, AuditAction.UPDATE)

    response = client.post(
        reverse("governance:sub_goal_create", args=[pm.pk]),
        {
            "description": "Andel under 3 %",
            "due_on": "2026-12-31",
            "indicator": "share_pct",
            "target_value": "3.0",
        },
    )
    assert response.status_code == 302
    goal = SubGoal.objects.get(plan_measure=pm)
    assert goal.target_value == Decimal("3.00") and _audited(goal, AuditAction.CREATE)
    client.post(
        reverse("governance:sub_goal_edit", args=[goal.pk]),
        {
            "description": "Andel under 2,5 %",
            "due_on": "2026-12-31",
            "indicator": "share_pct",
            "target_value": "2.5",
        },
    )
    goal.refresh_from_db()
    assert goal.target_value == Decimal("2.50") and _audited(goal, AuditAction.UPDATE)


@pytest.mark.parametrize("who", ["admin_a", "controller_a"])
def test_admins_and_controllers_change_the_plan(client: Any, gov: dict[str, Any], who: str) -> None:
    client.force_login(gov[who])
    url = reverse("governance:plan_edit", args=[gov["plan_a"].pk])
    assert client.post(url, {"name": "Ändrad", "starts_on": "2025-01-01"}).status_code == 302


def test_reader_reads_but_does_not_change(client: Any, gov: dict[str, Any]) -> None:
    client.force_login(gov["reader_a"])
    plan = gov["plan_a"]
    assert client.get(reverse("governance:plan_detail", args=[plan.pk])).status_code == 200
    assert client.post(reverse("governance:plan_edit", args=[plan.pk]), {"name": "X"}).status_code == 403
    assert client.get(reverse("governance:plan_create")).status_code == 403
    pm = add_measure(plan, gov["measures"][0])
    assert client.post(reverse("governance:plan_measure_effect", args=[pm.pk]), {}).status_code == 403
    plan.refresh_from_db()
    assert plan.name == "Plan A"


def test_other_region_gets_404(client: Any, gov: dict[str, Any]) -> None:
    client.force_login(gov["steering_b"])
    plan = gov["plan_a"]
    pm = add_measure(plan, gov["measures"][0])
    goal = SubGoal.objects.create(plan_measure=pm, description="x", due_on=START)
    for url in (
        reverse("governance:plan_detail", args=[plan.pk]),
        reverse("governance:plan_edit", args=[plan.pk]),
        reverse("governance:plan_measure_create", args=[plan.pk]),
        reverse("governance:plan_measure_edit", args=[pm.pk]),
        reverse("governance:plan_measure_effect", args=[pm.pk]),
        reverse("governance:sub_goal_create", args=[pm.pk]),
        reverse("governance:sub_goal_edit", args=[goal.pk]),
    ):
        assert client.get(url).status_code == 404, url
        assert client.post(url, {"name": "hijack"}).status_code == 404, url
    listing = client.get(reverse("governance:plans")).content.decode()
    assert "Plan B" in listing and "Plan A" not in listing


def test_national_reads_every_plan_but_changes_none(client: Any, gov: dict[str, Any]) -> None:
    client.force_login(gov["national_reader"])
    listing = client.get(reverse("governance:plans")).content.decode()
    assert "Plan A" in listing and "Plan B" in listing
    filtered = client.get(reverse("governance:plans"), {"region": "01"}).content.decode()
    assert "Plan B" in filtered and "Plan A" not in filtered
    assert client.get(reverse("governance:plan_detail", args=[gov["plan_a"].pk])).status_code == 200
    assert client.post(reverse("governance:plan_edit", args=[gov["plan_a"].pk]), {}).status_code == 403


# --- bad input: refused with a clear message, nothing changed -----------------------------------------------


def test_sub_goal_before_plan_start_refused(client: Any, gov: dict[str, Any]) -> None:
    pm = add_measure(gov["plan_a"], gov["measures"][0])
    client.force_login(gov["steering_a"])
    before = AuditEvent.objects.count()
    response = client.post(
        reverse("governance:sub_goal_create", args=[pm.pk]),
        {"description": "För tidigt", "due_on": "2024-12-31", "indicator": "", "target_value": ""},
    )
    assert response.status_code == 200
    assert "cannot be due before the plan starts" in response.content.decode()
    assert not SubGoal.objects.exists() and AuditEvent.objects.count() == before


def test_share_goal_needs_a_target(client: Any, gov: dict[str, Any]) -> None:
    pm = add_measure(gov["plan_a"], gov["measures"][0])
    client.force_login(gov["steering_a"])
    response = client.post(
        reverse("governance:sub_goal_create", args=[pm.pk]),
        {"description": "Andel", "due_on": "2026-01-01", "indicator": "share_pct", "target_value": ""},
    )
    assert "Give the target value" in response.content.decode() and not SubGoal.objects.exists()


def test_measure_before_plan_start_refused(client: Any, gov: dict[str, Any]) -> None:
    client.force_login(gov["steering_a"])
    before = AuditEvent.objects.count()
    response = client.post(
        reverse("governance:plan_measure_create", args=[gov["plan_a"].pk]),
        {"measure": gov["measures"][0].pk, "owner": "HR", "starts_on": "2024-06-01", "status": "planned"},
    )
    assert response.status_code == 200
    assert "cannot start before the plan" in response.content.decode()
    assert not PlanMeasure.objects.exists() and AuditEvent.objects.count() == before


def test_org_unit_of_another_region_refused(client: Any, gov: dict[str, Any]) -> None:
    client.force_login(gov["steering_a"])
    response = client.post(
        reverse("governance:plan_measure_create", args=[gov["plan_a"].pk]),
        {
            "measure": gov["measures"][0].pk,
            "owner": "HR",
            "org_unit": gov["units_b"]["department"].pk,
            "starts_on": "2025-02-01",
            "status": "planned",
        },
    )
    assert response.status_code == 200
    assert "Choose a unit of the plan" in response.content.decode()
    assert not PlanMeasure.objects.exists()
    # The model refuses it too (e.g. through the admin).
    pm = PlanMeasure(
        plan=gov["plan_a"],
        measure=gov["measures"][0],
        owner="x",
        starts_on=START,
        org_unit=gov["units_b"]["department"],
    )
    with translation.override("en"), pytest.raises(ValidationError, match="another region"):
        pm.full_clean()


@pytest.mark.parametrize("scoped", [False, True])
def test_duplicate_measure_for_the_same_scope_refused(client: Any, gov: dict[str, Any], scoped: bool) -> None:
    unit = gov["units_a"]["department"] if scoped else None
    existing = add_measure(gov["plan_a"], gov["measures"][0], org_unit=unit)
    client.force_login(gov["steering_a"])
    data = {"measure": existing.measure_id, "owner": "HR", "starts_on": "2025-02-01", "status": "planned"}
    if unit:
        data["org_unit"] = unit.pk
    response = client.post(reverse("governance:plan_measure_create", args=[gov["plan_a"].pk]), data)
    assert response.status_code == 200
    assert "already has this measure for this scope" in response.content.decode()
    assert PlanMeasure.objects.count() == 1
    # Another scope is fine.
    data["org_unit"] = gov["units_a"]["care_unit"].pk
    assert (
        client.post(reverse("governance:plan_measure_create", args=[gov["plan_a"].pk]), data).status_code
        == 302
    )


def test_plan_start_cannot_move_after_its_measures(client: Any, gov: dict[str, Any]) -> None:
    add_measure(gov["plan_a"], gov["measures"][0])
    client.force_login(gov["steering_a"])
    response = client.post(
        reverse("governance:plan_edit", args=[gov["plan_a"].pk]),
        {"name": "Plan A", "starts_on": "2025-06-01"},
    )
    assert response.status_code == 200
    gov["plan_a"].refresh_from_db()
    assert gov["plan_a"].starts_on == START


# --- overview -------------------------------------------------------------------------------------------------


def test_overview_counts_regions_and_effects(client: Any, gov: dict[str, Any]) -> None:
    measure, other = gov["measures"][0], gov["measures"][1]
    add_measure(gov["plan_a"], measure, effect=Effect.POSITIVE)
    add_measure(gov["plan_a"], measure, effect=Effect.POSITIVE, org_unit=gov["units_a"]["department"])
    add_measure(gov["plan_b"], measure, effect=Effect.NEGATIVE)
    add_measure(gov["plan_b"], other)
    client.force_login(gov["reader_a"])
    from hyrkoll.governance.views_plans import overview_rows

    rows = {row["measure"].pk: row for row in overview_rows(gov["reader_a"])}
    assert rows[measure.pk]["regions"] == 2
    assert rows[measure.pk]["effects"] == [1, 0, 1, 0]  # positive, none, negative, unknown
    assert rows[other.pk]["regions"] == 1 and rows[other.pk]["effects"] == [0, 0, 0, 1]
    links = dict(rows[measure.pk]["region_links"])
    assert links["14"] and links["01"] is None  # only the own region's plan links
    page = client.get(reverse("governance:overview"))
    assert page.status_code == 200
    csv = client.get(reverse("governance:overview"), {"format": "csv"})
    text = csv.content.decode("utf-8-sig")
    assert csv["Content-Type"].startswith("text/csv")
    assert f'{measure.name},2,1,0,1,0,"01, 14"' in text.replace("\r\n", "\n")
    national = dict(
        {row["measure"].pk: row for row in overview_rows(gov["national_reader"])}[measure.pk]["region_links"]
    )
    assert national["01"] and national["14"]


# --- the share beside the target, downloads -----------------------------------------------------------------


def test_share_goal_shows_current_rolling12_value(client: Any, gov: dict[str, Any]) -> None:
    region = gov["region_a"]
    for m in range(1, 13):
        month = datetime.date(2025, m, 1)
        CostEntry.objects.create(region=region, period=month, cost_type="own", amount_sek=Decimal(1000))
        CostEntry.objects.create(region=region, period=month, cost_type="hired", amount_sek=Decimal(50))
    pm = add_measure(gov["plan_a"], gov["measures"][0])
    SubGoal.objects.create(
        plan_measure=pm,
        description="Andel",
        due_on=datetime.date(2026, 12, 31),
        indicator=GoalIndicator.SHARE_PCT,
        target_value=Decimal("3.00"),
    )
    client.force_login(gov["reader_a"])
    page = client.get(reverse("governance:plan_detail", args=[gov["plan_a"].pk])).content.decode()
    assert "5.00" in page or "5,00" in page
    assert "2025-12" in page


def test_plan_downloads(client: Any, gov: dict[str, Any]) -> None:
    pm = add_measure(gov["plan_a"], gov["measures"][0], owner="Ägaren")
    SubGoal.objects.create(plan_measure=pm, description="Delmålet", due_on=datetime.date(2026, 1, 1))
    client.force_login(gov["reader_a"])
    url = reverse("governance:plan_detail", args=[gov["plan_a"].pk])
    text = client.get(url, {"format": "csv"}).content.decode("utf-8-sig")
    assert "Ägaren" in text and "Delmålet" in text
    response = client.get(url, {"format": "xlsx"})
    assert response["Content-Disposition"].endswith('.xlsx"')
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(response.content))
    values = [
        cell for sheet in workbook.worksheets for row in sheet.iter_rows(values_only=True) for cell in row
    ]
    assert "Ägaren" in values and "Delmålet" in values
    catalogue = client.get(reverse("governance:catalogue"), {"format": "xlsx"})
    assert catalogue.status_code == 200 and catalogue.content[:2] == b"PK"


def test_every_form_page_renders(client: Any, gov: dict[str, Any]) -> None:
    pm = add_measure(gov["plan_a"], gov["measures"][0])
    goal = SubGoal.objects.create(plan_measure=pm, description="x", due_on=START, achieved=True)
    client.force_login(gov["steering_a"])
    for url in (
        reverse("governance:plan_create"),
        reverse("governance:plan_edit", args=[gov["plan_a"].pk]),
        reverse("governance:plan_measure_create", args=[gov["plan_a"].pk]),
        reverse("governance:plan_measure_edit", args=[pm.pk]),
        reverse("governance:plan_measure_effect", args=[pm.pk]),
        reverse("governance:sub_goal_create", args=[pm.pk]),
        reverse("governance:sub_goal_edit", args=[goal.pk]),
        reverse("governance:decision_create"),
        reverse("governance:plans"),
        reverse("governance:plan_detail", args=[gov["plan_a"].pk]),
        reverse("governance:hiring_stops"),
        reverse("governance:dispensations"),
        reverse("governance:decisions"),
    ):
        assert client.get(url).status_code == 200, url
    client.force_login(gov["coordinator"])
    assert client.get(reverse("governance:measure_create")).status_code == 200
    assert client.get(reverse("governance:measure_edit", args=[gov["measures"][0].pk])).status_code == 200
