"""The audit trail as people read it: field names, choice labels, yes/no and local times."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone, translation

from hyrkoll.audit.models import AuditAction, AuditEvent
from hyrkoll.compliance.models import SupplierDeviation


@pytest.mark.django_db
def test_changes_read_as_words(world: dict[str, Any]) -> None:
    moment = datetime.datetime(2026, 6, 1, 10, 0, tzinfo=datetime.UTC)  # 12:00 in Stockholm (summer)
    event = AuditEvent(
        actor=world["coordinator"],
        actor_name="coordinator",
        action=AuditAction.UPDATE,
        content_type=ContentType.objects.get_for_model(SupplierDeviation),
        object_id="1",
        object_repr="Avvikelse",
        before={"kind": "late_delivery", "withdrawn_at": None},
        after={"kind": "other", "withdrawn_at": moment.isoformat()},
    )
    with translation.override("en"), timezone.override("Europe/Stockholm"):
        rows = {label: (before, after) for label, before, after in event.readable_changes()}
    assert rows == {"Kind": ("Late delivery", "Other"), "Withdrawn at": ("–", "2026-06-01 12:00")}


def test_json_objects_and_lists_of_objects_read_as_words() -> None:
    """A JSON field's object (or a list of them) in the trail: words, not a 500 (found by the load
    benchmark on generated data: ``value in choices`` on a dict)."""
    from hyrkoll.audit.readable import value_text

    class WithChoices:
        choices = [("a", "Alpha")]
        flatchoices = choices

    with translation.override("en"):
        assert value_text(None, {"week": "2025-W10", "hours": 40}) == "week: 2025-W10; hours: 40"
        assert value_text(WithChoices(), {"kind": "a"}) == "kind: a"  # type: ignore[arg-type]
        assert value_text(WithChoices(), ["a", {"x": 1}]) == "Alpha, x: 1"  # type: ignore[arg-type]
        assert value_text(None, {}) == "–"
