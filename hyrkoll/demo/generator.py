"""Loads the demo data set: accession dates, suppliers with admissions and consultants, every
region's organisation, users for every role, ten years of monthly cost history, and needs and call-offs in
every state for some regions (``hyrkoll.demo.ordering``).

The plan is built by pure functions (``suppliers``, ``organisation``, ``users``, ``costs``) from a
seed and "today", so the same seed gives the same data; :func:`load_demo_data` writes it in one
transaction with bulk inserts. Reference data (regions, municipalities, the agreement register)
must exist already – it comes with the migrations – and is never changed or deleted.
"""

from __future__ import annotations

import datetime
import random
from collections import Counter
from dataclasses import dataclass, field
from itertools import islice

from django.contrib.auth.hashers import make_password
from django.db import connections, router, transaction
from django.utils import timezone

from hyrkoll.accounts.models import RoleAssignment, User
from hyrkoll.agreement.models import (
    Competence,
    Profession,
    RegionAccession,
    SubArea,
    Supplier,
    SupplierAdmission,
)
from hyrkoll.agreement.reference import AGREEMENT
from hyrkoll.audit.models import AuditAction
from hyrkoll.audit.services import record
from hyrkoll.consultants.models import Consultant
from hyrkoll.demo.compliance import load_compliance_demo
from hyrkoll.demo.costs import CostRow, cost_rows
from hyrkoll.demo.data import ACCESSIONS, NOTE, PASSWORD, SOURCE
from hyrkoll.demo.followup import load_followup_demo
from hyrkoll.demo.governance import load_governance_demo
from hyrkoll.demo.governance_procurement import load_procurement_demo
from hyrkoll.demo.invoicing import load_invoicing_demo
from hyrkoll.demo.ordering import load_ordering_demo, quiet_mail
from hyrkoll.demo.organisation import MunicipalityInfo, RegionOrgPlan, plan_region_organisation
from hyrkoll.demo.outbox import load_outbox_demo
from hyrkoll.demo.returning import load_returning_demo
from hyrkoll.demo.suppliers import SupplierPlan, plan_suppliers
from hyrkoll.demo.users import UserPlan, plan_users
from hyrkoll.followup.models import CostEntry
from hyrkoll.lib.dates import last_complete_month
from hyrkoll.organisation.models import CareArea, Municipality, OrgUnit, Region

DEFAULT_SEED = 2026
BATCH_SIZE = 2000
KIND_ORDER = ["administration", "area", "department", "care_unit"]


class DemoDataError(Exception):
    """The demo data cannot be loaded (it exists already, or reference data is missing)."""


@dataclass
class DemoPlan:
    suppliers: list[SupplierPlan]
    organisations: dict[str, RegionOrgPlan]
    users: list[UserPlan]


@dataclass
class DemoSummary:
    seed: int
    counts: dict[str, int] = field(default_factory=dict)
    # (role, username, password, belongs to)
    logins: list[tuple[str, str, str, str]] = field(default_factory=list)


def build_plan(
    seed: int,
    today: datetime.date,
    regions: list[tuple[str, str]],
    municipalities: dict[str, list[MunicipalityInfo]],
) -> DemoPlan:
    """Everything except the cost history, from the seed alone (no database access).

    Each part draws from its own generator so that changing one part leaves the others as they were.
    """
    suppliers = plan_suppliers(random.Random(f"{seed}-suppliers"), today)
    organisations = {
        code: plan_region_organisation(
            random.Random(f"{seed}-organisation-{code}"), code, municipalities[code]
        )
        for code, _name in regions
    }
    users = plan_users(random.Random(f"{seed}-users"), regions, organisations, suppliers)
    return DemoPlan(suppliers, organisations, users)


def existing_demo_data() -> dict[str, int]:
    """Counts of the tables the demo fills that already hold rows (empty: nothing loaded)."""
    counts = {
        "suppliers": Supplier.objects.count(),
        "organisational units": OrgUnit.objects.count(),
        "consultants": Consultant.objects.count(),
        "cost entries": CostEntry.objects.count(),
        "demo users": User.objects.filter(username__in=["vgr.admin", "nationell.samordnare"]).count(),
    }
    return {name: count for name, count in counts.items() if count}


def _reference_data() -> tuple[list[Region], dict[str, list[MunicipalityInfo]]]:
    regions = list(Region.objects.order_by("code"))
    municipalities: dict[str, list[MunicipalityInfo]] = {region.code: [] for region in regions}
    for code, name, region_code in Municipality.objects.order_by("code").values_list(
        "code", "name", "region__code"
    ):
        municipalities[region_code].append(MunicipalityInfo(code, name))
    if len(regions) != 21 or not all(municipalities.values()):
        raise DemoDataError("Reference data is missing: run 'hyrkoll migrate' first.")
    return regions, municipalities


