"""Demo needs and call-offs in every state, made through the ordering workflow.

Every step goes through :mod:`hyrkoll.ordering.workflow` as the demo user who would take it (the
orderer ``<code>.bestallare*``, the call-off unit ``<code>.avropsenhet``, the approver at the level
the region's rules require, the steering group ``<code>.styrgrupp``, the suppliers'
``leverantor.<n>``), so each need's history, the offers' checks and the audit trail are the real
ones. Before that the regions get what the checks and rules read: rule tables (hiring stops and
decision levels), internal staffing pools, licence-register extracts, verified credentials and
lists of former employees (keyed hashes of invented personal identity numbers).

Dates. The workflow works on the real clock (``timezone.now()``): a need must start after today,
a call-off is published now with a deadline three working days ahead, offers are checked today.
So the needs start after ``max(today, the real date)``, and once a need has reached its state its
history is moved back in time with ``QuerySet.update()`` – created, submitted, decided, published,
offered, awarded a few hours to a few weeks ago, in the right order, with the response deadline
recomputed from the new publication time (the open call-offs keep a deadline in the future, one has
just passed it). The audit trail is append-only and is left as it was written: it shows when the
demo was loaded.
"""

from __future__ import annotations

import datetime
import random
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from typing import TYPE_CHECKING, Any
from unittest import mock

from django.test.utils import override_settings

from hyrkoll.accounts.models import User
from hyrkoll.agreement.models import Competence
from hyrkoll.agreement.pricing import quote
from hyrkoll.assignments.models import Assignment
from hyrkoll.consultants.models import (
    Consultant,
    FormerEmployee,
)
from hyrkoll.demo.ordering_cast import _Cast, _Region
from hyrkoll.demo.ordering_data import (
    COMMON,
    COMPETENCES_BY_AREA,
    DEPARTMENT_ALTERNATIVES,
    INTERNAL_NOTES,
    LARGE_REGIONS,
    REASONS,
    REGION_SCENARIOS,
    REGIONS,
    SHIFTS,
    SKILLS,
    SMALL,
    Scenario,
)
from hyrkoll.demo.ordering_timeline import APPROVALS, REJECTIONS, _Timeline, orderer_of
from hyrkoll.demo.people import random_person
from hyrkoll.ordering import workflow
from hyrkoll.ordering.models import (
    AttemptOutcome,
    CallOff,
    CallOffStatus,
    DecisionOutcome,
    Need,
    NeedStatus,
    Offer,
    OfferCheck,
)
from hyrkoll.organisation.models import OrgUnit, Region
from hyrkoll.pool.models import PoolMember

if TYPE_CHECKING:
    from hyrkoll.demo.generator import DemoSummary


@contextmanager
def quiet_mail() -> Iterator[None]:
    """No e-mails for the demo's needs and call-offs.

    The workflow queues a mail in the outbox to every recipient supplier, approver and orderer (a
    few thousand for the demo, and about needs that the demo backdates). Wrap the whole load,
    commit included: the notifications are skipped (nothing is queued), and anything else that
    mails goes to memory instead of the console.
    """
    with (
        override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"),
        mock.patch.object(workflow, "notify_call_off_published", _no_mail),
        mock.patch.object(workflow, "notify_call_off_filled", _no_mail),
        mock.patch.object(workflow, "notify_orderer_awarded", _no_mail),
        mock.patch.object(workflow, "notify_decision_requested", _no_mail),
    ):
        yield


def _no_mail(call_off_id: int) -> int:
    return 0


