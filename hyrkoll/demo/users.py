"""Plan of the demo users and their roles (pure: no database access).

Every region gets the same cast, with usernames ``<prefix>.<role>`` where the prefix is the county
code (``01.admin``) or ``vgr`` for Västra Götalandsregionen. The orderer and the lower approvers
are limited to one approval chain of the organisation: a care unit, its department and its area.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from hyrkoll.demo.data import REGION_LOGIN_PREFIX
from hyrkoll.demo.organisation import RegionOrgPlan
from hyrkoll.demo.people import EmailBook, ascii_slug, random_person
from hyrkoll.demo.suppliers import SupplierPlan


@dataclass(frozen=True)
class RolePlan:
    role: str
    decision_level: int | None = None
    # Code of the unit (in the user's region) the role is limited to; ``None``: the whole region.
    org_unit_code: str | None = None


@dataclass
class UserPlan:
    username: str
    first_name: str
    last_name: str
    email: str
    title: str
    scope: str
    region_code: str | None = None
    supplier_number: int | None = None
    roles: list[RolePlan] = field(default_factory=list)
    # Shown in the printed list of demo logins: (role label, belongs to).
    login_label: str = ""


# (username suffix, role, decision level, anchor the role is limited to, job title, login label)
REGION_CAST: list[tuple[str, str, int | None, str | None, str, str]] = [
    ("admin", "region_admin", None, None, "Systemförvaltare", "Region admin"),
    ("bestallare", "orderer", None, "care_unit", "Bemanningssamordnare", "Orderer (care unit)"),
    ("bestallare2", "orderer", None, "primary_unit", "Administratör", ""),
    ("bestallare3", "orderer", None, None, "Bemanningsstrateg", ""),
    ("enhetschef", "approver", 1, "care_unit", "Enhetschef", "Approver: unit manager"),
    ("verksamhetschef", "approver", 2, "department", "Verksamhetschef", "Approver: department head"),
    ("omradeschef", "approver", 3, "area", "Områdeschef", "Approver: area manager"),
    ("hsdirektor", "approver", 4, None, "Hälso- och sjukvårdsdirektör", "Approver: health director"),
    ("regiondirektor", "approver", 5, None, "Regiondirektör", "Approver: regional director"),
    ("avropsenhet", "call_off_unit", None, None, "Bemanningshandläggare, avropsenheten", "Call-off unit"),
    ("styrgrupp", "steering_group", None, None, "Ledamot, styrgruppen för oberoende av hyrpersonal", "Steering group"),
    ("controller", "controller", None, None, "Controller, ekonomistaben", "Controller"),
    ("lasare", "reader", None, None, "Förtroendevald revisor", "Reader"),
]  # fmt: skip

SUPPLIER_TITLES = ["Bemanningsansvarig", "Konsultchef", "Avtalsansvarig", "Verksamhetschef", "Rekryterare"]


def login_prefix(region_code: str) -> str:
    return REGION_LOGIN_PREFIX.get(region_code, region_code)


def region_email_domain(region_code: str, region_name: str) -> str:
    return "vgregion.example" if region_code == "14" else f"{ascii_slug(region_name)}.example"


def plan_users(
    rng: random.Random,
    regions: list[tuple[str, str]],
    org_plans: dict[str, RegionOrgPlan],
    suppliers: list[SupplierPlan],
) -> list[UserPlan]:
    emails = EmailBook()
    users: list[UserPlan] = []
    for region_code, region_name in regions:
        plan = org_plans[region_code]
        names = {unit.code: unit.name for unit in plan.units}
        domain = region_email_domain(region_code, region_name)
        for suffix, role, level, anchor, title, label in REGION_CAST:
            first, last = random_person(rng)
            unit_code = plan.anchors[anchor] if anchor else None
            users.append(
                UserPlan(
                    username=f"{login_prefix(region_code)}.{suffix}",
                    first_name=first,
                    last_name=last,
                    email=emails.address(first, last, domain),
                    title=f"{title}, {names[unit_code]}" if unit_code else title,
                    scope="region",
                    region_code=region_code,
                    roles=[RolePlan(role, level, unit_code)],
                    login_label=label,
                )
            )
    national = [
        ("nationell.samordnare", "coordinator", "Avtalsförvaltare, nationella hyrpersonalavtalet", "National coordinator"),
        ("nationell.lasare", "national_reader", "Analytiker, nationell uppföljning", "National reader"),
    ]  # fmt: skip
    for username, role, title, label in national:
        first, last = random_person(rng)
        users.append(
            UserPlan(
                username, first, last, emails.address(first, last, "nationellhyrbemanning.example"),
                title, "national", roles=[RolePlan(role)], login_label=label,
            )
        )  # fmt: skip
    for supplier in suppliers:
        for index in range(1 if rng.random() < 0.5 else 2):
            first, last = random_person(rng, 0.6)
            users.append(
                UserPlan(
                    username=f"leverantor.{supplier.number}" + ("" if index == 0 else "b"),
                    first_name=first,
                    last_name=last,
                    email=emails.address(first, last, supplier.domain),
                    title=rng.choice(SUPPLIER_TITLES),
                    scope="supplier",
                    supplier_number=supplier.number,
                    roles=[RolePlan("supplier_user")],
                    login_label="Supplier user" if supplier.number == 1 and index == 0 else "",
                )
            )
    return users
