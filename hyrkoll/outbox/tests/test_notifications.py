"""The workflow's e-mails land in the outbox: decision requests to the approvers who may decide,
returned time reports to the supplier's users, the award to the orderer."""

from __future__ import annotations

from typing import Any

from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from conftest import make_user
from hyrkoll.accounts.models import DecisionLevel, Role, RoleAssignment, Scope
from hyrkoll.assignments import services as assignments
from hyrkoll.assignments.tests.conftest import award
from hyrkoll.ordering import workflow
from hyrkoll.ordering.models import NeedStatus
from hyrkoll.ordering.tests.conftest import make_need
from hyrkoll.organisation.models import OrgUnit, OrgUnitKind
from hyrkoll.outbox import services
from hyrkoll.outbox.models import MessageKind, OutboxMessage


def _address(user: Any, address: str) -> None:
    user.email = address
    user.save()


def test_a_need_awaiting_a_decision_asks_the_approvers_who_may_decide(flow: dict[str, Any]) -> None:
    _address(flow["verksamhetschef"], "vc@vgregion.example")
    _address(flow["hsdirektor"], "hsd@vgregion.example")
    low = make_user("enhetschef.a", scope=Scope.REGION, region=flow["region_a"], email="ec@vgregion.example")
    RoleAssignment.objects.create(user=low, role=Role.APPROVER, decision_level=DecisionLevel.UNIT_MANAGER)
    other_unit = make_user(
        "annan.a", scope=Scope.REGION, region=flow["region_a"], email="annan@vgregion.example"
    )
    RoleAssignment.objects.create(
        user=other_unit,
        role=Role.APPROVER,
        decision_level=DecisionLevel.REGIONAL_DIRECTOR,
        org_unit=OrgUnit.objects.create(
            region=flow["region_a"], kind=OrgUnitKind.ADMINISTRATION, code="A-9", name="Annan förvaltning"
        ),
    )
    region_b = make_user("vc.b", scope=Scope.REGION, region=flow["region_b"], email="vc@sll.example")
    RoleAssignment.objects.create(
        user=region_b, role=Role.APPROVER, decision_level=DecisionLevel.REGIONAL_DIRECTOR
    )

    need = workflow.save_draft(flow["orderer_a"], make_need(flow))
    workflow.submit(flow["orderer_a"], need)
    with CaptureQueriesContext(connection) as queries:
        workflow.exhaust_internal(flow["call_off_unit"], need, "Poolen tillfrågad")
    need.refresh_from_db()
    assert need.status == NeedStatus.AWAITING_APPROVAL
    inserts = [
        q for q in queries.captured_queries if q["sql"].startswith('INSERT INTO "outbox_outboxmessage"')
    ]
    assert len(inserts) == 1  # both approvers' e-mails in one statement
    requests = OutboxMessage.objects.filter(kind=MessageKind.DECISION_REQUESTED)
    assert sorted(r for m in requests for r in m.recipients) == [
        "hsd@vgregion.example",
        "vc@vgregion.example",
    ]
    assert all(m.object_id == need.pk and m.region == flow["region_a"] for m in requests)
    assert services.process_due().sent == 2
    assert all(f"{need.pk}" in m.subject for m in mail.outbox)


def test_a_returned_time_report_is_mailed_to_the_suppliers_users(flow: dict[str, Any]) -> None:
    _address(flow["supplier_user_a"], "tid@bemanning-a.example")
    assignment = award(flow)
    week = assignments.monday_of(assignment.starts_on)
    days = {week: (8, 0, 0)}
    report = assignments.submit_time_report(flow["supplier_user_a"], assignment, week, days)
    assert not OutboxMessage.objects.filter(kind=MessageKind.TIME_REPORT_RETURNED).exists()
    assignments.return_time_report(flow["verksamhetschef"], report, "Fel vecka")
    message = OutboxMessage.objects.get(kind=MessageKind.TIME_REPORT_RETURNED)
    assert message.recipients == ["tid@bemanning-a.example"]
    assert message.supplier == flow["supplier_a"] and "Fel vecka" in message.body
    services.process_due()
    assert [m.to for m in mail.outbox if "Fel vecka" in m.body] == [["tid@bemanning-a.example"]]


def test_the_award_queues_the_orderers_mail_and_the_losers_mail(flow: dict[str, Any]) -> None:
    _address(flow["orderer_a"], "orderer@vgregion.example")
    _address(flow["supplier_user_b"], "salj@bemanning-b.example")
    award(flow)
    kinds = {m.kind: m.recipients for m in OutboxMessage.objects.exclude(kind=MessageKind.CALL_OFF_PUBLISHED)}
    assert kinds == {
        MessageKind.NEED_AWARDED: ["orderer@vgregion.example"],
        MessageKind.CALL_OFF_CLOSED: ["salj@bemanning-b.example"],
    }
    closed = OutboxMessage.objects.get(kind=MessageKind.CALL_OFF_CLOSED)
    greeting, text = closed.body.split("\n\n", 1)
    assert greeting == f"Till {flow['supplier_b'].name},"  # the loser's own line above the shared text
    assert text.startswith(f"Avrop {closed.object_id} (") and flow["supplier_b"].name not in text
