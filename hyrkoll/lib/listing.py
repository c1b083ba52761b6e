"""Sortable columns and filters for the list pages, kept in the URL.

A view declares what its list may be sorted and filtered by and hands over the rows the user may
see; :class:`Listing` reads the query string and narrows and orders those rows::

    listing = Listing(
        request,
        Need.objects.visible_to(user),
        sorts={"reference": "pk", "unit": "unit__name", "starts": "starts_on"},
        filters=[ChoiceFilter("status", _("Status"), "status", NeedStatus.choices), ...],
    )
    rows = listing.rows

- ``?sort=<key>`` / ``?sort=-<key>``: only the keys in ``sorts`` (each maps to one or more ORM
  fields); the primary key is always added last so that pages never repeat or skip a row. An
  unknown key is ignored (the view's own order stays).
- The filters are a plain Django form bound to the query string. A value that does not validate
  (an unknown status, a date that is not one, another region's id) is ignored, never an error.
- Filters only narrow: they apply to the queryset the view passes in, which is already scoped to
  what the user may see (``visible_to`` and friends). The choices of a model filter should be
  scoped as well, so that nobody is offered another region's names, but a forged id can still only
  narrow the user's own rows.

Templates render the filter form with ``{% include "includes/list_filters.html" %}`` and the
column headers with ``{% sort_header listing "key" _("Label") %}`` (``listing_tags``).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django import forms
from django.db.models import F, Q, QuerySet
from django.db.models.expressions import OrderBy
from django.http import HttpRequest, QueryDict
from django.utils.translation import gettext_lazy as _

SORT_PARAM = "sort"
PAGE_PARAM = "page"


class DateInput(forms.DateInput):
    """The browser's date picker; the value travels as ISO ``YYYY-MM-DD`` in the URL."""

    input_type = "date"

    def __init__(self) -> None:
        super().__init__(format="%Y-%m-%d")


# --- filters -------------------------------------------------------------------------------------


def narrow(rows: QuerySet, lookup: Mapping[str, Any], *, multi_valued: bool = False) -> QuerySet:
    """``rows.filter(**lookup)``; across a to-many relation by id, since a join would repeat rows
    and upset the list's own counts."""
    if multi_valued:
        return rows.filter(pk__in=rows.model._default_manager.filter(**lookup).values("pk"))
    return rows.filter(**lookup)


class Filter:
    """One or more form fields and how their cleaned values narrow the rows."""

    def fields(self) -> dict[str, forms.Field]:
        raise NotImplementedError

    def apply(self, rows: QuerySet, values: Mapping[str, Any]) -> QuerySet:
        raise NotImplementedError


@dataclass
class ChoiceFilter(Filter):
    """``?<name>=<value>`` among fixed choices (a status, an event kind): ``<field> = value``."""

    name: str
    label: Any
    field: str
    choices: Iterable[tuple[Any, Any]]
    blank_label: Any = _("All")
    multi_valued: bool = False  # ``field`` crosses a to-many relation (see ``narrow``)

    def fields(self) -> dict[str, forms.Field]:
        choices = [("", self.blank_label), *((str(value), label) for value, label in self.choices)]
        return {self.name: forms.ChoiceField(label=self.label, choices=choices, required=False)}

    def apply(self, rows: QuerySet, values: Mapping[str, Any]) -> QuerySet:
        value = values.get(self.name)
        if value in (None, ""):
            return rows
        return narrow(rows, {self.field: value}, multi_valued=self.multi_valued)


@dataclass
class ModelFilter(Filter):
    """``?<name>=<pk>`` among the rows of ``queryset`` (a region, a supplier, a competence)."""

    name: str
    label: Any
    field: str
    queryset: QuerySet
    blank_label: Any = _("All")
    multi_valued: bool = False  # ``field`` crosses a to-many relation (see ``narrow``)
    to_field_name: str | None = None  # the value in the URL, if not the id (a region's code)

    def fields(self) -> dict[str, forms.Field]:
        field = forms.ModelChoiceField(
            label=self.label,
            queryset=self.queryset,
            required=False,
            empty_label=self.blank_label,
            to_field_name=self.to_field_name,
        )
        return {self.name: field}

    def apply(self, rows: QuerySet, values: Mapping[str, Any]) -> QuerySet:
        value = values.get(self.name)
        if value is None:
            return rows
        return narrow(rows, {self.field: value.pk}, multi_valued=self.multi_valued)


