"""Forms of the invoice pages. They only parse; ``parsing.LineChecker`` and ``services`` validate."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from hyrkoll.agreement.forms import DATE_WIDGET
from hyrkoll.invoicing.models import LineKind

TEXTAREA = forms.Textarea(attrs={"rows": 3})
PORTAL_LINES = 8
LINE_FIELDS = ("assignment", "date_from", "date_to", "kind", "quantity", "unit_price_sek", "amount_sek")


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Invoice file (CSV or Excel .xlsx)"),
        help_text=_("One row per invoice line; the first row names the columns."),
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Why is the deviation accepted?"), widget=TEXTAREA, max_length=2000)


class DecideForm(forms.Form):
    comment = forms.CharField(label=_("Comment"), widget=TEXTAREA, max_length=2000, required=False)
    record_supplier_deviation = forms.BooleanField(
        label=_("Record an invoice error against the supplier (counts towards the agreement's escalation)"),
        required=False,
    )


class PortalInvoiceForm(forms.Form):
    """The invoice head and up to ``PORTAL_LINES`` lines (``l1_assignment`` … ``l8_amount_sek``).

    Line values stay text here so that ``LineChecker`` reports them exactly as a file's would."""

    number = forms.CharField(label=_("Invoice number"), max_length=50)
    invoice_date = forms.DateField(label=_("Invoice date"), widget=DATE_WIDGET)
    due_date = forms.DateField(label=_("Due date"), widget=DATE_WIDGET, required=False)

    def __init__(self, *args: Any, assignments: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        kinds = [(value, label) for value, label in LineKind.choices]
        for index in range(1, PORTAL_LINES + 1):
            self.fields[f"l{index}_assignment"] = forms.ChoiceField(
                label=_("Assignment"), choices=[("", "—"), *assignments], required=False
            )
            self.fields[f"l{index}_date_from"] = forms.CharField(
                label=_("From"), required=False, widget=DATE_WIDGET
            )
            self.fields[f"l{index}_date_to"] = forms.CharField(
                label=_("To"), required=False, widget=DATE_WIDGET
            )
            self.fields[f"l{index}_kind"] = forms.ChoiceField(label=_("Kind"), choices=kinds, required=False)
            for name, label in (
                ("quantity", _("Quantity")),
                ("unit_price_sek", _("Unit price (SEK)")),
                ("amount_sek", _("Amount (SEK)")),
            ):
                self.fields[f"l{index}_{name}"] = forms.CharField(
                    label=label,
                    required=False,
                    max_length=30,
                    widget=forms.TextInput(attrs={"inputmode": "decimal"}),
                )

    def line_rows(self) -> list[tuple[int, list[Any]]]:
        """For the template: each line's bound fields."""
        return [
            (index, [self[f"l{index}_{name}"] for name in LINE_FIELDS])
            for index in range(1, PORTAL_LINES + 1)
        ]

    def raw_lines(self) -> list[tuple[int, dict[str, str]]]:
        """The lines the supplier filled in (any field not empty), as text."""
        lines = []
        for index in range(1, PORTAL_LINES + 1):
            values = {name: (self.data.get(f"l{index}_{name}") or "").strip() for name in LINE_FIELDS}
            if any(values[name] for name in LINE_FIELDS if name != "kind"):
                lines.append((index, values))
        return lines
