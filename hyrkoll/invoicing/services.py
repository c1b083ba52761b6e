"""Receiving, checking and deciding invoices.

Every way in (the supplier portal, the API, a file the region imports) ends in :func:`receive`, which
stores the invoices with their lines and what the control found, in one transaction. The same invoice
(same supplier, number and content) received again changes nothing; the same file imported again
changes nothing. Decisions (accepting a deviation, approving, rejecting) check who acts, move the
status with a compare-and-set update and write the audit trail.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from hyrkoll.assignments.models import Assignment
from hyrkoll.audit import services as audit
from hyrkoll.audit.models import AuditAction
from hyrkoll.feed.services import FeedKind, record
from hyrkoll.invoicing import control, permissions
from hyrkoll.invoicing.models import (
    Invoice,
    InvoiceDeviation,
    InvoiceFile,
    InvoiceLine,
    InvoiceSource,
    InvoiceStatus,
)
from hyrkoll.invoicing.parsing import (
    Errors,
    FileError,
    LineChecker,
    ParsedInvoice,
    check_total,
    read_file,
    sha256_of,
)
from hyrkoll.invoicing.peppol.reading import is_peppol_upload
from hyrkoll.lib.bulk import insert_rows
from hyrkoll.ordering.workflow import WorkflowError
from hyrkoll.organisation.models import Region

__all__ = ["WorkflowError", "receive", "import_file", "accept_deviation", "approve", "reject", "recheck"]


LINE_LABELS = {
    "assignment": _lazy("assignment"),
    "date_from": _lazy("from"),
    "date_to": _lazy("to"),
    "kind": _lazy("kind"),
    "quantity": _lazy("quantity"),
    "unit_price_sek": _lazy("unit price (SEK)"),
    "amount_sek": _lazy("amount (SEK)"),
}


@dataclass
class Received:
    created: list[Invoice] = field(default_factory=list)
    already_received: list[Invoice] = field(default_factory=list)


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
        _feed_deviations(invoice, found[index])
    result.created = invoices
    return result


def _feed_deviations(invoice: Invoice, deviations: list[InvoiceDeviation]) -> None:
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


def import_file(actor: Any, region: Region, data: bytes, filename: str) -> FileResult:
    """Import an invoice file for ``region``: all of it, or – with any error – nothing."""
    digest = sha256_of(data)
    earlier = InvoiceFile.objects.filter(region=region, sha256=digest).first()
    if earlier is not None:
        return FileResult(earlier, Received(), already_imported=True)
    if is_peppol_upload(data, filename):
        # Peppol documents (.xml/.zip); that module builds on this one.
        from hyrkoll.invoicing.peppol import importing

        return importing.import_file(actor, region, data, filename, digest)
    parsed, errors, count = read_file(data, filename)
    if errors:
        raise FileRejected(errors.items, errors.total)
    with transaction.atomic():
        record = InvoiceFile.objects.create(
            region=region,
            filename=filename[:255],
            sha256=digest,
            lines=count,
            imported_by=audit.acting_user(actor),
        )
        received = receive(actor, region, parsed, InvoiceSource.FILE, source_file=record)
        record.invoices = len(received.created)
        record.skipped_invoices = len(received.already_received)
        record.save(update_fields=["invoices", "skipped_invoices"])
        audit.record(actor, AuditAction.IMPORT, record, after={"sha256": digest, "lines": count})
    return FileResult(record, received)


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


# --- decisions ---------------------------------------------------------------------------------------------


def _lock(invoice: Invoice) -> Invoice:
    stored = Invoice.objects.select_for_update().get(pk=invoice.pk)
    if stored.status != InvoiceStatus.RECEIVED:
        raise WorkflowError(
            _("The invoice is '%(status)s'; it can no longer be changed.")
            % {"status": stored.get_status_display()}
        )
    return stored


def _require_controller(actor: Any, invoice: Invoice) -> None:
    if not permissions.can_decide(actor, invoice):
        raise WorkflowError(_("Only the region's call-off unit or the units' manager decides on invoices."))


@transaction.atomic
def accept_deviation(actor: Any, deviation: InvoiceDeviation, reason: str) -> InvoiceDeviation:
    """Accept a deviation so that the invoice can be approved anyway. Needs a reason."""
    _require_controller(actor, deviation.invoice)
    if not reason.strip():
        raise WorkflowError(_("Reason: say why the deviation is accepted."))
    _lock(deviation.invoice)
    updated = InvoiceDeviation.objects.filter(pk=deviation.pk, accepted_at__isnull=True).update(
        accepted_at=timezone.now(), accepted_by=audit.acting_user(actor), accept_reason=reason.strip()
    )
    if updated != 1:
        raise WorkflowError(_("The deviation is already accepted."))
    deviation.refresh_from_db()
    audit.record(
        actor,
        AuditAction.DECISION,
        deviation,
        before={"accepted": False},
        after={"accepted": True, "kind": deviation.kind, "amount_sek": str(deviation.amount_sek)},
        reason=reason.strip(),
    )
    return deviation


@transaction.atomic
def approve(actor: Any, invoice: Invoice, comment: str = "") -> Invoice:
    """Approve for payment: only an invoice without open deviations."""
    _require_controller(actor, invoice)
    stored = _lock(invoice)
    open_count = InvoiceDeviation.objects.filter(invoice=stored, accepted_at__isnull=True).count()
    if open_count:
        raise WorkflowError(
            _("%(count)d deviation(s) are open: accept each with a reason, or reject the invoice.")
            % {"count": open_count}
        )
    approved = _decide(actor, stored, InvoiceStatus.APPROVED, comment.strip())
    record(
        FeedKind.INVOICE_APPROVED,
        approved,
        region_id=approved.region_id,
        supplier_id=approved.supplier_id,
        data={"invoice_number": approved.number, "invoiced_sek": str(approved.invoiced_sek)},
    )
    return approved


@transaction.atomic
def reject(actor: Any, invoice: Invoice, comment: str, record_supplier_deviation: bool = False) -> Invoice:
    """Reject the invoice with a comment to the supplier; optionally recorded as an invoice error
    against the supplier (it counts towards the agreement's escalation)."""
    _require_controller(actor, invoice)
    if not comment.strip():
        raise WorkflowError(_("Comment: say why the invoice is rejected."))
    stored = _lock(invoice)
    decided = _decide(actor, stored, InvoiceStatus.REJECTED, comment.strip())
    if record_supplier_deviation:
        from hyrkoll.compliance import services as compliance  # the supplier-deviation register

        compliance.record_deviation(
            actor,
            supplier=stored.supplier,
            region=stored.region,
            kind="invoice_error",
            description=_("Invoice %(number)s rejected: %(comment)s")
            % {"number": stored.number, "comment": comment.strip()},
            occurred_on=timezone.localdate(),
            enforce_role=False,  # whoever may reject the invoice records the error with it
        )
    return decided


def _decide(actor: Any, invoice: Invoice, to: str, comment: str) -> Invoice:
    updated = Invoice.objects.filter(pk=invoice.pk, status=InvoiceStatus.RECEIVED).update(
        status=to, decided_by=audit.acting_user(actor), decided_at=timezone.now(), decision_comment=comment
    )
    if updated != 1:
        raise WorkflowError(_("Someone else decided on the invoice; reload it."))
    invoice.refresh_from_db()
    audit.record(
        actor,
        AuditAction.DECISION,
        invoice,
        before={"status": InvoiceStatus.RECEIVED},
        after={"status": to, "invoiced_sek": str(invoice.invoiced_sek)},
        reason=comment,
    )
    return invoice


@transaction.atomic
def recheck(actor: Any, invoice: Invoice) -> Invoice:
    """Check again (e.g. after more time was approved). An accepted deviation that is found again
    stays accepted; the others are replaced by what is found now."""
    _require_controller(actor, invoice)
    stored = _lock(invoice)
    lines = list(InvoiceLine.objects.filter(invoice=stored).order_by("line_no"))
    accepted = {
        (d.line_id, d.kind, d.amount_sek): d
        for d in InvoiceDeviation.objects.filter(invoice=stored, accepted_at__isnull=False)
    }
    found = control.check([stored], {0: lines})[0]
    before = {"deviation_sek": str(stored.deviation_sek), "expected_sek": str(stored.expected_sek)}
    InvoiceDeviation.objects.filter(invoice=stored).delete()
    for deviation in found:
        earlier = accepted.get(
            (deviation.line.pk if deviation.line else None, deviation.kind, deviation.amount_sek)
        )
        if earlier is not None:
            deviation.accepted_at = earlier.accepted_at
            deviation.accepted_by_id = earlier.accepted_by_id
            deviation.accept_reason = earlier.accept_reason
    InvoiceDeviation.objects.bulk_create(found)
    _feed_deviations(stored, found)
    InvoiceLine.objects.bulk_update(
        lines, ["assignment", "priced_quantity", "agreement_price_sek", "expected_sek"], batch_size=500
    )
    stored.checked_at = timezone.now()
    stored.save(update_fields=["invoiced_sek", "expected_sek", "checked_at"])
    audit.record(
        actor,
        AuditAction.UPDATE,
        stored,
        before=before,
        after={"deviation_sek": str(stored.deviation_sek), "expected_sek": str(stored.expected_sek)},
        reason=_("Checked again"),
    )
    return stored
