from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hyrkoll.core.forms import UserModelForm
from hyrkoll.organisation.models import OrgUnit
from hyrkoll.rules.models import RegionRule

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")

RULE_FIELDS = [
    "kind",
    "name",
    "decision_level",
    "profession",
    "competence",
    "level",
    "care_area",
    "org_unit",
    "min_length_days",
    "min_estimated_cost_sek",
    "off_agreement",
    "valid_from",
    "valid_to",
    "note",
]


class RegionRuleForm(UserModelForm):
    """A rule of the region on the instance (set by the view); units limited to that region.

    The model's ``clean`` checks the competence against the profession, the unit's region and
    that 'valid to' is not before 'valid from'.
    """

    class Meta:
        model = RegionRule
        fields = RULE_FIELDS
        widgets = {
            "valid_from": DATE_WIDGET,
            "valid_to": DATE_WIDGET,
            "note": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.region_id is None:
            self.instance.region_id = getattr(self.user, "region_id", None)
        self.fields["org_unit"].queryset = OrgUnit.objects.visible_to(self.user).filter(
            region_id=self.instance.region_id
        )


class RuleVersionForm(RegionRuleForm):
    """A new version of ``replacing``: the same fields, starting after the current version."""

    def __init__(self, *args: Any, replacing: RegionRule, **kwargs: Any) -> None:
        self.replacing = replacing
        copy = RegionRule(region_id=replacing.region_id)
        for name in RULE_FIELDS:
            setattr(copy, name, getattr(replacing, name))
        earliest = replacing.valid_from + datetime.timedelta(days=1)
        copy.valid_from = max(timezone.localdate(), earliest)
        kwargs["instance"] = copy
        super().__init__(*args, **kwargs)
        self.fields["valid_from"].help_text = _(
            "The new version applies from this date; the current version ends the day before."
        )

    def clean_valid_from(self) -> datetime.date:
        valid_from: datetime.date = self.cleaned_data["valid_from"]
        if valid_from <= self.replacing.valid_from:
            raise forms.ValidationError(
                _("The new version must start after the current one (%(date)s).")
                % {"date": self.replacing.valid_from.isoformat()}
            )
        return valid_from


class RuleCloseForm(forms.Form):
    valid_to = forms.DateField(
        label=_("Last day in force"),
        widget=DATE_WIDGET,
        help_text=_("The rule no longer applies from the day after."),
    )
    reason = forms.CharField(
        label=_("Decision and basis"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, rule: RegionRule, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.rule = rule

    def clean_valid_to(self) -> datetime.date:
        valid_to: datetime.date = self.cleaned_data["valid_to"]
        if valid_to < self.rule.valid_from:
            raise forms.ValidationError(
                _("The rule cannot end before it starts (%(date)s).")
                % {"date": self.rule.valid_from.isoformat()}
            )
        if self.rule.valid_to is not None and valid_to > self.rule.valid_to:
            raise forms.ValidationError(
                _("The rule already ends on %(date)s; it can only be ended earlier.")
                % {"date": self.rule.valid_to.isoformat()}
            )
        return valid_to
