"""The measures the 2016–2018 national project reported (seed of the catalogue)."""

from __future__ import annotations

from typing import Any

# (heading, name, description, reported as working)
MEASURES: list[tuple[str, str, str, bool]] = [
    (
        "work_environment",
        "Attraktiv arbetsplats och god arbetsmiljö",
        "Arbetsmiljöinsatser, hållbart engagemang.",
        False,
    ),
    (
        "work_environment",
        "Tydligt ledarskap, styrning och uppföljning",
        "Den starkaste generella framgångsfaktorn.",
        True,
    ),
    (
        "dimensioning",
        "Bemanningsplan och dimensionering",
        "Bemanning efter behov, planering av vakanser.",
        False,
    ),
    (
        "dimensioning",
        "Interna bemanningspooler",
        "Egen resurs-/bemanningspool som alternativ till inhyrning.",
        True,
    ),
    ("recruitment", "Betald specialistutbildning för sjuksköterskor", "Specialistutbildning med lön.", True),
    (
        "recruitment",
        "Fler AT- och ST-tjänster",
        "Fler tjänster för allmän- och specialiseringstjänstgöring.",
        True,
    ),
    ("recruitment", "Marknadsföring och rekrytering", "Riktade rekryteringsinsatser.", True),
    ("pay", "Lönetillägg och bonusar", "T.ex. helgtillägg för sjuksköterskor.", True),
    ("new_ways", "Nya arbetssätt, flöden och schemamodeller", "Uppgiftsväxling, nya schemamodeller.", True),
    ("cooperation", "Samarbete mellan regioner", "Gemensam upphandling, lån av personal i kris.", False),
    (
        "phase_out",
        "Godkännandestruktur för avrop (dispenser)",
        "Beslut på fast chefsnivå för varje avrop.",
        True,
    ),
    ("phase_out", "Hyrstopp för vissa personalgrupper", "T.ex. hyrstopp för sjuksköterskor.", True),
    (
        "phase_out",
        "Tidplan för utfasning av inhyrd personal",
        "Delmål och tidplan beslutade av ledningen.",
        False,
    ),
]


def load_catalogue(measure_model: Any) -> None:
    for heading, name, description, working in MEASURES:
        measure_model.objects.update_or_create(
            name=name,
            defaults={"heading": heading, "description": description, "reported_as_working": working},
        )
