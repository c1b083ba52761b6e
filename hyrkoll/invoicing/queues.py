"""The invoice work queues on the start page: what waits for the region's decision."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.db.models import Count, Exists, Min, OuterRef
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from hyrkoll.invoicing.models import Invoice, InvoiceDeviation, InvoiceStatus
from hyrkoll.ordering import permissions
from hyrkoll.ordering.queues import Queue


def invoice_queues(user: Any) -> list[Queue]:
    """For the region's call-off unit: received invoices with open deviations, and clean ones."""
    region_id = getattr(user, "region_id", None)
    if region_id is None or not permissions.is_call_off_unit(user, region_id):
        return []
    open_deviation = InvoiceDeviation.objects.filter(invoice=OuterRef("pk"), accepted_at__isnull=True)
    received = Invoice.objects.visible_to(user).filter(status=InvoiceStatus.RECEIVED)
    queues = []
    for key, label, description, rows, deviations in (
        (
            "invoices_deviating",
            _("Invoices with deviations"),
            _("Accept each deviation with a reason, or reject the invoice."),
            received.filter(Exists(open_deviation)),
            "open",
        ),
        (
            "invoices_clean",
            _("Clean invoices to approve"),
            _("Every line matches approved time at the agreement's price."),
            received.exclude(Exists(open_deviation)),
            "none",
        ),
    ):
        figures = rows.order_by().aggregate(count=Count("pk"), oldest=Min("received_at"))
        url = f"{reverse('invoicing:list')}?{urlencode({'status': 'received', 'deviations': deviations})}"
        queues.append(Queue(key, label, figures["count"], figures["oldest"], url, description))
    return queues
