"""``get_<field>_display`` from labels built once per field (hyrkoll.core.choices): the same answer
as Django's own for every choice of every Hyrkoll model, in both languages."""

from __future__ import annotations

from unittest import mock

import pytest
from django.apps import apps
from django.db import models
from django.test.utils import isolate_apps
from django.utils import translation

from hyrkoll.core import choices
from hyrkoll.ordering.models import Need, NeedStatus


def _choice_fields() -> list[tuple[type[models.Model], models.Field]]:
    return [
        (model, field)
        for model in apps.get_models()
        if model.__module__.startswith("hyrkoll.")
        for field in model._meta.concrete_fields
        if field.choices
    ]


def test_no_choice_field_keeps_djangos_display():
    fields = _choice_fields()
    assert len(fields) > 30  # statuses, kinds, professions … of every app
    djangos = [
        (model.__name__, field.name)
        for model, field in fields
        if getattr(model.__dict__.get(f"get_{field.name}_display"), "func", None)
        is models.Model._get_FIELD_display
    ]
    ours = [
        model
        for model, field in fields
        if getattr(model.__dict__.get(f"get_{field.name}_display"), "func", None) is choices.display
    ]
    assert djangos == []
    assert Need in ours


@pytest.mark.parametrize("language", ["sv", "en"])
def test_the_same_label_as_djangos_for_every_value_and_an_unknown_one(language):
    with translation.override(language):
        for model, field in _choice_fields():
            values = [value for value, _label in field.flatchoices] + ["no-such-value", None]
            for value in values:
                instance = model()
                setattr(instance, field.attname, value)
                ours = getattr(instance, f"get_{field.name}_display")()
                djangos = models.Model._get_FIELD_display(instance, field)
                assert ours == djangos, (model.__name__, field.name, value)


def test_the_labels_follow_the_active_language():
    need = Need(status=NeedStatus.PUBLISHED)
    with translation.override("en"):
        english = need.get_status_display()
    with translation.override("sv"):
        swedish = need.get_status_display()
    assert english == "Call-off published"
    assert swedish != english and swedish == "Avrop publicerat"


def test_the_labels_are_built_once_per_field():
    need = Need(status=NeedStatus.PUBLISHED)
    need.get_status_display()  # built (if no earlier test did)
    with mock.patch.object(choices, "make_hashable", wraps=choices.make_hashable) as hashed:
        for _ in range(5):
            need.get_status_display()
    assert hashed.call_count == 5  # the value only, never the choices again


@isolate_apps("hyrkoll.core")
def test_a_models_own_display_method_is_left_alone():
    class Own(models.Model):
        state = models.CharField(max_length=5, choices=[("a", "A")])

        class Meta:
            app_label = "core"

        def __str__(self) -> str:
            return self.state

        def get_state_display(self) -> str:
            return "own"

    assert choices.install([Own]) == 0
    assert Own(state="a").get_state_display() == "own"
