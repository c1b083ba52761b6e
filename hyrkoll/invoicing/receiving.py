"""Storing received invoices: :func:`receive`, where every way in ends (the portal, the API, a file,
a Peppol document), stores the invoices with their lines and what the control found, in one
transaction, and tells the supplier and the region of open deviations through the event feed. The
same invoice (supplier, number, content) received again changes nothing. Also the outcomes the ways
in return: ``Received``, and for a file ``FileResult`` or ``FileRejected`` (here, not in
``file_import``, so that the Peppol import can use them without importing the module that calls it).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone

from hyrkoll.audit import services as audit
from hyrkoll.audit.models import AuditAction
from hyrkoll.feed.services import FeedKind, record
from hyrkoll.followup import region_figures
from hyrkoll.invoicing import control
from hyrkoll.invoicing.models import Invoice, InvoiceDeviation, InvoiceFile, InvoiceLine
from hyrkoll.invoicing.parsing_checks import FileError, ParsedInvoice
from hyrkoll.lib.bulk import insert_rows
from hyrkoll.organisation.models import Region


@dataclass
class Received:
    created: list[Invoice] = field(default_factory=list)
    already_received: list[Invoice] = field(default_factory=list)


class FileRejected(Exception):
    def __init__(self, errors: list[FileError], total: int) -> None:
        super().__init__(f"{total} errors")
        self.errors = errors
        self.total = total


@dataclass
class FileResult:
    record: InvoiceFile | None
    received: Received
    already_imported: bool = False


def _line_objects(parsed: ParsedInvoice) -> list[InvoiceLine]:
    return [
        InvoiceLine(
            line_no=number,
            source_row=line.row,
            assignment_ref=line.assignment_ref,
            date_from=line.date_from,
            date_to=line.date_to,
            kind=line.kind,
            quantity=line.quantity,
            unit_price_sek=line.unit_price_sek,
            amount_sek=line.amount_sek,
        )
        for number, line in enumerate(parsed.lines, start=1)
    ]


@transaction.atomic
def receive(
    actor: Any,
    region: Region,
    parsed_invoices: list[ParsedInvoice],
    source: str,
    source_file: InvoiceFile | None = None,
) -> Received:
    """Store and check the invoices. One already received with the same content is not stored again."""
    result = Received()
    hashes = {id(parsed): parsed.content_hash() for parsed in parsed_invoices}
    existing = {
        (invoice.supplier_id, invoice.number, invoice.content_hash): invoice
        for invoice in Invoice.objects.filter(
            supplier_id__in={p.supplier.pk for p in parsed_invoices},
            number__in={p.number for p in parsed_invoices},
        )
    }
    invoices: list[Invoice] = []
    lines: dict[int, list[InvoiceLine]] = {}
    for parsed in parsed_invoices:
        key = (parsed.supplier.pk, parsed.number, hashes[id(parsed)])
        if key in existing:
            result.already_received.append(existing[key])
            continue
        invoice = Invoice(
            region=region,
            supplier=parsed.supplier,
            number=parsed.number,
            invoice_date=parsed.invoice_date,
            due_date=parsed.due_date,
            document_type=parsed.document_type,
            credited_invoice=parsed.credited_invoice,
            source=source,
            source_file=source_file,
            content_hash=hashes[id(parsed)],
            received_by=audit.acting_user(actor),
        )
        existing[key] = invoice
        lines[len(invoices)] = _line_objects(parsed)
        invoices.append(invoice)
    if not invoices:
        return result
    found = control.check(invoices, lines)
    now = timezone.now()
    for invoice in invoices:
        invoice.checked_at = now
    Invoice.objects.bulk_create(invoices)
    region_figures.changed(region.pk)
    _store_lines(invoices, lines)
    insert_rows(
        InvoiceDeviation,
        ("invoice", "line", "kind", "amount_sek", "description", "accept_reason"),
        (
            (d.invoice.pk, d.line.pk if d.line is not None else None, d.kind, d.amount_sek, d.description, "")
            for index in range(len(invoices))
            for d in found[index]
        ),
    )
    audit.record_many(
        actor,
        AuditAction.CREATE,
        invoices,
        lambda invoice: {
            "number": invoice.number,
            "source": source,
            "invoiced_sek": str(invoice.invoiced_sek),
            "expected_sek": str(invoice.expected_sek),
        },
    )
    for index, invoice in enumerate(invoices):
        feed_deviations(invoice, found[index])
    result.created = invoices
    return result


def feed_deviations(invoice: Invoice, deviations: list[InvoiceDeviation]) -> None:
    """invoice.deviation_found to the supplier and the region when the control found open deviations."""
    open_ = [d for d in deviations if d.accepted_at is None]
    if not open_:
        return
    record(
        FeedKind.INVOICE_DEVIATION_FOUND,
        invoice,
        region_id=invoice.region_id,
        supplier_id=invoice.supplier_id,
        data={
            "invoice_number": invoice.number,
            "invoiced_sek": str(invoice.invoiced_sek),
            "expected_sek": str(invoice.expected_sek),
            "open_deviations": len(open_),
            "kinds": sorted({d.kind for d in open_}),
            "deviation_sek": str(sum(d.amount_sek for d in open_)),
        },
    )


LINE_COLUMNS = (
    "invoice", "line_no", "source_row", "assignment_ref", "assignment", "date_from", "date_to", "kind",
    "quantity", "unit_price_sek", "amount_sek", "priced_quantity", "agreement_price_sek", "expected_sek",
)  # fmt: skip


def _store_lines(invoices: list[Invoice], lines: dict[int, list[InvoiceLine]]) -> None:
    """Insert the checked lines in batches and give them their primary keys (a file may have many)."""
    insert_rows(
        InvoiceLine,
        LINE_COLUMNS,
        (
            (
                invoice.pk,
                line.line_no,
                line.source_row,
                line.assignment_ref,
                line.assignment_id,
                line.date_from,
                line.date_to,
                line.kind,
                line.quantity,
                line.unit_price_sek,
                line.amount_sek,
                line.priced_quantity,
                line.agreement_price_sek,
                line.expected_sek,
            )  # fmt: skip
            for index, invoice in enumerate(invoices)
            for line in lines[index]
        ),
    )
    keys = InvoiceLine.objects.filter(invoice__in=invoices).values_list("invoice_id", "line_no", "pk")
    pks = {(invoice_id, line_no): pk for invoice_id, line_no, pk in keys}
    for index, invoice in enumerate(invoices):
        for line in lines[index]:
            line.invoice = invoice
            line.pk = pks[(invoice.pk, line.line_no)]
