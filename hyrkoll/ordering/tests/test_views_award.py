"""Award and closing through the need's page, and the call-off unit's list of call-offs."""

from __future__ import annotations

import re
from typing import Any

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from hyrkoll.assignments.models import Assignment
from hyrkoll.ordering import workflow
from hyrkoll.ordering.models import CallOff, CallOffStatus, DecisionOutcome, NeedStatus, OfferStatus
from hyrkoll.ordering.tests.conftest import make_need, make_offer


def with_two_offers(flow: dict[str, Any]) -> tuple[CallOff, Any, Any]:
    need = workflow.save_draft(flow["orderer_a"], make_need(flow))
    workflow.submit(flow["orderer_a"], need)
    workflow.exhaust_internal(flow["call_off_unit"], need, "Poolen tillfrågad")
    workflow.decide(flow["verksamhetschef"], need, DecisionOutcome.APPROVE, "Vakans")
    call_off = CallOff.objects.get(need=need)
    first = workflow.submit_offer(flow["supplier_user_a"], call_off, make_offer(flow, "consultant_a"))
    second = workflow.submit_offer(flow["supplier_user_b"], call_off, make_offer(flow, "consultant_b"))
    return call_off, first, second


def test_call_off_unit_awards_through_the_page(client: Client, flow: dict[str, Any]) -> None:
    call_off, first, second = with_two_offers(flow)
    client.force_login(flow["call_off_unit"])
    page = client.get(reverse("ordering:need_detail", args=[call_off.need_id]))
    assert [o.pk for o in page.context["ranked"]] == [first.pk, second.pk]
    assert page.context["may_award"]
    content = page.content.decode()
    assert reverse("ordering:offer_award", args=[first.pk]) in content
    # The need's page links to a confirmation page; only its POST awards.
    confirm = client.get(reverse("ordering:offer_award", args=[first.pk]))
    assert confirm.status_code == 200 and not Assignment.objects.exists()
    html = confirm.content.decode()
    assert (confirm.context["rank"], confirm.context["ranked_count"]) == (1, 2)
    assert confirm.context["deadline_open"]  # the deadline is days away in the fixture
    assert 'class="notice warn"' in html
    assert 'name="deviation_reason"' not in html  # the highest ranked needs no reason

    client.post(reverse("ordering:offer_award", args=[first.pk]))
    assignment = Assignment.objects.get(call_off=call_off)
    assert assignment.offer == first
    call_off.refresh_from_db()
    assert call_off.status == CallOffStatus.AWARDED
    assert call_off.need.status == NeedStatus.AWARDED
    with CaptureQueriesContext(connection) as queries:
        page = client.get(reverse("ordering:need_detail", args=[call_off.need_id]))
    assert page.context["assignment"] == assignment
    html = page.content.decode()
    assert str(assignment.consultant) in html and assignment.supplier.name in html
    assert assignment.price_list.version in html and call_off.reference in html
    # The call-off, the assignment with its consultant, supplier and price list and the need's
    # competence level are read with their rows, not one by one as the page names them.
    tables = [query["sql"].split(" FROM ", 1)[1].split()[0] for query in queries if " FROM " in query["sql"]]
    for table in ("ordering_calloff", "assignments_assignment"):
        assert tables.count(f'"{table}"') == 1, tables
    for table in ("consultants_consultant", "agreement_supplier", "agreement_competencelevel"):
        assert f'"{table}"' not in tables, tables
    # The agreement price is one query (the price with its list and the travel supplements in
    # subqueries) and the maximum call-off length another (the parameter of the agreement in force).
    selected = [re.match(r'SELECT \(?"(\w+)"', query["sql"]) for query in queries]
    agreement = [match[1] for match in selected if match and match[1].startswith("agreement_")]
    assert agreement == ["agreement_price", "agreement_agreementparameter"], agreement
    assert len(queries) <= 13, tables


def test_lower_ranked_offer_needs_a_reason(client: Client, flow: dict[str, Any]) -> None:
    call_off, first, second = with_two_offers(flow)
    client.force_login(flow["call_off_unit"])
    assert (
        'name="deviation_reason"'
        in client.get(reverse("ordering:offer_award", args=[second.pk])).content.decode()
    )
    response = client.post(reverse("ordering:offer_award", args=[second.pk]))
    # The confirmation page again, the error at its field and in the summary that takes the focus.
    html = response.content.decode()
    assert response.status_code == 200 and 'class="error-summary"' in html
    assert 'id="id_deviation_reason_error"' in html
    assert not Assignment.objects.exists()
    second.refresh_from_db()
    assert second.status == OfferStatus.SUBMITTED
    client.post(
        reverse("ordering:offer_award", args=[second.pk]), {"deviation_reason": "Har arbetat här tidigare"}
    )
    assert Assignment.objects.get().offer == second


def test_only_the_call_off_unit_awards(client: Client, flow: dict[str, Any]) -> None:
    call_off, first, _second = with_two_offers(flow)
    for key in ("orderer_a", "verksamhetschef"):
        client.force_login(flow[key])
        page = client.get(reverse("ordering:need_detail", args=[call_off.need_id]))
        assert not page.context["may_award"]
        assert client.get(reverse("ordering:offer_award", args=[first.pk])).status_code == 403
        client.post(reverse("ordering:offer_award", args=[first.pk]))
    client.force_login(flow["supplier_user_a"])
    assert client.post(reverse("ordering:offer_award", args=[first.pk])).status_code == 404
    client.force_login(flow["admin_b"])
    assert client.post(reverse("ordering:offer_award", args=[first.pk])).status_code == 404
    assert not Assignment.objects.exists()


def test_close_without_award(client: Client, flow: dict[str, Any]) -> None:
    call_off, first, second = with_two_offers(flow)
    client.force_login(flow["call_off_unit"])
    client.post(reverse("ordering:call_off_close", args=[call_off.pk]), {"reason": ""})
    call_off.refresh_from_db()
    assert call_off.status == CallOffStatus.OPEN
    client.post(reverse("ordering:call_off_close", args=[call_off.pk]), {"reason": "Löst internt"})
    call_off.refresh_from_db()
    assert call_off.status == CallOffStatus.UNFILLED
    assert call_off.need.status == NeedStatus.UNFILLED
    first.refresh_from_db()
    assert first.status == OfferStatus.NOT_AWARDED


def test_call_off_list_counts_offers(client: Client, flow: dict[str, Any]) -> None:
    call_off, first, second = with_two_offers(flow)
    client.force_login(flow["call_off_unit"])
    response = client.get(reverse("ordering:call_offs"))
    (row,) = response.context["page"].object_list
    assert row.pk == call_off.pk
    assert row.offer_count == 2 and row.passing_count == 2
    client.force_login(flow["admin_b"])
    assert client.get(reverse("ordering:call_offs")).context["page"].paginator.count == 0
    client.force_login(flow["orderer_a"])
    assert client.get(reverse("ordering:call_offs")).status_code == 403
