"""Forms of the compliance pages. They parse and check the input field by field; ``services``
checks who acts and the business rules, and saves."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hyrkoll.agreement.forms import DATE_WIDGET
from hyrkoll.agreement.models import CompetenceLevel, Supplier
from hyrkoll.assignments.models import Assignment
from hyrkoll.compliance.models import DeviationKind
from hyrkoll.followup.models import CostCareArea, CostProfession
from hyrkoll.lib.orgno import normalise_org_no
from hyrkoll.ordering.models import Need
from hyrkoll.organisation.models import OrgUnit, OrgUnitKind

TEXTAREA = forms.Textarea(attrs={"rows": 3})


def _reason_field(label: Any) -> forms.CharField:
    return forms.CharField(label=label, widget=TEXTAREA, max_length=2000)


class DeviationForm(forms.Form):
    supplier = forms.ModelChoiceField(label=_("Supplier"), queryset=Supplier.objects.none())
    kind = forms.ChoiceField(label=_("Kind"), choices=DeviationKind.choices)
    occurred_on = forms.DateField(label=_("Date"), widget=DATE_WIDGET)
    description = forms.CharField(label=_("Description"), widget=TEXTAREA, max_length=4000)
    assignment = forms.ModelChoiceField(
        label=_("Assignment"),
        queryset=Assignment.objects.none(),
        required=False,
        help_text=_("Optional: the assignment the deviation concerns (same supplier)."),
    )

    def __init__(self, *args: Any, region_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["supplier"].queryset = Supplier.objects.order_by("name")
        self.fields["assignment"].queryset = (
            Assignment.objects.filter(region_id=region_id)
            .select_related("consultant", "unit", "supplier")
            .order_by("-starts_on")
        )

    def clean_occurred_on(self) -> datetime.date:
        day: datetime.date = self.cleaned_data["occurred_on"]
        if day > timezone.localdate():
            raise ValidationError(_("The date cannot be in the future."))
        return day

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        assignment, supplier = data.get("assignment"), data.get("supplier")
        if assignment is not None and supplier is not None and assignment.supplier_id != supplier.pk:
            self.add_error("assignment", _("The assignment is with another supplier."))
        return data


class ReasonForm(forms.Form):
    reason = _reason_field(_("Reason"))


class SuspensionForm(forms.Form):
    supplier = forms.ModelChoiceField(label=_("Supplier"), queryset=Supplier.objects.order_by("name"))
    starts_on = forms.DateField(label=_("Suspended from"), widget=DATE_WIDGET)
    ends_on = forms.DateField(
        label=_("Suspended until"), widget=DATE_WIDGET, help_text=_("The last day of the suspension.")
    )
    reason = _reason_field(_("Reason"))

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        start, end = data.get("starts_on"), data.get("ends_on")
        if start and end and end < start:
            self.add_error("ends_on", _("The end cannot be before the start."))
        return data


class DirectPurchaseForm(forms.Form):
    need = forms.ModelChoiceField(
        label=_("Dispensation"),
        queryset=Need.objects.none(),
        required=False,
        empty_label=_("None – the purchase was made without a dispensation"),
        help_text=_("An approved need outside the agreement. Unit and level then come from the need."),
    )
    explanation = forms.CharField(
        label=_("Explanation"),
        widget=TEXTAREA,
        max_length=4000,
        required=False,
        help_text=_("Required without a dispensation: how the purchase was found and why it was made."),
    )
    unit = forms.ModelChoiceField(
        label=_("Care unit"),
        queryset=OrgUnit.objects.none(),
        required=False,
        help_text=_("Required without a dispensation."),
    )
    level = forms.ModelChoiceField(
        label=_("Competence level"),
        queryset=CompetenceLevel.objects.none(),
        required=False,
        help_text=_("Required without a dispensation; the agreement price of this level is the comparison."),
    )
    supplier_name = forms.CharField(label=_("Supplier"), max_length=200)
    supplier_org_no = forms.CharField(
        label=_("Organisation number"), max_length=13, help_text=_("NNNNNN-NNNN")
    )
    hourly_price_sek = forms.DecimalField(label=_("Hourly price (SEK)"), max_digits=8, decimal_places=2)
    starts_on = forms.DateField(label=_("Start"), widget=DATE_WIDGET)
    ends_on = forms.DateField(label=_("End"), widget=DATE_WIDGET)
    hours_per_week = forms.DecimalField(label=_("Hours per week"), max_digits=5, decimal_places=1)

    def __init__(self, *args: Any, region_id: int, needs: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["need"].queryset = needs
        self.fields["need"].label_from_instance = lambda need: (
            f"#{need.pk} {need.competence} – {need.unit.name}, {need.starts_on:%Y-%m-%d} – {need.ends_on:%Y-%m-%d}"
            f" ({need.outside_supplier_name})"
        )
        self.fields["unit"].queryset = OrgUnit.objects.filter(
            region_id=region_id, kind=OrgUnitKind.CARE_UNIT, is_active=True
        ).order_by("name")
        self.fields["level"].queryset = CompetenceLevel.objects.order_by("pk")

    def clean_supplier_org_no(self) -> str:
        return normalise_org_no(self.cleaned_data["supplier_org_no"])

    def clean_hourly_price_sek(self) -> Decimal:
        value: Decimal = self.cleaned_data["hourly_price_sek"]
        if value <= 0:
            raise ValidationError(_("The price must be more than 0."))
        return value

    def clean_hours_per_week(self) -> Decimal:
        value: Decimal = self.cleaned_data["hours_per_week"]
        if value <= 0 or value > 168:
            raise ValidationError(_("Give between 0 and 168 hours."))
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        start, end = data.get("starts_on"), data.get("ends_on")
        if start and end and end < start:
            self.add_error("ends_on", _("The end cannot be before the start."))
        if data.get("need") is None:
            if not (data.get("explanation") or "").strip():
                self.add_error("explanation", _("Explain the purchase made without a dispensation."))
            if data.get("unit") is None and "unit" not in self.errors:
                self.add_error("unit", _("Choose the unit without a dispensation."))
            if data.get("level") is None and "level" not in self.errors:
                self.add_error("level", _("Choose the competence level without a dispensation."))
        return data


class FidelityFilterForm(forms.Form):
    """The fidelity page's filters (GET); invalid values fall back to the defaults."""

    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100, required=False)
    month = forms.TypedChoiceField(
        label=_("Month"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", _("Whole year"))] + [(m, f"{m:02d}") for m in range(1, 13)],
    )
    profession = forms.ChoiceField(
        label=_("Profession"), required=False, choices=[("", _("All"))] + list(CostProfession.choices)
    )
    care_area = forms.ChoiceField(
        label=_("Care area"), required=False, choices=[("", _("All"))] + list(CostCareArea.choices)
    )
