"""The cursor never skips an event: positions are given after commit, in visibility order."""

from __future__ import annotations

import base64
import threading
from typing import Any

import pytest
from django.db import connection, transaction
from django.utils import timezone

from hyrkoll.agreement.models import Supplier
from hyrkoll.feed.models import FeedClock, FeedEvent, FeedKind
from hyrkoll.feed.positions import BadCursor, assign_positions, decode_cursor, encode_cursor, read

pytestmark = pytest.mark.django_db


def raw_event(supplier: Supplier, pk: int | None = None, object_id: int = 1) -> FeedEvent:
    """An event written straight to the table, with an explicit id when given (as a transaction
    that took its id earlier but commits later would leave it)."""
    return FeedEvent.objects.create(
        pk=pk,
        kind=FeedKind.CALL_OFF_PUBLISHED,
        supplier=supplier,
        object_type="call_off",
        object_id=object_id,
        object_url=f"/api/v1/call-offs/{object_id}/",
        occurred_at=timezone.now(),
    )


@pytest.fixture
def supplier() -> Supplier:
    return Supplier.objects.create(name="Feed AB", org_no="556111-2222")


def test_cursor_round_trip() -> None:
    for position in (0, 1, 55, 2**63 - 1):
        assert decode_cursor(encode_cursor(position)) == position
    assert encode_cursor(55) == "djE6NTU"


@pytest.mark.parametrize(
    "cursor",
    ["", "55", "djE6", "not base64!", "djE6LTE", base64.urlsafe_b64encode(b"v1:007").decode(),
     base64.urlsafe_b64encode(b"v2:5").decode(), encode_cursor(5) + "=", encode_cursor(2**64)],
)  # fmt: skip
def test_bad_cursors_are_refused(cursor: str) -> None:
    with pytest.raises(BadCursor):
        decode_cursor(cursor)


def test_positions_follow_commit_order_not_id_order(supplier: Supplier) -> None:
    """Event 10 commits after event 11 (simulated with explicit ids): a poller that read 11 still
    gets 10 with the next poll. An id cursor ("id > 11") would have skipped it."""
    first = raw_event(supplier, pk=5)
    page = read(FeedEvent.objects.all(), 0, 100)
    assert [e.pk for e in page.events] == [first.pk]
    cursor = decode_cursor(page.next_cursor)

    late_committer_but_high_id = raw_event(supplier, pk=11)
    page = read(FeedEvent.objects.all(), cursor, 100)
    assert [e.pk for e in page.events] == [11]
    cursor = decode_cursor(page.next_cursor)

    raw_event(supplier, pk=10)  # took its id first, committed last
    page = read(FeedEvent.objects.all(), cursor, 100)
    assert [e.pk for e in page.events] == [10]
    assert not page.has_more
    late_committer_but_high_id.refresh_from_db()
    assert FeedEvent.objects.get(pk=10).position > late_committer_but_high_id.position
    # Polling again with the last cursor returns nothing and keeps the cursor.
    again = read(FeedEvent.objects.all(), decode_cursor(page.next_cursor), 100)
    assert again.events == [] and again.next_cursor == page.next_cursor


def test_positions_are_given_once_and_grow(supplier: Supplier) -> None:
    for _ in range(3):
        raw_event(supplier)
    assert assign_positions() == 3
    assert assign_positions() == 0
    assert list(FeedEvent.objects.order_by("pk").values_list("position", flat=True)) == [1, 2, 3]
    assert FeedClock.objects.get().last_position == 3


def test_paging_with_limit(supplier: Supplier) -> None:
    for n in range(5):
        raw_event(supplier, object_id=n)
    seen: list[int] = []
    after = 0
    while True:
        page = read(FeedEvent.objects.all(), after, 2)
        seen += [e.object_id for e in page.events]
        after = decode_cursor(page.next_cursor)
        if not page.has_more:
            break
    assert seen == [0, 1, 2, 3, 4]


def test_a_rolled_back_transaction_leaves_no_event(supplier: Supplier) -> None:
    with pytest.raises(RuntimeError), transaction.atomic():
        raw_event(supplier)
        raise RuntimeError("the step fails")
    assert not FeedEvent.objects.exists()


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs concurrent transactions (PostgreSQL); SQLite serialises all writes",
)
@pytest.mark.django_db(transaction=True)
def test_a_real_out_of_order_commit_is_not_skipped() -> None:
    """Two real transactions: A inserts first (lower id) and commits last; the poll between the two
    commits sees B only, and the next poll after B's cursor sees A."""
    supplier = Supplier.objects.create(name="Samtidig AB", org_no="556333-4444")
    inserted, release = threading.Event(), threading.Event()
    errors: list[Any] = []

    def slow_step() -> None:
        try:
            with transaction.atomic():
                raw_event(supplier, object_id=1)
                inserted.set()
                release.wait(timeout=10)
        except Exception as error:  # reported below
            errors.append(error)
        finally:
            connection.close()

    thread = threading.Thread(target=slow_step)
    thread.start()
    assert inserted.wait(timeout=10)
    raw_event(supplier, object_id=2)  # a higher id, committed at once
    page = read(FeedEvent.objects.all(), 0, 100)
    assert [e.object_id for e in page.events] == [2]
    release.set()
    thread.join(timeout=10)
    assert not errors
    page = read(FeedEvent.objects.all(), decode_cursor(page.next_cursor), 100)
    assert [e.object_id for e in page.events] == [1]
    ids = dict(FeedEvent.objects.values_list("object_id", "pk"))
    assert ids[1] < ids[2]  # the skipped-by-id case really happened
