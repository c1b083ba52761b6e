"""Forms of the assignment pages. The forms only parse; ``services`` validates and decides."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from hyrkoll.agreement.forms import DATE_WIDGET

TEXTAREA = forms.Textarea(attrs={"rows": 3})
WEEKDAYS = (
    _("Monday"), _("Tuesday"), _("Wednesday"), _("Thursday"), _("Friday"), _("Saturday"), _("Sunday")
)  # fmt: skip
PARTS = (
    ("normal", _("Worked hours")),
    ("on_call", _("On-call hours")),
    ("unsocial", _("Inconvenient hours")),
)


class ExtendForm(forms.Form):
    new_end = forms.DateField(label=_("New end date"), widget=DATE_WIDGET)
    hlr_trained_on = forms.DateField(
        label=_("New CPR/HLR training date"),
        widget=DATE_WIDGET,
        required=False,
        help_text=_("Needed if the known date is more than 12 months before the extension starts."),
    )
    reason = forms.CharField(label=_("Why is the assignment extended?"), widget=TEXTAREA, max_length=2000)


class CancelForm(forms.Form):
    effective_on = forms.DateField(
        label=_("Cancelled from"), widget=DATE_WIDGET, help_text=_("The first day that is no longer worked.")
    )
    reason = forms.CharField(label=_("Why is the assignment cancelled?"), widget=TEXTAREA, max_length=2000)


class DecideForm(forms.Form):
    comment = forms.CharField(label=_("Comment"), widget=TEXTAREA, max_length=2000, required=False)


class TimeReportForm(forms.Form):
    """A week: its Monday and 7 × 3 hour inputs (``d0_normal`` … ``d6_unsocial``)."""

    week = forms.DateField(label=_("Week (its Monday)"), widget=DATE_WIDGET)

    def __init__(self, *args: Any, fixed_week: datetime.date | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fixed_week = fixed_week
        if fixed_week is not None:
            self.fields["week"].required = False
            self.fields["week"].disabled = True
            self.fields["week"].initial = fixed_week
        for index in range(7):
            for part, label in PARTS:
                self.fields[f"d{index}_{part}"] = forms.CharField(
                    label=label,
                    required=False,
                    max_length=10,
                    widget=forms.TextInput(
                        attrs={"inputmode": "decimal", "size": 5, "aria-label": f"{WEEKDAYS[index]}: {label}"}
                    ),
                )

    def clean_week(self) -> datetime.date:
        if self.fixed_week is not None:
            return self.fixed_week
        week: datetime.date = self.cleaned_data["week"]
        if week.weekday() != 0:
            raise ValidationError(_("Give the Monday of the week."))
        return week

    def rows(self) -> list[tuple[int, list[Any]]]:
        return [(index, [self[f"d{index}_{part}"] for part, _label in PARTS]) for index in range(7)]

    def days(self) -> dict[datetime.date, tuple[str, str, str]]:
        week = self.cleaned_data["week"]
        return {
            week + datetime.timedelta(days=index): tuple(  # type: ignore[misc]
                self.cleaned_data.get(f"d{index}_{part}", "") for part, _label in PARTS
            )
            for index in range(7)
        }
