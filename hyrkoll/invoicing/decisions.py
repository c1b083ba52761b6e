"""Deciding on a received invoice: accepting a deviation (with a reason), approving for payment,
rejecting (optionally recorded as an invoice error against the supplier) and checking again. Each
checks who acts, locks the invoice, moves its status with a compare-and-set update and writes the
audit trail."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hyrkoll.audit import services as audit
from hyrkoll.audit.models import AuditAction
from hyrkoll.feed.services import FeedKind, record
from hyrkoll.followup import region_figures
from hyrkoll.invoicing import control, permissions
from hyrkoll.invoicing.models import Invoice, InvoiceDeviation, InvoiceLine, InvoiceStatus
from hyrkoll.invoicing.receiving import feed_deviations
from hyrkoll.ordering.workflow import WorkflowError


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
    region_figures.changed(invoice.region_id)
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
    feed_deviations(stored, found)
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
