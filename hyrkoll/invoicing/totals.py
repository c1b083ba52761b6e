"""The invoice list's totals (count, invoiced, expected, deviation) of an unfiltered list, read from
``RegionInvoiceTotals`` – kept by triggers – instead of aggregating the rows: a large region's
aggregate over its ~230,000 invoices was the load benchmark's most expensive statement (101 ms)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from hyrkoll.invoicing.models import RegionInvoiceTotals
from hyrkoll.lib import sums


def kept_totals(user: Any) -> dict[str, Any] | None:
    """The totals of every invoice ``user`` may see, as ``invoice_list``'s aggregate gives them
    (sums None without invoices, as ``Sum`` over no rows), or None where they are not kept – a
    supplier user, a database without the triggers – and the caller aggregates.

    Mirrors ``Invoice.objects.visible_to``: the national level and superusers see every invoice (the
    sum of the regions' rows), a region user their region's (``scope_region_path`` is ``region``)."""
    kept = sums.region_rows(RegionInvoiceTotals, user)
    if kept is None:
        return None
    count, invoiced, expected = 0, Decimal(0), Decimal(0)
    # Summed here, exactly (at most 21 rows): on SQLite a SQL sum() of the REAL columns could drift.
    for invoices, invoiced_sek, expected_sek in kept.values_list("invoices", "invoiced_sek", "expected_sek"):
        count += invoices
        invoiced += invoiced_sek
        expected += expected_sek
    if not count:
        return {"invoiced": None, "expected": None, "deviation": None, "count": 0}
    return {"invoiced": invoiced, "expected": expected, "deviation": invoiced - expected, "count": count}
