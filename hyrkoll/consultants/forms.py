from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from hyrkoll.consultants.models import ConsultantCredential
from hyrkoll.core.forms import UserModelForm

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
FILE_TYPES = ".csv,.txt,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class LicenceRegisterImportForm(forms.Form):
    file = forms.FileField(
        label=_("Licence-register extract (CSV or Excel)"),
        help_text=_(
            "Columns licence_number,first_name,last_name,profession,competence,licensed_on,"
            "specialist_since. Dates as YYYY-MM-DD; at most 5 MB."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": FILE_TYPES}),
    )


class FormerEmployeesImportForm(forms.Form):
    file = forms.FileField(
        label=_("Former employees (CSV or Excel)"),
        help_text=_(
            "Columns personal_number,employed_until. Only a keyed hash of each personal identity number "
            "is stored. At most 5 MB."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": FILE_TYPES}),
    )


class CredentialForm(UserModelForm):
    """A credential the call-off unit has verified from evidence (the view sets who, when, whose)."""

    class Meta:
        model = ConsultantCredential
        fields = [
            "licence_number",
            "profession",
            "competence",
            "licensed_on",
            "specialist_since",
            "evidence_note",
        ]
        widgets = {"licensed_on": DATE_WIDGET, "specialist_since": DATE_WIDGET}
        help_texts = {
            "evidence_note": _(
                "What was checked, e.g. 'Licence and specialist certificate checked in HOSP'."
            ),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["evidence_note"].required = True

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        profession, competence = data.get("profession"), data.get("competence")
        licensed_on, specialist_since = data.get("licensed_on"), data.get("specialist_since")
        if profession and competence and competence.profession_id != profession.pk:
            self.add_error("competence", _("The competence belongs to another profession."))
        if licensed_on and specialist_since and specialist_since < licensed_on:
            self.add_error(
                "specialist_since", _("The specialist certificate cannot be older than the licence.")
            )
        if competence and competence.requires_specialist_certificate and not specialist_since:
            self.add_error("specialist_since", _("Give the date of the specialist certificate."))
        return data
