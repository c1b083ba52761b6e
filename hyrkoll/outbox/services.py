"""Queue an e-mail inside the workflow's transaction; send the due ones from the job worker.

Every e-mail Hyrkoll sends goes through :func:`queue`, called inside the step's own transaction:
the :class:`~hyrkoll.outbox.models.OutboxMessage` row exists if and only if the step commits (no
``on_commit`` needed), and it is rendered at once, in the site's language
(``translation.override(settings.LANGUAGE_CODE)``), so a retry sends the same text.

:func:`process_due` (run by ``hyrkoll run_jobs``) takes due messages one at a time: on PostgreSQL it
picks a row with ``select_for_update(skip_locked=True)``, and everywhere it claims it with a
compare-and-set update (QUEUED → SENDING where ``status`` and ``attempts`` are still what it read;
only the process whose update changed one row sends it), so two workers never send the same
message. Claiming counts the attempt and sets ``next_attempt_at`` to the end of a lease
(``OUTBOX_LEASE_SECONDS``): a message left SENDING by a worker that died is taken again after it.
A failed send is queued again after 1, 5, 15, 60, then 240 minutes (:data:`BACKOFF_MINUTES`); after
``OUTBOX_MAX_ATTEMPTS`` attempts it is FAILED, shown on the coordinator's outbox page, which can
queue it again (:func:`retry`).

Inline sending (``OUTBOX_SEND_INLINE``, default on with ``DEBUG`` or in tests): the demo runs
without a worker, so :func:`queue` also registers an ``on_commit`` callback that sends that message
right after the commit, in the same request, through the same claim – never from a thread, and a
worker beside it cannot send it twice. A failure there leaves the message queued for the worker's
retries. In production the setting is off and only the worker sends (SMTP stays out of the
request). The demo data loader queues no workflow mail (``hyrkoll.demo.ordering.quiet_mail`` patches
the notifications); it writes a few messages to ``.example`` addresses for the page instead.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import partial
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.mail import EmailMessage
from django.db import connection, models, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from hyrkoll.outbox.models import MessageStatus, OutboxMessage

logger = logging.getLogger(__name__)

#: Minutes to wait after the 1st, 2nd, … failed attempt (the last value repeats).
BACKOFF_MINUTES = (1, 5, 15, 60, 240)


def max_attempts() -> int:
    return int(getattr(settings, "OUTBOX_MAX_ATTEMPTS", 6))


def lease() -> datetime.timedelta:
    return datetime.timedelta(seconds=int(getattr(settings, "OUTBOX_LEASE_SECONDS", 600)))


def send_inline_enabled() -> bool:
    return bool(getattr(settings, "OUTBOX_SEND_INLINE", settings.DEBUG))


def backoff(attempts: int) -> datetime.timedelta:
    """The wait after ``attempts`` failed attempts (1 → 1 minute, 2 → 5 minutes, …)."""
    index = min(max(attempts, 1), len(BACKOFF_MINUTES)) - 1
    return datetime.timedelta(minutes=BACKOFF_MINUTES[index])


# --- queueing ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Mail:
    """One e-mail to queue: the template's context, the addresses, and what the outbox page shows
    beside it (``region``, ``supplier``, and ``about``: the object the e-mail is about)."""

    context: Mapping[str, Any]
    recipients: Iterable[str]
    region: Any = None
    supplier: Any = None
    about: models.Model | None = None
    # The e-mail's own first line above a text shared with others (:func:`queue_shared`).
    greeting: str = ""


def queue(
    kind: str,
    template: str,
    context: Mapping[str, Any],
    recipients: Iterable[str],
    *,
    region: Any = None,
    supplier: Any = None,
    about: models.Model | None = None,
) -> OutboxMessage | None:
    """Render ``emails/<template>-subject.txt``/``-body.txt`` and queue the e-mail to ``recipients``.

    Call it inside the step's transaction. None when there is no address to send to.
    """
    queued = queue_many(kind, template, [Mail(context, recipients, region, supplier, about)])
    return queued[0] if queued else None


def queue_many(kind: str, template: str, mails: Iterable[Mail]) -> list[OutboxMessage]:
    """:func:`queue` for many e-mails of one kind, written in one statement (a call-off's e-mail
    goes to some fifty suppliers at once); those without an address are left out."""
    with translation.override(settings.LANGUAGE_CODE):
        messages = [message for mail in mails if (message := _rendered(kind, template, mail)) is not None]
    return _queued(messages)


def queue_shared(
    kind: str, template: str, context: Mapping[str, Any], mails: Iterable[Mail]
) -> list[OutboxMessage]:
    """:func:`queue_many` for one text to many recipients, each e-mail under its own first line
    (``Mail.greeting``): the subject and body are rendered once, from ``context`` (``Mail.context``
    is not used). A call-off goes to some fifty suppliers at once: rendering each e-mail apart was a
    third of the approval's CPU."""
    with translation.override(settings.LANGUAGE_CODE):
        subject, body = _render(template, dict(context))
    messages = []
    for mail in mails:
        if addresses := _addresses(mail):
            text = f"{mail.greeting}\n\n{body}" if mail.greeting else body
            messages.append(_message(kind, subject, text, mail, addresses))
    return _queued(messages)


