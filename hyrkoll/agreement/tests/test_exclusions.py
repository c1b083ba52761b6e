"""The coordinator maintains the specialties excluded from a sub-area, in the app."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from hyrkoll.agreement.models import ExcludedSpecialty, SubArea
from hyrkoll.audit.models import AuditAction, AuditEvent


def test_coordinator_adds_and_removes_an_exclusion(client: Any, world: dict[str, Any]) -> None:
    nurses = SubArea.objects.get(code="nurses")
    client.force_login(world["coordinator"])
    response = client.post(reverse("agreement:excluded_create", args=[nurses.pk]), {"name": "Mammografi"})
    assert response.status_code == 302
    exclusion = ExcludedSpecialty.objects.get(sub_area=nurses, name="Mammografi")
    assert AuditEvent.objects.filter(action=AuditAction.CREATE, object_id=str(exclusion.pk)).exists()

    response = client.post(reverse("agreement:excluded_remove", args=[exclusion.pk]))
    assert response.status_code == 302
    assert not ExcludedSpecialty.objects.filter(pk=exclusion.pk).exists()
    event = AuditEvent.objects.get(action=AuditAction.DELETE)
    assert event.object_id == str(exclusion.pk) and event.before["name"] == "Mammografi"


def test_duplicate_exclusion_is_refused(client: Any, world: dict[str, Any]) -> None:
    doctors = SubArea.objects.get(code="doctors")
    existing = doctors.excluded_specialties.first()
    count = ExcludedSpecialty.objects.count()
    client.force_login(world["coordinator"])
    response = client.post(
        reverse("agreement:excluded_create", args=[doctors.pk]), {"name": existing.name.upper()}
    )
    assert response.status_code == 200
    assert "name" in response.context["form"].errors
    assert ExcludedSpecialty.objects.count() == count


def test_region_admin_cannot_change_exclusions(client: Any, world: dict[str, Any]) -> None:
    doctors = SubArea.objects.get(code="doctors")
    exclusion = doctors.excluded_specialties.first()
    client.force_login(world["admin_a"])
    assert (
        client.post(reverse("agreement:excluded_create", args=[doctors.pk]), {"name": "X"}).status_code == 403
    )
    assert client.post(reverse("agreement:excluded_remove", args=[exclusion.pk])).status_code == 403
    assert ExcludedSpecialty.objects.filter(pk=exclusion.pk).exists()
    assert not ExcludedSpecialty.objects.filter(name="X").exists()
