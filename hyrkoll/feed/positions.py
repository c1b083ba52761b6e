"""Feed positions and the cursor: why a poller never misses an event.

An id (or a timestamp) is not a safe cursor: ids are handed out when a row is inserted, but rows
become visible when their transaction commits. If event 11 commits before event 10, a poller that
read 11 and keeps "id > 11" never sees 10.

So the feed orders events by ``position``, which is given only to events that are already
committed, in the order they become visible:

1. :func:`hyrkoll.feed.services.record` inserts the event with ``position`` NULL, inside the step's
   transaction (the event exists iff the step commits).
2. Every read of the feed first calls :func:`assign_positions`. In a transaction of its own it locks
   the one :class:`~hyrkoll.feed.models.FeedClock` row (``SELECT … FOR UPDATE``; on SQLite the
   ``IMMEDIATE`` transaction is the lock), then gives every committed event without a position the
   next positions, in id order, and commits. Under READ COMMITTED each statement sees every
   transaction committed before it, so the events it places are exactly the visible ones.
3. A read then serves ``position > cursor``.

Why nothing is skipped: positions only grow (one assigner at a time, starting from the clock), and
the assigning transaction commits positions 1…n together, so whoever sees position n also sees
every position below it. An event still uncommitted has no position; when it commits it gets a
position above every one given so far – above any cursor a client holds. Ordering is by position,
not by ``occurred_at`` or id.

The cursor is the position, encoded (``base64url("v1:<position>")``); clients must treat it as an
opaque string and only send back one they were given.
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass

from django.db import transaction

from hyrkoll.feed.models import FeedClock, FeedEvent, FeedEventQuerySet

_PREFIX = "v1:"
_MAX_POSITION = 2**63 - 1


class BadCursor(ValueError):
    """The cursor is not one the feed hands out."""


def encode_cursor(position: int) -> str:
    return base64.urlsafe_b64encode(f"{_PREFIX}{position}".encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> int:
    """The position a cursor stands for; :class:`BadCursor` if it is not one the feed gives out."""
    try:
        text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode("ascii")
    except (binascii.Error, UnicodeError, ValueError):
        raise BadCursor(cursor) from None
    digits = text.removeprefix(_PREFIX)
    if not text.startswith(_PREFIX) or not digits.isdigit() or not digits.isascii():
        raise BadCursor(cursor)
    position = int(digits)
    if position > _MAX_POSITION or encode_cursor(position) != cursor:
        raise BadCursor(cursor)
    return position


def assign_positions() -> int:
    """Place every committed event that has no position yet; the number placed.

    Cheap when there is nothing to do (one indexed query, no lock). An event that commits after
    the check is placed by the next read, above everything served now.
    """
    if not FeedEvent.objects.filter(position__isnull=True).exists():
        return 0
    with transaction.atomic():
        clock, _created = FeedClock.objects.select_for_update().get_or_create(pk=1)
        unplaced = list(FeedEvent.objects.filter(position__isnull=True).order_by("pk").only("pk"))
        for offset, event in enumerate(unplaced, start=1):
            event.position = clock.last_position + offset
        FeedEvent.objects.bulk_update(unplaced, ["position"], batch_size=500)
        clock.last_position += len(unplaced)
        clock.save(update_fields=["last_position"])
    return len(unplaced)


@dataclass(frozen=True)
class Page:
    events: list[FeedEvent]
    next_cursor: str
    has_more: bool


def read(events: FeedEventQuerySet, after: int, limit: int) -> Page:
    """The first ``limit`` of ``events`` after position ``after`` (positions assigned first)."""
    assign_positions()
    rows = list(events.filter(position__gt=after).order_by("position")[: limit + 1])
    page = rows[:limit]
    last = page[-1].position if page else after
    return Page(events=page, next_cursor=encode_cursor(last or 0), has_more=len(rows) > limit)
