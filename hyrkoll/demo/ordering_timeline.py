"""Moving a demo need's history back in time: the workflow runs on the real clock, so once a need has
reached its state its events, decisions, publication, offers and award are moved to plausible
moments in the past, in the right order (``_Timeline``)."""

from __future__ import annotations

import datetime
import random
from collections import defaultdict

from django.utils import timezone

from hyrkoll.accounts.models import User
from hyrkoll.assignments.models import Assignment
from hyrkoll.ordering import workflow
from hyrkoll.ordering.models import (
    CallOff,
    CallOffRecipient,
    CallOffStatus,
    Decision,
    EventKind,
    InternalAttempt,
    Need,
    NeedEvent,
    NeedStatus,
    Offer,
    OfferCheck,
)

HOUR = 3600
DAY = 24 * HOUR


def orderer_of(need: Need) -> User:
    return need.created_by


APPROVALS = [
    "Vakans som inte kan lösas internt; patientsäkerheten kräver bemanning.",
    "Godkänns: interna alternativ prövade, budget finns.",
    "Godkänns för perioden; rekrytering pågår.",
]
REJECTIONS = [
    "Avslås: lös med omfördelning inom kliniken.",
    "Avslås: budgeten för inhyrd personal är förbrukad; prioritera om verksamheten.",
]


# --- moving a need's history back in time ---------------------------------------------------------------

# Time from the previous step (seconds, drawn uniformly); an award or closure comes after the deadline.
GAPS: dict[str, tuple[int, int]] = {
    EventKind.CREATED: (0, 0),
    EventKind.SUBMITTED: (600, 2 * DAY),
    EventKind.INTERNAL_ATTEMPT: (HOUR, DAY),
    EventKind.FILLED_INTERNALLY: (5, 60),
    EventKind.INTERNAL_EXHAUSTED: (600, DAY),
    EventKind.RULES: (1, 3),
    EventKind.STEERING_REVIEW: (DAY, 4 * DAY),
    EventKind.APPROVED: (HOUR, 2 * DAY),
    EventKind.REJECTED: (HOUR, 2 * DAY),
    EventKind.RETURNED: (HOUR, 2 * DAY),
    EventKind.PUBLISHED: (1, 5),
    EventKind.PUBLICATION_FAILED: (1, 5),
    EventKind.OFFER: (1800, 12 * HOUR),
    EventKind.CHECKS: (1, 3),
    EventKind.AWARDED: (HOUR, DAY),
    EventKind.CLOSED: (2 * HOUR, DAY),
    EventKind.CANCELLED: (HOUR, 3 * DAY),
}
STATUS_EVENTS = {
    EventKind.CREATED, EventKind.SUBMITTED, EventKind.FILLED_INTERNALLY, EventKind.RULES,
    EventKind.STEERING_REVIEW, EventKind.APPROVED, EventKind.REJECTED, EventKind.RETURNED,
    EventKind.PUBLISHED, EventKind.AWARDED, EventKind.CLOSED, EventKind.CANCELLED,
}  # fmt: skip
DECISION_EVENTS = {EventKind.STEERING_REVIEW, EventKind.APPROVED, EventKind.REJECTED, EventKind.RETURNED}
# How long ago the last step was taken, by the need's final status (seconds).
AGES: dict[str, tuple[int, int]] = {
    NeedStatus.DRAFT: (HOUR, 4 * DAY),
    NeedStatus.INTERNAL_SEARCH: (2 * HOUR, 3 * DAY),
    NeedStatus.FILLED_INTERNALLY: (DAY, 12 * DAY),
    NeedStatus.STEERING_REVIEW: (5 * HOUR, 4 * DAY),
    NeedStatus.AWAITING_APPROVAL: (HOUR, 5 * DAY),
    NeedStatus.RETURNED: (DAY, 8 * DAY),
    NeedStatus.REJECTED: (2 * DAY, 14 * DAY),
    NeedStatus.APPROVED: (2 * DAY, 20 * DAY),
    NeedStatus.PUBLISHED: (HOUR, 20 * HOUR),
    NeedStatus.AWARDED: (DAY, 15 * DAY),
    NeedStatus.UNFILLED: (DAY, 10 * DAY),
    NeedStatus.CANCELLED: (DAY, 10 * DAY),
}


