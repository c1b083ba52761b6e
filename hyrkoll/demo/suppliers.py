"""Plan of the demo suppliers, their admissions and consultants (pure: no database access).

58 invented staffing companies: 37 admitted to both sub-areas, 4 to doctors only and 17 to nurses
only, i.e. 41 admissions for doctors and 54 for nurses (facts §1.2). Most were admitted when the
agreement started (2024-01-01), the rest on a later twice-yearly admission date (the last
non-holiday Friday of March or September); a few have left a sub-area.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass, field

from hyrkoll.agreement.reference import AGREEMENT, COMPETENCES, PROFESSIONS
from hyrkoll.demo.data import SUPPLIER_CORES, SUPPLIER_PLACES
from hyrkoll.demo.people import ascii_slug, random_person
from hyrkoll.lib.orgno import with_check_digit

AGREEMENT_START: datetime.date = AGREEMENT["starts_on"]  # type: ignore[assignment]
SUPPLIER_MIX = {"both": 37, "doctors": 4, "nurses": 17}
EXITS = 3

# Relative frequency of each competence among the consultants of a profession.
COMPETENCE_WEIGHTS = {
    "doctor_licensed": 8, "doctor_st": 6, "spec_general_medicine": 30, "spec_anaesthesia": 6,
    "spec_paediatrics": 4, "spec_cardiology": 3, "spec_internal_medicine": 8, "spec_haematology": 1,
    "spec_nephrology": 1, "spec_neurology": 2, "spec_ent": 2, "spec_psychiatry": 18,
    "spec_child_psychiatry": 6, "spec_radiology": 5, "spec_dermatology": 1, "spec_ophthalmology": 2,
    "nurse_registered": 40, "nurse_radiography": 3, "nurse_school": 2, "nurse_emergency": 6,
    "nurse_ambulance": 2, "nurse_paediatric": 3, "nurse_medical": 4, "nurse_oncology": 3,
    "nurse_psychiatric": 6, "nurse_elderly": 4, "nurse_district": 10, "nurse_anaesthesia": 6,
    "nurse_intensive_care": 7, "nurse_operating": 6, "midwife": 1,
}  # fmt: skip
SUB_AREA_OF_PROFESSION = {code: sub_area for code, _name, sub_area in PROFESSIONS}
FEMALE_SHARE = {"doctor": 0.5, "nurse": 0.85, "midwife": 0.95}


@dataclass(frozen=True)
class AdmissionPlan:
    sub_area: str
    admitted_on: datetime.date
    exited_on: datetime.date | None = None


@dataclass(frozen=True)
class ConsultantPlan:
    first_name: str
    last_name: str
    profession: str
    competence: str
    licence_number: str
    licensed_on: datetime.date
    specialist_since: datetime.date | None
    hlr_trained_on: datetime.date | None


@dataclass
class SupplierPlan:
    number: int
    name: str
    org_no: str
    email: str
    phone: str
    domain: str
    admissions: list[AdmissionPlan]
    consultants: list[ConsultantPlan] = field(default_factory=list)

    @property
    def sub_areas(self) -> set[str]:
        return {admission.sub_area for admission in self.admissions}


def easter_sunday(year: int) -> datetime.date:
    """Gregorian Easter (the anonymous Gregorian algorithm)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = divmod(b, 4)
    g = (8 * b + 13) // 25
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    m = (32 + 2 * e + 2 * i - h - k) % 7
    n = (a + 11 * h + 22 * m) // 451
    month, day = divmod(h + m - 7 * n + 114, 31)
    return datetime.date(year, month, day + 1)


