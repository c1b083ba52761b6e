"""The API's lists: ``limit``/``offset`` with the total ``count`` (DRF's LimitOffsetPagination, the
documented interface), where a list may count its rows by a cheaper query that gives the same number.

A supplier's call-offs are the call-offs with a recipient row for the supplier: counting them through
the join reads every call-off it ever received (a third of a second at 175,000, growing with ten years
of history), counting its recipient rows reads one index – and at national scale (~870,000 rows for
a big supplier) that count is read from a tally the database keeps (``hyrkoll.lib.tallies``).
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.request import Request

from hyrkoll.accounts.models import Scope


class ListPagination(LimitOffsetPagination):
    """Asks the view's ``count_rows(queryset)`` first (None: count the queryset as usual)."""

    view: Any = None

    def paginate_queryset(self, queryset: QuerySet[Any], request: Request, view: Any = None) -> Any:
        self.view = view
        return super().paginate_queryset(queryset, request, view)

    def get_count(self, queryset: QuerySet[Any]) -> int:
        counter = getattr(self.view, "count_rows", None)
        count = counter(queryset) if counter is not None else None
        return count if count is not None else super().get_count(queryset)


def unfiltered_supplier(request: Request, *filters: str) -> int | None:
    """The caller's supplier when a supplier user (not a superuser, who sees every row) lists with
    none of ``filters`` given: their list is then every row of their supplier. Else None."""
    user = request.user
    if getattr(user, "scope", None) != Scope.SUPPLIER or getattr(user, "is_superuser", False):
        return None
    if any(request.query_params.get(name, "").strip() for name in filters):
        return None
    return getattr(user, "supplier_id", None)
