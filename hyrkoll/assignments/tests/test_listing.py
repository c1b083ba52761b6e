"""The assignment lists' filters and sort: they narrow the page and its downloads alike, and a
supplier or region choosing someone else's id gets nothing of theirs."""

from __future__ import annotations

import re
from typing import Any

from django.test import Client
from django.urls import reverse

from hyrkoll.assignments.models import Assignment


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def csv_ids(response: Any) -> list[str]:
    """The first column of a CSV download (comma or semicolon separated), without the header."""
    lines = response.content.decode("utf-8-sig").splitlines()
    return [re.split(r"[;,]", line)[0] for line in lines[1:] if line]


def test_filters_narrow_the_list_and_its_download(flow: dict[str, Any], assignment: Assignment) -> None:
    region = client_for(flow["call_off_unit"])
    url = reverse("assignments:list")
    own = {"supplier": flow["supplier_a"].pk, "status": "active", "sort": "-period"}
    page = region.get(url, own)
    assert [a.pk for a in page.context["page"].object_list] == [assignment.pk]
    html = page.content.decode()
    assert f"supplier={flow['supplier_a'].pk}&amp;status=active&amp;sort=-period&amp;format=csv" in html
    assert 'aria-sort="descending"' in html
    assert csv_ids(region.get(url, {**own, "format": "csv"})) == [str(assignment.pk)]
    other = {"supplier": flow["supplier_b"].pk, "format": "csv"}
    assert csv_ids(region.get(url, other)) == []
    assert region.get(url, {"sort": "drop table", "status": "nonsense"}).status_code == 200


def test_another_supplier_or_region_gets_nothing_by_filter(
    flow: dict[str, Any], assignment: Assignment
) -> None:
    supplier_b = client_for(flow["supplier_user_b"])
    url = reverse("assignments:supplier_list")
    for params in ({"region": flow["region_a"].pk}, {"supplier": flow["supplier_a"].pk}, {}):
        assert list(supplier_b.get(url, params).context["page"].object_list) == []
        assert csv_ids(supplier_b.get(url, {**params, "format": "csv"})) == []
    supplier_a = client_for(flow["supplier_user_a"])
    assert [a.pk for a in supplier_a.get(url, {"region": flow["region_a"].pk}).context["page"]] == [
        assignment.pk
    ]
    region_b = client_for(flow["admin_b"])
    params = {"region": flow["region_a"].pk, "supplier": flow["supplier_a"].pk}
    assert list(region_b.get(reverse("assignments:list"), params).context["page"].object_list) == []