def last_non_holiday_friday(year: int, month: int) -> datetime.date:
    """The last Friday of the month that is not a public holiday (Good Friday can be in March)."""
    next_month = datetime.date(year + month // 12, month % 12 + 1, 1)
    day = next_month - datetime.timedelta(days=1)
    day -= datetime.timedelta(days=(day.weekday() - 4) % 7)
    good_friday = easter_sunday(year) - datetime.timedelta(days=2)
    while day == good_friday:
        day -= datetime.timedelta(days=7)
    return day


def admission_dates(today: datetime.date) -> list[datetime.date]:
    """The agreement start and every twice-yearly admission date up to ``today``."""
    dates = [AGREEMENT_START]
    for year in range(AGREEMENT_START.year, today.year + 1):
        dates += [last_non_holiday_friday(year, 3), last_non_holiday_friday(year, 9)]
    return sorted(d for d in dates if d <= today)


def _supplier_names(rng: random.Random, kinds: list[str]) -> list[str]:
    used: set[str] = set()
    names = []
    for kind in kinds:
        while True:
            name = f"{rng.choice(SUPPLIER_CORES[kind])} {rng.choice(SUPPLIER_PLACES)} AB"
            if name not in used:
                break
        used.add(name)
        names.append(name)
    return names


def plan_suppliers(rng: random.Random, today: datetime.date) -> list[SupplierPlan]:
    """Suppliers sorted by name (the order of the supplier list), numbered from 1."""
    kinds = [kind for kind, count in SUPPLIER_MIX.items() for _ in range(count)]
    rng.shuffle(kinds)
    # The first supplier (alphabetically: "Akutbemanning …") is the demo login's company: both sub-areas,
    # admitted from the start and never exited.
    kinds[0] = "both"
    names = _supplier_names(rng, kinds)
    names[0] = f"Akutbemanning {rng.choice(SUPPLIER_PLACES)} AB"
    org_numbers = [with_check_digit(f"556{n:06d}") for n in rng.sample(range(1_000_000), len(kinds))]
    later_dates = [d for d in admission_dates(today) if d > AGREEMENT_START] or [AGREEMENT_START]

    plans = []
    for name, kind, org_no in zip(names, kinds, org_numbers, strict=True):
        sub_areas = ["doctors", "nurses"] if kind == "both" else [kind]
        first = name.startswith("Akutbemanning ")
        admissions = [
            AdmissionPlan(
                sub_area,
                AGREEMENT_START if first or rng.random() < 0.7 else rng.choice(later_dates),
            )
            for sub_area in sub_areas
        ]
        domain = ascii_slug(name.removesuffix(" AB")) + ".example"
        phone = f"010-{rng.randint(100, 999)} {rng.randint(10, 99)} {rng.randint(10, 99)}"
        plans.append(SupplierPlan(0, name, org_no, f"avrop@{domain}", phone, domain, admissions))
    plans.sort(key=lambda plan: plan.name)
    for number, plan in enumerate(plans, start=1):
        plan.number = number

    # A few suppliers have left a sub-area (never the demo login's supplier).
    for plan in rng.sample(plans[1:], EXITS):
        index = rng.randrange(len(plan.admissions))
        admission = plan.admissions[index]
        earliest = admission.admitted_on + datetime.timedelta(days=120)
        latest = today - datetime.timedelta(days=30)
        if earliest < latest:
            # Exits take effect at the end of a month.
            day = earliest + datetime.timedelta(days=rng.randint(0, (latest - earliest).days))
            exit_on = day.replace(day=1) - datetime.timedelta(days=1)
            if exit_on > admission.admitted_on:
                plan.admissions[index] = AdmissionPlan(admission.sub_area, admission.admitted_on, exit_on)

    licence_numbers = iter(rng.sample(range(100_000, 1_000_000), 3000))
    for plan in plans:
        size = rng.choices([(6, 14), (15, 25), (26, 45)], weights=[50, 35, 15])[0]
        plan.consultants = [
            _consultant(rng, plan.sub_areas, str(next(licence_numbers)), today)
            for _ in range(rng.randint(*size))
        ]
    return plans


def _years_before(day: datetime.date, years: float) -> datetime.date:
    return day - datetime.timedelta(days=round(years * 365.25))


def _consultant(
    rng: random.Random, sub_areas: set[str], licence_number: str, today: datetime.date
) -> ConsultantPlan:
    if sub_areas == {"doctors"}:
        profession = "doctor"
    elif sub_areas == {"nurses"}:
        profession = rng.choices(["nurse", "midwife"], weights=[92, 8])[0]
    else:
        profession = rng.choices(["doctor", "nurse", "midwife"], weights=[45, 50, 5])[0]
    competences = [row for row in COMPETENCES if row[2] == profession]
    code, _name, _profession, _level, specialist = rng.choices(
        competences, weights=[COMPETENCE_WEIGHTS[row[0]] for row in competences]
    )[0]
    first_name, last_name = random_person(rng, FEMALE_SHARE[profession])
    # A few are too recently licensed or certified, so the two-year rule has cases to catch.
    recent = rng.random() < 0.04
    specialist_since = None
    if specialist:
        specialist_since = _years_before(today, rng.uniform(0.3, 1.9) if recent else rng.uniform(2.1, 25))
        licensed_on = _years_before(specialist_since, rng.uniform(4.5, 8))
    else:
        licensed_on = _years_before(today, rng.uniform(0.3, 1.9) if recent else rng.uniform(2.1, 15))
    # Most have CPR/HLR training within the last twelve months; some have let it expire.
    roll = rng.random()
    if roll < 0.82:
        hlr_trained_on: datetime.date | None = today - datetime.timedelta(days=rng.randint(5, 350))
    elif roll < 0.97:
        hlr_trained_on = today - datetime.timedelta(days=rng.randint(380, 1000))
    else:
        hlr_trained_on = None
    return ConsultantPlan(
        first_name, last_name, profession, code, licence_number, licensed_on, specialist_since, hlr_trained_on
    )
