"""Sorting and filtering the needs and call-offs lists: the order follows ?sort=, filters narrow,
the page links keep both, and no filter shows another region's or supplier's rows."""

from __future__ import annotations

import datetime
from typing import Any

from django.test import Client
from django.urls import reverse

from conftest import make_user
from hyrkoll.accounts.models import Role, Scope
from hyrkoll.ordering import workflow
from hyrkoll.ordering.models import CallOff, DecisionOutcome, Need
from hyrkoll.ordering.tests.conftest import make_need
from hyrkoll.ordering.views import common


def drafts(flow: dict[str, Any], count: int) -> list[Need]:
    start = datetime.date.today() + datetime.timedelta(days=30)
    return [
        workflow.save_draft(
            flow["orderer_a"], make_need(flow, starts_on=start + datetime.timedelta(days=7 * i))
        )
        for i in range(count)
    ]


def pks(response: Any) -> list[int]:
    return [row.pk for row in response.context["page"].object_list]


def test_needs_sort_by_period_both_ways(client: Client, flow: dict[str, Any]) -> None:
    needs = drafts(flow, 3)
    client.force_login(flow["call_off_unit"])
    url = reverse("ordering:needs")
    assert pks(client.get(url, {"sort": "period"})) == [n.pk for n in needs]
    response = client.get(url, {"sort": "-period"})
    assert pks(response) == [n.pk for n in reversed(needs)]
    html = response.content.decode()
    assert 'aria-sort="descending"' in html
    assert "sort=period" in html  # the header link turns the order round
    assert client.get(url, {"sort": "nonsense"}).status_code == 200


def test_a_chosen_sort_pages_through_every_need_once_in_order(
    client: Client, flow: dict[str, Any], monkeypatch: Any
) -> None:
    """A chosen sort reads the page's ids first and then their rows (``paginate(ids_first=True)``):
    the pages still follow the sort, each need on exactly one page, with its joined rows."""
    monkeypatch.setattr(common, "PAGE_SIZE", 2)
    needs = drafts(flow, 5)
    client.force_login(flow["call_off_unit"])
    url = reverse("ordering:needs")
    for sort, expected in (("-period", list(reversed(needs))), ("period", needs)):
        shown = []
        for number in (1, 2, 3):
            response = client.get(url, {"sort": sort, "page": number})
            rows = response.context["page"].object_list
            # What the rows show (the orderer is not a column): no query per row.
            joined = [Need._meta.get_field(name) for name in ("unit", "competence", "call_off")]
            assert all(field.is_cached(row) for field in joined for row in rows)
            assert flow["units_a"]["care_unit"].name in response.content.decode()
            shown += [row.pk for row in rows]
        assert shown == [need.pk for need in expected]


def test_needs_filter_by_period_and_status(client: Client, flow: dict[str, Any]) -> None:
    needs = drafts(flow, 3)
    client.force_login(flow["call_off_unit"])
    url = reverse("ordering:needs")
    first = needs[0]
    assert pks(client.get(url, {"to": first.starts_on.isoformat()})) == [first.pk]
    assert pks(client.get(url, {"from": (first.ends_on + datetime.timedelta(days=1)).isoformat()})) == []
    assert pks(client.get(url, {"status": "approved"})) == []
    assert len(pks(client.get(url, {"status": "draft", "from": "not-a-date"}))) == 3


def test_page_links_keep_the_filters_and_sort(client: Client, flow: dict[str, Any], monkeypatch: Any) -> None:
    monkeypatch.setattr(common, "PAGE_SIZE", 2)
    drafts(flow, 3)
    client.force_login(flow["call_off_unit"])
    html = client.get(reverse("ordering:needs"), {"status": "draft", "sort": "-cost"}).content.decode()
    assert "?status=draft&amp;sort=-cost&amp;page=2" in html


def test_region_filter_only_for_the_national_level(client: Client, flow: dict[str, Any]) -> None:
    need = drafts(flow, 1)[0]
    workflow.submit(flow["orderer_a"], need)
    url = reverse("ordering:needs")
    client.force_login(flow["coordinator"])
    response = client.get(url)
    assert 'name="region"' in response.content.decode()
    assert pks(client.get(url, {"region": flow["region_a"].pk})) == [need.pk]
    assert pks(client.get(url, {"region": flow["region_b"].pk})) == []
    client.force_login(flow["call_off_unit"])
    assert 'name="region"' not in client.get(url).content.decode()


def test_another_regions_id_shows_nothing_of_it(client: Client, flow: dict[str, Any]) -> None:
    drafts(flow, 2)
    other = make_user("avrop.b", scope=Scope.REGION, region=flow["region_b"], roles=(Role.CALL_OFF_UNIT,))
    client.force_login(other)
    for params in ({"region": flow["region_a"].pk}, {"competence": flow["competence"].pk}, {}):
        assert pks(client.get(reverse("ordering:needs"), params)) == []
        assert pks(client.get(reverse("ordering:call_offs"), params)) == []


def published(flow: dict[str, Any]) -> CallOff:
    need = workflow.save_draft(flow["orderer_a"], make_need(flow))
    workflow.submit(flow["orderer_a"], need)
    workflow.exhaust_internal(flow["call_off_unit"], need, "Internt: poolen tillfrågad")
    workflow.decide(flow["verksamhetschef"], need, DecisionOutcome.APPROVE, "Beslutsmotivering X")
    return CallOff.objects.get(need=need)


def test_call_offs_filter_and_sort(client: Client, flow: dict[str, Any]) -> None:
    call_off = published(flow)
    client.force_login(flow["call_off_unit"])
    url = reverse("ordering:call_offs")
    assert pks(client.get(url, {"status": "open", "sort": "-deadline"})) == [call_off.pk]
    assert pks(client.get(url, {"status": "awarded"})) == []
    # No offer from supplier A yet: the supplier filter narrows to nothing, without repeating rows.
    assert pks(client.get(url, {"supplier": flow["supplier_a"].pk})) == []
    assert pks(client.get(url, {"sort": "offers"})) == [call_off.pk]


def test_supplier_call_offs_filter_by_region(client: Client, flow: dict[str, Any]) -> None:
    call_off = published(flow)
    client.force_login(flow["supplier_user_a"])
    url = reverse("ordering:supplier_call_offs")
    assert pks(client.get(url, {"region": flow["region_a"].pk, "sort": "-period"})) == [call_off.pk]
    assert pks(client.get(url, {"region": flow["region_b"].pk})) == []
