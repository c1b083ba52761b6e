"""Counts of related rows per listed row that stay cheap at national scale.

``Count("offers")`` in a list's queryset groups every row the user may see (ten years of a
region's call-offs or invoices) before the page is cut; a correlated subquery is evaluated only for
the rows the page shows (and for sorting or filtering by it, when the user asks for that).
"""

from __future__ import annotations

from typing import Any

from django.db.models import F, Func, IntegerField, QuerySet, Subquery
from django.db.models.functions import Coalesce


def correlated_count(related: QuerySet[Any]) -> Coalesce:
    """The number of ``related`` rows, which must be filtered on ``OuterRef(...)`` to the listed row:
    ``correlated_count(Offer.objects.filter(call_off=OuterRef("pk")))``; 0 when there are none."""
    counted = related.order_by().values(n=Func(F("pk"), function="COUNT"))
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)
