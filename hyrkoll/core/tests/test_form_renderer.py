"""The Python ``<select>`` (hyrkoll.core.form_renderer) writes exactly what Django's templates write."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy

from hyrkoll.core.form_renderer import INPUT_TEMPLATES, FormRenderer
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


class InputForm(forms.Form):
    text = forms.CharField(required=False, max_length=10, help_text="Help")
    needed = forms.CharField()
    number = forms.DecimalField(required=False, min_value=0)
    email = forms.EmailField(required=False)
    day = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    when = forms.DateTimeField(required=False)
    at = forms.TimeField(required=False)
    secret = forms.CharField(required=False, widget=forms.PasswordInput(render_value=True))
    hidden = forms.CharField(required=False, widget=forms.HiddenInput)
    upload = forms.FileField(required=False)
    agreed = forms.BooleanField(required=False)
    url = forms.URLField(
        required=False,
        assume_scheme="https",
        widget=forms.URLInput(attrs={"data-x": '<"&>', "readonly": True}),
    )


@pytest.mark.parametrize(
    "data",
    [
        None,
        {"text": '<b>"x"&', "number": "0", "email": "a@b.se", "day": "2026-01-02", "agreed": "on"},
        {
            "text": "much too long text",
            "needed": "",
            "number": "-1",
            "day": "no",
            "secret": "s<",
            "hidden": "0",
        },
    ],
)
def test_inputs_as_the_templates_write_them(data: dict[str, Any] | None) -> None:
    initial = {"when": dt.datetime(2026, 1, 2, 3, 4), "at": dt.time(5, 6), "number": 1234.5}
    fast = InputForm(data, initial=initial, renderer=FormRenderer())
    slow = InputForm(data, initial=initial, renderer=DjangoTemplates())
    if data:
        fast.is_valid(), slow.is_valid()
    for name in InputForm.base_fields:
        assert str(fast[name]) == str(slow[name]), name
    assert str(fast) == str(slow)


def test_the_input_templates_are_only_the_include() -> None:
    """A Django upgrade that gives one of these widgets markup of its own fails here."""
    engine = DjangoTemplates().engine
    for name in INPUT_TEMPLATES - {"django/forms/widgets/input.html"}:
        source = engine.get_template(name).template.source
        assert source == '{% include "django/forms/widgets/input.html" %}\n', name
