"""Writing the organisation over the API: the region administrator's own region, the web form's
rules, the audit trail; everyone else refused and nothing stored."""

from __future__ import annotations

from typing import Any

import pytest
from rest_framework.test import APIClient

from hyrkoll.accounts.models import User
from hyrkoll.audit.models import AuditAction, AuditEvent
from hyrkoll.organisation.models import Municipality, OrgUnit

pytestmark = pytest.mark.django_db

URL = "/api/v1/org-units/"


def api(user: User) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def care_unit(world: dict[str, Any], **overrides: Any) -> dict[str, Any]:
    municipality = Municipality.objects.filter(region=world["region_a"]).order_by("code").last()
    assert municipality is not None
    payload: dict[str, Any] = {
        "kind": "care_unit",
        "parent": world["units_a"]["department"].pk,
        "code": "A-NEW",
        "name": "Vårdcentralen Norr",
        "municipality": municipality.code,
        "care_area": "primary",
    }
    payload.update(overrides)
    return payload


def audit_events(unit_pk: int, action: str) -> list[AuditEvent]:
    return [e for e in AuditEvent.objects.filter(action=action) if str(e.object_id) == str(unit_pk)]


def test_the_region_admin_creates_a_unit_with_its_audit(world: dict[str, Any]) -> None:
    response = api(world["admin_a"]).post(URL, care_unit(world), format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    unit = OrgUnit.objects.get(code="A-NEW")
    assert body["id"] == unit.pk and body["region"] == "14" and body["kind"] == "care_unit"
    assert body["parent"] == world["units_a"]["department"].pk and body["care_area"] == "primary"
    assert body["is_active"] is True and body["zone"] in (1, 2, 3)
    assert set(body) == {
        "id",
        "region",
        "parent",
        "kind",
        "code",
        "name",
        "municipality",
        "zone",
        "care_area",
        "is_active",
    }
    events = audit_events(unit.pk, AuditAction.CREATE)
    assert len(events) == 1 and events[0].actor == world["admin_a"]


def test_the_region_admin_changes_a_unit_with_its_audit(world: dict[str, Any]) -> None:
    unit = world["units_a"]["care_unit"]
    response = api(world["admin_a"]).patch(f"{URL}{unit.pk}/", {"name": "Nytt namn"}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["name"] == "Nytt namn" and response.json()["code"] == unit.code
    unit.refresh_from_db()
    assert unit.name == "Nytt namn" and unit.is_active and unit.care_area.code == "primary"
    (event,) = audit_events(unit.pk, AuditAction.UPDATE)
    assert event.before["name"] != "Nytt namn" and event.after["name"] == "Nytt namn"
    deactivated = api(world["admin_a"]).patch(f"{URL}{unit.pk}/", {"is_active": False}, format="json")
    assert deactivated.status_code == 200 and deactivated.json()["is_active"] is False


def test_others_are_refused(world: dict[str, Any]) -> None:
    unit = world["units_a"]["care_unit"]
    for user in (world["orderer_a"], world["coordinator"], world["supplier_user_a"]):
        assert api(user).post(URL, care_unit(world), format="json").status_code == 403
    # Who sees the unit but may not change it: 403; who cannot see it (another region, a supplier): 404.
    for user in (world["orderer_a"], world["coordinator"]):
        assert api(user).patch(f"{URL}{unit.pk}/", {"name": "X"}, format="json").status_code == 403
    for user in (world["admin_b"], world["supplier_user_a"]):
        assert api(user).patch(f"{URL}{unit.pk}/", {"name": "X"}, format="json").status_code == 404
    # The region B admin creates in region B only; a parent of region A is not a choice.
    response = api(world["admin_b"]).post(URL, care_unit(world), format="json")
    assert response.status_code == 400 and "parent" in response.json()
    unit.refresh_from_db()
    assert unit.name != "X" and not OrgUnit.objects.filter(code="A-NEW").exists()
    assert not AuditEvent.objects.filter(action__in=[AuditAction.CREATE, AuditAction.UPDATE]).exists()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"code": "A-3"}, "code"),  # the region already has it
        ({"municipality": None}, "municipality"),  # a care unit needs one
        ({"municipality": "0180"}, "municipality"),  # Stockholm: another region
        ({"municipality": "9999"}, "municipality"),
        ({"care_area": ""}, "care_area"),
        ({"kind": "administration"}, "parent"),  # an administration has no parent
        ({"kind": "galaxy"}, "kind"),
        ({"name": ""}, "name"),
    ],
)
def test_invalid_input_names_the_field_and_stores_nothing(
    world: dict[str, Any], overrides: dict[str, Any], field: str
) -> None:
    count = OrgUnit.objects.count()
    response = api(world["admin_a"]).post(URL, care_unit(world, **overrides), format="json")
    assert response.status_code == 400, response.content
    assert field in response.json(), response.json()
    assert OrgUnit.objects.count() == count
    assert not AuditEvent.objects.filter(action=AuditAction.CREATE).exists()


def test_an_invalid_change_stores_nothing(world: dict[str, Any]) -> None:
    department = world["units_a"]["department"]
    # Care units are under the department: it cannot become a care unit itself.
    response = api(world["admin_a"]).patch(
        f"{URL}{department.pk}/", {"kind": "care_unit", "name": "Ändrad"}, format="json"
    )
    assert response.status_code == 400 and "kind" in response.json(), response.content
    department.refresh_from_db()
    assert department.kind == "department" and department.name != "Ändrad"
    assert not AuditEvent.objects.filter(action=AuditAction.UPDATE).exists()


def test_put_is_not_offered(world: dict[str, Any]) -> None:
    unit = world["units_a"]["care_unit"]
    response = api(world["admin_a"]).put(f"{URL}{unit.pk}/", care_unit(world), format="json")
    assert response.status_code == 405
