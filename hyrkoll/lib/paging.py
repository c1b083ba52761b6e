"""Paging a list made of parts, each read from its own index: two orders one after the other, or
one order over disjoint parts.

A list such as "the open call-offs by soonest deadline, then all others newest first" is two
querysets, each served by its own index. Sorting the union in one query makes the database read and
sort every row the user may see before it can cut the page; :class:`ConcatenatedRows` instead hands
Django's ``Paginator`` a sequence that counts each part and fetches only the slice of each part that
the page needs (``LIMIT``/``OFFSET`` on the part's own order)::

    rows = ConcatenatedRows(open_call_offs, other_call_offs)
    page = Paginator(rows, 50).get_page(number)

Querysets as parts are counted in one query (:func:`count_in_one_query`); ``counts`` may give the
parts' sizes another way (e.g. from a cheaper query that finds the same numbers). ``prepare`` is
called once with the rows of each slice (e.g. to attach figures for just the shown rows).

A list in one order whose rows meet either of two conditions ("the needs of my units, or the needs I
created") is :class:`MergedRows`: each part read in that order only as far as the page reaches, the
parts' keys merged, then the page's rows read by their ids::

    rows = MergedRows(needs, of_my_units, created_elsewhere, order=("-created_at", "-pk"))
"""

from __future__ import annotations

import heapq
import itertools
from collections.abc import Callable, Sequence
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import QuerySet


class _RowsOfParts:
    """What ``Paginator`` asks of a list made of parts – its size and its slices – given the parts'
    sizes (``part_counts``) and the rows between two positions (``_rows``)."""

    ordered = True  # each part has its order (Paginator warns about unordered lists)

    def part_counts(self) -> list[int]:
        raise NotImplementedError

    def _rows(self, start: int, stop: int) -> list[Any]:
        """The rows from ``start`` up to ``stop`` (``0 <= start < stop <= count``)."""
        raise NotImplementedError

    def count(self) -> int:
        return sum(self.part_counts())

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index: int | slice) -> Any:
        if isinstance(index, slice):
            if index.step not in (None, 1):
                raise ValueError("only contiguous slices are supported")
            start, stop, _step = index.indices(self.count())
            return self._rows(start, stop) if start < stop else []
        if not isinstance(index, int):
            raise TypeError(f"indices must be integers or slices, not {type(index).__name__}")
        total = self.count()
        position = index + total if index < 0 else index
        if not 0 <= position < total:
            raise IndexError("index out of range")
        return self._rows(position, position + 1)[0]

    def __iter__(self) -> Any:
        return iter(self[:])


class ConcatenatedRows(_RowsOfParts):
    """The rows of ``parts`` one after the other, for ``Paginator`` (``count()`` and slicing)."""

    def __init__(
        self,
        *parts: Any,
        counts: Callable[[], Sequence[int]] | None = None,
        prepare: Callable[[list[Any]], None] | None = None,
    ) -> None:
        self.parts = parts
        self._count_parts = counts
        self._prepare = prepare
        self._counts: list[int] | None = None

    def part_counts(self) -> list[int]:
        """How many rows each part has (counted once)."""
        if self._counts is None:
            if self._count_parts is not None:
                self._counts = [int(each) for each in self._count_parts()]
                if len(self._counts) != len(self.parts):
                    raise ValueError("counts() must give one number per part")
            elif self.parts and all(isinstance(part, QuerySet) for part in self.parts):
                self._counts = count_in_one_query(*self.parts)
            else:
                self._counts = [_count(part) for part in self.parts]
        return self._counts

    def _rows(self, start: int, stop: int) -> list[Any]:
        rows: list[Any] = []
        offset = 0  # where the current part begins in the whole
        for part, size in zip(self.parts, self.part_counts(), strict=True):
            first, last = max(start - offset, 0), min(stop - offset, size)
            if first < last:
                rows.extend(part[first:last])
            offset += size
            if offset >= stop:
                break
        if rows and self._prepare is not None:
            self._prepare(rows)
        return rows


class MergedRows(_RowsOfParts):
    """The rows of the disjoint querysets ``parts`` in one ``order``, for ``Paginator``.

    With the condition "in one part or the other" in one query, the database has to find every row
    of both, sort them and cut the page; PostgreSQL also misjudges how many rows such an OR keeps
    (an orderer's 12,000 needs at national scale taken for 401: a bitmap of all of them and a sort,
    50–96 ms). Each part alone is read in ``order`` from an index of its own and stops after the
    page: a page's slice ``[start:stop]`` reads the first ``stop`` keys of each part, merges them and
    reads the ``stop - start`` rows from ``rows`` (the list's queryset, with its joins) by id.

    ``order``: fields that all go one way (all ascending or all "-" descending), not null, the last
    one ``pk``. ``counts``: the parts' sizes when the caller has them (an empty part is
    then not read).
    """

    def __init__(
        self, rows: QuerySet, *parts: QuerySet, order: Sequence[str], counts: Sequence[int] | None = None
    ) -> None:
        directions = {field.startswith("-") for field in order}
        if len(directions) != 1:
            raise ValueError("the fields of order must all go one way")
        if not order or order[-1].lstrip("-") != "pk":
            raise ValueError("the last field of order must be pk")
        if counts is not None and len(counts) != len(parts):
            raise ValueError("counts must give one number per part")
        self.rows = rows
        self.parts = parts
        self.order = tuple(order)
        self.descending = directions.pop()
        self.fields = [field.lstrip("-") for field in order]
        self._counts = list(counts) if counts is not None else None

    def part_counts(self) -> list[int]:
        if self._counts is None:
            self._counts = count_in_one_query(*self.parts)
        return self._counts

    def _rows(self, start: int, stop: int) -> list[Any]:
        keys = heapq.merge(
            *(
                part.order_by(*self.order).values_list(*self.fields)[:stop]
                for part, size in zip(self.parts, self.part_counts(), strict=True)
                if size
            ),
            reverse=self.descending,
        )
        ids = [key[-1] for key in itertools.islice(keys, start, stop)]
        found = self.rows.order_by().in_bulk(ids)
        return [found[pk] for pk in ids if pk in found]


def count_in_one_query(*querysets: QuerySet) -> list[int]:
    """``[q.count() for q in querysets]`` in one round trip: ``SELECT (SELECT COUNT(*) FROM (…)),
    …`` – each count planned on its own, as ``count()`` would be (the querysets share a database)."""
    if not querysets:
        return []
    database = querysets[0].db
    if any(each.db != database for each in querysets):
        raise ValueError("the querysets must come from one database")
    parts: list[str] = []
    params: list[Any] = []
    for each in querysets:
        query = each.values("pk").query
        query.clear_ordering(force=False)  # kept if sliced: the slice depends on it
        try:
            sql, each_params = query.sql_with_params()
        except EmptyResultSet:  # .none(), or a filter by an empty list
            parts.append("0")
            continue
        parts.append(f"(SELECT COUNT(*) FROM ({sql}) counted_{len(parts)})")
        params.extend(each_params)
    with connections[database].cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(parts)}", params)
        row = cursor.fetchone()
    return [int(each) for each in row]


def _count(part: Any) -> int:
    count = getattr(part, "count", None)
    if callable(count):
        try:
            return int(count())
        except TypeError:  # a list's count(value)
            pass
    return len(part)
