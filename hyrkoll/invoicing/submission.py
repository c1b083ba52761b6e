"""A supplier's invoice from the portal's form or the API's JSON: every value checked as a file's
row would be (``LineChecker``), the region found from the invoice's assignments, then received."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from hyrkoll.assignments.models import Assignment
from hyrkoll.invoicing import control, permissions
from hyrkoll.invoicing.parsing_checks import Errors, LineChecker, ParsedInvoice, check_total
from hyrkoll.invoicing.receiving import Received, receive
from hyrkoll.ordering.workflow import WorkflowError
from hyrkoll.organisation.models import Region

LINE_LABELS = {
    "assignment": _lazy("assignment"),
    "date_from": _lazy("from"),
    "date_to": _lazy("to"),
    "kind": _lazy("kind"),
    "quantity": _lazy("quantity"),
    "unit_price_sek": _lazy("unit price (SEK)"),
    "amount_sek": _lazy("amount (SEK)"),
}


class SubmissionRejected(Exception):
    """An invoice from the portal or the API with bad values; ``errors`` name line and field."""

    def __init__(self, errors: list[str]) -> None:
        super().__init__("; ".join(errors))
        self.errors = errors


def submit(
    actor: Any,
    number: str,
    invoice_date: Any,
    due_date: Any,
    raw_lines: list[tuple[int, dict[str, Any]]],
    source: str,
    region: Region | None = None,
) -> Received:
    """A supplier's invoice from the portal or the API. The region is the one of the invoice's
    assignments (the API may name it, for lines whose assignment Hyrkoll does not know)."""
    if not permissions.can_submit(actor):
        raise WorkflowError(_("Only a supplier's user submits invoices."))
    supplier = actor.supplier
    errors = Errors()
    checker = LineChecker(errors)
    number = (number or "").strip()
    if not number:
        errors.add(None, _("invoice number"), "", _("missing."))
    elif len(number) > 50:
        errors.add(None, _("invoice number"), number, _("longer than 50 characters."))
    head_date = checker.date(None, _("invoice date"), invoice_date)
    head_due = checker.date(None, _("due date"), due_date, required=False)
    if not raw_lines:
        errors.add(None, "", "", _("an invoice needs at least one line."))
    lines = []
    for row, values in raw_lines:
        line = checker.line(row, values, {name: name for name in values} | LINE_LABELS)
        if line is not None:
            lines.append(line)
    known = {
        a.pk: a.region_id
        for a in Assignment.objects.filter(
            supplier=supplier,
            pk__in={control.assignment_id_of(line.assignment_ref) for line in lines} - {None},
        )
    }
    regions = {
        known[aid] for line in lines if (aid := control.assignment_id_of(line.assignment_ref)) in known
    }
    check_total(errors, None, str(LINE_LABELS["amount_sek"]), number, lines)
    if region is None:
        if len(regions) > 1:
            errors.add(None, "", "", _("all lines of an invoice must be assignments in the same region."))
        elif not regions and not errors:
            errors.add(None, _("assignment"), "", _("none of the lines names one of your assignments."))
    if errors:
        raise SubmissionRejected([str(error) for error in errors.items])
    target = region or Region.objects.get(pk=regions.pop())
    parsed = ParsedInvoice(supplier, number, head_date, head_due, lines)  # type: ignore[arg-type]
    return receive(actor, target, [parsed], source)
