"""Shared test fixtures: personas in two regions, two suppliers and the national level.

The reference data (regions, municipalities, agreement, price lists) comes from the data
migrations, so every test database has it.
"""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from hyrkoll.accounts.models import DecisionLevel, Role, RoleAssignment, Scope, User
from hyrkoll.agreement.models import Profession, SubArea, Supplier, SupplierAdmission
from hyrkoll.consultants.models import Consultant
from hyrkoll.organisation.models import CareArea, Municipality, OrgUnit, OrgUnitKind, Region

PASSWORD = "correct-horse-battery-staple"


@pytest.fixture(autouse=True)
def _empty_cache() -> Any:
    """Each test starts with an empty cache, as each run of the app may: a test's rolled-back rows
    give their ids to the next test's rows (SQLite), so a figures version (``figures_cache``) seen in
    one test can come back in the next with other figures behind it."""
    from django.core.cache import cache

    cache.clear()
    yield


def make_user(username: str, *, scope: str, roles: tuple[str, ...] = (), **fields: Any) -> User:
    user = User.objects.create_user(username=username, password=PASSWORD, scope=scope, **fields)
    for role in roles:
        level = DecisionLevel.DEPARTMENT_HEAD if role == Role.APPROVER else None
        RoleAssignment.objects.create(user=user, role=role, decision_level=level)
    return user


def make_unit_tree(region: Region, prefix: str) -> dict[str, OrgUnit]:
    municipality = Municipality.objects.filter(region=region).order_by("code").first()
    administration = OrgUnit.objects.create(
        region=region, kind=OrgUnitKind.ADMINISTRATION, code=f"{prefix}-1", name=f"Förvaltning {prefix}"
    )
    department = OrgUnit.objects.create(
        region=region,
        kind=OrgUnitKind.DEPARTMENT,
        parent=administration,
        code=f"{prefix}-2",
        name=f"Verksamhet {prefix}",
    )
    care_unit = OrgUnit.objects.create(
        region=region,
        kind=OrgUnitKind.CARE_UNIT,
        parent=department,
        code=f"{prefix}-3",
        name=f"Vårdcentral {prefix}",
        municipality=municipality,
        care_area=CareArea.objects.get(code="primary"),
    )
    return {"administration": administration, "department": department, "care_unit": care_unit}


@pytest.fixture
def world(db: Any) -> dict[str, Any]:
    """Region A = Västra Götaland (14), region B = Stockholm (01), suppliers A and B, the nation."""
    region_a, region_b = Region.objects.get(code="14"), Region.objects.get(code="01")
    supplier_a = Supplier.objects.create(name="Bemanning A AB", org_no="556677-8899")
    supplier_b = Supplier.objects.create(name="Bemanning B AB", org_no="556000-0001")
    doctors = SubArea.objects.get(code="doctors")
    for supplier in (supplier_a, supplier_b):
        SupplierAdmission.objects.create(
            supplier=supplier, sub_area=doctors, admitted_on=datetime.date(2024, 1, 1)
        )
    doctor = Profession.objects.get(code="doctor")
    return {
        "region_a": region_a,
        "region_b": region_b,
        "units_a": make_unit_tree(region_a, "A"),
        "units_b": make_unit_tree(region_b, "B"),
        "supplier_a": supplier_a,
        "supplier_b": supplier_b,
        "consultant_a": Consultant.objects.create(
            supplier=supplier_a, first_name="Anna", last_name="Andersson", profession=doctor
        ),
        "consultant_b": Consultant.objects.create(
            supplier=supplier_b, first_name="Bertil", last_name="Berg", profession=doctor
        ),
        "admin_a": make_user("admin.a", scope=Scope.REGION, region=region_a, roles=(Role.REGION_ADMIN,)),
        "admin_b": make_user("admin.b", scope=Scope.REGION, region=region_b, roles=(Role.REGION_ADMIN,)),
        "orderer_a": make_user("orderer.a", scope=Scope.REGION, region=region_a, roles=(Role.ORDERER,)),
        "supplier_user_a": make_user(
            "supplier.a", scope=Scope.SUPPLIER, supplier=supplier_a, roles=(Role.SUPPLIER_USER,)
        ),
        "supplier_user_b": make_user(
            "supplier.b", scope=Scope.SUPPLIER, supplier=supplier_b, roles=(Role.SUPPLIER_USER,)
        ),
        "coordinator": make_user("coordinator", scope=Scope.NATIONAL, roles=(Role.COORDINATOR,)),
    }
