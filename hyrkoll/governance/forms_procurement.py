"""Forms for joint procurements (the coordinator) and declarations of intent (the regions)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from hyrkoll.core.forms import UserModelForm
from hyrkoll.governance.models import Procurement
from hyrkoll.governance.services_procurement import sub_area_names

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ProcurementForm(UserModelForm):
    class Meta:
        model = Procurement
        fields = ["name", "declaration_deadline", "starts_on", "min_regions", "sub_areas", "description"]
        widgets = {
            "declaration_deadline": DATE_WIDGET,
            "starts_on": DATE_WIDGET,
            "description": forms.Textarea(attrs={"rows": 4}),
        }

    def clean_sub_areas(self) -> str:
        codes = [code.strip() for code in self.cleaned_data["sub_areas"].split(",") if code.strip()]
        known = sub_area_names()
        unknown = [code for code in codes if code not in known]
        if not codes:
            raise forms.ValidationError(_("Give at least one sub-area code."))
        if unknown:
            raise forms.ValidationError(
                _("Unknown sub-area codes: %(codes)s (known: %(known)s).")
                % {"codes": ", ".join(unknown), "known": ", ".join(known)}
            )
        return ",".join(dict.fromkeys(codes))


class DeclarationForm(forms.Form):
    """The region is never chosen: it is the user's. A posted ``region`` other than the user's is
    refused by the service (:func:`file_declaration`)."""

    region = forms.CharField(widget=forms.HiddenInput, required=False)
    joins = forms.TypedChoiceField(
        label=_("The region's decision"),
        choices=[("yes", _("Joins the procurement")), ("no", _("Does not join"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
    sub_areas = forms.MultipleChoiceField(
        label=_("Sub-areas"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Required when the region joins."),
    )
    decided_by = forms.CharField(
        label=_("Decided by"), max_length=200, help_text=_("The body that decided, e.g. the regional board.")
    )
    decided_on = forms.DateField(label=_("Decided on"), widget=DATE_WIDGET)
    document = forms.FileField(
        label=_("Decision document (PDF)"),
        required=False,
        help_text=_("Optional; a PDF of at most %(mb)s MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,application/pdf"}),
    )

    def __init__(self, *args: Any, procurement: Procurement, max_mb: str = "10", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        names = sub_area_names(procurement.sub_area_codes())
        self.fields["sub_areas"].choices = list(names.items())
        self.fields["document"].help_text = self.fields["document"].help_text % {"mb": max_mb}

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("joins") and not data.get("sub_areas"):
            self.add_error("sub_areas", _("Choose the sub-areas the region joins for."))
        return data
