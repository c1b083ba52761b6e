"""How many invoices a supplier has: the exact total of its unfiltered invoice list."""

from __future__ import annotations

from hyrkoll.invoicing.models import Invoice, SupplierInvoiceTally
from hyrkoll.lib import tallies


def invoices_count(supplier_id: int) -> int:
    """The supplier's invoices and credit notes (every status): read from its tally, kept by
    triggers, where the database keeps tallies; else counted from the invoices' supplier index."""
    found = tallies.count_of(SupplierInvoiceTally, "invoices", supplier_id)
    return found if found is not None else Invoice.objects.filter(supplier_id=supplier_id).count()
