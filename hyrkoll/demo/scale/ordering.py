"""Needs in every state with their history, decisions, call-offs, recipients, offers and checks.

One pass in time order over :func:`~hyrkoll.demo.scale.volumes.monthly_volumes`: a need's status
follows from its age (needs from the last weeks are still open; older ones ended), rows are buffered
per table and written with COPY every ``CHUNK`` needs, parents before children. A care unit's earlier
consultants come back: the winning offer names one of them in ``RETURN_SHARE`` of the awards.
"""

from __future__ import annotations

import datetime
import random
from collections import defaultdict
from collections.abc import Callable
from decimal import Decimal

from hyrkoll.demo.scale.base import PROFESSION_WEIGHTS, Cast, Picker, zipf
from hyrkoll.demo.scale.copying import Table
from hyrkoll.demo.scale.volumes import monthly_volumes
from hyrkoll.demo.scale.work import DAY, END, Work, at
from hyrkoll.ordering.models import (
    CallOff,
    CallOffRecipient,
    CallOffStatus,
    CheckCode,
    Decision,
    DecisionOutcome,
    EventKind,
    Need,
    NeedEvent,
    NeedReason,
    NeedStatus,
    Offer,
    OfferCheck,
    OfferStatus,
)  # fmt: skip

CHUNK = 5000
OPEN_DAYS = 14  # needs registered this close to the history's end are still in an open state
RETURN_SHARE = 0.45
WEEKS = [1, 2, 2, 3, 4, 4, 4, 5, 6, 8, 8, 10, 12, 13, 16, 26]
HOURS = [Decimal(40), Decimal(40), Decimal(40), Decimal(36), Decimal(32), Decimal(20)]
ENDED = Picker(
    [
        NeedStatus.AWARDED,
        NeedStatus.UNFILLED,
        NeedStatus.FILLED_INTERNALLY,
        NeedStatus.REJECTED,
        NeedStatus.CANCELLED,
    ],
    [78, 8, 7, 4, 3],
)
OPEN = Picker(
    [NeedStatus.DRAFT, NeedStatus.INTERNAL_SEARCH, NeedStatus.STEERING_REVIEW, NeedStatus.AWAITING_APPROVAL,
     NeedStatus.RETURNED, NeedStatus.APPROVED, NeedStatus.PUBLISHED, NeedStatus.AWARDED],
    [8, 8, 4, 14, 4, 6, 30, 26],
)  # fmt: skip
REASONS = Picker(list(NeedReason.values), [40, 20, 15, 22, 3])
PROFESSIONS = Picker(list(PROFESSION_WEIGHTS), list(PROFESSION_WEIGHTS.values()))
DECIDED = {NeedStatus.RETURNED: DecisionOutcome.RETURN, NeedStatus.REJECTED: DecisionOutcome.REJECT}
PUBLISHED = {NeedStatus.PUBLISHED, NeedStatus.AWARDED, NeedStatus.UNFILLED}
APPROVED = {NeedStatus.APPROVED, *PUBLISHED}
CALL_OFF_STATUS = {
    NeedStatus.PUBLISHED: CallOffStatus.OPEN,
    NeedStatus.AWARDED: CallOffStatus.AWARDED,
    NeedStatus.UNFILLED: CallOffStatus.UNFILLED,
    NeedStatus.CANCELLED: CallOffStatus.CANCELLED,
}


