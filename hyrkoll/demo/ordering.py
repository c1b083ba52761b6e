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
from collections import Counter, defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any
from unittest import mock

from django.test.utils import override_settings
from django.utils import timezone

from hyrkoll.accounts.models import DecisionLevel, Scope, User
from hyrkoll.agreement.models import Competence, Profession, SupplierAdmission
from hyrkoll.agreement.pricing import quote
from hyrkoll.assignments.models import Assignment
from hyrkoll.audit.models import AuditAction
from hyrkoll.audit.services import record
from hyrkoll.consultants.models import (
    Consultant,
    ConsultantCredential,
    CredentialSource,
    FormerEmployee,
    LicenceRegisterEntry,
)
from hyrkoll.demo.people import random_person
from hyrkoll.demo.users import login_prefix
from hyrkoll.lib.orgno import luhn_ok
from hyrkoll.lib.personal_numbers import keyed_hash
from hyrkoll.ordering import permissions, workflow
from hyrkoll.ordering.models import (
    AttemptOutcome,
    CallOff,
    CallOffRecipient,
    CallOffStatus,
    Decision,
    DecisionOutcome,
    EventKind,
    InternalAttempt,
    Need,
    NeedEvent,
    NeedReason,
    NeedStatus,
    Offer,
    OfferCheck,
)
from hyrkoll.organisation.models import OrgUnit, OrgUnitKind, Region
from hyrkoll.pool.models import PoolMember
from hyrkoll.rules.models import OffAgreementCondition, RegionRule, RuleKind

if TYPE_CHECKING:
    from hyrkoll.demo.generator import DemoSummary

HOUR = 3600
DAY = 24 * HOUR


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


# --- what to create --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Scenario:
    """One need and the state it is taken to."""

    state: str  # a NeedStatus value: where the need ends up
    profession: str  # "doctor" or "nurse"
    unit: str = "care_unit"  # care_unit | department | area | primary | any (see _Region.unit)
    competence: str | None = None  # a competence code; None: one that suits the unit
    outside: bool = False  # a purchase outside the agreement
    variant: str = ""


S = Scenario
# Every region with demo call-offs gets these ...
COMMON = [
    S("awarded", "doctor"),
    S("awarded", "nurse", "department"),
    S("awarded", "nurse", "primary"),
    S("published", "doctor", "area"),
    S("published", "nurse"),
    S("unfilled", "doctor", "any"),
    S("awaiting_approval", "nurse", "department"),
    S("awaiting_approval", "doctor", "primary"),
    S("internal_search", "nurse"),
    S("filled_internally", "nurse", "department"),
    S("draft", "doctor"),
    S("returned", "nurse", "primary"),
    S("rejected", "doctor", "area"),
    S("steering_review", "doctor", "primary", outside=True),
    S("approved", "doctor", outside=True),
    S("cancelled", "nurse"),
]
# ... (the smaller regions a shorter list) ...
SMALL = [
    scenario
    for scenario in COMMON
    if (scenario.state, scenario.profession, scenario.unit)
    not in {
        ("awarded", "nurse", "primary"),
        ("published", "nurse", "care_unit"),
        ("awaiting_approval", "nurse", "department"),
        ("returned", "nurse", "primary"),
    }
]
# ... the two largest more, with the rarer paths ...
LARGE = [
    S("awarded", "doctor", "area"),
    S("awarded", "nurse", "any"),
    S("awarded", "doctor", "primary", variant="deviation"),
    S("published", "doctor"),
    S("published", "nurse", "primary"),
    S("draft", "nurse", "primary"),
    S("internal_search", "doctor", "any"),
    S("awaiting_approval", "doctor", "area"),
    S("rejected", "doctor", outside=True, variant="steering_reject"),
    S("cancelled", "doctor", variant="cancel_published"),
    S("cancelled", "nurse", "primary", variant="cancel_awaiting"),
    S("unfilled", "nurse", variant="no_offers"),
    S("filled_internally", "doctor", "primary"),
]
# ... and some regions their own cases.
REGION_SCENARIOS: dict[str, list[Scenario]] = {
    "14": LARGE
    + [
        # The response deadline has just passed: the call-off unit's turn to award.
        S("published", "doctor", variant="past_deadline"),
        # The same unit hires the same consultant again: continuity ranks them first.
        S("awarded", "doctor", competence="spec_internal_medicine", variant="continuity"),
        S("returned", "doctor", outside=True, variant="steering_return"),
    ],
    "01": LARGE,
    # Sörmland: hiring stop for nurses except the high level; dispensations by the health director.
    "04": [
        S("awaiting_approval", "nurse", competence="nurse_registered"),
        S("awaiting_approval", "nurse", "department", competence="nurse_medical"),
        S("awarded", "nurse", "department", competence="nurse_registered"),
        S("awarded", "nurse", competence="nurse_intensive_care"),
        S("rejected", "nurse", "primary", competence="nurse_registered"),
    ],
    # Norrbotten: hiring stop for registered nurses.
    "25": [
        S("awaiting_approval", "nurse", competence="nurse_registered"),
        S("awarded", "nurse", competence="nurse_registered"),
        S("published", "nurse", "primary", competence="nurse_district"),
    ],
}
REGIONS = ["14", "01", "25", "04", "12", "22", "03"]
LARGE_REGIONS = {"14", "01"}
# Regions whose rule table sends purchases outside the agreement to the regional director.
OUTSIDE_AT_REGIONAL_DIRECTOR = {"01", "25", "22"}

