"""Work queues: what waits for each role, counted on the start page."""

from __future__ import annotations

import datetime
from typing import Any

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from hyrkoll.accounts.models import DecisionLevel
from hyrkoll.ordering import workflow
from hyrkoll.ordering.models import CallOff, DecisionOutcome, Need
from hyrkoll.ordering.queues import queues_for
from hyrkoll.ordering.tests.conftest import make_need, make_offer
from hyrkoll.rules.models import RegionRule


def counts(user: Any) -> dict[str, int]:
    return {queue.key: queue.count for queue in queues_for(user)}


def awaiting(flow: dict[str, Any]) -> Need:
    need = workflow.save_draft(flow["orderer_a"], make_need(flow))
    workflow.submit(flow["orderer_a"], need)
    workflow.exhaust_internal(flow["call_off_unit"], need, "Poolen tillfrågad")
    return need


def test_approvals_at_my_level(client: Client, flow: dict[str, Any]) -> None:
    RegionRule.objects.create(
        region=flow["region_a"], name="Områdeschef beslutar", kind="decision_level",
        decision_level=DecisionLevel.AREA_MANAGER, valid_from=datetime.date(2024, 1, 1),
    )  # fmt: skip
    need = awaiting(flow)
    assert counts(flow["omradeschef"])["approvals"] == 1
    assert counts(flow["regiondirektor"])["approvals"] == 1  # above the level may decide too
    assert counts(flow["verksamhetschef"])["approvals"] == 0
    assert "approvals" not in counts(flow["orderer_a"])

    client.force_login(flow["omradeschef"])
    start = client.get(reverse("start"))
    content = start.content.decode()
    assert 'id="queue-approvals"' in content
    (queue,) = [q for s in start.context["sections"] for q in s.queues if q.key == "approvals"]
    assert queue.count == 1 and queue.oldest is not None
    listing = client.get(queue.url)
    assert [n.pk for n in listing.context["page"].object_list] == [need.pk]
    client.force_login(flow["verksamhetschef"])
    listing = client.get(queue.url)
    assert list(listing.context["page"].object_list) == []


def test_approvers_queue_is_bounded(
    client: Client, flow: dict[str, Any], django_assert_max_num_queries: Any
) -> None:
    for _ in range(3):
        awaiting(flow)
    user = type(flow["verksamhetschef"]).objects.get(pk=flow["verksamhetschef"].pk)
    with django_assert_max_num_queries(6):
        assert counts(user)["approvals"] == 3


def test_call_off_unit_and_orderer_queues(flow: dict[str, Any]) -> None:
    draft = workflow.save_draft(flow["orderer_a"], make_need(flow))
    submitted = workflow.submit(flow["orderer_a"], workflow.save_draft(flow["orderer_a"], make_need(flow)))
    assert counts(flow["call_off_unit"])["internal"] == 1
    assert counts(flow["orderer_a"]) == {"returned": 0, "drafts": 1, "awarded": 0}
    workflow.exhaust_internal(flow["call_off_unit"], submitted, "Poolen tillfrågad")
    workflow.decide(flow["verksamhetschef"], submitted, DecisionOutcome.RETURN, "Ändra perioden")
    assert counts(flow["orderer_a"]) == {"returned": 1, "drafts": 1, "awarded": 0}
    assert counts(flow["call_off_unit"])["internal"] == 0
    assert draft.pk


def test_call_off_queues(flow: dict[str, Any]) -> None:
    need = awaiting(flow)
    workflow.decide(flow["verksamhetschef"], need, DecisionOutcome.APPROVE, "Ok")
    call_off = CallOff.objects.get(need=need)
    unit = counts(flow["call_off_unit"])
    assert unit["assess"] == 0
    # Published today with a deadline three working days away: not yet near.
    assert unit["deadline"] == 0
    workflow.submit_offer(flow["supplier_user_a"], call_off, make_offer(flow))
    call_off.response_deadline = timezone.now() + datetime.timedelta(hours=3)
    call_off.save()
    unit = counts(flow["call_off_unit"])
    assert unit["assess"] == 1 and unit["deadline"] == 1


def test_supplier_open_call_offs_to_answer(client: Client, flow: dict[str, Any]) -> None:
    need = awaiting(flow)
    workflow.decide(flow["verksamhetschef"], need, DecisionOutcome.APPROVE, "Ok")
    call_off = CallOff.objects.get(need=need)
    assert counts(flow["supplier_user_a"]) == {"unanswered": 1}
    client.force_login(flow["supplier_user_a"])
    start = client.get(reverse("start"))
    (queue,) = [q for s in start.context["sections"] for q in s.queues]
    assert queue.count == 1
    listing = client.get(queue.url)
    assert [c.pk for c in listing.context["page"].object_list] == [call_off.pk]

    workflow.submit_offer(flow["supplier_user_a"], call_off, make_offer(flow))
    assert counts(flow["supplier_user_a"]) == {"unanswered": 0}
    assert counts(flow["supplier_user_b"]) == {"unanswered": 1}
    call_off.response_deadline = timezone.now() - datetime.timedelta(minutes=1)
    call_off.save()
    assert counts(flow["supplier_user_b"]) == {"unanswered": 0}


def test_start_page_links_by_role(client: Client, flow: dict[str, Any]) -> None:
    client.force_login(flow["orderer_a"])
    content = client.get(reverse("start")).content.decode()
    assert reverse("ordering:need_create") in content
    client.force_login(flow["call_off_unit"])
    content = client.get(reverse("start")).content.decode()
    assert reverse("ordering:call_offs") in content
    client.force_login(flow["supplier_user_a"])
    content = client.get(reverse("start")).content.decode()
    assert reverse("ordering:supplier_call_offs") in content
    assert reverse("ordering:need_create") not in content
    client.force_login(flow["admin_a"])
    content = client.get(reverse("start")).content.decode()
    assert reverse("ordering:need_create") not in content


def test_start_page_queries_do_not_grow_with_the_number_of_needs(
    client: Client, flow: dict[str, Any]
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def start_queries(user: Any) -> int:
        client.force_login(user)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("start")).status_code == 200
        return len(queries)

    awaiting(flow)
    before = {key: start_queries(flow[key]) for key in ("call_off_unit", "orderer_a", "steering")}
    for _ in range(4):
        awaiting(flow)
        workflow.save_draft(flow["orderer_a"], make_need(flow))
    after = {key: start_queries(flow[key]) for key in ("call_off_unit", "orderer_a", "steering")}
    assert after == before


def test_the_orderer_is_told_and_queued_when_the_need_is_awarded(
    flow: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    from django.core import mail

    from hyrkoll.assignments.tests.conftest import award

    flow["orderer_a"].email = "orderer@example.se"
    flow["orderer_a"].save()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assignment = award(flow)  # the need is registered by orderer A and awarded by the call-off unit
    assert counts(flow["orderer_a"])["awarded"] == 1
    mine = [message for message in mail.outbox if message.to == ["orderer@example.se"]]
    assert len(mine) == 1
    assert assignment.consultant.last_name in mine[0].body and str(assignment.call_off.pk) in mine[0].subject