def load_demo_data(
    seed: int = DEFAULT_SEED, today: datetime.date | None = None, *, force: bool = False
) -> DemoSummary:
    """Create the demo data set in one transaction. Refuses if demo data exists, unless ``force``."""
    today = today or datetime.date.today()
    existing = existing_demo_data()
    if existing and not force:
        listing = ", ".join(f"{count} {name}" for name, count in existing.items())
        raise DemoDataError(
            f"Demo data (or other data) already exists: {listing}. Load the demo into a fresh database, "
            "or use --force to add it anyway (nothing is deleted)."
        )
    regions, municipalities = _reference_data()
    plan = build_plan(seed, today, [(r.code, r.name) for r in regions], municipalities)
    summary = DemoSummary(seed)
    # The ordering demo e-mails suppliers when the transaction commits: keep those mails off the console.
    with quiet_mail(), transaction.atomic():
        sub_areas = {s.code: s for s in SubArea.objects.filter(agreement__reference=AGREEMENT["reference"])}
        region_by_code = {region.code: region for region in regions}
        summary.counts["accession dates"] = _create_accessions(region_by_code, sub_areas)
        suppliers = _create_suppliers(plan.suppliers, sub_areas, summary)
        units = _create_organisation(plan.organisations, region_by_code, summary)
        _create_users(plan.users, region_by_code, suppliers, units, today, summary)
        summary.counts["consultants"] = _create_consultants(plan.suppliers, suppliers)
        summary.counts["cost entries"] = _create_costs(seed, list(region_by_code.values()), today)
        _validate_sample(plan, suppliers, units)
        load_followup_demo(random.Random(f"{seed}-followup"), today, summary.counts)
        _refresh_statistics()
        # Needs and call-offs in every state, through the ordering workflow (hyrkoll.demo.ordering).
        load_ordering_demo(random.Random(f"{seed}-ordering"), today, summary)
        _refresh_statistics()
        load_invoicing_demo(random.Random(f"{seed}-invoicing"), today, summary.counts)
        load_returning_demo(today, summary.counts)
        load_governance_demo(random.Random(f"{seed}-governance"), today, summary)
        load_procurement_demo(random.Random(f"{seed}-procurement"), today, summary.counts)
        _refresh_statistics()
        load_compliance_demo(random.Random(f"{seed}-compliance"), today, summary)
        load_outbox_demo(summary.counts)
        record(None, AuditAction.IMPORT, suppliers[1], reason=f"Demo data loaded (seed {seed})")
    return summary


def _refresh_statistics() -> None:
    """PostgreSQL plans the demo's later queries from table statistics, which it has not gathered
    for rows this transaction has just written: it took them for empty tables and chose plans that
    ran for minutes (the compliance demo's assignment query). ANALYZE inside the transaction counts
    them. SQLite needs nothing."""
    connection = connections[router.db_for_write(Region)]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def _create_accessions(regions: dict[str, Region], sub_areas: dict[str, SubArea]) -> int:
    existing = set(RegionAccession.objects.values_list("region__code", "sub_area__code"))
    rows = [
        RegionAccession(region=regions[code], sub_area=sub_areas[sub_area], acceded_on=day, note=NOTE)
        for code, days in ACCESSIONS.items()
        for sub_area, day in zip(("doctors", "nurses"), days, strict=True)
        if (code, sub_area) not in existing
    ]
    RegionAccession.objects.bulk_create(rows)
    return len(rows)


def _create_suppliers(
    plans: list[SupplierPlan], sub_areas: dict[str, SubArea], summary: DemoSummary
) -> dict[int, Supplier]:
    suppliers = {
        plan.number: Supplier(name=plan.name, org_no=plan.org_no, email=plan.email, phone=plan.phone)
        for plan in plans
    }
    Supplier.objects.bulk_create(suppliers.values())
    admissions = [
        SupplierAdmission(
            supplier=suppliers[plan.number],
            sub_area=sub_areas[admission.sub_area],
            admitted_on=admission.admitted_on,
            exited_on=admission.exited_on,
        )
        for plan in plans
        for admission in plan.admissions
    ]
    SupplierAdmission.objects.bulk_create(admissions)
    summary.counts["suppliers"] = len(suppliers)
    per_area = Counter(admission.sub_area.code for admission in admissions)
    summary.counts["admissions, doctors"] = per_area["doctors"]
    summary.counts["admissions, nurses"] = per_area["nurses"]
    return suppliers


def _create_organisation(
    plans: dict[str, RegionOrgPlan], regions: dict[str, Region], summary: DemoSummary
) -> dict[tuple[str, str], OrgUnit]:
    municipalities = {m.code: m for m in Municipality.objects.all()}
    care_areas = {area.code: area for area in CareArea.objects.all()}
    units: dict[tuple[str, str], OrgUnit] = {}
    # Level by level, so that every parent has its primary key before its children are inserted.
    for kind in KIND_ORDER:
        batch = {}
        for region_code, plan in plans.items():
            for unit in plan.units:
                if unit.kind != kind:
                    continue
                batch[region_code, unit.code] = OrgUnit(
                    region=regions[region_code],
                    parent=units[region_code, unit.parent_code] if unit.parent_code else None,
                    kind=unit.kind,
                    code=unit.code,
                    name=unit.name,
                    municipality=municipalities[unit.municipality_code] if unit.municipality_code else None,
                    care_area=care_areas[unit.care_area] if unit.care_area else None,
                )
        OrgUnit.objects.bulk_create(batch.values(), batch_size=BATCH_SIZE)
        units.update(batch)
        summary.counts[f"org units: {kind}"] = len(batch)
    return units


