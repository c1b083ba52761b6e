"""Reference data of the national framework agreement (RS 2022-03983), loaded by a data migration.

Sources are in the project's domain notes (facts §1). Where the official figure was not found the
value is seeded as a *demo* or *default* value and labelled so in the UI:

- Price list "2026-demo" uses the second-hand 2026 tables (doctor specialist groups A/B; nurse
  levels base/middle/high). The licensed-doctor/ST level has no published figure: seeded at 80 %
  of specialist group A.
- Price list "2024-demo" scales the 2026 figures to the 2022 announcement (specialist doctor
  1,125 SEK/h in zone 1 … 1,625 SEK/h in zone 3), i.e. × 0.909, rounded to whole kronor.
- Unsocial-hours supplements are the nurse figures shown in the same 2026 source.
- The northern travel flat rate's amount is unknown: a default, flagged as such.
"""

from __future__ import annotations

import datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

AGREEMENT = {
    "reference": "RS 2022-03983",
    "name": "Samordnad upphandling av hyrpersonal inom hälso- och sjukvård för Sveriges regioner",
    "procuring_authority": "Västra Götalandsregionen",
    "starts_on": datetime.date(2024, 1, 1),
    "ends_on": datetime.date(2027, 12, 31),
    "max_extension_months": 0,
}

SUB_AREAS = [("doctors", "Läkare"), ("nurses", "Sjuksköterskor inkl. barnmorskor")]
EXCLUDED_SPECIALTIES = {"doctors": ["Klinisk patologi", "Mammografi", "Kataraktkirurgi"]}

PROFESSIONS = [
    ("doctor", "Läkare", "doctors"),
    ("nurse", "Sjuksköterska", "nurses"),
    ("midwife", "Barnmorska", "nurses"),
]

LEVELS = [
    ("doctors", "doctor_licensed", "Legitimerad läkare / ST-läkare", 1),
    ("doctors", "doctor_specialist_a", "Specialistläkare grupp A", 2),
    ("doctors", "doctor_specialist_b", "Specialistläkare grupp B", 3),
    ("nurses", "nurse_base", "Sjuksköterska bas", 1),
    ("nurses", "nurse_middle", "Sjuksköterska mellan", 2),
    ("nurses", "nurse_high", "Sjuksköterska hög", 3),
]

