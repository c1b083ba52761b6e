"""Paging a list whose order is two orders one after the other.

A list such as "the open call-offs by soonest deadline, then all others newest first" is two
querysets, each served by its own index. Sorting the union in one query makes the database read and
sort every row the user may see before it can cut the page; :class:`ConcatenatedRows` instead hands
Django's ``Paginator`` a sequence that counts each part and fetches only the slice of each part that
the page needs (``LIMIT``/``OFFSET`` on the part's own order)::

    rows = ConcatenatedRows(open_call_offs, other_call_offs)
    page = Paginator(rows, 50).get_page(number)

``counts`` may give the parts' sizes in one go (one aggregate over the rows instead of a count per
part); ``prepare`` is called once with the rows of each slice (e.g. to attach figures for just the
shown rows).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any


class ConcatenatedRows:
    """The rows of ``parts`` one after the other, for ``Paginator`` (``count()`` and slicing)."""

    ordered = True  # each part has its own order (Paginator warns about unordered lists)

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
            else:
                self._counts = [_count(part) for part in self.parts]
        return self._counts

    def count(self) -> int:
        return sum(self.part_counts())

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index: int | slice) -> Any:
        if isinstance(index, slice):
            return self._slice(index)
        if not isinstance(index, int):
            raise TypeError(f"indices must be integers or slices, not {type(index).__name__}")
        total = self.count()
        position = index + total if index < 0 else index
        if not 0 <= position < total:
            raise IndexError("index out of range")
        return self._slice(slice(position, position + 1))[0]

    def __iter__(self) -> Any:
        return iter(self._slice(slice(None)))

    def _slice(self, index: slice) -> list[Any]:
        if index.step not in (None, 1):
            raise ValueError("only contiguous slices are supported")
        start, stop, _step = index.indices(self.count())
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


def _count(part: Any) -> int:
    count = getattr(part, "count", None)
    if callable(count):
        try:
            return int(count())
        except TypeError:  # a list's count(value)
            pass
    return len(part)
