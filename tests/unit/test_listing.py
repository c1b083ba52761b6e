"""The list mechanism (hyrkoll.lib.listing): whitelisted sorts with a stable tiebreak, filters that
ignore what does not validate and only ever narrow the rows they are given."""

from __future__ import annotations

from typing import Any

import pytest
from django.template import Context, Template
from django.test import RequestFactory

from hyrkoll.lib.listing import ChoiceFilter, Listing, ModelFilter, TextFilter, query_without_page
from hyrkoll.organisation.models import Region

pytestmark = pytest.mark.django_db

SORTS = {"name": "name", "code": "code"}


def listing(query: str, rows: Any = None, **kwargs: Any) -> Listing:
    request = RequestFactory().get(f"/list/?{query}")
    rows = Region.objects.order_by("code") if rows is None else rows
    return Listing(request, rows, sorts=kwargs.pop("sorts", SORTS), **kwargs)


def names(result: Listing) -> list[str]:
    return [region.name for region in result.rows]


def test_sort_ascending_and_descending() -> None:
    ascending = names(listing("sort=name"))
    assert ascending == sorted(ascending)
    assert names(listing("sort=-name")) == list(reversed(ascending))


@pytest.mark.parametrize("value", ["password", "-", "--name", "name;drop", "pk", "region__name", ""])
def test_an_unknown_sort_key_is_ignored(value: str) -> None:
    result = listing(f"sort={value}")
    assert result.sort_key == ""
    assert [r.code for r in result.rows] == sorted(r.code for r in Region.objects.all())


def test_the_primary_key_breaks_ties_in_the_sort_direction() -> None:
    rows = Region.objects.all()
    result = listing("sort=same", rows, sorts={"same": []})
    assert [r.pk for r in result.rows] == sorted(r.pk for r in rows)
    result = listing("sort=-same", rows, sorts={"same": []})
    assert [r.pk for r in result.rows] == sorted((r.pk for r in rows), reverse=True)


def test_header_toggles_and_keeps_the_filters() -> None:
    result = listing("q=land&sort=name&page=3", filters=[TextFilter("q", "Search", ["name"])])
    header = result.header("name", "Name")
    assert header.aria_sort == "ascending"
    assert header.arrow == "▲"
    assert "sort=-name" in header.href and "q=land" in header.href and "page" not in header.href
    other = result.header("code", "Code")
    assert other.aria_sort == "" and "sort=code" in other.href
    assert listing("sort=-name").header("name", "Name").aria_sort == "descending"
    assert "sort=name" in listing("sort=-name").header("name", "Name").href


def test_filters_narrow_and_invalid_values_are_ignored() -> None:
    stockholm = Region.objects.get(code="01")
    choice = ChoiceFilter("code", "Code", "code", [("01", "01"), ("14", "14")])
    model = ModelFilter("region", "Region", "pk", Region.objects.filter(code__in=["01", "14"]))
    assert names(listing("code=01", filters=[choice])) == [stockholm.name]
    assert names(listing(f"region={stockholm.pk}", filters=[model])) == [stockholm.name]
    everything = Region.objects.count()
    # Not a choice, not an id among the offered ones, not a number: ignored (no error, no narrowing).
    assert len(names(listing("code=99", filters=[choice]))) == everything
    outside = Region.objects.exclude(code__in=["01", "14"]).first()
    assert len(names(listing(f"region={outside.pk}", filters=[model]))) == everything
    assert len(names(listing("region=abc", filters=[model]))) == everything


def test_filters_apply_on_top_of_the_given_rows_only() -> None:
    """A filter cannot widen: the rows handed in (a user's scope) bound the result."""
    own = Region.objects.filter(code="14")
    stockholm = Region.objects.get(code="01")
    every_region = ModelFilter("region", "Region", "pk", Region.objects.all())
    result = listing(f"region={stockholm.pk}", own, filters=[every_region])
    assert list(result.rows) == []


def test_query_without_page_drops_the_page_and_empty_values() -> None:
    request = RequestFactory().get("/list/?status=&sort=-name&page=2&region=3")
    assert query_without_page(request.GET) == "sort=-name&region=3"


def test_sort_header_tag_renders_aria_sort_and_a_link() -> None:
    request = RequestFactory().get("/list/?sort=-code")
    result = Listing(request, Region.objects.all(), sorts=SORTS)
    html = Template('{% load listing_tags %}{% sort_header listing "code" "Code" "num" %}').render(
        Context({"listing": result, "request": request})
    )
    assert 'aria-sort="descending"' in html and 'class="num"' in html
    assert 'href="?sort=code"' in html and "▼" in html
