"""Writing the audit trail."""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, router
from django.db.models.deletion import Collector
from django.db.models.fields.files import FieldFile

from hyrkoll.audit.models import AuditAction, AuditEvent

_ENCODER = DjangoJSONEncoder()


def _plain(value: Any) -> Any:
    """A JSON-safe form of a field value (dates, decimals and UUIDs as strings)."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, FieldFile):
        return value.name or ""  # the stored file's name, not its content
    return _ENCODER.default(value)


def snapshot(obj: models.Model) -> dict[str, Any]:
    """The object's concrete field values and its many-to-many ids, as JSON-safe data."""
    data: dict[str, Any] = {}
    for field in obj._meta.concrete_fields:
        if field.name == "password":
            # Never store password hashes in the trail; record only that it is set.
            data["password"] = "(set)" if getattr(obj, "password", "") else ""
            continue
        data[field.attname] = _plain(field.value_from_object(obj))
    if obj.pk is not None:
        for field in obj._meta.many_to_many:
            data[field.name] = sorted(o.pk for o in getattr(obj, field.name).all())
    return data


def _region_id_of(obj: models.Model) -> int | None:
    """The region an object belongs to, following the model's visibility path."""
    path: str | None = getattr(type(obj), "scope_region_path", None)
    if not path:
        return None
    value: Any = obj
    for part in path.split("__"):
        value = getattr(value, part, None)
        if value is None:
            return None
    return value.pk if isinstance(value, models.Model) else value


def acting_user(actor: Any) -> Any:
    """The user behind ``actor``, or None for the system (migrations, commands, anonymous)."""
    return actor if getattr(actor, "is_authenticated", False) else None


def _event(
    user: Any,
    action: str,
    obj: models.Model,
    content_type: ContentType,
    *,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
    reason: str,
    region_id: int | None,
) -> AuditEvent:
    return AuditEvent(
        actor=user,
        actor_name=user.get_username() if user else "system",
        action=action,
        content_type=content_type,
        # A deleted object has lost its pk by now; its snapshot still has it.
        object_id=str(obj.pk if obj.pk is not None else (before or {}).get("id")),
        object_repr=str(obj)[:300],
        region_id=region_id if region_id is not None else _region_id_of(obj),
        before=before,
        after=after,
        reason=reason,
    )


def record(
    actor: Any,
    action: str,
    obj: models.Model,
    *,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    reason: str = "",
    region_id: int | None = None,
) -> AuditEvent:
    """Append one event. ``actor`` is a user or ``None`` for the system (migrations, commands)."""
    if action == AuditAction.CREATE and after is None:
        after = snapshot(obj)
    if action == AuditAction.UPDATE and after is None:
        after = snapshot(obj)
    content_type = ContentType.objects.get_for_model(obj, for_concrete_model=True)
    event = _event(
        acting_user(actor),
        action,
        obj,
        content_type,
        before=before,
        after=after,
        reason=reason,
        region_id=region_id,
    )
    event.save()
    return event


def record_many(
    actor: Any,
    action: str,
    objects: list[models.Model],
    after: Any,
    reason: str = "",
) -> list[AuditEvent]:
    """Append one event per object in a single insert (a file of many invoices); ``after(obj)``
    gives each event's data."""
    if not objects:
        return []
    user = acting_user(actor)
    content_type = ContentType.objects.get_for_model(objects[0], for_concrete_model=True)
    events = [
        _event(user, action, obj, content_type, before=None, after=after(obj), reason=reason, region_id=None)
        for obj in objects
    ]
    return AuditEvent.objects.bulk_create(events, batch_size=1000)


def record_deletion(actor: Any, obj: models.Model, reason: str = "") -> list[AuditEvent]:
    """Record the deletion of ``obj`` and of every row that the delete cascades to.

    Call it before deleting: it asks Django's deletion collector what will go, so rows removed by
    ``on_delete=CASCADE`` (e.g. a price list's prices) are in the trail too.
    """
    collector = Collector(using=router.db_for_write(type(obj)))
    collector.collect([obj])
    doomed: list[models.Model] = [instance for instances in collector.data.values() for instance in instances]
    for queryset in collector.fast_deletes:
        doomed.extend(queryset)
    return [record(actor, AuditAction.DELETE, o, before=snapshot(o), reason=reason) for o in doomed]


def history(obj: models.Model) -> models.QuerySet[AuditEvent]:
    return AuditEvent.objects.filter(
        content_type=ContentType.objects.get_for_model(obj, for_concrete_model=True), object_id=str(obj.pk)
    ).select_related("content_type", "actor")
