"""The supplier's offer form: the consultant chosen from those who fit the call-off, and what the
consultant's record already holds (licence number, competence, CPR training, personal identity
number) taken from it instead of typed again."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from hyrkoll.agreement.forms import DATE_WIDGET
from hyrkoll.agreement.models import Competence
from hyrkoll.consultants.models import Consultant
from hyrkoll.core.forms import UserModelForm
from hyrkoll.lib.personal_numbers import normalise
from hyrkoll.ordering.models import Offer

FROM_RECORD = ("licence_number", "competence", "hlr_trained_on")


class ConsultantSelect(forms.Select):
    """A consultant list whose options carry the consultant's record (``data-licence`` …), so that
    ``offer-prefill.js`` can fill the offer's fields as soon as a consultant is chosen."""

    def create_option(self, name: str, value: Any, *args: Any, **kwargs: Any) -> dict[str, Any]:
        option = super().create_option(name, value, *args, **kwargs)
        consultant = getattr(value, "instance", None)
        if consultant is not None:
            option["attrs"].update(
                {
                    "data-licence": consultant.licence_number or "",
                    "data-competence": consultant.competence_id or "",
                    "data-hlr": consultant.hlr_trained_on.isoformat() if consultant.hlr_trained_on else "",
                    "data-number-on-file": "1" if consultant.personal_number_hash else "",
                }
            )
        return option


def consultant_label(consultant: Consultant) -> str:
    """``Andersson, Eva – Specialist nurse, anaesthesia (licence 8812345)``: enough to tell two
    consultants of the same name apart."""
    text = f"{consultant.last_name}, {consultant.first_name}"
    if consultant.competence_id:
        text += f" – {consultant.competence.name}"
    if consultant.licence_number:
        text += " " + str(_("(licence %(number)s)") % {"number": consultant.licence_number})
    return text


class OfferForm(UserModelForm):
    """A supplier's offer of one of its own consultants: only consultants of the call-off's
    profession and competence level are listed; fields left empty are taken from the record."""

    personal_number = forms.CharField(
        label=_("Personal identity number"),
        max_length=20,
        required=False,
        help_text=_(
            "YYYYMMDD-NNNN. Used only for the cooling-off (karens) check; only a keyed hash is stored. "
            "Leave empty if it is already on the consultant's record."
        ),
        widget=forms.TextInput(
            attrs={
                "autocomplete": "off",
                "inputmode": "numeric",
                "data-on-file-text": _("The consultant's personal identity number is on record."),
            }
        ),
    )

    class Meta:
        model = Offer
        fields = [
            "consultant",
            "licence_number",
            "competence",
            "hlr_trained_on",
            "available_from",
            "available_to",
            "references",
        ]
        widgets = {
            "consultant": ConsultantSelect,
            "hlr_trained_on": DATE_WIDGET,
            "available_from": DATE_WIDGET,
            "available_to": DATE_WIDGET,
            "references": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "licence_number": _("Taken from the consultant's record when left empty."),
            "competence": _("Taken from the consultant's record when left empty."),
            "hlr_trained_on": _("Taken from the consultant's record when left empty."),
        }

    def __init__(self, *args: Any, user: Any = None, call_off: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, user=user, **kwargs)
        consultants = Consultant.objects.visible_to(user).select_related("competence")
        competences = Competence.objects.select_related("level").order_by("level__rank", "name")
        if call_off is not None:
            need = call_off.need
            consultants = consultants.filter(profession_id=need.profession_id)
            competences = competences.filter(profession_id=need.profession_id)
            if need.level_id:
                # the call-off's level; a consultant with no competence on file may still be offered
                consultants = consultants.filter(
                    Q(competence__level_id=need.level_id) | Q(competence__isnull=True)
                )
                competences = competences.filter(level_id=need.level_id)
        self.fields["consultant"].queryset = consultants.order_by("last_name", "first_name", "pk")
        self.fields["consultant"].label_from_instance = consultant_label
        self.fields["consultant"].help_text = _(
            "Your consultants of the call-off's profession and competence level. Missing someone? "
            "Check the consultant's profession and competence in your consultant register."
        )
        self.fields["competence"].queryset = competences
        self.fields["competence"].label_from_instance = lambda c: f"{c.name} ({c.level.name})"

    def clean_personal_number(self) -> str:
        raw: str = self.cleaned_data.get("personal_number", "").strip()
        if raw:
            normalise(raw)  # raises ValidationError with the reason
        return raw

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        consultant = data.get("consultant")
        if consultant is not None:
            from_record = [name for name in FROM_RECORD if not data.get(name)]
            for name in from_record:
                data[name] = getattr(consultant, name)
                setattr(self.instance, name, data[name])
            # A competence the user picked was validated by its field; one taken from the record not.
            competence = data.get("competence")
            if (
                "competence" in from_record
                and competence is not None
                and not self.fields["competence"].queryset.filter(pk=competence.pk).exists()
            ):
                self.add_error(
                    "competence",
                    _("The consultant's competence on record is not of the call-off's profession and level."),
                )
        start, end = data.get("available_from"), data.get("available_to")
        if start and end and end < start:
            self.add_error("available_to", _("'Available to' cannot be before 'available from'."))
        return data