# (code, name, profession, level, requires specialist certificate)
COMPETENCES = [
    ("doctor_licensed", "Legitimerad läkare", "doctor", "doctor_licensed", False),
    ("doctor_st", "ST-läkare", "doctor", "doctor_licensed", False),
    ("spec_general_medicine", "Specialist i allmänmedicin", "doctor", "doctor_specialist_a", True),
    ("spec_anaesthesia", "Specialist i anestesi och intensivvård", "doctor", "doctor_specialist_a", True),
    ("spec_paediatrics", "Specialist i barn- och ungdomsmedicin", "doctor", "doctor_specialist_a", True),
    ("spec_cardiology", "Specialist i kardiologi", "doctor", "doctor_specialist_a", True),
    ("spec_internal_medicine", "Specialist i internmedicin", "doctor", "doctor_specialist_a", True),
    ("spec_haematology", "Specialist i hematologi", "doctor", "doctor_specialist_a", True),
    ("spec_nephrology", "Specialist i njurmedicin", "doctor", "doctor_specialist_a", True),
    ("spec_neurology", "Specialist i neurologi", "doctor", "doctor_specialist_a", True),
    ("spec_ent", "Specialist i öron-, näs- och halssjukdomar", "doctor", "doctor_specialist_a", True),
    ("spec_psychiatry", "Specialist i psykiatri", "doctor", "doctor_specialist_b", True),
    (
        "spec_child_psychiatry",
        "Specialist i barn- och ungdomspsykiatri",
        "doctor",
        "doctor_specialist_b",
        True,
    ),
    ("spec_radiology", "Specialist i radiologi", "doctor", "doctor_specialist_b", True),
    ("spec_dermatology", "Specialist i hud- och könssjukdomar", "doctor", "doctor_specialist_b", True),
    ("spec_ophthalmology", "Specialist i ögonsjukdomar", "doctor", "doctor_specialist_b", True),
    ("nurse_registered", "Sjuksköterska (grundutbildad)", "nurse", "nurse_base", False),
    ("nurse_radiography", "Röntgensjuksköterska", "nurse", "nurse_base", False),
    ("nurse_school", "Skolsköterska", "nurse", "nurse_middle", True),
    ("nurse_emergency", "Specialistsjuksköterska akutsjukvård", "nurse", "nurse_middle", True),
    ("nurse_ambulance", "Specialistsjuksköterska ambulanssjukvård", "nurse", "nurse_middle", True),
    ("nurse_paediatric", "Specialistsjuksköterska barn och ungdom", "nurse", "nurse_middle", True),
    ("nurse_medical", "Specialistsjuksköterska medicinsk vård", "nurse", "nurse_middle", True),
    ("nurse_oncology", "Specialistsjuksköterska onkologisk vård", "nurse", "nurse_middle", True),
    ("nurse_psychiatric", "Specialistsjuksköterska psykiatrisk vård", "nurse", "nurse_middle", True),
    ("nurse_elderly", "Specialistsjuksköterska vård av äldre", "nurse", "nurse_middle", True),
    ("nurse_district", "Distriktssköterska", "nurse", "nurse_high", True),
    ("nurse_anaesthesia", "Specialistsjuksköterska anestesisjukvård", "nurse", "nurse_high", True),
    ("nurse_intensive_care", "Specialistsjuksköterska intensivvård", "nurse", "nurse_high", True),
    ("nurse_operating", "Specialistsjuksköterska operationssjukvård", "nurse", "nurse_high", True),
    ("midwife", "Barnmorska", "midwife", "nurse_high", True),
]

PRICES_2026: dict[str, tuple[int, int, int]] = {
    "doctor_specialist_a": (1238, 1513, 1787),
    "doctor_specialist_b": (1457, 1678, 1953),
    "nurse_base": (616, 660, 715),
    "nurse_middle": (715, 770, 824),
    "nurse_high": (770, 824, 880),
}
PRICES_2026["doctor_licensed"] = tuple(  # type: ignore[assignment]
    int((Decimal(p) * Decimal("0.8")).quantize(Decimal(1), ROUND_HALF_UP))
    for p in PRICES_2026["doctor_specialist_a"]
)
INDEX_2024_FROM_2026 = Decimal("0.909")
PRICES_2024: dict[str, tuple[int, ...]] = {
    level: tuple(int((Decimal(p) * INDEX_2024_FROM_2026).quantize(Decimal(1), ROUND_HALF_UP)) for p in prices)
    for level, prices in PRICES_2026.items()
}
# The one figure published for the original price level (2022 announcement).
PRICES_2024["doctor_specialist_a"] = (1125, 1375, 1625)

NURSE_UNSOCIAL_SUPPLEMENTS = {
    "weekday_evening": 37,
    "weekday_night": 82,
    "weekend_day": 96,
    "weekend_evening": 96,
    "weekend_night": 109,
    "holiday_day": 184,
    "holiday_night": 222,
}
NORTHERN_REGIONS = ["22", "23", "24", "25"]
TRAVEL_FLAT_RATE_DEFAULT_SEK_PER_WEEK = 2500

# (key, value, valid_from, is_default_value, source)
PARAMETERS = [
    (
        "max_call_off_months",
        12,
        datetime.date(2024, 1, 1),
        False,
        "VGR: ett avrop får inte överstiga 12 månader",
    ),
    ("response_deadline_working_days", 3, datetime.date(2024, 1, 1), True, "Hyrkoll default"),
    (
        "cancellation_notice_days",
        30,
        datetime.date(2024, 1, 1),
        True,
        "Hyrkoll default (villkoret ej funnet)",
    ),
    ("cancellation_charge_pct", 50, datetime.date(2024, 1, 1), True, "Hyrkoll default (villkoret ej funnet)"),
    ("hlr_valid_months", 12, datetime.date(2024, 1, 1), False, "HLR-utbildning inom 12 månader"),
    ("karens_months", 12, datetime.date(2024, 1, 1), False, "VGR: 12 månaders karens"),
    ("min_experience_years", 2, datetime.date(2024, 1, 1), False, "VGR: två års klinisk erfarenhet"),
    ("deviations_before_penalty", 3, datetime.date(2024, 1, 1), True, "Press: vite efter tre avvikelser"),
    (
        "direct_award_threshold_sek",
        700000,
        datetime.date(2022, 2, 1),
        True,
        "LOU direktupphandlingsgräns; verifiera",
    ),
]