class Ordering:
    """The generator's state: tables, the units' returning consultants, the supplier pickers."""

    def __init__(self, cast: Cast, seed: int) -> None:
        self.cast = cast
        self.rng = random.Random(f"{seed}-scale-ordering")
        self.work = Work(cast, random.Random(f"{seed}-scale-work"))
        self.needs = Table(
            Need,
            ("region", "unit", "created_by", "created_at", "profession", "competence", "level", "starts_on",
             "ends_on", "hours_per_week", "reason", "price_list", "estimated_hourly_price_sek", "estimated_cost_sek",
             "status", "required_level", "submitted_at", "status_changed_at"),
        )  # fmt: skip
        self.events = Table(NeedEvent, ("need", "at", "actor", "actor_name", "kind", "text"))
        self.decisions = Table(Decision, ("need", "level", "outcome", "reason", "decided_by", "decided_at"))
        self.call_offs = Table(
            CallOff,
            ("need", "region", "sub_area", "published_at", "response_deadline", "status", "closed_at"),
        )
        self.recipients = Table(CallOffRecipient, ("call_off", "supplier", "notified_at"))
        self.offers = Table(
            Offer,
            ("call_off", "supplier", "consultant", "licence_number", "competence", "hlr_trained_on", "available_from",
             "available_to", "submitted_by", "submitted_at", "status", "checks_passed", "checked_at"),
        )  # fmt: skip
        self.checks = Table(OfferCheck, ("offer", "code", "passed", "reason", "checked_at"))
        self.returning: dict[tuple[int, str], list[tuple[int, tuple]]] = defaultdict(list)
        self.suppliers: dict[str, Picker] = {}
        self.open_seen: set[str] = set()
        for profession, sub_area in cast.sub_area_of.items():
            with_staff = [s for s in cast.admitted.get(sub_area, []) if cast.consultants.get((s, profession))]
            self.suppliers[profession] = zipf(with_staff, 0.8)

    @property
    def tables(self) -> list[Table]:
        """In the order they are written (parents first)."""
        own = [
            self.needs,
            self.events,
            self.decisions,
            self.call_offs,
            self.recipients,
            self.offers,
            self.checks,
        ]
        return own + self.work.tables

    def run(self, total: int, seed: int, progress: Callable[[int, int], None]) -> None:
        done = 0
        for month, region, count in monthly_volumes(seed, total):
            days_in_month = ((month + 32 * DAY).replace(day=1) - month).days
            for _ in range(count):
                day = month + self.rng.randrange(days_in_month) * DAY
                self.need(region, day, self._status(done, total, day))
                done += 1
                if len(self.needs.rows) >= CHUNK:
                    self.flush()
                    progress(done, total)
        self.flush()
        progress(done, total)

    def _status(self, index: int, total: int, day: datetime.date) -> str:
        """A need from the last weeks is still open, an older one has ended. The first needs take
        every ended state in turn and the last ones any open state not seen yet, so even a tiny scale
        has them all."""
        unseen = [status for status in OPEN.items if status not in self.open_seen]
        if total - index <= len(unseen):
            status = unseen[0]
        elif (END - day).days < OPEN_DAYS:
            status = OPEN(self.rng)
        else:
            return ENDED.items[index] if index < len(ENDED.items) else ENDED(self.rng)
        self.open_seen.add(status)
        return status

    def flush(self) -> None:
        for table in self.tables:
            table.flush()

    def need(self, region: str, day: datetime.date, status: str) -> None:
        cast, rng = self.cast, self.rng
        created = at(day, rng.randint(7, 16), rng.randrange(60))
        unit = cast.unit_pickers[region](rng)
        profession = PROFESSIONS(rng)
        competence, level = cast.competences[profession](rng)
        starts = day + rng.randint(14, 60) * DAY
        weeks = rng.choice(WEEKS)
        hours = rng.choice(HOURS)
        price_list = cast.price_list_on(starts)
        price = cast.prices[(price_list, level, unit.zone)]
        after_publication = status == NeedStatus.CANCELLED and rng.random() < 0.5
        orderer = rng.choice(cast.orderers[region])
        approver = rng.choice(cast.approvers[region])
        required = rng.choice((1, 1, 1, 2, 2, 3))
        submitted = None if status == NeedStatus.DRAFT else created + datetime.timedelta(hours=1)
        decided = created + DAY
        published = created + 2 * DAY
        need = self.needs.add(
            cast.region_ids[region], unit.id, orderer, created, cast.profession_ids[profession], competence, level,
            starts, starts + (7 * weeks - 1) * DAY, hours, REASONS(rng), price_list, price, price * hours * weeks,
            status, None if status in (NeedStatus.DRAFT, NeedStatus.INTERNAL_SEARCH) else required, submitted,
            created + 3 * DAY,
        )  # fmt: skip
        event = self._events(need, status, after_publication, created, orderer, approver, required)
        if status in DECIDED or status in APPROVED or after_publication:
            outcome = DECIDED.get(status, DecisionOutcome.APPROVE)
            self.decisions.add(need, required, outcome, "Behovet är styrkt.", approver, decided)
        if status not in PUBLISHED and not after_publication:
            return
        details = {
            "unit": unit.id, "zone": unit.zone, "starts_on": starts, "ends_on": starts + (7 * weeks - 1) * DAY,
            "hours": hours, "price_list": price_list, "level": level, "price": price, "approver": approver,
        }  # fmt: skip
        self._call_off(region, need, profession, status, published, details, event)

    def _events(
        self,
        need: int,
        status: str,
        cancelled_late: bool,
        created: datetime.datetime,
        orderer: int,
        approver: int,
        level: int,
    ) -> Callable[[str, datetime.datetime, int | None], None]:
        names = self.cast.user_names

        def event(kind: str, when: datetime.datetime, actor: int | None, text: str = "") -> None:
            self.events.add(
                need, when, actor, names.get(actor, "Hyrkoll") if actor else "Hyrkoll", kind, text
            )

        event(EventKind.CREATED, created, orderer)
        if status == NeedStatus.DRAFT:
            return event
        event(EventKind.SUBMITTED, created + datetime.timedelta(hours=1), orderer)
        if status == NeedStatus.INTERNAL_SEARCH:
            return event
        if status == NeedStatus.FILLED_INTERNALLY:
            event(EventKind.FILLED_INTERNALLY, created + DAY, orderer)
            return event
        event(EventKind.INTERNAL_EXHAUSTED, created + datetime.timedelta(hours=2), orderer)
        event(EventKind.RULES, created + datetime.timedelta(hours=2), None, f"Beslutsnivå {level}")
        kinds = {NeedStatus.RETURNED: EventKind.RETURNED, NeedStatus.REJECTED: EventKind.REJECTED}
        if status in kinds:
            event(kinds[status], created + DAY, approver)
        elif status not in (NeedStatus.STEERING_REVIEW, NeedStatus.AWAITING_APPROVAL):
            if status != NeedStatus.CANCELLED or cancelled_late:
                event(EventKind.APPROVED, created + DAY, approver)
            if status in PUBLISHED or cancelled_late:
                event(EventKind.PUBLISHED, created + 2 * DAY, None)
            if status == NeedStatus.CANCELLED:
                event(EventKind.CANCELLED, created + 3 * DAY, orderer)
        return event

    def _call_off(
        self,
        region: str,
        need: int,
        profession: str,
        status: str,
        published: datetime.datetime,
        details: dict,
        event: Callable,
    ) -> None:
        cast, rng = self.cast, self.rng
        sub_area = cast.sub_area_of[profession]
        deadline = published + 3 * DAY
        closed = None if status == NeedStatus.PUBLISHED else deadline
        call_off = self.call_offs.add(
            need, cast.region_ids[region], cast.sub_area_ids[sub_area], published, deadline, CALL_OFF_STATUS[status],
            closed,
        )  # fmt: skip
        # Every admitted supplier receives the call-off at the moment it is published.
        for supplier in cast.admitted[sub_area]:
            self.recipients.add(call_off, supplier, published)
        count = {
            NeedStatus.AWARDED: rng.choice((1, 2, 2, 3, 3, 4)),
            NeedStatus.UNFILLED: rng.randint(0, 1),
        }.get(status, rng.randint(0, 2))
        key = (details["unit"], profession)
        chosen: set[int] = set()
        for rank in range(count):
            back = self.returning.get(key, []) if rank == 0 and status == NeedStatus.AWARDED else []
            if back and rng.random() < RETURN_SHARE:
                supplier, consultant = rng.choice(back)
            else:
                supplier = self.suppliers[profession](rng)
                consultant = rng.choice(cast.consultants[(supplier, profession)])
            if consultant[0] in chosen:
                continue
            chosen.add(consultant[0])
            won = status == NeedStatus.AWARDED and rank == 0
            passed = status != NeedStatus.UNFILLED
            offer_status = {
                NeedStatus.PUBLISHED: OfferStatus.SUBMITTED,
                NeedStatus.CANCELLED: OfferStatus.WITHDRAWN,
            }
            at_ = published + datetime.timedelta(hours=2 + rank)
            offer = self.offers.add(
                call_off, supplier, consultant[0], consultant[1], consultant[2], consultant[3],
                details["starts_on"], details["ends_on"], rng.choice(cast.supplier_users[supplier]), at_,
                OfferStatus.AWARDED if won else offer_status.get(status, OfferStatus.NOT_AWARDED), passed, at_,
            )  # fmt: skip
            for code in CheckCode.values:
                ok = passed or code != CheckCode.HLR
                self.checks.add(
                    offer, code, ok, "" if ok else "HLR-utbildningen är äldre än 12 månader.", at_
                )
            event(EventKind.OFFER, at_, None)
            if won:
                awarded_at, officer = deadline, rng.choice(cast.call_off_unit[region])
                event(EventKind.AWARDED, awarded_at, officer)
                self.work.assignment(
                    region, call_off, offer, consultant[0], supplier, details, awarded_at, officer
                )
                history = self.returning[key]
                if (supplier, consultant) not in history and len(history) < 6:
                    history.append((supplier, consultant))
        if status == NeedStatus.UNFILLED:
            event(EventKind.CLOSED, deadline, None)
