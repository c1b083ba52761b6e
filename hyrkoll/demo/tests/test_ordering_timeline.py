"""The demo's history placing at every hour of a week: the demo failed on Sunday afternoons once."""

from __future__ import annotations

import datetime

import pytest

from hyrkoll.demo.ordering_timeline import AGES, GAPS, HistoryNotPlaceable, place_history
from hyrkoll.ordering.models import EventKind, NeedStatus

K = EventKind
SEQUENCES: dict[str, tuple[str, list[str]]] = {
    "awarded": (NeedStatus.AWARDED, [K.CREATED, K.SUBMITTED, K.RULES, K.APPROVED, K.PUBLISHED,
                                     K.OFFER, K.CHECKS, K.OFFER, K.CHECKS, K.AWARDED]),
    "unfilled": (NeedStatus.UNFILLED, [K.CREATED, K.SUBMITTED, K.RULES, K.APPROVED, K.PUBLISHED, K.CLOSED]),
    "published": (NeedStatus.PUBLISHED, [K.CREATED, K.SUBMITTED, K.RULES, K.APPROVED, K.PUBLISHED, K.OFFER,
                                         K.CHECKS]),
    "rejected": (NeedStatus.REJECTED, [K.CREATED, K.SUBMITTED, K.RULES, K.STEERING_REVIEW, K.REJECTED]),
}  # fmt: skip
MONDAY = datetime.datetime(2026, 11, 30, tzinfo=datetime.UTC)
HOURS_OF_A_WEEK = [MONDAY + datetime.timedelta(hours=hour) for hour in range(7 * 24)]


def _gaps(kinds: list[str], end: int) -> list[datetime.timedelta]:
    """Each step's shortest (``end`` 0) or longest (1) gap."""
    return [datetime.timedelta(seconds=GAPS[kind][end]) for kind in kinds]


@pytest.mark.parametrize("name", sorted(SEQUENCES))
@pytest.mark.parametrize("end", [0, 1])
def test_every_hour_of_the_week_places_the_history_in_the_past_in_order(name: str, end: int) -> None:
    status, kinds = SEQUENCES[name]
    mode = "open" if status == NeedStatus.PUBLISHED else "done"
    for now in HOURS_OF_A_WEEK:
        for age_seconds in AGES[status]:
            times, deadline = place_history(
                kinds, _gaps(kinds, end), 3, now=now, age=datetime.timedelta(seconds=age_seconds),
                late=datetime.timedelta(minutes=30), mode=mode,
            )  # fmt: skip
            assert times == sorted(times), (now, age_seconds)
            assert times[-1] < now, (now, age_seconds)
            if K.PUBLISHED in kinds:
                assert deadline is not None and deadline.weekday() < 5, (now, deadline)
                if K.AWARDED in kinds or K.CLOSED in kinds:
                    assert times[-1] >= deadline, (now, times[-1], deadline)
            if mode == "open":
                assert deadline is not None and deadline > now, (now, deadline)


def test_a_deadline_passed_a_little_while_ago_at_every_hour_of_the_week() -> None:
    kinds = [K.CREATED, K.SUBMITTED, K.RULES, K.APPROVED, K.PUBLISHED, K.OFFER, K.CHECKS]
    for now in HOURS_OF_A_WEEK:
        times, deadline = place_history(
            kinds, _gaps(kinds, 0), 3, now=now, age=datetime.timedelta(hours=2),
            late=datetime.timedelta(minutes=30), mode="past_deadline",
        )  # fmt: skip
        assert deadline is not None and deadline <= now - datetime.timedelta(minutes=30), (now, deadline)
        assert deadline.weekday() < 5 and now - deadline < datetime.timedelta(days=3), (now, deadline)
        assert times[-1] < now


def test_an_open_call_off_whose_deadline_cannot_lie_ahead_is_refused() -> None:
    kinds = [K.CREATED, K.PUBLISHED]
    with pytest.raises(HistoryNotPlaceable):
        place_history(
            kinds, _gaps(kinds, 0), 0, now=MONDAY, age=datetime.timedelta(hours=1),
            late=datetime.timedelta(minutes=30), mode="open",
        )  # fmt: skip
