"""The control of a credit note: what it takes back from the invoice it credits.

A credit note is stored as an :class:`~hyrkoll.invoicing.models.Invoice` with ``document_type``
``credit_note``, ``credited_invoice`` set and negative lines (quantity and amount; the unit price stays
positive). Each line must credit an assignment and kind that the credited invoice charged. A credit first
takes back what the credited invoice asked *beyond the agreement* for that assignment and kind (its
deviations, less what earlier credit notes already took back); only the rest reduces what the agreement
allows. So, per line::

    expected = -(credited amount - the part that cancels deviations)

and invoice and credit notes together net out: their invoiced amounts minus their expected amounts
equal the invoice's deviations less what the credits cancelled. The credited invoice's own deviations
stay as they were found (the region accepts them with a reference to the credit note). A credit takes
no approved time back: it frees nothing for a later invoice.

Two queries per credit note (the credited invoice's lines and the earlier credit notes' lines).
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from django.db.models import Q
from django.utils.translation import gettext as _

from hyrkoll.invoicing.models import (
    DeviationKind,
    DocumentType,
    Invoice,
    InvoiceDeviation,
    InvoiceLine,
    InvoiceStatus,
)
from hyrkoll.invoicing.parsing_values import assignment_id_of

ZERO = Decimal(0)
Key = tuple[int | None, str]


def credited_so_far(credited: Invoice, exclude_pk: int | None = None) -> dict[Key, tuple[Decimal, Decimal]]:
    """Per (assignment, kind) of ``credited``: what it invoiced and what it asked beyond the agreement,
    less what the stored credit notes (not rejected, other than ``exclude_pk``) took back."""
    left: dict[Key, list[Decimal]] = defaultdict(lambda: [ZERO, ZERO])
    for line in InvoiceLine.objects.filter(invoice=credited).only(
        "assignment_id", "kind", "amount_sek", "expected_sek"
    ):
        entry = left[(line.assignment_id, line.kind)]
        entry[0] += line.amount_sek
        entry[1] += line.amount_sek - line.expected_sek
    earlier = InvoiceLine.objects.filter(
        invoice__credited_invoice=credited, invoice__document_type=DocumentType.CREDIT_NOTE
    ).exclude(invoice__status=InvoiceStatus.REJECTED)
    if exclude_pk is not None:
        earlier = earlier.exclude(Q(invoice_id=exclude_pk) | Q(invoice_id__gt=exclude_pk))
    for line in earlier.only("assignment_id", "kind", "amount_sek", "expected_sek"):
        entry = left[(line.assignment_id, line.kind)]
        entry[0] += line.amount_sek  # negative
        entry[1] += line.amount_sek - line.expected_sek  # minus the deviations it cancelled
    return {key: (values[0], values[1]) for key, values in left.items()}


def check(
    invoice: Invoice, lines: list[InvoiceLine], assignments: dict[int, object]
) -> list[InvoiceDeviation]:
    """Set the computed fields of a credit note's ``lines``; return its deviations (unsaved): a line
    whose assignment and kind the credited invoice did not charge is an unknown assignment."""
    credited = Invoice.objects.get(pk=invoice.credited_invoice_id)
    left = credited_so_far(credited, exclude_pk=invoice.pk)
    deviations: list[InvoiceDeviation] = []
    for line in lines:
        line.priced_quantity = ZERO
        line.agreement_price_sek = None
        assignment_id = assignment_id_of(line.assignment_ref)
        assignment = assignments.get(assignment_id) if assignment_id is not None else None
        key = (assignment_id, line.kind)
        if assignment is None or key not in left:
            line.assignment = None
            line.expected_sek = ZERO
            deviations.append(
                InvoiceDeviation(
                    invoice=invoice,
                    line=line,
                    kind=DeviationKind.UNKNOWN_ASSIGNMENT,
                    amount_sek=line.amount_sek,
                    description=_("Invoice %(number)s has no line of assignment '%(ref)s' of this kind.")
                    % {"number": credited.number, "ref": line.assignment_ref},
                )
            )
            continue
        line.assignment = assignment  # type: ignore[assignment]
        invoiced, beyond = left[key]
        credit = -line.amount_sek
        cancels = min(credit, max(beyond, ZERO))
        line.expected_sek = -(credit - cancels)
        left[key] = (invoiced - credit, beyond - cancels)
    return deviations