def _local(moment: datetime.datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")


def _working_days(start: datetime.datetime, end: datetime.datetime) -> int:
    days, current = 0, start
    while current < end:
        current += datetime.timedelta(days=1)
        if current.weekday() < 5:
            days += 1
    return days


def _working_days_before(end: datetime.datetime, days: int) -> datetime.datetime:
    """The moment ``days`` working days before ``end``: ``add_working_days`` of it gives ``end``."""
    current, remaining = end, days
    while remaining > 0:
        if current.weekday() < 5:
            remaining -= 1
        current -= datetime.timedelta(days=1)
    return current


class HistoryNotPlaceable(ValueError):
    """No placing of the steps ends in the past (or, for an open call-off, keeps its deadline ahead)."""


def _compute(
    kinds: list[str], gaps: list[datetime.timedelta], working_days: int, start: datetime.datetime
) -> tuple[list[datetime.datetime], datetime.datetime | None]:
    """The steps' moments from ``start``: each after its gap; an award or closure waits for the deadline."""
    times: list[datetime.datetime] = []
    deadline = None
    current = start
    for kind, gap in zip(kinds, gaps, strict=True):
        current = current + gap
        if kind == EventKind.PUBLISHED:
            deadline = workflow.add_working_days(current, working_days)
        if kind in (EventKind.AWARDED, EventKind.CLOSED) and deadline is not None:
            current = max(current, deadline + gap)
        times.append(current)
    return times, deadline


def place_history(
    kinds: list[str],
    gaps: list[datetime.timedelta],
    working_days: int,
    *,
    now: datetime.datetime,
    age: datetime.timedelta,
    late: datetime.timedelta,
    mode: str,
) -> tuple[list[datetime.datetime], datetime.datetime | None]:
    """Moments for a need's steps (``kinds``, in order) and its call-off's deadline, all before ``now``.

    ``mode`` "past_deadline": published so that the deadline passed ``late`` ago; otherwise the last
    step about ``age`` ago, and with "open" the deadline still ahead. Pure, so that every weekday and
    hour can be tested (the demo once failed on Sunday afternoons).
    """
    target = now - age
    start = target - sum(gaps, datetime.timedelta())
    times, deadline = _compute(kinds, gaps, working_days, start)
    if mode == "past_deadline":
        # Published so that the deadline passed a little while ago (deadlines fall on working
        # days: at a weekend, on Friday afternoon).
        wanted = now - late
        while wanted.weekday() >= 5:
            wanted = (wanted - datetime.timedelta(days=1)).replace(hour=15)
        published = _working_days_before(wanted, working_days)
        start += published - times[kinds.index(EventKind.PUBLISHED)]
        times, deadline = _compute(kinds, gaps, working_days, start)
    else:
        # The gaps are fixed, except that an award or closure waits for the deadline, which
        # moves with the weekends: a few rounds settle it.
        for _ in range(6):
            error = target - times[-1]
            if abs(error) < datetime.timedelta(minutes=1):
                break
            start += error
            times, deadline = _compute(kinds, gaps, working_days, start)
        # The deadline falls on a working day, so across a weekend it jumps and the rounds above may
        # not settle (an award wanted on a Saturday morning lands after Monday's deadline): the
        # history is then placed earlier, a day at a time, until it lies in the past.
        for _ in range(14):
            if times[-1] < now:
                break
            start -= datetime.timedelta(days=1)
            times, deadline = _compute(kinds, gaps, working_days, start)
    if times[-1] >= now or (deadline is not None and mode == "open" and deadline <= now):
        raise HistoryNotPlaceable(f"last step {times[-1]}, deadline {deadline}, now {now}")
    return times, deadline


class _Timeline:
    """Spreads one need's steps over the past: same order, plausible gaps, deadline recomputed."""

    def __init__(self, rng: random.Random, now: datetime.datetime, need: Need, mode: str) -> None:
        need.refresh_from_db()
        self.need = need
        self.mode = mode
        self.now = now
        self.events = list(need.events.order_by("at", "pk"))
        self.gaps = [datetime.timedelta(seconds=rng.randint(*GAPS[e.kind])) for e in self.events]
        self.call_off = CallOff.objects.filter(need=need).first()
        self.working_days = (
            _working_days(self.call_off.published_at, self.call_off.response_deadline) if self.call_off else 0
        )
        low, high = AGES[need.status]
        self.age = datetime.timedelta(seconds=rng.randint(low, high))
        self.late = datetime.timedelta(minutes=rng.randint(10, 90))

    def apply(self) -> None:
        try:
            times, deadline = place_history(
                [event.kind for event in self.events], self.gaps, self.working_days,
                now=self.now, age=self.age, late=self.late, mode=self.mode,
            )  # fmt: skip
        except HistoryNotPlaceable as error:
            raise AssertionError(f"cannot place the history of {self.need} in the past") from error
        self.write(times, deadline)

    def write(self, times: list[datetime.datetime], deadline: datetime.datetime | None) -> None:
        need, events = self.need, self.events
        at: dict[str, list[datetime.datetime]] = defaultdict(list)
        for event, moment in zip(events, times, strict=True):
            event.at = moment
            at[event.kind].append(moment)
            if event.kind == EventKind.PUBLISHED and deadline is not None and self.call_off is not None:
                # "… offers by <deadline>": the new deadline.
                event.text = event.text.replace(_local(self.call_off.response_deadline), _local(deadline))
        NeedEvent.objects.bulk_update(events, ["at", "text"])
        changed = [moment for event, moment in zip(events, times, strict=True) if event.kind in STATUS_EVENTS]
        Need.objects.filter(pk=need.pk).update(
            created_at=times[0],
            submitted_at=at[EventKind.SUBMITTED][0] if at[EventKind.SUBMITTED] else None,
            status_changed_at=changed[-1] if changed else times[0],
        )
        decided = [
            moment for event, moment in zip(events, times, strict=True) if event.kind in DECISION_EVENTS
        ]
        for decision, moment in zip(need.decisions.order_by("pk"), decided, strict=False):
            Decision.objects.filter(pk=decision.pk).update(decided_at=moment)
        for attempt, moment in zip(
            need.internal_attempts.order_by("pk"), at[EventKind.INTERNAL_ATTEMPT], strict=False
        ):
            InternalAttempt.objects.filter(pk=attempt.pk).update(at=moment)
        if self.call_off is None:
            return
        published = at[EventKind.PUBLISHED][0]
        closed = (at[EventKind.AWARDED] or at[EventKind.CLOSED] or at[EventKind.CANCELLED] or [None])[0]
        CallOff.objects.filter(pk=self.call_off.pk).update(
            published_at=published, response_deadline=deadline,
            closed_at=closed if self.call_off.status != CallOffStatus.OPEN else None,
        )  # fmt: skip
        CallOffRecipient.objects.filter(call_off=self.call_off).update(notified_at=published)
        offers = list(Offer.objects.filter(call_off=self.call_off).order_by("pk"))
        for offer, submitted, checked in zip(offers, at[EventKind.OFFER], at[EventKind.CHECKS], strict=False):
            if offer.status == "awarded" and closed is not None:
                checked = closed  # re-checked at the award
            Offer.objects.filter(pk=offer.pk).update(submitted_at=submitted, checked_at=checked)
            OfferCheck.objects.filter(offer=offer).update(checked_at=checked)
        if closed is not None and at[EventKind.AWARDED]:
            Assignment.objects.filter(call_off=self.call_off).update(created_at=closed)
