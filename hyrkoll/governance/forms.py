"""Forms of the catalogue, the action plans and the steering group's decision log.

The parent (plan, plan measure, region) is set on the instance by the view before validation, so
the models' own ``clean`` (dates against the plan's start, the unit's region) and their constraints
run on every save. Choices of units, needs and plans are limited to the region, through
``visible_to``.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from hyrkoll.core.forms import UserModelForm
from hyrkoll.governance.models import ActionPlan, Measure, PlanMeasure, SteeringDecision, SubGoal
from hyrkoll.ordering.models import Need
from hyrkoll.organisation.models import CareArea, OrgUnit

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class MeasureForm(UserModelForm):
    class Meta:
        model = Measure
        fields = ["heading", "name", "description", "reported_as_working", "is_active"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}


class ActionPlanForm(UserModelForm):
    """A plan of the region on the instance (set from the user's region by the view)."""

    class Meta:
        model = ActionPlan
        fields = ["name", "starts_on", "adopted_by", "adopted_on"]
        widgets = {"starts_on": DATE_WIDGET, "adopted_on": DATE_WIDGET}

    def clean_starts_on(self) -> Any:
        starts_on = self.cleaned_data.get("starts_on")
        plan = self.instance
        if plan.pk and starts_on:
            too_early = PlanMeasure.objects.filter(plan=plan, starts_on__lt=starts_on).exists()
            goal_early = SubGoal.objects.filter(plan_measure__plan=plan, due_on__lt=starts_on).exists()
            if too_early or goal_early:
                raise forms.ValidationError(
                    _(
                        "Measures or sub-goals of the plan start or fall due before this date; change them first."
                    )
                )
        return starts_on


class PlanMeasureForm(UserModelForm):
    """A measure of the plan on the instance; units limited to the plan's region."""

    class Meta:
        model = PlanMeasure
        fields = ["measure", "owner", "org_unit", "starts_on", "status"]
        widgets = {"starts_on": DATE_WIDGET}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        plan = self.instance.plan
        measures = Measure.objects.visible_to(self.user)
        self.fields["measure"].queryset = (
            measures.filter(is_active=True) | measures.filter(pk=self.instance.measure_id)
        ).distinct()
        self.fields["org_unit"].queryset = OrgUnit.objects.visible_to(self.user).filter(
            region_id=plan.region_id
        )
        self.fields["org_unit"].error_messages["invalid_choice"] = _(
            "Choose a unit of the plan's region (%(region)s)."
        ) % {"region": plan.region}

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        measure, org_unit = cleaned.get("measure"), cleaned.get("org_unit")
        if measure is not None:
            # The database constraint does not catch two whole-region rows (NULL is distinct).
            others = PlanMeasure.objects.filter(
                plan_id=self.instance.plan_id, measure=measure, org_unit=org_unit
            )
            if self.instance.pk:
                others = others.exclude(pk=self.instance.pk)
            if others.exists():
                raise forms.ValidationError(_("The plan already has this measure for this scope."))
        return cleaned


class EffectForm(UserModelForm):
    """The report of a measure's status and effect."""

    class Meta:
        model = PlanMeasure
        fields = ["status", "effect", "effect_comment"]
        widgets = {"effect_comment": forms.Textarea(attrs={"rows": 4})}


class SubGoalForm(UserModelForm):
    class Meta:
        model = SubGoal
        fields = ["description", "due_on", "indicator", "care_area", "target_value", "achieved"]
        widgets = {"due_on": DATE_WIDGET}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [("", _("All care areas"))] + [
            (area.code, area.name) for area in CareArea.objects.visible_to(self.user).order_by("pk")
        ]
        self.fields["care_area"] = forms.ChoiceField(
            label=_("care area"), choices=choices, required=False, help_text=_("Only for the share.")
        )
        self.fields["achieved"] = forms.NullBooleanField(
            label=_("achieved"), required=False, widget=forms.NullBooleanSelect
        )


class SteeringDecisionForm(UserModelForm):
    """A decision of the region on the instance; needs and plans only of that region."""

    class Meta:
        model = SteeringDecision
        fields = ["decided_on", "decision", "basis", "follow_up_on", "needs", "plans"]
        widgets = {
            "decided_on": DATE_WIDGET,
            "follow_up_on": DATE_WIDGET,
            "decision": forms.Textarea(attrs={"rows": 3}),
            "basis": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        region_id = self.instance.region_id
        self.fields["needs"].queryset = (
            Need.objects.visible_to(self.user)
            .filter(region_id=region_id)
            .select_related("competence", "unit")
            .order_by("-pk")
        )
        self.fields["plans"].queryset = ActionPlan.objects.visible_to(self.user).filter(region_id=region_id)
        for name in ("needs", "plans"):
            self.fields[name].error_messages["invalid_choice"] = _(
                "Only call-offs, purchases and plans of your own region can be linked (%(value)s)."
            )
            self.fields[name].error_messages["invalid_pk_value"] = _("“%(pk)s” is not a valid choice.")
