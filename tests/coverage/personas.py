"""The personas of the generated coverage: every region role of region A and of region B, a user of
supplier A and of supplier B, the national coordinator and reader, and anonymous.

Region A is Västra Götaland (14), region B Stockholm (01), as in the demo's printed logins.
Supplier A is the demo supplier with the most invoices in region A, supplier B the one with the
most invoices that is not supplier A (see ``objects.pick_suppliers``).
"""

from __future__ import annotations

from dataclasses import dataclass

REGION_A, REGION_B = "14", "01"
DEMO_PREFIX = {REGION_A: "vgr", REGION_B: "01"}

#: The region roles, as (persona suffix, demo username suffix).
REGION_ROLES: tuple[tuple[str, str], ...] = (
    ("admin", "admin"),
    ("orderer", "bestallare"),
    ("unit_head", "enhetschef"),
    ("department_head", "verksamhetschef"),
    ("area_head", "omradeschef"),
    ("health_director", "hsdirektor"),
    ("regional_director", "regiondirektor"),
    ("call_off_unit", "avropsenhet"),
    ("steering_group", "styrgrupp"),
    ("controller", "controller"),
    ("reader", "lasare"),
)
_DEMO_SUFFIX = dict(REGION_ROLES)


@dataclass(frozen=True)
class Persona:
    """``name`` such as ``a.orderer``, ``b.reader``, ``supplier_a``, ``coordinator``, ``anonymous``."""

    name: str
    kind: str  # "region", "supplier", "national", "anonymous"
    tenant: str = ""  # "a" or "b" for regions and suppliers
    role: str = ""

    @property
    def is_anonymous(self) -> bool:
        return self.kind == "anonymous"


PERSONAS: tuple[Persona, ...] = (
    *(Persona(f"a.{role}", "region", "a", role) for role, _ in REGION_ROLES),
    *(Persona(f"b.{role}", "region", "b", role) for role, _ in REGION_ROLES),
    Persona("supplier_a", "supplier", "a"),
    Persona("supplier_b", "supplier", "b"),
    Persona("coordinator", "national", role="coordinator"),
    Persona("national_reader", "national", role="national_reader"),
    Persona("anonymous", "anonymous"),
)
BY_NAME = {persona.name: persona for persona in PERSONAS}


def demo_username(persona: Persona, supplier_usernames: dict[str, str]) -> str:
    if persona.kind == "region":
        region = REGION_A if persona.tenant == "a" else REGION_B
        return f"{DEMO_PREFIX[region]}.{_DEMO_SUFFIX[persona.role]}"
    if persona.kind == "supplier":
        return supplier_usernames[persona.tenant]
    if persona.kind == "national":
        return "nationell.samordnare" if persona.role == "coordinator" else "nationell.lasare"
    raise ValueError(f"{persona.name} has no user")