def _queued(messages: list[OutboxMessage]) -> list[OutboxMessage]:
    messages = OutboxMessage.objects.bulk_create(messages)
    if send_inline_enabled():
        for message in messages:
            transaction.on_commit(partial(send_one, message.pk))
    return messages


def _render(template: str, context: dict[str, Any]) -> tuple[str, str]:
    """The subject (on one line) and the body of ``emails/<template>-subject.txt``/``-body.txt``."""
    subject = " ".join(render_to_string(f"emails/{template}-subject.txt", context).split())
    return subject, render_to_string(f"emails/{template}-body.txt", context)


def _rendered(kind: str, template: str, mail: Mail) -> OutboxMessage | None:
    """The unsaved message of ``mail``, rendered; None when it has no address."""
    addresses = _addresses(mail)
    if not addresses:
        return None
    return _message(kind, *_render(template, dict(mail.context)), mail, addresses)


def _addresses(mail: Mail) -> list[str]:
    """``mail.recipients`` (read once: it may be an iterator) stripped, without blanks and repeats."""
    return sorted({address.strip() for address in mail.recipients if address and address.strip()})


def _message(kind: str, subject: str, body: str, mail: Mail, addresses: list[str]) -> OutboxMessage:
    about = mail.about
    return OutboxMessage(
        kind=kind,
        subject=subject[:300],
        body=body,
        sender=settings.DEFAULT_FROM_EMAIL,
        recipients=addresses,
        region=mail.region,
        supplier=mail.supplier,
        object_type=ContentType.objects.get_for_model(about) if about is not None else None,
        object_id=about.pk if about is not None else None,
        object_repr=str(about)[:200] if about is not None else "",
    )


# --- sending -------------------------------------------------------------------------------------


@dataclass
class Outcome:
    """What one pass over the queue did."""

    sent: int = 0
    retrying: int = 0
    failed: int = 0

    @property
    def total(self) -> int:
        return self.sent + self.retrying + self.failed


def _due(now: datetime.datetime) -> models.Q:
    # QUEUED and due, or SENDING past its lease (the worker that took it stopped).
    return models.Q(status__in=(MessageStatus.QUEUED, MessageStatus.SENDING), next_attempt_at__lte=now)


def claim(pk: int | None = None, now: datetime.datetime | None = None) -> OutboxMessage | None:
    """Take the most overdue message (or the given one) for this process; None if none is due."""
    now = now or timezone.now()
    for _round in range(5):  # another worker may win a row; look again a few times
        with transaction.atomic():
            due = OutboxMessage.objects.filter(_due(now))
            if pk is not None:
                due = due.filter(pk=pk)
            if connection.features.has_select_for_update_skip_locked:
                due = due.select_for_update(skip_locked=True)
            row = due.order_by("next_attempt_at", "pk").values_list("pk", "status", "attempts").first()
            if row is None:
                return None
            taken = OutboxMessage.objects.filter(pk=row[0], status=row[1], attempts=row[2]).update(
                status=MessageStatus.SENDING, attempts=row[2] + 1, next_attempt_at=now + lease()
            )
        if taken == 1:
            return OutboxMessage.objects.get(pk=row[0])
    return None


def deliver(message: OutboxMessage, now: datetime.datetime | None = None) -> str:
    """Send a claimed (SENDING) message with Django's mail backend; record the outcome (a status)."""
    ours = OutboxMessage.objects.filter(
        pk=message.pk, status=MessageStatus.SENDING, attempts=message.attempts
    )
    try:
        EmailMessage(message.subject, message.body, message.sender, list(message.recipients)).send()
    except Exception as error:  # any backend error: keep the message and try again later
        logger.warning("E-mail %s failed (attempt %s): %s", message.pk, message.attempts, error)
        now = now or timezone.now()
        status = MessageStatus.FAILED if message.attempts >= max_attempts() else MessageStatus.QUEUED
        ours.update(
            status=status,
            next_attempt_at=now + backoff(message.attempts),
            last_error=f"{type(error).__name__}: {error}"[:2000],
        )
        return status
    ours.update(status=MessageStatus.SENT, sent_at=now or timezone.now(), last_error="")
    return MessageStatus.SENT


def send_one(pk: int) -> str | None:
    """Send one message now if it is due (the inline path); None if it was not there to take."""
    message = claim(pk)
    return deliver(message) if message is not None else None


def process_due(limit: int | None = None) -> Outcome:
    """Send due messages until none is due (or ``limit`` have been tried)."""
    outcome = Outcome()
    while limit is None or outcome.total < limit:
        message = claim()
        if message is None:
            break
        status = deliver(message)
        if status == MessageStatus.SENT:
            outcome.sent += 1
        elif status == MessageStatus.FAILED:
            outcome.failed += 1
        else:
            outcome.retrying += 1
    return outcome


@transaction.atomic
def retry(pk: int) -> bool:
    """Queue a FAILED message again for one more attempt, now. False if it is not failed."""
    retried = OutboxMessage.objects.filter(pk=pk, status=MessageStatus.FAILED).update(
        status=MessageStatus.QUEUED, next_attempt_at=timezone.now()
    )
    if retried and send_inline_enabled():
        transaction.on_commit(lambda: send_one(pk))
    return retried == 1
