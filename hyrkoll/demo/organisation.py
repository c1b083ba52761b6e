"""Plan of each region's organisation and its users (pure: no database access).

A region has one to three administrations (förvaltningar); under them areas and departments,
and at the bottom the care units that order staff. Care units number a few hundred nationally,
in proportion to population; every unit lies in a municipality of its own region, weighted towards
the region's largest town and hospital towns.

Unit codes look like cost centres: ``14-3000`` for an administration, ``14-3012`` below it.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field

from hyrkoll.demo.data import (
    HEALTH_CENTRE_REGIONS,
    HOSPITALS,
    REGION_POPULATION,
    REGION_SEAT,
    UNIT_PLACE_NAMES,
)

NATIONAL_CARE_UNITS = 400

ADMINISTRATIONS = {
    3: {"primary": "Primärvårdsförvaltningen", "psychiatry": "Psykiatriförvaltningen", "somatic": "Sjukhusförvaltningen"},
    2: {"primary": "Närsjukvårdsförvaltningen", "psychiatry": "Närsjukvårdsförvaltningen", "somatic": "Sjukhusförvaltningen"},
    1: {area: "Hälso- och sjukvårdsförvaltningen" for area in ("primary", "psychiatry", "somatic")},
}  # fmt: skip

DISTRICTS = {
    "0180": ["Kungsholmen", "Södermalm", "Vasastan", "Östermalm", "Bromma", "Skärholmen", "Farsta", "Hässelby",
             "Rinkeby", "Liljeholmen", "Gubbängen", "Hornstull", "Enskede", "Vällingby"],
    "1480": ["Hisingen", "Majorna", "Frölunda", "Angered", "Biskopsgården", "Lundby", "Örgryte", "Askim",
             "Kortedala", "Centrum", "Backa", "Linnéstaden"],
    "1280": ["Limhamn", "Rosengård", "Husie", "Kirseberg", "Lindängen", "Möllevången", "Oxie", "Västra Hamnen",
             "Centrum", "Fosie"],
}  # fmt: skip
GENERIC_DISTRICTS = ["Centrum", "Norr", "Söder", "Öster", "Väster", "Norra", "Södra", "City", "Lugnet",
                     "Tallbacken", "Ängen", "Sjöstaden"]  # fmt: skip
PRIMARY_AREA_NAMES = ["Norra", "Södra", "Östra", "Västra", "Mellersta"]

# (department, its care unit templates); "{n}" is a ward number.
CLINICS = [
    ("Medicinkliniken", ["Medicinavdelning {n}", "Hjärtintensivvårdsavdelningen", "Medicinmottagningen"]),
    ("Akutkliniken", ["Akutmottagningen", "Akutvårdsavdelningen"]),
    ("Kirurgkliniken", ["Kirurgavdelning {n}", "Kirurgmottagningen", "Dagkirurgiska enheten"]),
    ("Anestesi- och intensivvårdskliniken", ["Intensivvårdsavdelningen", "Operationsavdelningen", "Uppvakningsavdelningen"]),
    ("Kvinnokliniken", ["Förlossningsavdelningen", "BB-avdelningen", "Gynekologiska mottagningen"]),
    ("Ortopedkliniken", ["Ortopedavdelning {n}", "Ortopedmottagningen"]),
    ("Barn- och ungdomskliniken", ["Barnavdelning {n}", "Neonatalavdelningen", "Barn- och ungdomsmottagningen"]),
    ("Geriatriska kliniken", ["Geriatrisk avdelning {n}"]),
    ("Bild- och funktionsmedicin", ["Röntgenavdelningen"]),
    ("Infektionskliniken", ["Infektionsavdelning {n}"]),
]  # fmt: skip

# Psychiatry care units: (area: "adult"/"child", template); "{place}" a town, "{n}" a ward number.
PSYCHIATRY_UNITS = [
    ("adult", "Vuxenpsykiatrisk mottagning {place}"),
    ("adult", "Psykiatrisk heldygnsvård avdelning {n}, {place}"),
    ("child", "BUP-mottagning {place}"),
    ("adult", "Psykiatrisk akutmottagning {place}"),
    ("adult", "Beroendemottagning {place}"),
    ("child", "BUP heldygnsvård {place}"),
    ("adult", "Ätstörningsenheten {place}"),
]
PRIMARY_UNITS = [("Vårdcentralen", 70), ("Barnmorskemottagningen", 10), ("Barnavårdscentralen", 8), ("Ungdomsmottagningen", 7)]  # fmt: skip


@dataclass(frozen=True)
class MunicipalityInfo:
    code: str
    name: str


@dataclass
class UnitPlan:
    code: str
    kind: str
    name: str
    parent_code: str | None = None
    municipality_code: str | None = None
    care_area: str | None = None


@dataclass
class RegionOrgPlan:
    region_code: str
    units: list[UnitPlan] = field(default_factory=list)
    # Codes of the units the demo users are limited to: a care unit and its department and area
    # (an approval chain), and a primary care unit.
    anchors: dict[str, str] = field(default_factory=dict)

    @property
    def care_units(self) -> list[UnitPlan]:
        return [unit for unit in self.units if unit.kind == "care_unit"]


def care_unit_count(region_code: str) -> int:
    share = REGION_POPULATION[region_code] / sum(REGION_POPULATION.values())
    return max(6, round(NATIONAL_CARE_UNITS * share))


def administration_count(region_code: str) -> int:
    population = REGION_POPULATION[region_code]
    return 3 if population >= 1000 else 2 if population >= 300 else 1


class _Builder:
    """Appends units to a region plan, numbering codes per administration."""

    def __init__(self, plan: RegionOrgPlan) -> None:
        self.plan = plan
        self.admins: dict[str, str] = {}
        self.counters: dict[str, int] = {}
        self.names: set[str] = set()

    def admin(self, name: str) -> str:
        if name not in self.admins:
            code = f"{self.plan.region_code}-{len(self.admins) + 1}000"
            self.admins[name] = code
            self.counters[code] = 0
            self.plan.units.append(UnitPlan(code, "administration", name))
        return self.admins[name]

    def add(self, admin_code: str, parent: str, kind: str, name: str, **extra: str) -> str:
        self.counters[admin_code] += 1
        code = f"{admin_code[:-3]}{self.counters[admin_code]:03d}"
        self.names.add(name)
        self.plan.units.append(UnitPlan(code, kind, name, parent, **extra))
        return code


def _municipality_weights(region_code: str, municipalities: list[MunicipalityInfo]) -> list[float]:
    hospital_towns = {code for _name, code in HOSPITALS[region_code]}
    weights = []
    for municipality in municipalities:
        weight = 1.0
        if municipality.code[2:] >= "80":  # the towns (codes x80–x99)
            weight += 2
        if municipality.code in hospital_towns:
            weight += 3
        if municipality.code == REGION_SEAT[region_code]:
            weight += 8
        weights.append(weight)
    return weights


def plan_region_organisation(
    rng: random.Random, region_code: str, municipalities: list[MunicipalityInfo]
) -> RegionOrgPlan:
    plan = RegionOrgPlan(region_code)
    builder = _Builder(plan)
    municipalities = [MunicipalityInfo(m.code, UNIT_PLACE_NAMES.get(m.code, m.name)) for m in municipalities]
    by_code = {m.code: m for m in municipalities}
    admin_names = ADMINISTRATIONS[administration_count(region_code)]
    total = care_unit_count(region_code)
    n_psychiatry = max(1, round(0.2 * total))
    n_somatic = max(2, round(0.38 * total))
    n_primary = total - n_psychiatry - n_somatic
    weights = _municipality_weights(region_code, municipalities)
    hospitals = [
        (name, code if code in by_code else REGION_SEAT[region_code]) for name, code in HOSPITALS[region_code]
    ]

    _plan_somatic(rng, builder, builder.admin(admin_names["somatic"]), hospitals, n_somatic)
    _plan_primary(rng, builder, builder.admin(admin_names["primary"]), municipalities, weights, n_primary)
    _plan_psychiatry(
        rng,
        builder,
        builder.admin(admin_names["psychiatry"]),
        hospitals,
        municipalities,
        weights,
        n_psychiatry,
    )
    # Order the plan so that parents come before children (administrations first).
    rank = {"administration": 0, "area": 1, "department": 2, "care_unit": 3}
    plan.units.sort(key=lambda unit: (rank[unit.kind], unit.code))
    return plan


def _plan_somatic(
    rng: random.Random, builder: _Builder, admin: str, hospitals: list[tuple[str, str]], count: int
) -> None:
    used = hospitals[: max(1, min(len(hospitals), count // 4))]
    # The main hospital takes a double share.
    shares = [2.0] + [1.0] * (len(used) - 1)
    counts = [math.floor(count * share / sum(shares)) for share in shares]
    counts[0] += count - sum(counts)
    for index, ((hospital, municipality), units) in enumerate(zip(used, counts, strict=True)):
        area = builder.add(admin, admin, "area", hospital)
        clinics = CLINICS[: max(2, min(len(CLINICS), math.ceil(units / 2.5)))]
        departments = [builder.add(admin, area, "department", f"{name}, {hospital}") for name, _ in clinics]
        ward = rng.randint(1, 30)
        seen: dict[int, int] = {}
        for position in range(units):
            slot = position % len(clinics)
            templates = clinics[slot][1]
            round_no = seen.get(slot, 0)
            seen[slot] = round_no + 1
            template = templates[round_no % len(templates)]
            if "{n}" in template:
                ward += 1
                label = template.format(n=ward)
            elif round_no >= len(templates):
                label = f"{template} {round_no // len(templates) + 1}"
            else:
                label = template
            code = builder.add(
                admin, departments[slot], "care_unit", f"{label}, {hospital}",
                municipality_code=municipality, care_area="somatic",
            )  # fmt: skip
            if index == 0 and position == 0:
                builder.plan.anchors.update(area=area, department=departments[0], care_unit=code)


def _plan_primary(
    rng: random.Random,
    builder: _Builder,
    admin: str,
    municipalities: list[MunicipalityInfo],
    weights: list[float],
    count: int,
) -> None:
    region_code = builder.plan.region_code
    n_areas = max(1, min(len(PRIMARY_AREA_NAMES), round(count / 8)))
    ordered = sorted(municipalities, key=lambda m: m.code)
    area_of: dict[str, str] = {}
    for index in range(n_areas):
        name = f"Primärvårdsområde {PRIMARY_AREA_NAMES[index]}" if n_areas > 1 else "Primärvården"
        area = builder.add(admin, admin, "area", name)
        chunk = ordered[index * len(ordered) // n_areas : (index + 1) * len(ordered) // n_areas]
        area_of.update({m.code: area for m in chunk})
    kinds = [kind for kind, _ in PRIMARY_UNITS]
    kind_weights = [weight for _, weight in PRIMARY_UNITS]
    for position in range(count):
        municipality = rng.choices(municipalities, weights=weights)[0]
        kind = "Vårdcentralen" if position == 0 else rng.choices(kinds, weights=kind_weights)[0]
        if kind == "Vårdcentralen" and region_code in HEALTH_CENTRE_REGIONS:
            kind = "Hälsocentralen"
        name = f"{kind} {municipality.name}"
        districts = DISTRICTS.get(municipality.code, GENERIC_DISTRICTS)
        if municipality.code in DISTRICTS or name in builder.names:
            free = [d for d in districts if f"{kind} {d}" not in builder.names]
            if municipality.code in DISTRICTS and free:
                name = f"{kind} {rng.choice(free)}"
            else:
                free = [d for d in districts if f"{kind} {municipality.name} {d}" not in builder.names]
                name = f"{kind} {municipality.name} {rng.choice(free) if free else position}"
        code = builder.add(
            admin, area_of[municipality.code], "care_unit", name,
            municipality_code=municipality.code, care_area="primary",
        )  # fmt: skip
        if position == 0:
            builder.plan.anchors["primary_unit"] = code


def _plan_psychiatry(
    rng: random.Random,
    builder: _Builder,
    admin: str,
    hospitals: list[tuple[str, str]],
    municipalities: list[MunicipalityInfo],
    weights: list[float],
    count: int,
) -> None:
    by_code = {m.code: m for m in municipalities}
    adult = builder.add(admin, admin, "area", "Vuxenpsykiatri" if count >= 3 else "Psykiatri")
    child = builder.add(admin, admin, "area", "Barn- och ungdomspsykiatri") if count >= 3 else adult
    # Big regions split adult psychiatry into departments.
    general = addiction = forensic = adult
    if count >= 12:
        general, addiction, forensic = (
            builder.add(admin, adult, "department", name)
            for name in ("Allmänpsykiatri", "Beroendevård", "Rättspsykiatri")
        )
    ward = rng.randint(1, 40)
    for position in range(count):
        side, template = PSYCHIATRY_UNITS[position % len(PSYCHIATRY_UNITS)]
        if "heldygnsvård" in template or "akut" in template:
            # Inpatient and emergency psychiatry sit at the hospitals.
            municipality = by_code[hospitals[position // len(PSYCHIATRY_UNITS) % len(hospitals)][1]]
        else:
            municipality = rng.choices(municipalities, weights=weights)[0]
        parent = child if side == "child" else addiction if "Beroende" in template else general
        if parent == general and forensic != general and "heldygnsvård" in template and position % 2:
            parent, template = forensic, "Rättspsykiatrisk avdelning {n}, {place}"
        ward += 1
        name = template.format(place=municipality.name, n=ward)
        if name in builder.names:
            name = f"{name} {position}"
        builder.add(
            admin, parent, "care_unit", name, municipality_code=municipality.code, care_area="psychiatry"
        )
