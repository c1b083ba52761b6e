"""The Python ``<select>`` (hyrkoll.core.form_renderer) writes exactly what Django's templates write."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy

from hyrkoll.core.form_renderer import FormRenderer
from hyrkoll.organisation.models import Region

CHOICES: list[Any] = [
    ("", "All"),
    ("a", "Plain"),
    ("<b>", 'Needs "escaping" & <more>'),
    (3, 2024),
    ("lazy", gettext_lazy("Swedish")),
    ("safe", mark_safe("<em>safe</em>")),
    ("Group & co", [("g1", "In a group"), ("g2", dt.date(2026, 1, 2))]),
]


class SelectForm(forms.Form):
    plain = forms.ChoiceField(choices=CHOICES, required=False)
    required = forms.ChoiceField(choices=CHOICES, help_text="Help")
    many = forms.MultipleChoiceField(choices=CHOICES, required=False)
    flagged = forms.ChoiceField(
        choices=CHOICES,
        required=False,
        widget=forms.Select(attrs={"class": 'x"y', "disabled": True, "data-off": False, "data-n": 5}),
    )
    yes_no = forms.NullBooleanField(required=False)


@pytest.mark.parametrize(
    "data",
    [
        None,
        {"plain": "<b>", "required": "g2", "many": ["a", "g1"], "flagged": "3", "yes_no": "true"},
        {"plain": "x"},
    ],
)
def test_select_as_the_templates_write_it(data: dict[str, Any] | None) -> None:
    fast, slow = SelectForm(data, renderer=FormRenderer()), SelectForm(data, renderer=DjangoTemplates())
    if data:
        fast.is_valid(), slow.is_valid()
    for name in SelectForm.base_fields:
        assert str(fast[name]) == str(slow[name]), name
    assert str(fast) == str(slow)


@pytest.mark.django_db
def test_model_choices_as_the_templates_write_them() -> None:
    class RegionForm(forms.Form):
        region = forms.ModelChoiceField(Region.objects.order_by("name"), required=False, empty_label="All")

    Region.objects.get_or_create(code="98", defaults={"name": 'Region <Test> & "co"'})
    fast, slow = RegionForm(renderer=FormRenderer()), RegionForm(renderer=DjangoTemplates())
    assert "&lt;Test&gt;" in str(fast["region"])
    assert str(fast["region"]) == str(slow["region"])
    region = Region.objects.get(code="98")
    chosen = RegionForm({"region": region.pk}, renderer=FormRenderer())
    assert str(chosen["region"]) == str(
        RegionForm({"region": region.pk}, renderer=DjangoTemplates())["region"]
    )
    assert " selected>" in str(chosen["region"])


def test_an_option_with_its_own_template_goes_through_the_templates() -> None:
    class OwnOption(forms.Select):
        option_template_name = "django/forms/widgets/input.html"

    field = forms.ChoiceField(choices=[("a", "A")], widget=OwnOption)
    fast = forms.Form(renderer=FormRenderer())
    slow = forms.Form(renderer=DjangoTemplates())
    fast.fields["f"], slow.fields["f"] = field, field
    assert str(fast["f"]) == str(slow["f"])
    assert "<input" in str(fast["f"])
