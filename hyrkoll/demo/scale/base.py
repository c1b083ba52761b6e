"""The starting point of the scale data: the demo's reference plan (suppliers with admissions and
consultants, every region's organisation, users and roles for every region and supplier), written
by the demo generator's own functions, plus enough consultants for the volume, and a :class:`Cast`
of the ids the ordering generator draws from."""

from __future__ import annotations

import bisect
import datetime
import random
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import accumulate

from django.db import transaction

from hyrkoll.accounts.models import RoleAssignment, User
from hyrkoll.agreement.models import Competence, Price, PriceList, Profession, SubArea, SupplierAdmission
from hyrkoll.agreement.reference import AGREEMENT
from hyrkoll.consultants.models import Consultant
from hyrkoll.demo import generator
from hyrkoll.demo.people import random_person
from hyrkoll.demo.scale.copying import Table
from hyrkoll.demo.suppliers import COMPETENCE_WEIGHTS
from hyrkoll.organisation.models import OrgUnit, Region

# Ordered staff by profession (midwives are few).
PROFESSION_WEIGHTS = {"doctor": 45, "nurse": 50, "midwife": 5}
CONSULTANTS_PER_CALL_OFF = 1 / 12  # consultants return: about one person per twelve call-offs


class Picker:
    """A weighted random choice over ``items`` (cumulative weights and bisect)."""

    def __init__(self, items: list, weights: list[float]) -> None:
        self.items = items
        self.cumulative = list(accumulate(weights))

    def __call__(self, rng: random.Random) -> object:
        index = bisect.bisect(self.cumulative, rng.random() * self.cumulative[-1])
        return self.items[min(index, len(self.items) - 1)]


def zipf(items: list, exponent: float = 1.0) -> Picker:
    """A long tail: the first of ``items`` is picked most, the k-th in proportion to 1/k^exponent."""
    return Picker(items, [1 / (rank + 1) ** exponent for rank in range(len(items))])


@dataclass
class Unit:
    id: int
    zone: int


@dataclass
class Cast:
    """Ids (and a few values) the generator writes rows with."""

    region_ids: dict[str, int]
    unit_pickers: dict[str, Picker]  # region code → Zipf over its care units
    orderers: dict[str, list[int]]
    approvers: dict[str, list[int]]
    call_off_unit: dict[str, list[int]]
    user_names: dict[int, str]
    supplier_users: dict[int, list[int]]
    sub_area_ids: dict[str, int]  # "doctors"/"nurses" → id
    admitted: dict[str, list[int]]  # sub-area code → supplier ids (the recipients of a call-off)
    profession_ids: dict[str, int]
    sub_area_of: dict[str, str]  # profession code → sub-area code
    competences: dict[str, Picker]  # profession code → picks (competence id, level id)
    consultants: dict[tuple[int, str], list[tuple[int, str, int, datetime.date | None]]] = field(
        default_factory=dict
    )  # (supplier id, profession) → [(id, licence number, competence id, HLR date)]
    price_lists: list[tuple[datetime.date, int]] = field(default_factory=list)
    prices: dict[tuple[int, int, int], Decimal] = field(default_factory=dict)

    def price_list_on(self, day: datetime.date) -> int:
        """The price list valid on ``day`` (before the first one: the first)."""
        index = bisect.bisect_right([start for start, _pk in self.price_lists], day) - 1
        return self.price_lists[max(index, 0)][1]


def load_base(seed: int, today: datetime.date, call_offs: int) -> dict[str, int]:
    """Write the demo's suppliers, organisation, users and consultants; returns counts."""
    regions, municipalities = generator._reference_data()
    plan = generator.build_plan(seed, today, [(r.code, r.name) for r in regions], municipalities)
    summary = generator.DemoSummary(seed)
    with transaction.atomic():
        sub_areas = {s.code: s for s in SubArea.objects.filter(agreement__reference=AGREEMENT["reference"])}
        by_code = {region.code: region for region in regions}
        summary.counts["accession dates"] = generator._create_accessions(by_code, sub_areas)
        suppliers = generator._create_suppliers(plan.suppliers, sub_areas, summary)
        units = generator._create_organisation(plan.organisations, by_code, summary)
        generator._create_users(plan.users, by_code, suppliers, units, today, summary)
        summary.counts["consultants"] = generator._create_consultants(plan.suppliers, suppliers)
    summary.counts["consultants"] += _more_consultants(random.Random(f"{seed}-consultants"), call_offs)
    return summary.counts


