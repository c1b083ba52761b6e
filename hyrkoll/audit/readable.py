"""An audit event's changes as people read them: the field's name (not ``level_id``), a choice's
label (not ``late_delivery``), yes/no, and times in local time (the JSON holds them in UTC)."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import formats, timezone
from django.utils.dateparse import parse_datetime
from django.utils.text import capfirst
from django.utils.translation import gettext as _

MISSING = "–"


def _field(model: type[models.Model] | None, key: str) -> models.Field | None:
    if model is None:
        return None
    for name in (key, key[:-3] if key.endswith("_id") else key):
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:
            continue
        return field if isinstance(field, models.Field) else None
    return None


def _text(value: Any) -> str:
    """A stored time as local time; anything else (a date is stored as YYYY-MM-DD) as it is."""
    if isinstance(value, str) and "T" in value:
        moment = parse_datetime(value)
        if moment is not None:
            if timezone.is_aware(moment):
                moment = timezone.localtime(moment)
            return formats.date_format(moment, "Y-m-d H:i")
    return str(value)


def _choice(choices: dict[Any, Any], item: Any) -> str:
    """A list item in words: its choice label, or the item itself (a JSON object or list included)."""
    if isinstance(item, (dict, list)):
        return value_text(None, item)
    return str(choices.get(item, _text(item)))


def value_text(field: models.Field | None, value: Any) -> str:
    if value is None or value == "" or value == []:
        return MISSING
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    choices = dict(field.flatchoices) if field is not None and field.choices else {}
    if isinstance(value, dict):  # a JSON field's object: its keys and values in words
        return "; ".join(f"{key}: {value_text(None, item)}" for key, item in value.items()) or MISSING
    if isinstance(value, list):
        return ", ".join(_choice(choices, item) for item in value)
    if value in choices:
        return str(choices[value])
    if isinstance(value, datetime.datetime):
        return formats.date_format(timezone.localtime(value), "Y-m-d H:i")
    return _text(value)


def readable_changes(event: Any) -> list[tuple[str, str, str]]:
    """(label, before, after) for each changed field of ``event`` (an ``AuditEvent``)."""
    model = event.content_type.model_class() if event.content_type_id else None
    rows = []
    for key, before, after in event.changed_fields():
        field = _field(model, key)
        label = capfirst(str(field.verbose_name)) if field is not None else key.replace("_", " ")
        rows.append((label, value_text(field, before), value_text(field, after)))
    return rows
