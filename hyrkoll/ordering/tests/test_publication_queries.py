"""Publishing a call-off writes one feed event and one e-mail for every admitted supplier, in a
number of queries that does not grow with the suppliers (at national scale some fifty: one INSERT
and one address look-up each made the approval 184 queries)."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext

from conftest import make_user
from hyrkoll.accounts.models import Scope
from hyrkoll.agreement.models import SubArea, Supplier, SupplierAdmission
from hyrkoll.feed.models import FeedEvent, FeedKind
from hyrkoll.ordering import workflow
from hyrkoll.ordering.models import DecisionOutcome
from hyrkoll.ordering.tests.conftest import make_need
from hyrkoll.outbox.models import MessageKind, OutboxMessage


def _admit(count: int) -> list[Supplier]:
    doctors = SubArea.objects.get(code="doctors")
    suppliers = []
    for number in range(count):
        supplier = Supplier.objects.create(
            name=f"Extra bemanning {number} AB",
            org_no=f"559{number:03d}-0000",
            email=f"info{number}@extra.example",
        )
        SupplierAdmission.objects.create(
            supplier=supplier, sub_area=doctors, admitted_on=datetime.date(2024, 1, 1)
        )
        make_user(
            f"extra.{number}", scope=Scope.SUPPLIER, supplier=supplier, email=f"anna{number}@extra.example"
        )
        suppliers.append(supplier)
    return suppliers


def _approve(flow: dict[str, Any]) -> tuple[int, Any]:
    need = workflow.save_draft(flow["orderer_a"], make_need(flow))
    workflow.submit(flow["orderer_a"], need)
    workflow.exhaust_internal(flow["call_off_unit"], need, "Poolen tillfrågad, ingen ledig")
    with CaptureQueriesContext(connection) as queries:
        workflow.decide(flow["verksamhetschef"], need, DecisionOutcome.APPROVE, "Vakans")
    need.refresh_from_db()
    return len(queries), need.call_off


def test_publication_queries_do_not_grow_with_the_admitted_suppliers(flow: dict[str, Any]) -> None:
    flow["supplier_a"].email = "info@bemanning-a.example"  # an e-mail to write in the first run too
    flow["supplier_a"].save()
    _approve(flow)  # warms the per-process caches (content types)
    few, _call_off = _approve(flow)
    extra = _admit(25)
    many, call_off = _approve(flow)
    assert many == few

    suppliers = {flow["supplier_a"].pk, flow["supplier_b"].pk} | {s.pk for s in extra}
    events = FeedEvent.objects.filter(kind=FeedKind.CALL_OFF_PUBLISHED, object_id=call_off.pk)
    assert sorted(events.values_list("supplier_id", flat=True)) == sorted(suppliers)
    assert set(events.values_list("object_url", flat=True)) == {f"/api/v1/call-offs/{call_off.pk}/"}
    mails = OutboxMessage.objects.filter(kind=MessageKind.CALL_OFF_PUBLISHED, object_id=call_off.pk)
    by_supplier = {m.supplier_id: m for m in mails}
    assert {s.pk for s in extra} <= set(by_supplier)
    texts = set()
    for number, supplier in enumerate(extra):
        message = by_supplier[supplier.pk]
        assert message.recipients == sorted([f"anna{number}@extra.example", f"info{number}@extra.example"])
        greeting, text = message.body.split("\n\n", 1)
        assert greeting == f"Till {supplier.name},"  # each its own, in Swedish; the text after it shared
        texts.add((message.subject, text))
    assert len(texts) == 1
    subject, text = texts.pop()
    assert subject == f"Nytt avrop {call_off.pk}: {call_off.need.competence}, {call_off.region}"
    assert f"{call_off.region} har publicerat ett avrop" in text and "Extra bemanning" not in text
