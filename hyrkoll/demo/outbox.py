"""A few e-mails in the outbox, so the coordinator's outbox page shows sent and failed messages.

The demo's workflow queues no mail (``quiet_mail``); these are the real notifications for one of
region 14's open call-offs, written to the suppliers' demo addresses (``.example``, which never
reach anyone) and marked sent, the last one failed with an SMTP refusal, which the coordinator can
retry.
"""

from __future__ import annotations

import datetime

from hyrkoll.ordering import notifications
from hyrkoll.ordering.models import CallOff, CallOffStatus
from hyrkoll.outbox.models import MessageStatus, OutboxMessage
from hyrkoll.outbox.services import max_attempts

REGION = "14"


def load_outbox_demo(counts: dict[str, int]) -> None:
    call_off = (
        CallOff.objects.filter(region__code=REGION, status=CallOffStatus.OPEN)
        .order_by("-published_at")
        .first()
    )
    if call_off is None:
        return
    before = set(OutboxMessage.objects.values_list("pk", flat=True))
    notifications.notify_call_off_published(call_off.pk)
    messages = list(OutboxMessage.objects.exclude(pk__in=before).order_by("pk"))
    published = call_off.published_at
    for number, message in enumerate(messages):
        created = published + datetime.timedelta(seconds=number)
        if number == len(messages) - 1:
            OutboxMessage.objects.filter(pk=message.pk).update(
                status=MessageStatus.FAILED,
                attempts=max_attempts(),
                created_at=created,
                next_attempt_at=published + datetime.timedelta(hours=6),
                last_error="SMTPRecipientsRefused: 550 5.1.1 Recipient address rejected",
            )
        else:
            OutboxMessage.objects.filter(pk=message.pk).update(
                status=MessageStatus.SENT,
                attempts=1,
                created_at=created,
                sent_at=created + datetime.timedelta(minutes=1),
            )
    counts["outgoing e-mails"] = len(messages)