@dataclass
class OptionFilter(Filter):
    """``?<name>=<option>`` where each option is a condition (``{"open": (_("With open ..."),
    Q(open_count__gt=0))}``)."""

    name: str
    label: Any
    options: Mapping[str, tuple[Any, Q]]

    def fields(self) -> dict[str, forms.Field]:
        choices = [("", _("All")), *((value, label) for value, (label, _q) in self.options.items())]
        return {self.name: forms.ChoiceField(label=self.label, choices=choices, required=False)}

    def apply(self, rows: QuerySet, values: Mapping[str, Any]) -> QuerySet:
        option = self.options.get(values.get(self.name) or "")
        return rows.filter(option[1]) if option is not None else rows


@dataclass
class BooleanFilter(Filter):
    """``?<name>=yes|no`` (e.g. "with dispensation"): ``<field> = True/False``."""

    name: str
    label: Any
    field: str
    yes_label: Any = _("Yes")
    no_label: Any = _("No")

    def fields(self) -> dict[str, forms.Field]:
        choices = [("", _("All")), ("yes", self.yes_label), ("no", self.no_label)]
        return {self.name: forms.ChoiceField(label=self.label, choices=choices, required=False)}

    def apply(self, rows: QuerySet, values: Mapping[str, Any]) -> QuerySet:
        value = values.get(self.name)
        if value in ("yes", "no"):
            return rows.filter(**{self.field: value == "yes"})
        return rows


@dataclass
class TextFilter(Filter):
    """``?<name>=text``: any of ``fields`` contains the text (case-insensitive)."""

    name: str
    label: Any
    search_fields: Sequence[str]
    multi_valued: bool = False  # a field crosses a to-many relation (see ``narrow``)

    def fields(self) -> dict[str, forms.Field]:
        return {self.name: forms.CharField(label=self.label, required=False, max_length=100)}

    def apply(self, rows: QuerySet, values: Mapping[str, Any]) -> QuerySet:
        text = (values.get(self.name) or "").strip()
        if not text:
            return rows
        condition = Q()
        for field in self.search_fields:
            condition |= Q(**{f"{field}__icontains": text})
        if self.multi_valued:
            return rows.filter(pk__in=rows.model._default_manager.filter(condition).values("pk"))
        return rows.filter(condition)


@dataclass
class PeriodFilter(Filter):
    """``?from=YYYY-MM-DD&to=YYYY-MM-DD``: rows whose period touches the chosen one.

    ``start`` and ``end`` name the row's first and last day (the same field for a single date; add
    ``__date`` for a date-time so that the day is compared, not the instant)."""

    label: Any
    start: str
    end: str | None = None
    from_name: str = "from"
    to_name: str = "to"

    def fields(self) -> dict[str, forms.Field]:
        return {
            self.from_name: forms.DateField(
                label=_("%(period)s from") % {"period": self.label},
                required=False,
                widget=DateInput(),
            ),
            self.to_name: forms.DateField(
                label=_("%(period)s to") % {"period": self.label},
                required=False,
                widget=DateInput(),
            ),
        }

    def apply(self, rows: QuerySet, values: Mapping[str, Any]) -> QuerySet:
        first: datetime.date | None = values.get(self.from_name)
        last: datetime.date | None = values.get(self.to_name)
        if first is not None:
            rows = rows.filter(**{f"{self.end or self.start}__gte": first})
        if last is not None:
            rows = rows.filter(**{f"{self.start}__lte": last})
        return rows


# --- the listing ---------------------------------------------------------------------------------


class FilterForm(forms.Form):
    """The filters of one list (fields added by :class:`Listing`)."""


@dataclass(frozen=True)
class Header:
    """What a sortable column header shows: its link, ``aria-sort`` and the arrow."""

    label: str
    href: str
    aria_sort: str  # "ascending", "descending" or "" (not sorted by this column)

    @property
    def arrow(self) -> str:
        return {"ascending": "▲", "descending": "▼"}.get(self.aria_sort, "")


