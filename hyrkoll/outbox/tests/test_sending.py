"""Queueing and sending: nothing without a commit, sent once, retried with back-off, then failed."""

from __future__ import annotations

import datetime
import smtplib
from collections.abc import Sequence
from typing import Any

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.message import EmailMessage
from django.core.management import call_command
from django.db import connection, transaction
from django.test import override_settings
from django.utils import timezone

from hyrkoll.ordering.tests.test_checks import publish_need
from hyrkoll.outbox import services
from hyrkoll.outbox.models import MessageKind, MessageStatus, OutboxMessage

pytestmark = pytest.mark.django_db

FAILING = "hyrkoll.outbox.tests.test_sending.FailingBackend"
NESTED = "hyrkoll.outbox.tests.test_sending.SecondWorkerBackend"


class FailingBackend(BaseEmailBackend):
    """The SMTP server refuses every message."""

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        raise smtplib.SMTPRecipientsRefused({"x@example.se": (550, b"5.1.1 unknown")})


class SecondWorkerBackend(BaseEmailBackend):
    """While this worker sends, a second worker looks at the queue (what it got is recorded)."""

    sent: list[EmailMessage] = []
    second_worker: list[services.Outcome] = []

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        SecondWorkerBackend.second_worker.append(services.process_due())
        SecondWorkerBackend.sent.extend(email_messages)
        return len(email_messages)


def make_message(**fields: Any) -> OutboxMessage:
    values: dict[str, Any] = {
        "kind": MessageKind.CALL_OFF_CLOSED,
        "subject": "Avrop 1 är stängt",
        "body": "Hej",
        "sender": "hyrkoll@localhost",
        "recipients": ["avrop@bemanning-a.example"],
    }
    return OutboxMessage.objects.create(**(values | fields))


def test_a_rolled_back_step_leaves_no_message(flow: dict[str, Any]) -> None:
    flow["supplier_a"].email = "avrop@bemanning-a.example"
    flow["supplier_a"].save()
    with pytest.raises(RuntimeError), transaction.atomic():
        publish_need(flow)
        assert OutboxMessage.objects.filter(kind=MessageKind.CALL_OFF_PUBLISHED).count() == 1
        raise RuntimeError("the step fails after the publication")
    assert not OutboxMessage.objects.exists()


def test_a_publication_queues_one_message_per_supplier_with_an_address(flow: dict[str, Any]) -> None:
    flow["supplier_a"].email = "avrop@bemanning-a.example"
    flow["supplier_a"].save()
    flow["supplier_user_a"].email = "salj@bemanning-a.example"
    flow["supplier_user_a"].save()
    # Supplier B has no address at all: it gets the call-off in Hyrkoll only.
    call_off = publish_need(flow)
    messages = list(OutboxMessage.objects.filter(kind=MessageKind.CALL_OFF_PUBLISHED))
    assert len(messages) == 1
    message = messages[0]
    assert message.recipients == ["avrop@bemanning-a.example", "salj@bemanning-a.example"]
    assert message.status == MessageStatus.QUEUED and message.attempts == 0
    assert message.supplier == flow["supplier_a"] and message.region == flow["region_a"]
    assert message.object_id == call_off.pk and str(call_off.pk) in message.subject
    assert mail.outbox == []  # nothing is sent before the commit


def test_processing_sends_through_the_mail_backend_and_marks_sent() -> None:
    message = make_message()
    outcome = services.process_due()
    assert (outcome.sent, outcome.retrying, outcome.failed) == (1, 0, 0)
    assert [m.to for m in mail.outbox] == [["avrop@bemanning-a.example"]]
    assert mail.outbox[0].subject == "Avrop 1 är stängt"
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT and message.attempts == 1 and message.sent_at is not None
    assert services.process_due().total == 0  # sent once only


def test_a_message_is_sent_once_its_back_off_has_passed() -> None:
    later = make_message(next_attempt_at=timezone.now() + datetime.timedelta(minutes=5))
    assert services.process_due().total == 0
    OutboxMessage.objects.filter(pk=later.pk).update(next_attempt_at=timezone.now())
    assert services.process_due().sent == 1


@override_settings(EMAIL_BACKEND=FAILING, OUTBOX_MAX_ATTEMPTS=6)
def test_a_failure_is_retried_with_increasing_back_off_then_failed() -> None:
    message = make_message()
    waits = []
    for attempt in range(1, 6):
        before = timezone.now()
        outcome = services.process_due()
        assert outcome.retrying == 1 and outcome.sent == 0
        message.refresh_from_db()
        assert message.status == MessageStatus.QUEUED and message.attempts == attempt
        assert "SMTPRecipientsRefused" in message.last_error and "550" in message.last_error
        assert message.next_attempt_at > before
        waits.append(round((message.next_attempt_at - before).total_seconds() / 60))
        assert services.process_due().total == 0  # not due again yet
        OutboxMessage.objects.filter(pk=message.pk).update(next_attempt_at=timezone.now())
    assert waits == [1, 5, 15, 60, 240]
    assert services.process_due().failed == 1
    message.refresh_from_db()
    assert message.status == MessageStatus.FAILED and message.attempts == 6
    assert services.process_due().total == 0  # a failed message waits for the coordinator


