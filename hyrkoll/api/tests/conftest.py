"""Fixtures for the API tests: users of each scope, suppliers, org units and token clients.

The reference data (regions, municipalities, the agreement, price lists) comes from the data
migrations and is present in the test database.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterator

import pytest
from django.core.cache import cache
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from hyrkoll.accounts.models import DecisionLevel, Role, RoleAssignment, Scope, User
from hyrkoll.agreement.models import Competence, Profession, SubArea, Supplier, SupplierAdmission
from hyrkoll.consultants.models import Consultant
from hyrkoll.lib.orgno import with_check_digit
from hyrkoll.organisation.models import CareArea, Municipality, OrgUnit, OrgUnitKind, Region

PASSWORD = "correct horse battery staple"
AGREEMENT_REFERENCE = "RS 2022-03983"


@pytest.fixture(autouse=True)
def _clear_cache() -> Iterator[None]:
    """Throttle counters live in the cache; start every test with a clean slate."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def anon_client() -> APIClient:
    return APIClient()


@pytest.fixture
def client_for() -> Callable[[User], APIClient]:
    """An API client authenticated with the user's token (``Authorization: Token <key>``)."""

    def make(user: User) -> APIClient:
        token, _ = Token.objects.get_or_create(user=user)
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
        return client

    return make


@pytest.fixture
def region_14() -> Region:
    return Region.objects.get(code="14")


@pytest.fixture
def region_01() -> Region:
    return Region.objects.get(code="01")


@pytest.fixture
def supplier_a() -> Supplier:
    return Supplier.objects.create(name="Alfa Bemanning AB", org_no=with_check_digit("556000001"))


@pytest.fixture
def supplier_b() -> Supplier:
    return Supplier.objects.create(name="Beta Vård AB", org_no=with_check_digit("556000002"))


@pytest.fixture
def doctors() -> SubArea:
    return SubArea.objects.get(agreement__reference=AGREEMENT_REFERENCE, code="doctors")


@pytest.fixture
def admissions(supplier_a: Supplier, supplier_b: Supplier, doctors: SubArea) -> dict[str, SupplierAdmission]:
    """A is admitted to doctors without end; B was admitted but exited on 2025-06-30."""
    return {
        "a": SupplierAdmission.objects.create(
            supplier=supplier_a, sub_area=doctors, admitted_on=datetime.date(2024, 1, 1)
        ),
        "b": SupplierAdmission.objects.create(
            supplier=supplier_b,
            sub_area=doctors,
            admitted_on=datetime.date(2024, 1, 1),
            exited_on=datetime.date(2025, 6, 30),
        ),
    }


@pytest.fixture
def region_user(region_14: Region) -> User:
    return User.objects.create_user(
        username="anna.region",
        password=PASSWORD,
        first_name="Anna",
        last_name="Andersson",
        scope=Scope.REGION,
        region=region_14,
    )


@pytest.fixture
def supplier_user(supplier_a: Supplier) -> User:
    return User.objects.create_user(
        username="bo.supplier", password=PASSWORD, scope=Scope.SUPPLIER, supplier=supplier_a
    )


@pytest.fixture
def coordinator() -> User:
    user = User.objects.create_user(username="cecilia.national", password=PASSWORD, scope=Scope.NATIONAL)
    RoleAssignment.objects.create(user=user, role=Role.COORDINATOR)
    return user


@pytest.fixture
def org_units(region_14: Region, region_01: Region) -> dict[str, OrgUnit]:
    """An administration with one care unit in region 14, and an administration in region 01."""
    primary = CareArea.objects.get(code="primary")
    administration_14 = OrgUnit.objects.create(
        region=region_14, kind=OrgUnitKind.ADMINISTRATION, code="VGR-PV", name="Primärvården VGR"
    )
    care_unit_14 = OrgUnit.objects.create(
        region=region_14,
        kind=OrgUnitKind.CARE_UNIT,
        parent=administration_14,
        code="VGR-PV-001",
        name="Vårdcentralen Centrum",
        municipality=Municipality.objects.filter(region=region_14).order_by("code").first(),
        care_area=primary,
    )
    administration_01 = OrgUnit.objects.create(
        region=region_01, kind=OrgUnitKind.ADMINISTRATION, code="SLL-PV", name="Primärvården Stockholm"
    )
    return {"admin_14": administration_14, "care_unit_14": care_unit_14, "admin_01": administration_01}


@pytest.fixture
def region_user_roles(region_user: User, org_units: dict[str, OrgUnit]) -> list[RoleAssignment]:
    return [
        RoleAssignment.objects.create(user=region_user, role=Role.ORDERER),
        RoleAssignment.objects.create(
            user=region_user,
            role=Role.APPROVER,
            decision_level=DecisionLevel.DEPARTMENT_HEAD,
            org_unit=org_units["care_unit_14"],
        ),
    ]


@pytest.fixture
def consultants(supplier_a: Supplier, supplier_b: Supplier) -> dict[str, Consultant]:
    doctor = Profession.objects.get(code="doctor")
    general_medicine = Competence.objects.get(code="spec_general_medicine")
    return {
        "a": Consultant.objects.create(
            supplier=supplier_a,
            first_name="Daniel",
            last_name="Dahl",
            profession=doctor,
            competence=general_medicine,
            licence_number="1234567",
            licensed_on=datetime.date(2010, 6, 1),
            specialist_since=datetime.date(2016, 9, 1),
            hlr_trained_on=datetime.date(2025, 11, 3),
        ),
        "b": Consultant.objects.create(
            supplier=supplier_b, first_name="Eva", last_name="Ek", profession=doctor
        ),
    }