COMPETENCES_BY_AREA = {
    ("somatic", "doctor"): ["spec_internal_medicine", "spec_anaesthesia", "spec_cardiology", "doctor_licensed"],
    ("somatic", "nurse"): ["nurse_registered", "nurse_intensive_care", "nurse_anaesthesia", "nurse_operating",
                           "nurse_medical", "nurse_emergency"],
    ("primary", "doctor"): ["spec_general_medicine", "spec_general_medicine", "doctor_licensed"],
    ("primary", "nurse"): ["nurse_district", "nurse_registered"],
    ("psychiatry", "doctor"): ["spec_psychiatry", "spec_child_psychiatry"],
    ("psychiatry", "nurse"): ["nurse_psychiatric", "nurse_registered"],
}  # fmt: skip
POOL_PROFILES = [
    ("nurse", "nurse_registered", 5),
    ("nurse", "nurse_intensive_care", 2),
    ("nurse", "nurse_medical", 2),
    ("nurse", "nurse_district", 2),
    ("nurse", "nurse_psychiatric", 1),
    ("doctor", "doctor_licensed", 2),
    ("doctor", "spec_general_medicine", 2),
    ("doctor", "spec_internal_medicine", 1),
]
REASONS = [
    (NeedReason.VACANCY, 45),
    (NeedReason.PARENTAL_LEAVE, 20),
    (NeedReason.SICK_LEAVE, 15),
    (NeedReason.PEAK, 15),
    (NeedReason.EXTRAORDINARY, 5),
]
SHIFTS = [
    "Dagtid mån–fre",
    "Dag/kväll, varannan helg",
    "Natt, tre pass i veckan",
    "Dagtid samt jour enligt schema",
    "Dag, kväll och natt enligt rullande schema",
    "Mottagning dagtid, ingen helg",
]
SKILLS = [
    "Erfarenhet av journalsystemet Cosmic.",
    "Van vid självständigt arbete; svenska i tal och skrift.",
    "Erfarenhet från motsvarande verksamhet de senaste två åren.",
    "B-körkort (hembesök).",
    "",
    "",
]
INTERNAL_NOTES = [
    "Bemanningspoolen har ingen ledig med rätt kompetens under perioden.",
    "Grannenheterna tillfrågade; ingen kan avvara personal.",
    "Utannonserat internt och externt utan sökande; poolen fullbokad.",
    "Resursteamet fullt till efter sommaren; övertid redan uttömd.",
]
DEPARTMENT_ALTERNATIVES = [
    "Grannavdelningen tillfrågad",
    "Kliniken tillfrågad om omfördelning",
    "Timanställda i registret",
]


