"""The invoice exports: tables for CSV and Excel (``followup.exports`` writes the files)."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.translation import gettext as _

from hyrkoll.followup.exports import SEK, SIGNED_SEK, TEXT, Column, Table
from hyrkoll.invoicing.models import Invoice, InvoiceDeviation, InvoiceLine


def invoices_table(invoices: Iterable[Invoice]) -> Table:
    return Table(
        name="invoices",
        caption=_("Invoices"),
        sheet=_("Invoices"),
        columns=[
            Column(_("Invoice number")),
            Column(_("Supplier")),
            Column(_("Organisation number")),
            Column(_("Region")),
            Column(_("Invoice date")),
            Column(_("Received through")),
            Column(_("Status")),
            Column(_("Invoiced (SEK)"), SEK),
            Column(_("Per the agreement (SEK)"), SEK),
            Column(_("Deviation (SEK)"), SIGNED_SEK),
            Column(_("Open deviations")),
        ],
        rows=[
            [
                invoice.number,
                invoice.supplier.name,
                invoice.supplier.org_no,
                invoice.region.name,
                invoice.invoice_date.isoformat(),
                invoice.get_source_display(),
                invoice.get_status_display(),
                invoice.invoiced_sek,
                invoice.expected_sek,
                invoice.deviation_sek,
                str(getattr(invoice, "open_count", invoice.open_deviations)),
            ]
            for invoice in invoices
        ],
    )


def lines_table(lines: Iterable[InvoiceLine]) -> Table:
    return Table(
        name="lines",
        caption=_("Invoice lines"),
        sheet=_("Lines"),
        columns=[
            Column(_("Invoice number")),
            Column(_("Line")),
            Column(_("Supplier")),
            Column(_("Assignment as invoiced")),
            Column(_("Assignment")),
            Column(_("From")),
            Column(_("To")),
            Column(_("Kind")),
            Column(_("Quantity"), TEXT),
            Column(_("Unit price (SEK)"), SEK),
            Column(_("Amount (SEK)"), SEK),
            Column(_("Approved quantity"), TEXT),
            Column(_("Per the agreement (SEK)"), SEK),
        ],
        rows=[
            [
                line.invoice.number,
                str(line.line_no),
                line.invoice.supplier.name,
                line.assignment_ref,
                str(line.assignment_id or ""),
                line.date_from.isoformat(),
                line.date_to.isoformat(),
                line.get_kind_display(),
                line.quantity,  # a number (a credit line is negative), not text
                line.unit_price_sek,
                line.amount_sek,
                line.priced_quantity,
                line.expected_sek,
            ]
            for line in lines
        ],
    )


def deviations_table(deviations: Iterable[InvoiceDeviation]) -> Table:
    return Table(
        name="deviations",
        caption=_("Deviations"),
        sheet=_("Deviations"),
        columns=[
            Column(_("Invoice number")),
            Column(_("Line")),
            Column(_("Deviation")),
            Column(_("Amount (SEK)"), SIGNED_SEK),
            Column(_("Description")),
            Column(_("Accepted")),
            Column(_("Reason for accepting")),
        ],
        rows=[
            [
                deviation.invoice.number,
                str(deviation.line.line_no) if deviation.line else "",
                deviation.get_kind_display(),
                deviation.amount_sek,
                deviation.description,
                deviation.accepted_at.date().isoformat() if deviation.accepted_at else "",
                deviation.accept_reason,
            ]
            for deviation in deviations
        ],
    )