class Listing:
    """A list's rows filtered and sorted by the query string (see the module docstring)."""

    def __init__(
        self,
        request: HttpRequest,
        rows: QuerySet,
        *,
        sorts: Mapping[str, str | Sequence[str]] | None = None,
        filters: Sequence[Filter | None] = (),
    ) -> None:
        self.params: QueryDict = request.GET
        self.sorts = {
            key: (fields,) if isinstance(fields, str) else tuple(fields)
            for key, fields in (sorts or {}).items()
        }
        self.filters = [each for each in filters if each is not None]
        fields: dict[str, forms.Field] = {}
        for each in self.filters:
            fields.update(each.fields())  # built once: a model filter's field is not cheap
        self.form = FilterForm(self.params if any(self.params.get(name) for name in fields) else None)
        self.form.fields.update(fields)
        self.sort_key, self.descending = self._parse_sort(self.params.get(SORT_PARAM, ""))
        self.rows = self._sorted(self.filtered(rows))

    def _parse_sort(self, value: str) -> tuple[str, bool]:
        descending = value.startswith("-")
        key = value[1:] if descending else value
        return (key, descending) if key in self.sorts else ("", False)

    def _valid_values(self) -> dict[str, Any] | None:
        """The filter form's cleaned values, or None when no filter is given. A field that does not
        validate is left out of them: the list ignores it."""
        if not self.form.is_bound:
            return None
        self.form.is_valid()
        return self.form.cleaned_data

    def filtered(self, rows: QuerySet) -> QuerySet:
        """``rows`` with the list's filters (the list's own rows, or another set, e.g. a part of it)."""
        values = self._valid_values()
        for each in self.filters if values is not None else ():
            rows = each.apply(rows, values)
        return rows

    def _sorted(self, rows: QuerySet) -> QuerySet:
        if not self.sort_key:
            return rows
        ordering: list[OrderBy] = []
        for field in (*self.sorts[self.sort_key], "pk"):
            expression = F(field)
            # NULLs last both ways, on SQLite and PostgreSQL alike (their defaults differ).
            ordering.append(
                expression.desc(nulls_last=True) if self.descending else expression.asc(nulls_last=True)
            )
        return rows.order_by(*ordering)

    # --- for the templates ---

    @property
    def is_filtered(self) -> bool:
        return self.form.is_bound

    def narrowing(self) -> dict[str, Any]:
        """The filter fields that narrow the rows: the valid values given, by field name (a value
        that does not validate is ignored, as the rows ignore it). Empty: the rows are the list's
        own, whatever the query string holds – a number kept for them may be shown."""
        values = self._valid_values() or {}
        return {name: value for name, value in values.items() if value not in (None, "")}

    @property
    def query(self) -> str:
        """The current filters and sort without the page (for page and download links)."""
        return query_without_page(self.params)

    def header(self, key: str, label: str) -> Header:
        """The header of the column sorted by ``key``: a link that sorts by it, ascending first,
        and the other way round when the list is already sorted ascending by it."""
        if key not in self.sorts:
            raise KeyError(f"{key!r} is not a sort key of this list")
        params = self.params.copy()
        params.pop(PAGE_PARAM, None)
        current = key == self.sort_key
        params[SORT_PARAM] = f"-{key}" if current and not self.descending else key
        aria_sort = ("descending" if self.descending else "ascending") if current else ""
        return Header(label=label, href=f"?{params.urlencode()}", aria_sort=aria_sort)


def query_without_page(params: QueryDict) -> str:
    """The query string without ``page`` (empty values dropped to keep shared links short)."""
    kept = QueryDict(mutable=True)
    for name, values in params.lists():
        if name == PAGE_PARAM:
            continue
        for value in values:
            if value != "":
                kept.appendlist(name, value)
    return kept.urlencode()


def region_filter(user: Any, field: str = "region", *, by_code: bool = False) -> ModelFilter | None:
    """The region filter for a user who sees several regions (the national level); ``None`` –
    no filter – for a region user, who sees one region only. ``by_code``: ``?region=14`` (the
    county code, as the compliance pages have it) instead of the id."""
    from hyrkoll.organisation.models import Region

    if not (user.is_superuser or getattr(user, "is_national", False)):
        return None
    regions = Region.objects.order_by("code" if by_code else "name")
    return ModelFilter("region", _("Region"), field, regions, to_field_name="code" if by_code else None)
