"""The demo's ordering scenarios and reference lists: which needs each region gets and in which
state, competences by care area, pool profiles, reasons, shifts; invented personal identity numbers."""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass
from typing import TYPE_CHECKING

from hyrkoll.lib.orgno import luhn_ok
from hyrkoll.ordering.models import (
    NeedReason,
)

if TYPE_CHECKING:
    pass


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