def load_reference_data(get_model: Any) -> None:
    """Create the agreement and its register. ``get_model(name)`` returns a model of this app."""
    agreement_model = get_model("FrameworkAgreement")
    agreement, _ = agreement_model.objects.update_or_create(
        reference=AGREEMENT["reference"], defaults={k: v for k, v in AGREEMENT.items() if k != "reference"}
    )
    sub_areas = {}
    for code, name in SUB_AREAS:
        sub_areas[code], _ = get_model("SubArea").objects.update_or_create(
            agreement=agreement, code=code, defaults={"name": name}
        )
    for sub_area_code, names in EXCLUDED_SPECIALTIES.items():
        for name in names:
            get_model("ExcludedSpecialty").objects.get_or_create(sub_area=sub_areas[sub_area_code], name=name)
    professions = {}
    for code, name, sub_area_code in PROFESSIONS:
        professions[code], _ = get_model("Profession").objects.update_or_create(
            code=code, defaults={"name": name, "sub_area_code": sub_area_code}
        )
    levels = {}
    for sub_area_code, code, name, rank in LEVELS:
        levels[code], _ = get_model("CompetenceLevel").objects.update_or_create(
            code=code, defaults={"name": name, "sub_area_code": sub_area_code, "rank": rank}
        )
    for code, name, profession, level, specialist in COMPETENCES:
        get_model("Competence").objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "profession": professions[profession],
                "level": levels[level],
                "requires_specialist_certificate": specialist,
            },
        )
    price_list_model = get_model("PriceList")
    versions = [
        ("2024-demo", datetime.date(2024, 1, 1), datetime.date(2025, 12, 31), PRICES_2024),
        ("2026-demo", datetime.date(2026, 1, 1), None, PRICES_2026),
    ]
    for version, valid_from, valid_to, table in versions:
        price_list, _ = price_list_model.objects.update_or_create(
            agreement=agreement,
            version=version,
            defaults={
                "valid_from": valid_from,
                "valid_to": valid_to,
                "is_demo": True,
                "note": "Demopriser byggda på andrahandsuppgifter; inte den officiella prislistan.",
            },
        )
        for level_code, prices in table.items():
            for zone, amount in enumerate(prices, start=1):
                get_model("Price").objects.update_or_create(
                    price_list=price_list,
                    level=levels[level_code],
                    zone=zone,
                    defaults={"hourly_sek": amount},
                )
        for kind, amount in NURSE_UNSOCIAL_SUPPLEMENTS.items():
            get_model("Supplement").objects.update_or_create(
                price_list=price_list, kind=kind, sub_area_code="nurses", defaults={"amount_sek": amount}
            )
        travel, _ = get_model("Supplement").objects.update_or_create(
            price_list=price_list,
            kind="travel_flat_rate",
            sub_area_code="",
            defaults={
                "amount_sek": TRAVEL_FLAT_RATE_DEFAULT_SEK_PER_WEEK,
                "unit": "per_week",
                "is_default_value": True,
            },
        )
        region_model = get_model("organisation.Region")
        travel.regions.set(region_model.objects.filter(code__in=NORTHERN_REGIONS))
    for key, value, valid_from, is_default, source in PARAMETERS:
        get_model("AgreementParameter").objects.update_or_create(
            agreement=agreement,
            key=key,
            valid_from=valid_from,
            defaults={"value": value, "is_default_value": is_default, "source": source},
        )
