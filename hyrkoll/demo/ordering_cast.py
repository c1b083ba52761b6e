"""The demo ordering's cast and reference material: each region's users, units and pool, the rule
tables, staffing pools, former employees and the consultants' credentials the checks read, and the
consultants available for a need."""

from __future__ import annotations

import datetime
import random
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from django.utils import timezone

from hyrkoll.accounts.models import DecisionLevel, Scope, User
from hyrkoll.agreement.models import Competence, Profession, SupplierAdmission
from hyrkoll.audit.models import AuditAction
from hyrkoll.audit.services import record
from hyrkoll.consultants.models import (
    Consultant,
    ConsultantCredential,
    CredentialSource,
    FormerEmployee,
    LicenceRegisterEntry,
)
from hyrkoll.demo.ordering_data import OUTSIDE_AT_REGIONAL_DIRECTOR, POOL_PROFILES, _born, personal_number
from hyrkoll.demo.people import random_person
from hyrkoll.demo.users import login_prefix
from hyrkoll.lib.personal_numbers import keyed_hash
from hyrkoll.ordering import permissions
from hyrkoll.ordering.models import (
    Need,
)
from hyrkoll.organisation.models import OrgUnit, OrgUnitKind, Region
from hyrkoll.pool.models import PoolMember
from hyrkoll.rules.models import OffAgreementCondition, RegionRule, RuleKind

if TYPE_CHECKING:
    from hyrkoll.demo.generator import DemoSummary


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


class _Cast:
    """The demo's state and the reference material the checks read (``_OrderingDemo`` builds on it)."""

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