def _more_consultants(rng: random.Random, call_offs: int) -> int:
    """Consultants beside the demo's, spread over the suppliers' professions, for the volume."""
    wanted = int(call_offs * CONSULTANTS_PER_CALL_OFF) - Consultant.objects.count()
    if wanted <= 0:
        return 0
    pairs = sorted(Consultant.objects.values_list("supplier_id", "profession__code").distinct())
    competences = _competence_pickers()
    professions = dict(Profession.objects.values_list("code", "id"))
    table = Table(
        Consultant,
        ("supplier", "first_name", "last_name", "profession", "competence", "licence_number", "licensed_on",
         "specialist_since", "hlr_trained_on"),
    )  # fmt: skip
    for number in range(wanted):
        supplier_id, profession = pairs[rng.randrange(len(pairs))]
        first, last = random_person(rng)
        competence_id, _level = competences[profession](rng)
        licensed = datetime.date(rng.randint(1985, 2014), rng.randint(1, 12), rng.randint(1, 28))
        table.add(
            supplier_id, first, last, professions[profession], competence_id, f"{9_000_000 + number}", licensed,
            None, datetime.date(2025, rng.randint(1, 12), rng.randint(1, 28)),
        )  # fmt: skip
        if len(table.rows) >= 20_000:
            table.flush()
    table.flush()
    return table.written


def _competence_pickers() -> dict[str, Picker]:
    by_profession: dict[str, list[tuple[int, int]]] = defaultdict(list)
    weights: dict[str, list[float]] = defaultdict(list)
    for pk, code, profession, level in Competence.objects.order_by("code").values_list(
        "pk", "code", "profession__code", "level_id"
    ):
        by_profession[profession].append((pk, level))
        weights[profession].append(COMPETENCE_WEIGHTS.get(code, 1))
    return {profession: Picker(items, weights[profession]) for profession, items in by_profession.items()}


def load_cast(seed: int) -> Cast:
    """Read back the ids the generator needs (after :func:`load_base`)."""
    rng = random.Random(f"{seed}-units")
    region_ids = dict(Region.objects.values_list("code", "id"))
    care_units: dict[str, list[Unit]] = defaultdict(list)
    for pk, code, zone in (
        OrgUnit.objects.filter(kind="care_unit")
        .order_by("region__code", "code")
        .values_list("pk", "region__code", "municipality__zone")
    ):
        care_units[code].append(Unit(pk, zone or 1))
    unit_pickers = {}
    for code, units in care_units.items():
        rng.shuffle(units)  # which units are the big buyers: random, then a Zipf tail
        unit_pickers[code] = zipf(units, 1.1)
    roles: dict[tuple[str, str], list[int]] = defaultdict(list)
    for user_id, role, region in (
        RoleAssignment.objects.filter(user__region__isnull=False)
        .order_by("user_id")
        .values_list("user_id", "role", "user__region__code")
    ):
        roles[(region, role)].append(user_id)
    names = {
        pk: f"{first} {last}" for pk, first, last in User.objects.values_list("pk", "first_name", "last_name")
    }
    supplier_users: dict[int, list[int]] = defaultdict(list)
    for pk, supplier_id in (
        User.objects.filter(supplier__isnull=False).order_by("pk").values_list("pk", "supplier_id")
    ):
        supplier_users[supplier_id].append(pk)
    admitted: dict[str, list[int]] = defaultdict(list)
    for supplier_id, sub_area in (
        SupplierAdmission.objects.filter(exited_on__isnull=True)
        .order_by("supplier_id")
        .values_list("supplier_id", "sub_area__code")
    ):
        if supplier_users.get(supplier_id):
            admitted[sub_area].append(supplier_id)
    consultants: dict[tuple[int, str], list] = defaultdict(list)
    for row in Consultant.objects.order_by("pk").values_list(
        "supplier_id", "profession__code", "pk", "licence_number", "competence_id", "hlr_trained_on"
    ):
        consultants[(row[0], row[1])].append(row[2:])
    cast = Cast(
        region_ids=region_ids,
        unit_pickers=unit_pickers,
        orderers={code: roles[(code, "orderer")] for code in region_ids},
        approvers={code: roles[(code, "approver")] for code in region_ids},
        call_off_unit={code: roles[(code, "call_off_unit")] for code in region_ids},
        user_names=names,
        supplier_users=dict(supplier_users),
        sub_area_ids=dict(SubArea.objects.values_list("code", "id")),
        admitted=dict(admitted),
        profession_ids=dict(Profession.objects.values_list("code", "id")),
        sub_area_of=dict(Profession.objects.values_list("code", "sub_area_code")),
        competences=_competence_pickers(),
        consultants=dict(consultants),
    )
    cast.price_lists = sorted(
        PriceList.objects.filter(is_demo=False).values_list("valid_from", "pk")
    ) or sorted(PriceList.objects.values_list("valid_from", "pk"))
    cast.prices = {
        (pl, level, zone): hourly
        for pl, level, zone, hourly in Price.objects.values_list(
            "price_list_id", "level_id", "zone", "hourly_sek"
        )
    }
    return cast
