"""The call-off lists' default order – the open call-offs by soonest deadline, then all others newest
first – paged across the seam between the two, filters narrowing both parts, and the offer counts
of the shown rows (the region's and the supplier's list)."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from hyrkoll.ordering import workflow
from hyrkoll.ordering.models import CallOff, CallOffStatus, Need, Offer
from hyrkoll.ordering.tests.conftest import make_offer
from hyrkoll.ordering.views import common
from tests.budgets import builders

LISTS = [("call_off_unit", "ordering:call_offs"), ("supplier_user_a", "ordering:supplier_call_offs")]


def pks(response: Any) -> list[int]:
    assert response.status_code == 200
    return [row.pk for row in response.context["page"].object_list]


@pytest.fixture
def call_offs(flow: dict[str, Any]) -> dict[str, CallOff]:
    """Three open call-offs (deadlines in 2, 1 and 3 days) and three closed ones published in 2016,
    2020 and 2024; offers on "open_2" (one from each supplier, B's failing a check) and "closed_2020"
    (one from supplier A), made while they were open."""
    names = ["open_2", "open_1", "open_3", "closed_2016", "closed_2020", "closed_2024"]
    rows = dict(zip(names, builders.published(flow, len(names)), strict=True))
    builders.offer(flow, rows["open_2"])
    failing = workflow.submit_offer(flow["supplier_user_b"], rows["open_2"], make_offer(flow, "consultant_b"))
    Offer.objects.filter(pk=failing.pk).update(checks_passed=False)
    builders.offer(flow, rows["closed_2020"])
    now = timezone.now()
    for days, name in enumerate(["open_1", "open_2", "open_3"], start=1):
        CallOff.objects.filter(pk=rows[name].pk).update(
            response_deadline=now + datetime.timedelta(days=days),
            published_at=now - datetime.timedelta(days=10 * days),  # the soonest deadline is oldest
        )
    closed = {
        "closed_2016": CallOffStatus.AWARDED,
        "closed_2020": CallOffStatus.UNFILLED,
        "closed_2024": CallOffStatus.CANCELLED,
    }
    for name, status in closed.items():
        published = datetime.datetime(int(name[-4:]), 3, 1, 9, tzinfo=datetime.UTC)
        CallOff.objects.filter(pk=rows[name].pk).update(
            status=status,
            published_at=published,
            response_deadline=published + datetime.timedelta(days=7),
            closed_at=published + datetime.timedelta(days=7),
        )
    return rows


ORDER = ["open_1", "open_2", "open_3", "closed_2024", "closed_2020", "closed_2016"]


@pytest.mark.parametrize(("user", "url_name"), LISTS)
def test_open_by_deadline_then_newest_first_across_pages(
    client: Client,
    flow: dict[str, Any],
    call_offs: dict[str, CallOff],
    monkeypatch: Any,
    user: str,
    url_name: str,
) -> None:
    monkeypatch.setattr(common, "PAGE_SIZE", 4)
    client.force_login(flow[user])
    url = reverse(url_name)
    first, second = client.get(url), client.get(url, {"page": 2})
    assert pks(first) + pks(second) == [call_offs[name].pk for name in ORDER]
    assert len(pks(first)) == 4
    assert first.context["page"].paginator.count == 6
    assert second.context["page"].paginator.num_pages == 2


@pytest.mark.parametrize(("user", "url_name"), LISTS)
def test_filters_narrow_both_parts(
    client: Client, flow: dict[str, Any], call_offs: dict[str, CallOff], user: str, url_name: str
) -> None:
    later = datetime.date(2031, 1, 1)
    Need.objects.filter(call_off__in=[call_offs["open_3"], call_offs["closed_2016"]]).update(
        starts_on=later, ends_on=later + datetime.timedelta(days=30)
    )
    client.force_login(flow[user])
    url = reverse(url_name)
    response = client.get(url, {"from": "2030-12-01"})
    assert pks(response) == [call_offs["open_3"].pk, call_offs["closed_2016"].pk]
    assert response.context["page"].paginator.count == 2
    assert pks(client.get(url, {"status": "unfilled"})) == [call_offs["closed_2020"].pk]
    assert pks(client.get(url, {"status": "open"})) == [call_offs[name].pk for name in ORDER[:3]]


def test_region_list_counts_offers_of_the_shown_rows(
    client: Client, flow: dict[str, Any], call_offs: dict[str, CallOff], monkeypatch: Any
) -> None:
    monkeypatch.setattr(common, "PAGE_SIZE", 4)
    client.force_login(flow["call_off_unit"])
    url = reverse("ordering:call_offs")
    shown = {row.pk: row for page in (1, 2) for row in client.get(url, {"page": page}).context["page"]}
    figures = {
        name: (shown[row.pk].offer_count, shown[row.pk].passing_count) for name, row in call_offs.items()
    }
    assert figures == {
        "open_1": (0, 0),
        "open_2": (2, 1),
        "open_3": (0, 0),
        "closed_2024": (0, 0),
        "closed_2020": (1, 1),
        "closed_2016": (0, 0),
    }
    html = client.get(url).content.decode()
    assert '<td class="num">2</td>' in html
    # Sorting by the counts still sorts by them (the most offers first, ties by the newest id).
    by_offers = pks(client.get(url, {"sort": "-offers"}))
    assert by_offers[:2] == [call_offs["open_2"].pk, call_offs["closed_2020"].pk]
    by_passing = pks(client.get(url, {"sort": "-passing"}))  # one each: the newer id first
    assert by_passing[:2] == [call_offs["closed_2020"].pk, call_offs["open_2"].pk]
    assert pks(client.get(url, {"supplier": flow["supplier_b"].pk})) == [call_offs["open_2"].pk]


def test_supplier_list_counts_only_its_own_offers(
    client: Client, flow: dict[str, Any], call_offs: dict[str, CallOff]
) -> None:
    url = reverse("ordering:supplier_call_offs")
    client.force_login(flow["supplier_user_a"])
    shown = {row.pk: row.own_offers for row in client.get(url).context["page"]}
    assert shown[call_offs["open_2"].pk] == 1  # supplier B's offer is not counted
    assert shown[call_offs["closed_2020"].pk] == 1
    assert shown[call_offs["open_1"].pk] == 0
    sorted_by_own = client.get(url, {"sort": "-own_offers"})
    assert sorted_by_own.context["page"].paginator.count == 6  # counted by the recipient rows
    by_own = pks(sorted_by_own)
    assert by_own[:2] == [call_offs["closed_2020"].pk, call_offs["open_2"].pk]
    assert pks(client.get(url, {"sort": "own_offers"}))[-2:] == [
        call_offs["open_2"].pk,
        call_offs["closed_2020"].pk,
    ]
    client.force_login(flow["supplier_user_b"])
    shown = {row.pk: row.own_offers for row in client.get(url).context["page"]}
    assert shown[call_offs["open_2"].pk] == 1
    assert shown[call_offs["closed_2020"].pk] == 0


def test_work_queues_keep_their_own_order(
    client: Client, flow: dict[str, Any], call_offs: dict[str, CallOff]
) -> None:
    client.force_login(flow["supplier_user_a"])
    response = client.get(reverse("ordering:supplier_call_offs"), {"queue": "unanswered"})
    assert pks(response) == [call_offs["open_1"].pk, call_offs["open_3"].pk]  # by deadline
    assert response.context["page"].paginator.count == 2
    assert [row.own_offers for row in response.context["page"]] == [0, 0]