def _create_users(
    plans: list[UserPlan],
    regions: dict[str, Region],
    suppliers: dict[int, Supplier],
    units: dict[tuple[str, str], OrgUnit],
    today: datetime.date,
    summary: DemoSummary,
) -> None:
    password = make_password(PASSWORD)  # hashed once, shared by every demo user
    joined = timezone.make_aware(datetime.datetime.combine(today, datetime.time(8, 0)))
    users = [
        User(
            username=plan.username,
            first_name=plan.first_name,
            last_name=plan.last_name,
            email=plan.email,
            title=plan.title,
            scope=plan.scope,
            region=regions[plan.region_code] if plan.region_code else None,
            supplier=suppliers[plan.supplier_number] if plan.supplier_number else None,
            password=password,
            date_joined=joined,
            # Coordinators maintain the register in the Django admin too (permissions follow the
            # role: hyrkoll.accounts.backends.RolePermissionBackend).
            is_staff=any(role.role == "coordinator" for role in plan.roles),
        )
        for plan in plans
    ]
    User.objects.bulk_create(users, batch_size=BATCH_SIZE)
    assignments = [
        RoleAssignment(
            user=user,
            role=role.role,
            decision_level=role.decision_level,
            org_unit=units[plan.region_code, role.org_unit_code]
            if role.org_unit_code and plan.region_code
            else None,
        )
        for plan, user in zip(plans, users, strict=True)
        for role in plan.roles
    ]
    RoleAssignment.objects.bulk_create(assignments, batch_size=BATCH_SIZE)
    summary.counts["users"] = len(users)
    summary.counts["role assignments"] = len(assignments)
    for plan, user in zip(plans, users, strict=True):
        if plan.login_label and plan.region_code in (None, "14"):
            summary.logins.append((plan.login_label, plan.username, PASSWORD, user.owner_label))


def _create_consultants(plans: list[SupplierPlan], suppliers: dict[int, Supplier]) -> int:
    professions = {p.code: p for p in Profession.objects.all()}
    competences = {c.code: c for c in Competence.objects.all()}
    rows = [
        Consultant(
            supplier=suppliers[plan.number],
            first_name=c.first_name,
            last_name=c.last_name,
            profession=professions[c.profession],
            competence=competences[c.competence],
            licence_number=c.licence_number,
            licensed_on=c.licensed_on,
            specialist_since=c.specialist_since,
            hlr_trained_on=c.hlr_trained_on,
        )
        for plan in plans
        for c in plan.consultants
    ]
    Consultant.objects.bulk_create(rows, batch_size=BATCH_SIZE)
    return len(rows)


# Regions whose ledger closes later: their last complete month is not imported yet, so their
# dashboards show it as preliminary, from Hyrkoll's approved invoices and time (followup.preliminary).
LEDGER_LAG_MONTHS = {"14": 1}


def _imported(row: CostRow, last_month: datetime.date) -> bool:
    lag = LEDGER_LAG_MONTHS.get(row.region_code, 0)
    return not lag or (row.period.year * 12 + row.period.month) <= (
        last_month.year * 12 + last_month.month - lag
    )


def _create_costs(seed: int, regions: list[Region], today: datetime.date) -> int:
    by_code = {region.code: region for region in regions}
    last_month = last_complete_month(today)
    rows = (
        CostEntry(
            region=by_code[row.region_code],
            period=row.period,
            cost_type=row.cost_type,
            profession=row.profession,
            care_area=row.care_area,
            amount_sek=row.amount_sek,
            source=SOURCE,
        )
        for row in cost_rows(random.Random(f"{seed}-costs"), sorted(by_code), today)
        if _imported(row, last_month)
    )
    total = 0
    while batch := list(islice(rows, BATCH_SIZE)):
        CostEntry.objects.bulk_create(batch)
        total += len(batch)
    return total


def _validate_sample(
    plan: DemoPlan, suppliers: dict[int, Supplier], units: dict[tuple[str, str], OrgUnit]
) -> None:
    """Run the models' own validation on a sample (the plan is valid by construction; this guards it)."""
    for supplier in list(suppliers.values())[:5]:
        supplier.full_clean()
    for region_code, organisation in plan.organisations.items():
        seen: set[str] = set()
        for unit in organisation.units:
            if unit.kind not in seen:
                seen.add(unit.kind)
                units[region_code, unit.code].full_clean()