class _OrderingDemo(_Cast):
    """Takes each scenario's need through the workflow as the demo users (on the cast of ``_Cast``)."""

    def competence_for(self, unit: OrgUnit, scenario: Scenario, needs_offers: bool) -> Competence:
        if scenario.competence:
            return self.competences[scenario.competence]
        area = unit.care_area.code if unit.care_area_id else "somatic"
        codes = COMPETENCES_BY_AREA[area, scenario.profession]
        if needs_offers:
            codes = [code for code in codes if len(self.candidates(self.competences[code])) >= 4] or codes
        return self.competences[self.rng.choice(codes)]

    def period(self, state: str, variant: str) -> tuple[datetime.date, int]:
        rng = self.rng
        if state == "awarded" or variant in ("past_deadline",):
            offset = rng.randint(10, 45)
        elif state in ("published", "unfilled"):
            offset = rng.randint(14, 60)
        else:
            offset = rng.randint(20, 120)
        length = rng.choice([14, 28, 42, 61, 90, 90, 120, 183])
        return self.base + datetime.timedelta(days=offset), length

    def new_need(self, cast: _Region, scenario: Scenario, **fixed: Any) -> tuple[Need, User]:
        rng = self.rng
        needs_offers = (
            scenario.state in ("awarded", "published", "unfilled") or scenario.variant == "cancel_published"
        )
        unit = fixed.pop("unit", None) or self.unit(cast, scenario.unit)
        competence = fixed.pop("competence", None) or self.competence_for(unit, scenario, needs_offers)
        starts_on, length = self.period(scenario.state, scenario.variant)
        starts_on = fixed.pop("starts_on", starts_on)
        length = fixed.pop("length", length)
        need = Need(
            unit=unit, profession=competence.profession, competence=competence, starts_on=starts_on,
            ends_on=starts_on + datetime.timedelta(days=length - 1),
            hours_per_week=rng.choice([Decimal(40), Decimal(40), Decimal(40), Decimal(32), Decimal(20)]),
            shifts_note=rng.choice(SHIFTS), required_skills=rng.choice(SKILLS),
            reason=rng.choices([r for r, _w in REASONS], weights=[w for _r, w in REASONS])[0],
        )  # fmt: skip
        if scenario.outside:
            agreement_price = self._agreement_price(need)
            need.outside_agreement = True
            need.outside_supplier_name = rng.choice(
                [
                    "Läkarhuset Direkt AB",
                    "Norrlandsdoktorn AB",
                    "Specialistjouren i Sverige AB",
                    "Vårdkraft Direkt AB",
                ]
            )
            need.outside_hourly_price_sek = (
                agreement_price * Decimal(rng.choice(["1.35", "1.6", "1.9"]))
            ).quantize(Decimal(1))
            need.outside_justification = rng.choice(
                [
                    "Ingen avtalsleverantör har kunnat erbjuda specialist under perioden (tre avrop utan anbud).",
                    "Akut patientsäkerhetsrisk: jourlinjen kan inte bemannas; avtalets leverantörer saknar "
                    "tillgänglig konsult.",
                ]
            )
        for name, value in fixed.items():
            setattr(need, name, value)
        orderer = cast.orderer_for(unit)
        workflow.save_draft(orderer, need)
        return need, orderer

    def _agreement_price(self, need: Need) -> Decimal:
        return quote(need.competence.level, need.unit, need.starts_on).hourly_sek

    def submit(self, cast: _Region, need: Need, orderer: User, *, exhaust: bool = True) -> None:
        rng = self.rng
        workflow.submit(orderer, need)
        officer = cast.user("avropsenhet")
        if rng.random() < 0.7:
            member = self.pool_member(cast, need)
            if member is not None:
                workflow.record_internal_attempt(
                    officer, need, outcome=rng.choice([AttemptOutcome.NOT_AVAILABLE, AttemptOutcome.DECLINED]),
                    pool_member=member, note=rng.choice(["", "Bokad i annat uppdrag", "Föräldraledig"]),
                )  # fmt: skip
            else:
                workflow.record_internal_attempt(
                    officer,
                    need,
                    outcome=AttemptOutcome.NOT_AVAILABLE,
                    description=rng.choice(DEPARTMENT_ALTERNATIVES),
                )
        if exhaust:
            workflow.exhaust_internal(officer, need, rng.choice(INTERNAL_NOTES))

    def pool_member(self, cast: _Region, need: Need) -> PoolMember | None:
        matching = [
            m
            for m in cast.pool
            if m.is_active and m.profession_id == need.profession_id and m.level_id == need.level_id
        ]
        return self.rng.choice(matching) if matching else None

    def decide(self, cast: _Region, need: Need, outcome: str, reason: str) -> User:
        if need.status == NeedStatus.STEERING_REVIEW:
            workflow.steering_review(
                cast.user("styrgrupp"), need, DecisionOutcome.APPROVE, "Tillstyrks: " + reason
            )
        approver = cast.approver_for(need)
        workflow.decide(approver, need, outcome, reason)
        need.refresh_from_db()
        return approver

    # --- offers and award ----------------------------------------------------------------------------------

    def offer(
        self, cast: _Region, call_off: CallOff, consultant: Consultant, fault: str = "", late_start: int = 0
    ) -> Offer:
        rng = self.rng
        need = call_off.need
        hlr = self.real_today - datetime.timedelta(days=rng.randint(15, 330))
        first, last = random_person(rng)
        second_first, second_last = random_person(rng)
        references = (
            f"{first} {last}, enhetschef, 070-{rng.randint(100, 999)} {rng.randint(10, 99)} {rng.randint(10, 99)}\n"
            f"{second_first} {second_last}, verksamhetschef, 070-{rng.randint(100, 999)} {rng.randint(10, 99)} "
            f"{rng.randint(10, 99)}"
        )
        licence = consultant.licence_number
        if fault == "hlr":
            hlr = self.real_today - datetime.timedelta(days=rng.randint(390, 800))
        elif fault == "references":
            references = references.splitlines()[0]
        elif fault == "licence":
            licence = licence[:-1] + str((int(licence[-1]) + 3) % 10)
        elif fault == "karens" and consultant.personal_number_hash:
            FormerEmployee.objects.get_or_create(
                region=cast.region, personal_number_hash=consultant.personal_number_hash,
                defaults={"employed_until": need.starts_on - datetime.timedelta(days=rng.randint(40, 300))},
            )  # fmt: skip
        offer = Offer(
            consultant=consultant, licence_number=licence,
            competence=need.competence if need.competence.requires_specialist_certificate else None,
            hlr_trained_on=hlr, available_from=need.starts_on + datetime.timedelta(days=late_start),
            available_to=need.ends_on, references=references,
        )  # fmt: skip
        return workflow.submit_offer(self.supplier_users[consultant.supplier_id], call_off, offer)

    def offers(
        self, cast: _Region, call_off: CallOff, count: int, *, passing: int = 0, faults: float = 0.3,
        exclude: tuple[int, ...] = (), fault_kinds: tuple[str, ...] = ("hlr", "references", "licence", "karens"),
    ) -> list[Offer]:  # fmt: skip
        """``count`` offers; at least ``passing`` of them pass every check (clean offers first)."""
        rng = self.rng
        need = call_off.need
        pool = [c for c in self.candidates(need.competence, need) if c.pk not in exclude]
        rng.shuffle(pool)
        made: list[Offer] = []
        passed = 0
        for consultant in pool:
            if len(made) >= count and passed >= passing:
                break
            clean = passed < passing
            fault = "" if clean or rng.random() >= faults else rng.choice(fault_kinds)
            late = 0 if clean or rng.random() < 0.8 else rng.randint(3, 10)
            offer = self.offer(cast, call_off, consultant, fault, late)
            made.append(offer)
            passed += offer.checks_passed
        if passed < passing:
            raise AssertionError(f"no consultant passes the checks for {need}")
        return made

    def award(self, cast: _Region, call_off: CallOff, deviate: bool = False) -> Offer:
        ranking = workflow.ranked_offers(call_off)
        if deviate and len(ranking) > 1:
            winner = ranking[1]
            reason = "Konsulten kan hela perioden på plats utan restid och har arbetat i vårt journalsystem."
        else:
            winner, reason = ranking[0], ""
        workflow.award(cast.user("avropsenhet"), winner, reason)
        need = call_off.need
        self.bookings[winner.consultant_id].append((need.starts_on, need.ends_on))
        return winner

    def published(self, cast: _Region, scenario: Scenario, **fixed: Any) -> CallOff:
        need, orderer = self.new_need(cast, scenario, **fixed)
        self.submit(cast, need, orderer)
        self.decide(cast, need, DecisionOutcome.APPROVE, self.rng.choice(APPROVALS))
        if need.status != NeedStatus.PUBLISHED:
            raise AssertionError(f"{need} was not published: {need.events.last()}")
        return CallOff.objects.select_related("need__competence", "need__unit").get(need=need)

    # --- scenarios -----------------------------------------------------------------------------------------

    def run(self, cast: _Region, scenario: Scenario) -> None:
        rng = self.rng
        state, variant = scenario.state, scenario.variant
        if variant == "continuity":
            self.continuity(cast, scenario)
            return
        if state in ("awarded", "published", "unfilled") or variant == "cancel_published":
            call_off = self.published(cast, scenario)
            need = call_off.need
            if state == "awarded":
                self.offers(cast, call_off, rng.randint(2, 4), passing=2 if variant == "deviation" else 1)
                self.award(cast, call_off, deviate=variant == "deviation")
                mode = "done"
            elif state == "published":
                self.offers(cast, call_off, rng.randint(1, 4), passing=1 if rng.random() < 0.7 else 0)
                mode = "past_deadline" if variant == "past_deadline" else "open"
            elif state == "unfilled":
                if variant != "no_offers":
                    # Stale CPR/HLR training or missing references: nothing the call-off unit can award.
                    self.offers(
                        cast, call_off, rng.randint(1, 2), faults=1.0, fault_kinds=("hlr", "references")
                    )
                workflow.close_unfilled(
                    cast.user("avropsenhet"), call_off,
                    "Inga anbud inom svarstiden." if variant == "no_offers"
                    else "Inget anbud klarade kontrollerna; behovet löses med övertid och omfördelning.",
                )  # fmt: skip
                mode = "done"
            else:  # cancel_published
                self.offers(cast, call_off, 2, passing=1)
                workflow.cancel(orderer_of(need), need, "Vakansen tillsattes genom intern rekrytering.")
                mode = "done"
            self.timelines.append((need, mode))
            return

        need, orderer = self.new_need(cast, scenario)
        if state == "draft":
            pass
        elif state == "cancelled" and variant != "cancel_awaiting":
            workflow.cancel(orderer, need, "Behovet löstes genom schemaändring.")
        elif state == "internal_search":
            self.submit(cast, need, orderer, exhaust=False)
        elif state == "filled_internally":
            self.submit(cast, need, orderer, exhaust=False)
            member = self.pool_member(cast, need) or self.new_pool_member(cast, need)
            workflow.record_internal_attempt(
                cast.user("avropsenhet"), need, outcome=AttemptOutcome.FILLED, pool_member=member,
                note="Placeras från bemanningspoolen hela perioden.",
            )  # fmt: skip
        else:
            self.submit(cast, need, orderer)
            if state == "cancelled":  # cancel_awaiting
                workflow.cancel(
                    cast.user("avropsenhet"), need, "Enheten stängs över sommaren; behovet utgår."
                )
            elif variant == "steering_reject":
                workflow.steering_review(
                    cast.user("styrgrupp"), need, DecisionOutcome.REJECT,
                    "Avstyrks: avtalets leverantörer har inte tillfrågats tillräckligt; gör ett nytt avrop.",
                )  # fmt: skip
            elif variant == "steering_return":
                workflow.steering_review(
                    cast.user("styrgrupp"), need, DecisionOutcome.RETURN,
                    "Komplettera med merkostnaden och varför avtalet inte kan användas.",
                )  # fmt: skip
            elif state == "returned":
                self.decide(
                    cast, need, DecisionOutcome.RETURN, "Komplettera: vilka interna alternativ har prövats?"
                )
            elif state == "rejected":
                self.decide(cast, need, DecisionOutcome.REJECT, rng.choice(REJECTIONS))
            elif state == "approved":
                self.decide(
                    cast, need, DecisionOutcome.APPROVE, "Dispens för köp utanför avtalet: akut risk."
                )
        self.timelines.append((need, "done"))

    def new_pool_member(self, cast: _Region, need: Need) -> PoolMember:
        first, last = random_person(self.rng, 0.8)
        member = PoolMember.objects.create(
            region=cast.region, first_name=first, last_name=last, profession=need.profession, level=need.level,
            competence=need.competence, available_from=self.base - datetime.timedelta(days=60),
        )  # fmt: skip
        cast.pool.append(member)
        return member

    def continuity(self, cast: _Region, scenario: Scenario) -> None:
        """A consultant awarded at a unit is offered there again: they rank first although their offer
        came later (the agreement's continuity criterion); a third call-off, still open, shows it too."""
        unit = cast.anchor("bestallare")
        competence = self.competences[scenario.competence or "spec_internal_medicine"]
        start = self.base + datetime.timedelta(days=12)
        first = self.published(cast, scenario, unit=unit, competence=competence, starts_on=start, length=28)
        self.offers(cast, first, 1, passing=1, faults=0)
        returning = self.award(cast, first).consultant
        for index in range(2):
            start = first.need.ends_on + datetime.timedelta(days=1 + 35 * index)
            call_off = self.published(
                cast, scenario, unit=unit, competence=competence, starts_on=start, length=28
            )
            self.offers(cast, call_off, 1, passing=1, faults=0, exclude=(returning.pk,))  # offered first
            self.offer(cast, call_off, returning)
            if workflow.ranked_offers(call_off)[0].consultant_id != returning.pk:
                raise AssertionError("continuity does not rank the returning consultant first")
            if index == 0:
                self.award(cast, call_off)
            self.timelines.append((call_off.need, "done" if index == 0 else "open"))
        self.timelines.append((first.need, "done"))

    # --- history in the past ---------------------------------------------------------------------------------

    def backdate(self, need: Need, mode: str) -> None:
        _Timeline(self.rng, self.now, need, mode).apply()

    # --- summary -------------------------------------------------------------------------------------------

    def count(self) -> None:
        counts = self.summary.counts
        by_status = Counter(Need.objects.values_list("status", flat=True))
        for status in NeedStatus:
            counts[f"needs: {status.value}"] = by_status[status.value]
        by_call_off = Counter(CallOff.objects.values_list("status", flat=True))
        for status in CallOffStatus:
            counts[f"call-offs: {status.value}"] = by_call_off[status.value]
        counts["offers passing every check"] = Offer.objects.filter(checks_passed=True).count()
        counts["offers failing a check"] = Offer.objects.filter(checks_passed=False).count()
        failed = Counter(OfferCheck.objects.filter(passed=False).values_list("code", flat=True))
        for code, number in sorted(failed.items()):
            counts[f"failed checks: {code}"] = number
        counts["assignments"] = Assignment.objects.count()


# --- entry point -------------------------------------------------------------------------------------------


def load_ordering_demo(rng: random.Random, today: datetime.date, summary: DemoSummary) -> None:
    """Rules, pools, registers and needs in every state for a handful of regions (see the module)."""
    demo = _OrderingDemo(rng, today, summary)
    regions = list(Region.objects.filter(code__in=REGIONS))
    regions.sort(key=lambda region: REGIONS.index(region.code))
    demo.prepare_consultants(regions)
    rules = 0
    casts = []
    for region in regions:
        cast = demo.region_cast(region)
        rules += demo.region_rules(cast)
        demo.staffing_pool(cast)
        demo.former_employees(cast)
        casts.append(cast)
    for cast in casts:
        common = COMMON if cast.region.code in LARGE_REGIONS else SMALL
        for scenario in common + REGION_SCENARIOS.get(cast.region.code, []):
            demo.run(cast, scenario)
    for need, mode in demo.timelines:
        demo.backdate(need, mode)
    summary.counts["region rules"] = rules
    summary.counts["pool members"] = PoolMember.objects.count()
    summary.counts["former employees"] = FormerEmployee.objects.count()
    demo.count()