def test_retry_gives_a_failed_message_one_more_attempt() -> None:
    message = make_message(status=MessageStatus.FAILED, attempts=6, last_error="SMTPServerDisconnected")
    assert not services.retry(make_message().pk)  # only a failed one
    assert services.retry(message.pk)
    message.refresh_from_db()
    assert message.status == MessageStatus.QUEUED
    assert services.process_due().sent == 2
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT and message.last_error == ""


@override_settings(EMAIL_BACKEND=FAILING, OUTBOX_MAX_ATTEMPTS=6)
def test_a_retried_message_that_fails_again_is_failed_at_once() -> None:
    message = make_message(status=MessageStatus.FAILED, attempts=6)
    services.retry(message.pk)
    assert services.process_due().failed == 1


@override_settings(EMAIL_BACKEND=NESTED)
def test_two_workers_never_send_the_same_message() -> None:
    SecondWorkerBackend.sent, SecondWorkerBackend.second_worker = [], []
    make_message()
    first = services.process_due()
    assert first.sent == 1
    assert len(SecondWorkerBackend.sent) == 1
    assert [outcome.total for outcome in SecondWorkerBackend.second_worker] == [0]


def test_a_claimed_message_is_taken_once_and_again_after_the_lease() -> None:
    message = make_message()
    assert services.claim(message.pk) is not None
    assert services.claim(message.pk) is None  # the compare-and-set lets one process have it
    assert services.claim() is None
    # The worker died while sending: after the lease another worker takes it (a second attempt).
    after_lease = timezone.now() + services.lease() + datetime.timedelta(seconds=1)
    again = services.claim(now=after_lease)
    assert again is not None and again.pk == message.pk and again.attempts == 2
    assert services.deliver(again) == MessageStatus.SENT
    assert len(mail.outbox) == 1


def test_inline_sending_after_the_commit(django_capture_on_commit_callbacks: Any) -> None:
    with override_settings(OUTBOX_SEND_INLINE=True), django_capture_on_commit_callbacks(execute=True):
        message = services.queue(
            MessageKind.CALL_OFF_CLOSED, "call_off_closed", {"call_off": make_message()}, ["a@example.se"]
        )
    assert message is not None
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT and [m.to for m in mail.outbox] == [["a@example.se"]]
    with override_settings(OUTBOX_SEND_INLINE=False), django_capture_on_commit_callbacks() as callbacks:
        services.queue(
            MessageKind.CALL_OFF_CLOSED, "call_off_closed", {"call_off": message}, ["b@example.se"]
        )
    assert callbacks == []  # the worker sends it


def test_no_address_queues_nothing() -> None:
    assert services.queue(MessageKind.CALL_OFF_CLOSED, "call_off_closed", {}, ["", " "]) is None
    assert not OutboxMessage.objects.exists()


def test_run_jobs_sends_the_due_messages() -> None:
    from io import StringIO

    make_message()
    out = StringIO()
    call_command("run_jobs", "--once", stdout=out)
    assert "E-mail: 1 sent, 0 to retry later, 0 failed." in out.getvalue()
    assert len(mail.outbox) == 1


class SlowBackend(BaseEmailBackend):
    """Takes a while per message, so that two workers overlap."""

    sent: list[str] = []

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        import time

        time.sleep(0.05)
        SlowBackend.sent.extend(m.subject for m in email_messages)
        return len(email_messages)


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs concurrent writers with row locks (PostgreSQL); SQLite serialises all writes",
)
@pytest.mark.django_db(transaction=True)
@override_settings(EMAIL_BACKEND="hyrkoll.outbox.tests.test_sending.SlowBackend")
def test_two_worker_threads_send_each_message_once() -> None:
    """Two real workers (threads with their own connections) share the queue (PostgreSQL: row
    locks with SKIP LOCKED and the compare-and-set)."""
    import threading

    from django.db import connections

    SlowBackend.sent = []
    for number in range(20):
        make_message(subject=f"Meddelande {number}")
    outcomes: list[services.Outcome] = []

    def worker() -> None:
        try:
            outcomes.append(services.process_due())
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(SlowBackend.sent) == sorted(f"Meddelande {n}" for n in range(20))
    assert sum(outcome.sent for outcome in outcomes) == 20
    assert all(outcome.sent > 0 for outcome in outcomes)  # both took part
    assert OutboxMessage.objects.filter(status=MessageStatus.SENT).count() == 20


def test_recipients_may_be_an_iterator() -> None:
    """The addresses are read once: a generator of them queues the e-mail as a list does."""
    message = services.queue(
        MessageKind.CALL_OFF_CLOSED, "call_off_closed", {}, (a for a in [" b@example.se", "a@example.se", ""])
    )
    assert message is not None and message.recipients == ["a@example.se", "b@example.se"]


def test_queue_shared_gives_each_mail_the_one_text_under_its_greeting() -> None:
    mails = [
        services.Mail({}, ["a@example.se"], greeting="Till A AB,"),
        services.Mail({}, [""], greeting="Till B AB,"),  # no address: left out
        services.Mail({}, iter(["c@example.se"]), greeting="Till C AB,"),
    ]
    queued = services.queue_shared(MessageKind.CALL_OFF_CLOSED, "call_off_closed", {}, mails)
    assert [m.recipients for m in queued] == [["a@example.se"], ["c@example.se"]]
    greetings, texts = zip(*(m.body.split("\n\n", 1) for m in queued), strict=True)
    assert greetings == ("Till A AB,", "Till C AB,") and len(set(texts)) == 1
    assert {m.subject for m in queued} == {queued[0].subject} and queued[0].subject.startswith("Avrop")
