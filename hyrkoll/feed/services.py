"""Recording feed events: :func:`record`, called by the workflow steps inside their transaction.

The feed imports no workflow module; the workflow imports this function. An event is written in
the step's own transaction, so it exists exactly when the step commits (a step that raises and
rolls back leaves no event). It gets its feed position only after commit
(:mod:`hyrkoll.feed.positions`).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone

from hyrkoll.feed.models import FeedEvent, FeedKind

__all__ = ["FeedKind", "record", "record_to_suppliers"]

# The objects an event may point at: model label → (object type in the feed, API detail route).
OBJECT_TYPES: dict[str, tuple[str, str]] = {
    "ordering.need": ("need", "api-need-detail"),
    "ordering.calloff": ("call_off", "api-call-off-detail"),
    "ordering.offer": ("offer", "api-offer-detail"),
    "assignments.timereport": ("time_report", "api-time-report-detail"),
    "invoicing.invoice": ("invoice", "api-invoice-detail"),
}


def record(
    kind: str,
    obj: models.Model,
    *,
    region_id: int | None = None,
    supplier_id: int | None = None,
    decision_level: int | None = None,
    data: dict[str, Any] | None = None,
) -> FeedEvent:
    """Record that ``kind`` happened to ``obj``, addressed to a region and/or a supplier.

    Must run inside the step's ``transaction.atomic()``; ``data`` is a small JSON object
    (references, amounts, reasons) for the receiving system.
    """
    _require_transaction()
    if region_id is None and supplier_id is None:
        raise ValueError("A feed event is addressed to a region or a supplier.")
    return FeedEvent.objects.create(**_fields(kind, obj, region_id, supplier_id, decision_level, data))


def record_to_suppliers(
    kind: str, obj: models.Model, supplier_ids: Iterable[int], *, data: dict[str, Any] | None = None
) -> list[FeedEvent]:
    """:func:`record` once for each supplier, written in one statement (a call-off goes to some
    fifty suppliers at once; one INSERT each was a quarter of the approval's queries)."""
    _require_transaction()
    fields = _fields(kind, obj, None, None, None, data)
    return FeedEvent.objects.bulk_create(FeedEvent(**{**fields, "supplier_id": pk}) for pk in supplier_ids)


def _require_transaction() -> None:
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("feed.record() must run inside the workflow step's transaction.")


def _fields(
    kind: str,
    obj: models.Model,
    region_id: int | None,
    supplier_id: int | None,
    decision_level: int | None,
    data: dict[str, Any] | None,
) -> dict[str, Any]:
    object_type, route = OBJECT_TYPES[obj._meta.label_lower]
    return {
        "kind": FeedKind(kind),
        "region_id": region_id,
        "supplier_id": supplier_id,
        "decision_level": decision_level,
        "object_type": object_type,
        "object_id": obj.pk,
        "object_url": reverse(route, args=[obj.pk]),
        "data": data or {},
        "occurred_at": timezone.now(),
    }
