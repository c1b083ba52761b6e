"""Forms for uploading cost and metrics files, setting a region's targets and publishing the
Bemanningstrend."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hyrkoll.followup.access import published_through
from hyrkoll.followup.indicators import parse_month
from hyrkoll.followup.models import ImportKind
from hyrkoll.organisation.models import Region

ALLOWED_SUFFIXES = (".csv", ".txt", ".xlsx")
DEFAULT_MAX_UPLOAD_BYTES = 512 * 1024 * 1024


def max_upload_bytes() -> int:
    return int(getattr(settings, "FOLLOWUP_IMPORT_MAX_BYTES", DEFAULT_MAX_UPLOAD_BYTES))


class ImportUploadForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("What the file holds"),
        choices=ImportKind.choices,
        initial=ImportKind.COSTS,
        widget=forms.RadioSelect,
    )
    file = forms.FileField(
        label=_("File (CSV or Excel .xlsx)"),
        help_text=_(
            "Costs: region,period,cost_type,profession,care_area,amount_sek (optionally supplier_org_no, "
            "unit). Metrics: region,period,metric,profession,care_area,value. Swedish column names are "
            "accepted. The whole file is checked first; if any row is wrong nothing is changed."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.txt,.xlsx"}),
    )
    replace = forms.BooleanField(
        label=_("Replace the months the file covers"),
        required=False,
        help_text=_(
            "Without this, a file touching a region-month that already holds figures is refused, so "
            "nothing is counted twice."
        ),
    )
    definition_note = forms.CharField(
        label=_("Definition of own personnel cost"),
        max_length=300,
        required=False,
        help_text=_("What the own personnel cost includes, e.g. excl. dental care."),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        name = (upload.name or "").lower()
        if not name.endswith(ALLOWED_SUFFIXES):
            raise forms.ValidationError(_("Upload a CSV file (.csv) or an Excel workbook (.xlsx)."))
        if upload.size is not None and upload.size > max_upload_bytes():
            raise forms.ValidationError(
                _("The file is larger than %(mb)d MB.") % {"mb": max_upload_bytes() // (1024 * 1024)}
            )
        return upload


class TargetForm(forms.Form):
    """A region's target for one year; a national user also picks the region."""

    region = forms.ModelChoiceField(label=_("Region"), queryset=Region.objects.order_by("code"))
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    share_pct = forms.DecimalField(
        label=_("Target: hired cost as a share of own personnel cost (%)"),
        min_value=Decimal(0),
        max_value=Decimal(100),
        max_digits=5,
        decimal_places=2,
        localize=True,
    )
    note = forms.CharField(label=_("Decision"), max_length=300, required=False)

    def __init__(self, *args: Any, region: Region | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fixed_region = region
        if region is not None:
            del self.fields["region"]
        self.fields["year"].initial = timezone.localdate().year


class PublishForm(forms.Form):
    through_month = forms.CharField(
        label=_("Publish the figures up to and including (YYYY-MM)"),
        max_length=7,
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "placeholder": "2025-06", "autocomplete": "off"}
        ),
    )
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def clean_through_month(self) -> datetime.date:
        raw = self.cleaned_data["through_month"].strip()
        try:
            month = parse_month(raw)
        except ValueError:
            raise forms.ValidationError(_("Write the month as YYYY-MM, e.g. 2025-06.")) from None
        today = timezone.localdate()
        if month > today.replace(day=1):
            raise forms.ValidationError(_("A month that has not begun cannot be published."))
        latest = published_through()
        if latest is not None and month <= latest:
            raise forms.ValidationError(
                _("The figures are already published up to %(month)s.") % {"month": f"{latest:%Y-%m}"}
            )
        return month
