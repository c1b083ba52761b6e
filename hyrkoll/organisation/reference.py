"""Reference data that ships with Hyrkoll: regions, municipalities with zones, care areas.

Used by the data migrations (with historical models passed in) so that an empty database has the
reference data after ``hyrkoll migrate``.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

DATA_DIR = Path(__file__).resolve().parent / "data"

REGIONS: list[tuple[str, str]] = [
    ("01", "Region Stockholm"),
    ("03", "Region Uppsala"),
    ("04", "Region Sörmland"),
    ("05", "Region Östergötland"),
    ("06", "Region Jönköpings län"),
    ("07", "Region Kronoberg"),
    ("08", "Region Kalmar län"),
    ("09", "Region Gotland"),
    ("10", "Region Blekinge"),
    ("12", "Region Skåne"),
    ("13", "Region Halland"),
    ("14", "Västra Götalandsregionen"),
    ("17", "Region Värmland"),
    ("18", "Region Örebro län"),
    ("19", "Region Västmanland"),
    ("20", "Region Dalarna"),
    ("21", "Region Gävleborg"),
    ("22", "Region Västernorrland"),
    ("23", "Region Jämtland Härjedalen"),
    ("24", "Region Västerbotten"),
    ("25", "Region Norrbotten"),
]

CARE_AREAS: list[tuple[str, str, str]] = [
    ("primary", "Primärvård", "Vårdcentraler, barn- och mödrahälsovård, ungdomsmottagningar."),
    ("psychiatry", "Psykiatri", "All psykiatrisk vård."),
    ("somatic", "Somatisk vård", "Övrig hälso- och sjukvård (sjukhusvård m.m.)."),
]


def read_csv(name: str) -> list[dict[str, str]]:
    with open(DATA_DIR / name, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def load_reference_data(region_model: Any, municipality_model: Any, care_area_model: Any) -> None:
    regions = {}
    for code, name in REGIONS:
        regions[code], _ = region_model.objects.update_or_create(code=code, defaults={"name": name})
    zones = {row["municipality_code"]: int(row["zone"]) for row in read_csv("municipality_zones.csv")}
    for row in read_csv("municipalities.csv"):
        municipality_model.objects.update_or_create(
            code=row["code"],
            defaults={
                "name": row["name"],
                "region": regions[row["county"]],
                "zone": zones[row["code"]],
                "zone_source": "approximation",
            },
        )
    for code, name, description in CARE_AREAS:
        care_area_model.objects.update_or_create(
            code=code, defaults={"name": name, "description": description}
        )
