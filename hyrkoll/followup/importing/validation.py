"""Validating a file's header and the key cells of its rows (region, month, code, profession, care
area), with the message each bad value gets."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.utils.translation import gettext as _

from hyrkoll.followup.importing.errors import ErrorList
from hyrkoll.followup.importing.formats import CARE_AREAS, COSTS, PROFESSIONS, FileKind, fold
from hyrkoll.followup.importing.values import month_of, region_code, text
from hyrkoll.followup.models import MetricKind
from hyrkoll.organisation.models import Region

Resolved = tuple[Any, str | None]  # (value, None) or (None, message)
Key = tuple[str, datetime.date, str, str, str]


class Header:
    """Where each column is, and its name as the file writes it (for messages)."""

    def __init__(self, kind: FileKind, values: Iterable[Any], number: int, errors: ErrorList) -> None:
        self.index: dict[str, int] = {}
        self.names: dict[str, str] = {}
        for position, value in enumerate(values):
            written = text(value)
            column = kind.headers.get(fold(written))
            if column is None:
                continue  # extra columns are ignored
            if column in self.index:
                errors.add(
                    number,
                    written,
                    written,
                    _("the column %(column)s is given twice.") % {"column": column},
                )
                continue
            self.index[column] = position
            self.names[column] = written.lstrip("\ufeff")
        self.width = max(self.index.values(), default=-1) + 1
        for column in kind.required:
            if column not in self.index:
                errors.add(
                    number,
                    column,
                    "",
                    _("missing column; the first row must name the columns %(columns)s.")
                    % {"columns": ",".join(kind.required)},
                )

    def name(self, column: str) -> str:
        return self.names.get(column, column)


class KeyResolver:
    """Validates the five key cells of a row. Each column's results are cached per distinct raw
    cell, and whole keys per distinct raw tuple, so a ledger's millions of lines cost a few
    dictionary look-ups each. ``column(name)`` validates the values of one column alone (the
    columnar reader asks for each distinct value once)."""

    def __init__(self, kind: FileKind, header: Header, region: Region | None) -> None:
        self.kind = kind
        self.header = header
        self.codes = dict(Region.objects.values_list("code", "name"))
        self.only_region = region
        self.cache: dict[tuple[Any, ...], Any] = {}
        self.columns = kind.key_columns
        self.resolvers = (self.region, self.period, self.code, self.profession, self.care_area)
        self.column_caches: tuple[dict[Any, Resolved], ...] = tuple({} for _column in self.columns)

    def __call__(self, raw: tuple[Any, ...]) -> Key | list[tuple]:
        resolved = []
        for value, cache, resolver in zip(raw, self.column_caches, self.resolvers, strict=True):
            result = cache.get(value)
            if result is None:
                result = cache[value] = resolver(value)
            resolved.append(result)
        if all(message is None for _value, message in resolved):
            return tuple(value for value, _message in resolved)  # type: ignore[return-value]
        return [
            (self.header.name(column), value, message)
            for column, value, (_resolved, message) in zip(self.columns, raw, resolved, strict=True)
            if message is not None
        ]

    def resolve_column(self, position: int, raw: Any) -> Resolved:
        """One cell of the key column at ``position`` (0–4), cached like the whole keys."""
        cache = self.column_caches[position]
        result = cache.get(raw)
        if result is None:
            result = cache[raw] = self.resolvers[position](raw)
        return result

    def region(self, raw: Any) -> Resolved:
        code = region_code(raw)
        if not code:
            return None, _("required.")
        if code not in self.codes:
            return None, _("unknown region code %(value)s (use the two-digit county code, 01–25).") % {
                "value": text(raw)
            }
        if self.only_region is not None and code != self.only_region.code:
            return None, _("the file may only hold rows of %(region)s (%(code)s).") % {
                "region": self.only_region.name,
                "code": self.only_region.code,
            }
        return code, None

    def period(self, raw: Any) -> Resolved:
        month = month_of(raw)
        if month is not None:
            return month, None
        written = text(raw)
        return None, (
            _("required.") if not written else _("%(value)s is not a month (YYYY-MM).") % {"value": written}
        )

    def code(self, raw: Any) -> Resolved:
        code = self.kind.codes.get(fold(text(raw)))
        if code is not None:
            return code, None
        written = text(raw)
        if not written:
            return None, _("required.")
        if self.kind is COSTS:
            return None, _("unknown cost type %(value)s (use hired, own, internal_pool or overtime).") % {
                "value": written
            }
        return None, _("unknown indicator %(value)s (use %(codes)s).") % {
            "value": written,
            "codes": ", ".join(MetricKind.values),
        }

    def profession(self, raw: Any) -> Resolved:
        profession = PROFESSIONS.get(fold(text(raw)))
        if profession is not None:
            return profession, None
        return None, _("unknown profession %(value)s (use doctor, nurse, other or leave it empty).") % {
            "value": text(raw)
        }

    def care_area(self, raw: Any) -> Resolved:
        care_area = CARE_AREAS.get(fold(text(raw)))
        if care_area is not None:
            return care_area, None
        return None, _(
            "unknown care area %(value)s (use primary, psychiatry, somatic or leave it empty)."
        ) % {"value": text(raw)}