# --- personal identity numbers (invented) -------------------------------------------------------------------


def personal_number(rng: random.Random, born: datetime.date) -> str:
    """A valid (Luhn) but invented personal identity number YYYYMMDDNNNC."""
    date = f"{born:%Y%m%d}"
    serial = f"{rng.randint(0, 999):03d}"
    for check in "0123456789":
        if luhn_ok(date[2:] + serial + check):
            return date + serial + check
    raise AssertionError("unreachable")


def _born(rng: random.Random, licensed_on: datetime.date) -> datetime.date:
    year = licensed_on.year - rng.randint(24, 31)
    return datetime.date(year, rng.randint(1, 12), rng.randint(1, 28))


# --- the region's cast --------------------------------------------------------------------------------------


@dataclass
class _Region:
    region: Region
    users: dict[str, User]  # by username suffix: "bestallare", "avropsenhet", …
    units: dict[int, OrgUnit]  # every unit of the region, parents cached
    care_units: list[OrgUnit]
    pool: list[PoolMember]

    def user(self, suffix: str) -> User:
        return self.users[suffix]

    def chain(self, unit: OrgUnit) -> set[int]:
        return permissions.unit_chain_ids(unit)

    def anchor(self, suffix: str) -> OrgUnit:
        unit_id = self.user(suffix).role_assignments.all()[0].org_unit_id
        return self.units[unit_id]

    def orderer_for(self, unit: OrgUnit) -> User:
        for suffix in ("bestallare", "bestallare2", "bestallare3"):
            if permissions.can_order_for(self.user(suffix), unit):
                return self.user(suffix)
        raise AssertionError(f"no orderer for {unit}")

    def approver_for(self, need: Need) -> User:
        """The lowest approver who may decide the need (a dispensation goes higher up by itself)."""
        suffixes = ("enhetschef", "verksamhetschef", "omradeschef", "hsdirektor", "regiondirektor")
        for suffix in suffixes:
            if permissions.can_decide(self.user(suffix), need):
                return self.user(suffix)
        raise AssertionError(f"no approver for {need}")


