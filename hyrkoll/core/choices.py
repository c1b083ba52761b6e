"""``get_<field>_display`` without rebuilding the field's choices on every call.

Django's ``Model._get_FIELD_display`` turns the field's choices into a new dict on every call. The
list pages call it for every row (a status, a kind), a need's page about 50 times: about 10 % of
the need pages' CPU. :func:`install` gives every Hyrkoll model field with fixed choices a
``get_<field>_display`` that builds the dict once per field; the labels in it stay lazy, so each
call still answers in the active language, exactly as Django's does.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import partialmethod
from typing import Any

from django.db import models
from django.utils.encoding import force_str
from django.utils.hashable import make_hashable

_LABELS = "_hyrkoll_choice_labels"


def _labels(field: models.Field) -> dict[Any, Any]:
    labels = field.__dict__.get(_LABELS)
    if labels is None:
        labels = dict(make_hashable(field.flatchoices))
        setattr(field, _LABELS, labels)
    return labels


def display(instance: models.Model, field: models.Field) -> Any:
    """What ``Model._get_FIELD_display`` answers, from the field's labels built once."""
    value = getattr(instance, field.attname)
    return force_str(_labels(field).get(make_hashable(value), value), strings_only=True)


def _fixed_choices(field: models.Field) -> bool:
    """Choices given as a list (not a callable evaluated anew each time)."""
    return isinstance(field.choices, (list, tuple))


def install(model_classes: Iterable[type[models.Model]]) -> int:
    """Replace Django's ``get_<field>_display`` on ``model_classes`` where the model did not write
    its own; returns how many were replaced."""
    replaced = 0
    for model in model_classes:
        for field in model._meta.get_fields():
            if not getattr(field, "choices", None) or not _fixed_choices(field):
                continue
            name = f"get_{field.name}_display"
            method = model.__dict__.get(name)
            if isinstance(method, partialmethod) and method.func is models.Model._get_FIELD_display:
                setattr(model, name, partialmethod(display, field=field))
                replaced += 1
    return replaced
