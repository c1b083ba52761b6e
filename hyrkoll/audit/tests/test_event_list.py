"""The audit trail's filters (action, kind of object, who, period, region for the national level)
and sort, on top of what the user may see."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.urls import reverse

from hyrkoll.audit.models import AuditAction, AuditEvent
from hyrkoll.organisation.models import Region


def event(world: dict[str, Any], region: Region, action: str, name: str, day: int) -> AuditEvent:
    return AuditEvent.objects.create(
        at=datetime.datetime(2026, 3, day, 10, 0, tzinfo=datetime.UTC),
        actor=world["admin_a"],
        actor_name=name,
        action=action,
        content_type=ContentType.objects.get_for_model(Region),
        object_id=str(region.pk),
        object_repr=region.name,
        region=region,
    )


def pks(client: Client, **params: Any) -> list[int]:
    response = client.get(reverse("audit:events"), params)
    assert response.status_code == 200
    return [e.pk for e in response.context["object_list"]]


def test_filters_and_sort_narrow_the_users_own_events(client: Client, world: dict[str, Any]) -> None:
    a1 = event(world, world["region_a"], AuditAction.CREATE, "anna", 1)
    a2 = event(world, world["region_a"], AuditAction.UPDATE, "bertil", 5)
    b1 = event(world, world["region_b"], AuditAction.UPDATE, "bertil", 3)
    client.force_login(world["admin_a"])
    mine = {a1.pk, a2.pk}
    assert set(pks(client)) >= mine and b1.pk not in pks(client)
    assert pks(client, action="update", actor="bert") == [a2.pk]
    assert pks(
        client, **{"from": "2026-03-02", "to": "2026-03-31", "object": world["region_a"].name[:5]}
    ) == [a2.pk]
    region_type = ContentType.objects.get_for_model(Region).pk
    assert pks(client, object_type=region_type, sort="at") == [a1.pk, a2.pk]
    assert pks(client, object_type=region_type, sort="-at") == [a2.pk, a1.pk]
    # Another region's id is no filter for a region user: nothing of region B shows.
    assert b1.pk not in pks(client, region=world["region_b"].pk)
    assert pks(client, sort="-nonsense", action="nonsense", to="31 mars")  # ignored, no error
    client.force_login(world["coordinator"])
    assert pks(client, region=world["region_b"].pk, object_type=region_type) == [b1.pk]
