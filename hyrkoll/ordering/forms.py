"""Forms of the ordering pages. They validate input only; every change goes through ``workflow``."""

from __future__ import annotations

from itertools import groupby
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from hyrkoll.agreement.forms import DATE_WIDGET
from hyrkoll.agreement.models import Competence
from hyrkoll.core.forms import UserModelForm
from hyrkoll.ordering.forms_offer import OfferForm  # noqa: F401 - the supplier's offer, re-exported
from hyrkoll.ordering.models import AttemptOutcome, DecisionOutcome, Need
from hyrkoll.ordering.queues import orderable_units
from hyrkoll.pool.models import PoolMember

TEXTAREA = forms.Textarea(attrs={"rows": 3})

OUTSIDE_FIELDS = ("outside_supplier_name", "outside_hourly_price_sek", "outside_justification")


def add_validation_error(form: forms.BaseForm, error: ValidationError) -> None:
    """Attach a model's ValidationError to the form: to its field if the form has it, else on top."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            target = field if field in form.fields else None
            for item in errors:
                form.add_error(target, item.messages)
    else:
        form.add_error(None, error.messages)


def grouped_competence_choices(competences: Any) -> list[tuple[Any, Any]]:
    """Competences grouped by profession, for a select with one group per profession."""
    choices: list[tuple[Any, Any]] = [("", "---------")]
    for profession, items in groupby(competences, key=lambda c: c.profession):
        choices.append((profession.name, [(c.pk, f"{c.name} ({c.level.name})") for c in items]))
    return choices


class NeedForm(UserModelForm):
    """The orderer's need. Unit: only the care units the orderer may order for."""

    class Meta:
        model = Need
        fields = [
            "unit",
            "profession",
            "competence",
            "starts_on",
            "ends_on",
            "hours_per_week",
            "shifts_note",
            "reason",
            "required_skills",
            "outside_agreement",
            *OUTSIDE_FIELDS,
        ]
        widgets = {
            "starts_on": DATE_WIDGET,
            "ends_on": DATE_WIDGET,
            "required_skills": TEXTAREA,
            "outside_justification": TEXTAREA,
        }
        help_texts = {
            "competence": _("Must belong to the chosen profession; decides the price level."),
            "outside_agreement": _(
                "Only as a dispensation: reviewed by the steering group and decided at the top level."
            ),
        }

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, user=user, **kwargs)
        units = orderable_units(user).select_related("municipality").order_by("name")
        self.fields["unit"].queryset = units
        if self.instance.pk is None and "unit" not in self.initial:
            only = list(units[:2])
            if len(only) == 1:
                self.initial["unit"] = only[0].pk
        competences = Competence.objects.select_related("profession", "level").order_by(
            "profession_id", "level__rank", "name"
        )
        self.fields["competence"].queryset = competences
        self.fields["competence"].choices = grouped_competence_choices(competences)
        self.fields["hours_per_week"].widget.attrs.setdefault("min", "0.5")

    @property
    def main_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.fields if not name.startswith("outside_")]

    @property
    def outside_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.fields if name.startswith("outside_")]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        unit = data.get("unit")
        if unit is not None:
            self.instance.region_id = unit.region_id
        # The model's clean() refuses a competence of another profession (checked on the server).
        if not data.get("outside_agreement"):
            # Keep the dispensation fields empty unless the purchase really is outside the agreement.
            for name in OUTSIDE_FIELDS:
                if name in data:
                    data[name] = None if name == "outside_hourly_price_sek" else ""
        return data


class CancelForm(forms.Form):
    """The reason; ``confirmed`` is set by the confirmation page (cancelling cannot be undone)."""

    reason = forms.CharField(label=_("Why is the need cancelled?"), widget=TEXTAREA, max_length=2000)
    confirmed = forms.BooleanField(required=False, widget=forms.HiddenInput)


class AttemptForm(forms.Form):
    """One internal alternative tried: a pool member or a described alternative."""

    pool_member = forms.ModelChoiceField(
        label=_("Pool member"), queryset=PoolMember.objects.none(), required=False
    )
    description = forms.CharField(
        label=_("Other alternative"),
        max_length=300,
        required=False,
        help_text=_("E.g. staff from another unit."),
    )
    outcome = forms.ChoiceField(label=_("Outcome"), choices=AttemptOutcome.choices)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["pool_member"].queryset = PoolMember.objects.visible_to(user)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not data.get("pool_member") and not (data.get("description") or "").strip():
            raise ValidationError(_("Name the pool member or describe the alternative."))
        return data


class ExhaustForm(forms.Form):
    """``unasked``: the pool members who match the whole period with no attempt recorded; then the
    reason for not asking them is required (the safeguard before the need goes to a decision)."""

    reason = forms.CharField(
        label=_("Why are the internal alternatives exhausted?"),
        widget=TEXTAREA,
        max_length=2000,
        help_text=_("E.g. who in the pool and which units were asked."),
    )
    override_reason = forms.CharField(
        label=_("Why is the matching pool member not asked?"),
        widget=TEXTAREA,
        max_length=1000,
        required=False,
    )

    def __init__(self, *args: Any, unasked: list[Any] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.unasked = unasked or []

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if self.unasked and not (cleaned.get("override_reason") or "").strip():
            self.add_error(
                "override_reason",
                _("%(names)s match the whole period and no attempt is recorded: record it, or say why not.")
                % {"names": ", ".join(str(member) for member in self.unasked)},
            )
        return cleaned

    @property
    def recorded_reason(self) -> str:
        """The reason as recorded on the need, with the reason for not asking a matching member."""
        reason = self.cleaned_data["reason"]
        override = (self.cleaned_data.get("override_reason") or "").strip()
        if not override:
            return reason
        names = ", ".join(str(member) for member in self.unasked)
        return (
            reason
            + " "
            + _("Matching pool member not asked (%(names)s): %(why)s") % {"names": names, "why": override}
        )


class DecisionForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Decision"), choices=DecisionOutcome.choices)
    reason = forms.CharField(label=_("Reason"), widget=TEXTAREA, max_length=4000)


class AwardForm(forms.Form):
    deviation_reason = forms.CharField(
        label=_("Reason to deviate from the ranking"),
        widget=TEXTAREA,
        max_length=2000,
        required=False,
        help_text=_("Required when the offer is not the highest ranked."),
    )


class CloseForm(forms.Form):
    reason = forms.CharField(label=_("Why is the call-off closed without award?"), widget=TEXTAREA)
