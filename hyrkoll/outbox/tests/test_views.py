"""The coordinator's outbox page and "retry now": coordinator only."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.test import Client

from hyrkoll.outbox.models import MessageKind, MessageStatus, OutboxMessage
from hyrkoll.outbox.tests.test_sending import make_message

pytestmark = pytest.mark.django_db


@pytest.fixture
def messages(world: dict[str, Any]) -> dict[str, OutboxMessage]:
    return {
        "sent": make_message(subject="Avrop 7 är stängt", status=MessageStatus.SENT, attempts=1),
        "failed": make_message(
            kind=MessageKind.CALL_OFF_PUBLISHED,
            subject="Nytt avrop 8",
            status=MessageStatus.FAILED,
            attempts=6,
            last_error="SMTPRecipientsRefused: 550 unknown",
            region=world["region_a"],
            supplier=world["supplier_a"],
        ),
    }


def test_the_coordinator_sees_the_outbox_newest_first(
    client: Client, world: dict[str, Any], messages: dict[str, OutboxMessage]
) -> None:
    client.force_login(world["coordinator"])
    response = client.get("/outbox/")
    assert response.status_code == 200
    assert [m.pk for m in response.context["object_list"]] == [messages["failed"].pk, messages["sent"].pk]
    page = response.content.decode()
    assert "SMTPRecipientsRefused: 550 unknown" in page and "avrop@bemanning-a.example" in page
    assert page.count('action="/outbox/') == 1  # retry only for the failed message

    failed = client.get("/outbox/", {"status": MessageStatus.FAILED})
    assert [m.pk for m in failed.context["object_list"]] == [messages["failed"].pk]
    by_kind = client.get("/outbox/", {"kind": MessageKind.CALL_OFF_CLOSED, "sort": "attempts"})
    assert [m.pk for m in by_kind.context["object_list"]] == [messages["sent"].pk]
    by_text = client.get("/outbox/", {"q": "bemanning a"})
    assert [m.pk for m in by_text.context["object_list"]] == [messages["failed"].pk]


@pytest.mark.parametrize("persona", ["admin_a", "orderer_a", "supplier_user_a"])
def test_everyone_else_gets_403(
    client: Client, world: dict[str, Any], messages: dict[str, OutboxMessage], persona: str
) -> None:
    client.force_login(world[persona])
    assert client.get("/outbox/").status_code == 403
    assert client.post(f"/outbox/{messages['failed'].pk}/retry/").status_code == 403
    messages["failed"].refresh_from_db()
    assert messages["failed"].status == MessageStatus.FAILED


def test_retry_now_sends_the_failed_message(
    client: Client,
    world: dict[str, Any],
    messages: dict[str, OutboxMessage],
    django_capture_on_commit_callbacks: Any,
) -> None:
    client.force_login(world["coordinator"])
    failed = messages["failed"]
    assert client.get(f"/outbox/{failed.pk}/retry/").status_code == 405
    with django_capture_on_commit_callbacks(execute=True):  # inline sending (the demo, the tests)
        response = client.post(f"/outbox/{failed.pk}/retry/")
    assert response.status_code == 302 and response["Location"] == "/outbox/"
    failed.refresh_from_db()
    assert failed.status == MessageStatus.SENT and failed.attempts == 7
    assert [m.subject for m in mail.outbox] == ["Nytt avrop 8"]
    # A message that is not failed is left alone.
    assert client.post(f"/outbox/{messages['sent'].pk}/retry/").status_code == 302
    assert client.post("/outbox/999999/retry/").status_code == 404