class _OrderingDemo:
    def __init__(self, rng: random.Random, today: datetime.date, summary: DemoSummary) -> None:
        self.rng = rng
        self.summary = summary
        self.now = timezone.now()
        self.real_today = timezone.localdate()
        # The workflow refuses needs that start in the past (by the real clock).
        self.base = max(today, self.real_today)
        self.competences = {c.code: c for c in Competence.objects.select_related("level", "profession")}
        self.professions = {p.code: p for p in Profession.objects.all()}
        self.bookings: dict[int, list[tuple[datetime.date, datetime.date]]] = defaultdict(list)
        self.timelines: list[tuple[Need, str]] = []
        self._candidates: dict[int, list[Consultant]] = {}

    # --- reference material the checks read ---------------------------------------------------------------

    def prepare_consultants(self, regions: list[Region]) -> None:
        rng = self.rng
        consultants = list(Consultant.objects.select_related("competence", "supplier").order_by("pk"))
        # Invented personal identity numbers, kept as keyed hashes (a few have none: karens fails).
        for consultant in consultants:
            if rng.random() < 0.02:
                continue
            number = personal_number(rng, _born(rng, consultant.licensed_on or self.base))
            consultant.personal_number_hash = keyed_hash(number)
        Consultant.objects.bulk_update(consultants, ["personal_number_hash"], batch_size=500)

        # Most consultants are in the regions' licence-register extracts; some were verified from
        # evidence by a call-off unit instead, and a few are in neither (their licence check fails).
        not_in_register = set(rng.sample([c.pk for c in consultants], k=len(consultants) // 12))
        evidence = set(rng.sample(sorted(not_in_register), k=len(not_in_register) // 2))
        self.unverified = not_in_register - evidence
        entries = [
            LicenceRegisterEntry(
                region=region, licence_number=c.licence_number, first_name=c.first_name, last_name=c.last_name,
                profession_id=c.profession_id,
                competence=c.competence if c.competence and c.competence.requires_specialist_certificate else None,
                licensed_on=c.licensed_on, specialist_since=c.specialist_since,
            )
            for region in regions
            for c in consultants
            if c.pk not in not_in_register and c.licensed_on
        ]  # fmt: skip
        LicenceRegisterEntry.objects.bulk_create(entries, batch_size=2000)
        verifier = User.objects.get(username=f"{login_prefix(regions[0].code)}.avropsenhet")
        credentials = [
            ConsultantCredential(
                consultant=c, licence_number=c.licence_number, profession_id=c.profession_id,
                competence=c.competence if c.competence and c.competence.requires_specialist_certificate else None,
                licensed_on=c.licensed_on, specialist_since=c.specialist_since, source=CredentialSource.EVIDENCE,
                evidence_note="Legitimation och specialistbevis uppvisade i original",
                verified_at=self.now - datetime.timedelta(days=rng.randint(10, 400)), verified_by=verifier,
            )
            for c in consultants
            if c.pk in evidence and c.licensed_on
        ]  # fmt: skip
        ConsultantCredential.objects.bulk_create(credentials)
        self.consultants = [c for c in consultants if c.licence_number and c.competence_id]
        self.summary.counts["licence-register entries"] = len(entries)
        self.summary.counts["verified credentials"] = len(credentials)

        admitted = defaultdict(set)
        for supplier_id, code in SupplierAdmission.objects.in_force(self.real_today).values_list(
            "supplier_id", "sub_area__code"
        ):
            admitted[code].add(supplier_id)
        self.admitted = admitted
        self.supplier_users: dict[int, User] = {}
        for user in User.objects.filter(scope=Scope.SUPPLIER).order_by("username"):
            self.supplier_users.setdefault(user.supplier_id, user)

    def region_cast(self, region: Region) -> _Region:
        prefix = login_prefix(region.code)
        users = {
            user.username.split(".", 1)[1]: user
            for user in User.objects.filter(
                region=region, username__startswith=f"{prefix}."
            ).prefetch_related("role_assignments")
        }
        units = {unit.pk: unit for unit in OrgUnit.objects.filter(region=region).select_related("care_area")}
        for unit in units.values():
            unit.parent = units.get(unit.parent_id) if unit.parent_id else None
        care_units = sorted(
            (u for u in units.values() if u.kind == OrgUnitKind.CARE_UNIT and u.municipality_id),
            key=lambda u: u.code,
        )
        return _Region(region, users, units, care_units, [])

    def region_rules(self, cast: _Region) -> int:
        region = cast.region
        admin = cast.user("admin")
        nurse = self.professions["nurse"]
        start = datetime.date(2024, 1, 1)
        rules = [
            RegionRule(
                region=region, kind=RuleKind.DECISION_LEVEL, name="Avrop längre än 90 dagar – områdeschef",
                decision_level=DecisionLevel.AREA_MANAGER, min_length_days=91, valid_from=start,
                note="Delegationsordning: långa avrop beslutas av områdeschef.",
            ),
            RegionRule(
                region=region, kind=RuleKind.DECISION_LEVEL, name="Avrop över 1 mnkr – hälso- och sjukvårdsdirektör",
                decision_level=DecisionLevel.HEALTH_DIRECTOR, min_estimated_cost_sek=Decimal(1_000_000),
                valid_from=start, note="Delegationsordning: avrop över en miljon kronor.",
            ),
        ]  # fmt: skip
        if region.code in OUTSIDE_AT_REGIONAL_DIRECTOR:
            rules.append(
                RegionRule(
                    region=region, kind=RuleKind.DECISION_LEVEL, name="Köp utanför avtalet – regiondirektör",
                    decision_level=DecisionLevel.REGIONAL_DIRECTOR, off_agreement=OffAgreementCondition.OUTSIDE,
                    valid_from=start, note="Regionstyrelsens beslut: direktupphandling av hyrpersonal.",
                )
            )  # fmt: skip
        if region.code == "04":
            for level in ("nurse_base", "nurse_middle"):
                rules.append(
                    RegionRule(
                        region=region, kind=RuleKind.HIRING_STOP,
                        name=f"Hyrstopp sjuksköterskor ({self._level_name(level)})",
                        decision_level=DecisionLevel.HEALTH_DIRECTOR, profession=nurse,
                        level=self.competences["nurse_registered" if level == "nurse_base" else "nurse_medical"].level,
                        valid_from=datetime.date(2023, 2, 1),
                        note="Hyrstopp för sjuksköterskor från 2023-02-01. Undantag: anestesi-, intensivvårds- "
                        "och operationssjuksköterskor, distriktssköterskor och barnmorskor (nivå hög). "
                        "Dispens beslutas av hälso- och sjukvårdsdirektören.",
                    )
                )  # fmt: skip
        if region.code == "25":
            rules.append(
                RegionRule(
                    region=region, kind=RuleKind.HIRING_STOP, name="Hyrstopp grundutbildade sjuksköterskor",
                    decision_level=DecisionLevel.HEALTH_DIRECTOR, profession=nurse,
                    competence=self.competences["nurse_registered"], valid_from=datetime.date(2024, 10, 1),
                    note="Region Norrbotten: inga hyrsjuksköterskor utan specialistutbildning. Dispens av "
                    "hälso- och sjukvårdsdirektören.",
                )
            )  # fmt: skip
        if region.code == "14":
            # An older version of the length rule, replaced: the rule that decided old needs stays.
            old = RegionRule.objects.create(
                region=region, kind=RuleKind.DECISION_LEVEL, name="Avrop längre än 60 dagar – områdeschef",
                decision_level=DecisionLevel.AREA_MANAGER, min_length_days=61, valid_from=start,
                valid_to=datetime.date(2024, 12, 31), note="Ersatt 2025 av 90-dagarsregeln.",
            )  # fmt: skip
            record(admin, AuditAction.CREATE, old)
            rules[0].valid_from = datetime.date(2025, 1, 1)
            rules[0].replaces = old
        for rule in rules:
            rule.full_clean()
            rule.save()
            record(admin, AuditAction.CREATE, rule)
        return len(rules) + (1 if region.code == "14" else 0)

    def _level_name(self, level_code: str) -> str:
        return {"nurse_base": "nivå bas", "nurse_middle": "nivå mellan"}[level_code]

    def staffing_pool(self, cast: _Region) -> None:
        rng = self.rng
        members = []
        for _ in range(rng.randint(6, 18)):
            profession, code, _weight = rng.choices(POOL_PROFILES, weights=[w for *_x, w in POOL_PROFILES])[0]
            competence = self.competences[code]
            first, last = random_person(rng, 0.85 if profession == "nurse" else 0.5)
            members.append(
                PoolMember(
                    region=cast.region, first_name=first, last_name=last, profession=self.professions[profession],
                    level=competence.level, competence=competence,
                    available_from=self.base - datetime.timedelta(days=rng.randint(0, 300)),
                    available_to=None if rng.random() < 0.6 else self.base + datetime.timedelta(days=rng.randint(30, 300)),
                    hours_per_week=rng.choice([Decimal(40), Decimal(40), Decimal(30)]),
                    is_active=rng.random() < 0.9,
                    note=rng.choice(["", "", "Föredrar dagtid", "Kan arbeta natt", "Körkort"]),
                )
            )  # fmt: skip
        PoolMember.objects.bulk_create(members)
        cast.pool = members

    def former_employees(self, cast: _Region) -> None:
        """The region's list of people it employed (invented), by keyed hash only."""
        rng = self.rng
        rows = [
            FormerEmployee(
                region=cast.region,
                personal_number_hash=keyed_hash(personal_number(rng, datetime.date(rng.randint(1960, 1998), rng.randint(1, 12), rng.randint(1, 28)))),
                employed_until=self.base - datetime.timedelta(days=rng.randint(20, 2000)),
            )
            for _ in range(rng.randint(25, 45))
        ]  # fmt: skip
        # A few consultants left the region long ago: no cooling-off any more.
        for consultant in rng.sample(self.consultants, 3):
            if consultant.personal_number_hash:
                rows.append(
                    FormerEmployee(
                        region=cast.region, personal_number_hash=consultant.personal_number_hash,
                        employed_until=self.base - datetime.timedelta(days=rng.randint(500, 1500)),
                    )
                )  # fmt: skip
        unique = {row.personal_number_hash: row for row in rows}
        FormerEmployee.objects.bulk_create(unique.values())

    # --- needs ---------------------------------------------------------------------------------------------

    def unit(self, cast: _Region, where: str) -> OrgUnit:
        rng = self.rng
        anchor = cast.anchor("bestallare")
        department = cast.anchor("verksamhetschef")
        area = cast.anchor("omradeschef")
        if where == "care_unit":
            return anchor
        if where == "primary":
            return cast.anchor("bestallare2")
        if where == "department":
            units = [u for u in cast.care_units if u.parent_id == department.pk and u.pk != anchor.pk]
        elif where == "area":
            units = [
                u for u in cast.care_units if area.pk in cast.chain(u) and department.pk not in cast.chain(u)
            ]
        else:
            units = [u for u in cast.care_units if area.pk not in cast.chain(u)]
        return rng.choice(units or [anchor])

    def candidates(self, competence: Competence, need: Need | None = None) -> list[Consultant]:
        """Consultants of admitted suppliers who could be offered for the competence (and are free
        for the need's period)."""
        if need is None:
            if competence.pk not in self._candidates:
                self._candidates[competence.pk] = self._candidates_for(competence, None)
            return self._candidates[competence.pk]
        return self._candidates_for(competence, need)

    def _candidates_for(self, competence: Competence, need: Need | None) -> list[Consultant]:
        sub_area = competence.profession.sub_area_code
        suppliers = self.admitted[sub_area]
        result = []
        for consultant in self.consultants:
            if consultant.supplier_id not in suppliers or consultant.supplier_id not in self.supplier_users:
                continue
            own = consultant.competence
            if competence.requires_specialist_certificate:
                if own.pk != competence.pk:
                    continue
            elif own.level_id != competence.level_id or own.requires_specialist_certificate:
                continue
            if need is not None and self.booked(consultant, need.starts_on, need.ends_on):
                continue
            result.append(consultant)
        return result

    def booked(self, consultant: Consultant, start: datetime.date, end: datetime.date) -> bool:
        return any(s <= end and e >= start for s, e in self.bookings[consultant.pk])

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

    def compute(self, start: datetime.datetime) -> tuple[list[datetime.datetime], datetime.datetime | None]:
        times: list[datetime.datetime] = []
        deadline = None
        current = start
        for event, gap in zip(self.events, self.gaps, strict=True):
            current = current + gap
            if event.kind == EventKind.PUBLISHED:
                deadline = workflow.add_working_days(current, self.working_days)
            if event.kind in (EventKind.AWARDED, EventKind.CLOSED) and deadline is not None:
                current = max(current, deadline + gap)
            times.append(current)
        return times, deadline

    def apply(self) -> None:
        target = self.now - self.age
        start = target - sum(self.gaps, datetime.timedelta())
        times, deadline = self.compute(start)
        if self.mode == "past_deadline":
            # Published so that the deadline passed a little while ago (deadlines fall on working
            # days: at a weekend, on Friday afternoon).
            wanted = self.now - self.late
            while wanted.weekday() >= 5:
                wanted = (wanted - datetime.timedelta(days=1)).replace(hour=15)
            published = _working_days_before(wanted, self.working_days)
            kinds = [event.kind for event in self.events]
            start += published - times[kinds.index(EventKind.PUBLISHED)]
            times, deadline = self.compute(start)
        else:
            # The gaps are fixed, except that an award or closure waits for the deadline, which
            # moves with the weekends: a few rounds settle it.
            for _ in range(6):
                error = target - times[-1]
                if abs(error) < datetime.timedelta(minutes=1):
                    break
                start += error
                times, deadline = self.compute(start)
        if times[-1] >= self.now or (deadline is not None and self.mode == "open" and deadline <= self.now):
            raise AssertionError(f"cannot place the history of {self.need} in the past")
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
