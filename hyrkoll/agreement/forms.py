from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from hyrkoll.agreement.models import (
    AgreementExtension,
    AgreementParameter,
    CompetenceLevel,
    ExcludedSpecialty,
    FrameworkAgreement,
    PriceList,
    RegionAccession,
    Supplier,
    SupplierAdmission,
)
from hyrkoll.agreement.services import price_key
from hyrkoll.core.forms import UserModelForm
from hyrkoll.lib.orgno import normalise_org_no

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class FrameworkAgreementForm(UserModelForm):
    class Meta:
        model = FrameworkAgreement
        fields = ["reference", "name", "procuring_authority", "starts_on", "ends_on", "max_extension_months"]
        widgets = {"starts_on": DATE_WIDGET, "ends_on": DATE_WIDGET}


class AgreementExtensionForm(UserModelForm):
    class Meta:
        model = AgreementExtension
        fields = ["new_end_date", "decided_on", "note"]
        widgets = {"new_end_date": DATE_WIDGET, "decided_on": DATE_WIDGET}


class AgreementParameterForm(UserModelForm):
    class Meta:
        model = AgreementParameter
        fields = ["key", "value", "valid_from", "is_default_value", "source"]
        widgets = {"valid_from": DATE_WIDGET}

    def clean(self) -> dict[str, Any]:
        # ``agreement`` is set on the instance, not a form field, so Django's constraint validation
        # skips the (agreement, key, valid_from) uniqueness and a duplicate would reach the database.
        data = super().clean()
        key, valid_from = data.get("key"), data.get("valid_from")
        same_day = AgreementParameter.objects.filter(
            agreement_id=self.instance.agreement_id, key=key, valid_from=valid_from
        )
        if key and valid_from and same_day.exclude(pk=self.instance.pk).exists():
            self.add_error("valid_from", _("The parameter already has a value from this date."))
        return data


class ExcludedSpecialtyForm(UserModelForm):
    class Meta:
        model = ExcludedSpecialty
        fields = ["name"]

    def clean_name(self) -> str:
        name: str = self.cleaned_data["name"].strip()
        duplicates = ExcludedSpecialty.objects.filter(
            sub_area_id=self.instance.sub_area_id, name__iexact=name
        )
        if duplicates.exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(_("The specialty is already excluded from this sub-area."))
        return name


class SupplierForm(UserModelForm):
    class Meta:
        model = Supplier
        fields = ["name", "org_no", "email", "phone"]

    def clean_org_no(self) -> str:
        return normalise_org_no(self.cleaned_data["org_no"])


class SupplierAdmissionForm(UserModelForm):
    class Meta:
        model = SupplierAdmission
        fields = ["sub_area", "admitted_on", "exited_on"]
        widgets = {"admitted_on": DATE_WIDGET, "exited_on": DATE_WIDGET}


class RegionAccessionForm(UserModelForm):
    class Meta:
        model = RegionAccession
        fields = ["region", "sub_area", "acceded_on", "note"]
        widgets = {"acceded_on": DATE_WIDGET}


class PriceListVersionForm(forms.Form):
    version = forms.CharField(label=_("Version"), max_length=30)
    valid_from = forms.DateField(label=_("Valid from"), widget=DATE_WIDGET)
    valid_to = forms.DateField(
        label=_("Valid to"), required=False, widget=DATE_WIDGET, help_text=_("Empty: until further notice.")
    )
    copy_from = forms.ModelChoiceField(
        label=_("Copy prices from"),
        queryset=PriceList.objects.none(),
        required=False,
        empty_label=_("(none)"),
    )
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, agreement: FrameworkAgreement, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.agreement = agreement
        self.fields["copy_from"].queryset = agreement.price_lists.all()
        latest = agreement.price_lists.order_by("-valid_from").first()
        self.fields["copy_from"].initial = latest.pk if latest else None

    def clean_version(self) -> str:
        version: str = self.cleaned_data["version"].strip()
        if self.agreement.price_lists.filter(version=version).exists():
            raise forms.ValidationError(_("This version already exists for the agreement."))
        return version

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        start, end = data.get("valid_from"), data.get("valid_to")
        if start and end and end < start:
            self.add_error("valid_to", _("'Valid to' cannot be before 'valid from'."))
        return data


class PriceMatrixForm(forms.Form):
    """One field per competence level × zone, and one per supplement of the version."""

    reason = forms.CharField(
        label=_("Reason for the change"), max_length=300, help_text=_("Recorded in the audit trail.")
    )

    def __init__(self, *args: Any, price_list: PriceList, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.price_list = price_list
        current = {(p.level_id, p.zone): p.hourly_sek for p in price_list.prices.all()}
        self.levels = list(CompetenceLevel.objects.order_by("sub_area_code", "rank"))
        self.rows: list[tuple[CompetenceLevel, list[str]]] = []
        for level in self.levels:
            names = []
            for zone in (1, 2, 3):
                name = price_key(level.code, zone)
                self.fields[name] = forms.DecimalField(
                    label=_("%(level)s, zone %(zone)d (SEK/h)") % {"level": level.name, "zone": zone},
                    required=False,
                    min_value=Decimal("0.01"),
                    max_digits=8,
                    decimal_places=2,
                    initial=current.get((level.pk, zone)),
                    localize=True,
                )
                names.append(name)
            self.rows.append((level, names))
        self.supplement_fields: list[tuple[Any, str]] = []
        for supplement in price_list.supplements.order_by("kind", "sub_area_code"):
            name = f"supplement_{supplement.pk}"
            self.fields[name] = forms.DecimalField(
                label=f"{supplement.get_kind_display()} ({supplement.sub_area_code or _('all')}, "
                f"{supplement.get_unit_display()})",
                min_value=Decimal("0"),
                max_digits=9,
                decimal_places=2,
                initial=supplement.amount_sek,
                localize=True,
            )
            self.supplement_fields.append((supplement, name))
        # The reason comes last on the page.
        self.order_fields([name for name in self.fields if name != "reason"] + ["reason"])

    def bound_rows(self) -> list[tuple[CompetenceLevel, list[forms.BoundField]]]:
        return [(level, [self[name] for name in names]) for level, names in self.rows]

    def bound_supplements(self) -> list[tuple[Any, forms.BoundField]]:
        return [(supplement, self[name]) for supplement, name in self.supplement_fields]

    def prices(self) -> dict[tuple[int, int], Decimal | None]:
        return {
            (level.pk, zone): self.cleaned_data[price_key(level.code, zone)]
            for level in self.levels
            for zone in (1, 2, 3)
        }

    def supplements(self) -> dict[int, Decimal]:
        return {supplement.pk: self.cleaned_data[name] for supplement, name in self.supplement_fields}


class ZoneImportForm(forms.Form):
    file = forms.FileField(
        label=_("Zone list (CSV)"),
        help_text=_("Columns municipality_code,zone – one row per municipality; zone 1, 2 or 3."),
    )
