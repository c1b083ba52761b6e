"""The sequences for Paginator (hyrkoll.lib.paging): the concatenating one counts once, fetches from
each part only the slice a page needs, across the seam and with empty parts; the merging one gives
exactly the slices of the parts' union in its order, reading each part only as far as the page."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.paginator import Paginator
from django.db import connection
from django.test.utils import CaptureQueriesContext

from hyrkoll.lib.paging import ConcatenatedRows, MergedRows, count_in_one_query
from hyrkoll.organisation.models import Region


class Part:
    """A list that records the slices asked of it and how often it was counted."""

    def __init__(self, rows: list[Any]) -> None:
        self.rows = rows
        self.slices: list[tuple[int, int]] = []
        self.counted = 0

    def count(self) -> int:
        self.counted += 1
        return len(self.rows)

    def __getitem__(self, index: slice) -> list[Any]:
        self.slices.append((index.start, index.stop))
        return self.rows[index]


def parts(first: int, second: int) -> tuple[Part, Part]:
    return Part([f"a{i}" for i in range(first)]), Part([f"b{i}" for i in range(second)])


def test_count_is_the_sum_counted_once() -> None:
    first, second = parts(3, 4)
    rows = ConcatenatedRows(first, second)
    assert rows.count() == 7
    assert len(rows) == 7
    assert (first.counted, second.counted) == (1, 1)


def test_counts_given_in_one_go() -> None:
    first, second = parts(3, 4)
    rows = ConcatenatedRows(first, second, counts=lambda: (3, 4))
    assert rows.count() == 7
    assert (first.counted, second.counted) == (0, 0)
    with pytest.raises(ValueError):
        ConcatenatedRows(first, second, counts=lambda: (7,)).count()


def test_slice_within_the_first_part_does_not_touch_the_second() -> None:
    first, second = parts(5, 5)
    assert ConcatenatedRows(first, second)[1:3] == ["a1", "a2"]
    assert first.slices == [(1, 3)]
    assert second.slices == []


def test_slice_across_the_seam_takes_the_end_of_one_and_the_start_of_the_other() -> None:
    first, second = parts(5, 5)
    assert ConcatenatedRows(first, second)[3:7] == ["a3", "a4", "b0", "b1"]
    assert first.slices == [(3, 5)]
    assert second.slices == [(0, 2)]


def test_slice_within_the_second_part_is_offset_by_the_first() -> None:
    first, second = parts(5, 5)
    assert ConcatenatedRows(first, second)[6:9] == ["b1", "b2", "b3"]
    assert first.slices == []
    assert second.slices == [(1, 4)]


def test_slice_past_the_end_and_open_ended() -> None:
    first, second = parts(2, 2)
    rows = ConcatenatedRows(first, second)
    assert rows[3:10] == ["b1"]
    assert rows[10:20] == []
    assert rows[:] == ["a0", "a1", "b0", "b1"]
    assert list(rows) == ["a0", "a1", "b0", "b1"]
    assert rows[-1] == "b1"
    assert rows[1] == "a1"
    with pytest.raises(IndexError):
        rows[4]
    with pytest.raises(ValueError):
        rows[::2]


@pytest.mark.parametrize(("first", "second"), [(0, 3), (3, 0), (0, 0)])
def test_empty_parts_are_never_sliced(first: int, second: int) -> None:
    one, two = parts(first, second)
    rows = ConcatenatedRows(one, two)
    assert rows[0:10] == [*one.rows, *two.rows]
    assert (one.slices == []) == (first == 0)
    assert (two.slices == []) == (second == 0)


def test_prepare_sees_the_rows_of_each_slice_once() -> None:
    seen: list[list[Any]] = []
    rows = ConcatenatedRows(*parts(2, 2), prepare=seen.append)
    rows[1:3]
    rows[5:9]  # nothing there: nothing to prepare
    assert seen == [["a1", "b0"]]


def test_paginator_pages_across_the_seam() -> None:
    first, second = parts(3, 4)
    paginator = Paginator(ConcatenatedRows(first, second), 2)
    assert paginator.count == 7
    assert paginator.num_pages == 4
    assert [list(paginator.page(n)) for n in (1, 2, 3, 4)] == [
        ["a0", "a1"],
        ["a2", "b0"],
        ["b1", "b2"],
        ["b3"],
    ]


def test_a_list_works_as_a_part() -> None:
    assert ConcatenatedRows([1, 2], [3])[1:3] == [2, 3]


@pytest.mark.django_db
def test_querysets_as_parts() -> None:
    regions = Region.objects.order_by("code")
    codes = list(regions.values_list("code", flat=True))
    assert len(codes) > 3
    low, high = codes[:2], codes[2:]
    rows = ConcatenatedRows(regions.filter(code__in=high), regions.filter(code__in=low))
    assert rows.count() == len(codes)
    assert [region.code for region in rows[len(high) - 1 : len(high) + 1]] == [high[-1], low[0]]


@pytest.mark.django_db
def test_count_in_one_query() -> None:
    regions = Region.objects.order_by("code")
    total = regions.count()
    with CaptureQueriesContext(connection) as queries:
        counts = count_in_one_query(
            regions,
            regions.filter(code__in=["01", "14"]),
            regions.none(),
            regions.filter(pk__in=[]),
            regions[1:3],
        )
    assert counts == [total, 2, 0, 0, 2]
    assert len(queries) == 1
    assert count_in_one_query() == []


@pytest.mark.django_db
def test_querysets_as_parts_are_counted_in_one_query() -> None:
    regions = Region.objects.order_by("code")
    total = regions.count()
    with CaptureQueriesContext(connection) as queries:
        assert ConcatenatedRows(regions, regions.filter(code="14")).count() == total + 1
    assert len(queries) == 1


def _merged_scene() -> tuple[Any, list[Any], list[int]]:
    """The regions, split into two disjoint parts that interleave in the order by name, and their
    ids in that order (newest-first lists are merged the same way, by descending keys)."""
    regions = Region.objects.all()
    ordered = list(regions.order_by("-name", "-pk").values_list("pk", flat=True))
    assert len(ordered) > 5
    odd = ordered[1::2]
    return regions, [regions.exclude(pk__in=odd), regions.filter(pk__in=odd)], ordered


@pytest.mark.django_db
def test_merged_rows_give_every_slice_of_the_parts_together_in_order() -> None:
    regions, parts, ordered = _merged_scene()
    rows = MergedRows(regions, *parts, order=("-name", "-pk"))
    assert rows.count() == len(rows) == len(ordered)
    for start in range(len(ordered) + 1):
        for stop in range(start, len(ordered) + 2):
            assert [region.pk for region in rows[start:stop]] == ordered[start:stop], (start, stop)
    assert [region.pk for region in rows] == ordered
    assert rows[0].pk == ordered[0]
    assert rows[-1].pk == ordered[-1]
    with pytest.raises(IndexError):
        rows[len(ordered)]


@pytest.mark.django_db
def test_merged_rows_read_each_part_only_as_far_as_the_page() -> None:
    regions, parts, ordered = _merged_scene()
    rows = MergedRows(regions, *parts, order=("-name", "-pk"), counts=[len(ordered) - 2, 2])
    with CaptureQueriesContext(connection) as queries:
        page = [region.pk for region in rows[1:3]]
    assert page == ordered[1:3]
    assert len(queries) == 3  # each part's keys, then the page's rows
    assert all("LIMIT 3" in query["sql"] for query in queries.captured_queries[:2])


@pytest.mark.django_db
def test_merged_rows_skip_an_empty_part_and_page_with_paginator() -> None:
    regions, parts, ordered = _merged_scene()
    rows = MergedRows(
        regions,
        parts[0],
        regions.none(),
        order=("-name", "-pk"),
        counts=[len(ordered) - len(ordered) // 2, 0],
    )
    with CaptureQueriesContext(connection) as queries:
        page = Paginator(rows, 2).get_page(2)
    assert [region.pk for region in page.object_list] == list(
        parts[0].order_by("-name", "-pk").values_list("pk", flat=True)
    )[2:4]
    assert len(queries) == 2  # no count, no query for the empty part


def test_merged_rows_want_one_direction_and_pk_last() -> None:
    regions = Region.objects.all()
    with pytest.raises(ValueError):
        MergedRows(regions, regions, order=("-name", "pk"))
    with pytest.raises(ValueError):
        MergedRows(regions, regions, order=("-name",))
    with pytest.raises(ValueError):
        MergedRows(regions, regions, regions, order=("pk",), counts=[1])
