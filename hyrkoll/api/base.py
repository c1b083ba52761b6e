"""What the API's views share: the scoped read-only viewset and the query-parameter readers.

Every queryset starts from ``Model.objects.visible_to(request.user)`` (``hyrkoll.lib.scoping``),
including the ones prefetched for nested lists, so a user sees through the API exactly what the
web app shows them. Query-parameter filters only narrow that further. The one exception: rows that
belong to exactly one scoped parent and say nothing beyond it (an offer's checks) are read by the
ids of the parents shown.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Model, QuerySet
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from rest_framework import viewsets
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from hyrkoll.api.schema import ApiAutoSchema


def query_date(request: Request, name: str) -> datetime.date | None:
    """The query parameter ``name`` as a date, ``None`` if absent; a 400 naming it if malformed."""
    raw = request.query_params.get(name, "").strip()
    if not raw:
        return None
    try:
        value = parse_date(raw)
    except ValueError:  # well-formed but impossible, e.g. 2026-02-30
        value = None
    if value is None:
        raise ValidationError(
            {name: [_("%(parameter)s must be a date in the format YYYY-MM-DD.") % {"parameter": name}]}
        )
    return value


# The years a query parameter may name: a year's arithmetic (the previous year, rolling 12 months)
# stays inside what dates and the databases hold.
FIRST_YEAR, LAST_YEAR = 1900, 2999
# A 64-bit signed integer, the widest the databases compare with an id.
INT_RANGE = (-(2**63), 2**63 - 1)


def query_int(
    request: Request, name: str, *, minimum: int = INT_RANGE[0], maximum: int = INT_RANGE[1]
) -> int | None:
    """The query parameter ``name`` as an integer, ``None`` if absent; a 400 naming it if malformed
    or outside ``minimum``–``maximum``."""
    raw = request.query_params.get(name, "").strip()
    if not raw:
        return None
    try:
        value = int(raw)
    except ValueError:
        message = _("%(parameter)s must be a whole number.") % {"parameter": name}
        raise ValidationError({name: [message]}) from None
    if not minimum <= value <= maximum:
        message = _("%(parameter)s must be between %(minimum)s and %(maximum)s.") % {
            "parameter": name,
            "minimum": minimum,
            "maximum": maximum,
        }
        raise ValidationError({name: [message]})
    return value


def query_str(request: Request, name: str) -> str | None:
    """The query parameter ``name``, ``None`` if absent; a 400 naming it if it holds a NUL character
    (which no stored text contains, and which PostgreSQL refuses to compare: a 500 otherwise)."""
    value = request.query_params.get(name, "").strip()
    if "\x00" in value:
        message = _("%(parameter)s must not contain a NUL character.") % {"parameter": name}
        raise ValidationError({name: [message]})
    return value or None


class ScopedReadOnlyViewSet(viewsets.ReadOnlyModelViewSet):
    """A read-only viewset whose rows are the ones the caller may see.

    Subclasses set ``model`` and may override ``scoped_queryset`` (to add select/prefetch) and
    ``filter_list`` (query-parameter filters, applied to the list only).
    """

    model: type[Model]
    schema = ApiAutoSchema()

    def visible(self, model: type[Model]) -> QuerySet[Any]:
        return model.objects.visible_to(self.request.user)  # type: ignore[attr-defined]

    def scoped_queryset(self) -> QuerySet[Any]:
        return self.visible(self.model)

    def filter_list(self, queryset: QuerySet[Any]) -> QuerySet[Any]:
        return queryset

    def get_queryset(self) -> QuerySet[Any]:
        queryset = self.scoped_queryset()
        if self.action == "list":
            queryset = self.filter_list(queryset)
        return queryset

    def get_object(self) -> Any:
        # No row has a NUL in its code, and PostgreSQL refuses to compare one (a 500 otherwise).
        if "\x00" in str(self.kwargs.get(self.lookup_url_kwarg or self.lookup_field, "")):
            raise NotFound()
        return super().get_object()


class FlatListMixin:
    """A list read as flat rows (``values_list``) rather than model instances fed through the serializer.

    For lists clients read in pages of hundreds of rows (a supplier's system reads every consultant at
    its start): 500 consultants with their supplier, profession and competence took ~60 ms to build
    as instances and serialize, against a few milliseconds as tuples. ``flat_fields`` maps each key of
    the serializer's output to the ORM path of its value, in the serializer's order; the detail view
    keeps the serializer, and a test holds the two to the same JSON.
    """

    flat_fields: dict[str, str]

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        rows = self.filter_queryset(self.get_queryset()).values_list(*self.flat_fields.values())  # type: ignore[attr-defined]
        names = tuple(self.flat_fields)
        page = self.paginate_queryset(rows)  # type: ignore[attr-defined]
        if page is None:
            return Response([dict(zip(names, row, strict=True)) for row in rows])
        return self.get_paginated_response([dict(zip(names, row, strict=True)) for row in page])  # type: ignore[attr-defined]
