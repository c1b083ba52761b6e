"""Rules of the agreement register, in the model (full_clean/save) and in the database."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from hyrkoll.agreement.models import (
    AgreementExtension,
    CompetenceLevel,
    FrameworkAgreement,
    Price,
    PriceList,
    RegionAccession,
    SubArea,
    Supplier,
    SupplierAdmission,
)
from hyrkoll.lib.orgno import with_check_digit
from hyrkoll.organisation.models import Region

pytestmark = pytest.mark.django_db

D = datetime.date


def _agreement() -> FrameworkAgreement:
    return FrameworkAgreement.objects.get(reference="RS 2022-03983")


def _price_list_state() -> list[tuple[str, Any, Any]]:
    return list(PriceList.objects.order_by("pk").values_list("version", "valid_from", "valid_to"))


def _other_agreement() -> FrameworkAgreement:
    return FrameworkAgreement.objects.create(
        reference="RS 2030-00001",
        name="Ett annat avtal",
        procuring_authority="Region X",
        starts_on=D(2024, 1, 1),
        ends_on=D(2029, 12, 31),
    )


# --- Price lists ------------------------------------------------------------------------------------


def test_an_overlapping_price_list_version_is_refused_on_save() -> None:
    before = _price_list_state()
    price_list = PriceList(
        agreement=_agreement(), version="2025-mid", valid_from=D(2025, 6, 1), valid_to=D(2026, 6, 30)
    )

    with pytest.raises(ValidationError):
        price_list.save()

    assert price_list.pk is None
    assert _price_list_state() == before


@pytest.mark.parametrize(
    ("valid_from", "valid_to"),
    [
        (D(2025, 12, 31), None),  # last day of 2024-demo
        (D(2023, 1, 1), D(2024, 1, 1)),  # first day of 2024-demo
        (D(2030, 1, 1), None),  # inside open-ended 2026-demo
        (D(2023, 1, 1), D(2031, 1, 1)),  # around both
    ],
)
def test_any_overlap_with_an_existing_version_fails_full_clean(valid_from: D, valid_to: D | None) -> None:
    price_list = PriceList(agreement=_agreement(), version="x", valid_from=valid_from, valid_to=valid_to)

    with pytest.raises(ValidationError):
        price_list.full_clean()


def test_an_adjacent_version_after_closing_the_open_one_is_accepted() -> None:
    current = PriceList.objects.get(version="2026-demo")
    current.valid_to = D(2026, 12, 31)
    current.save()

    new = PriceList.objects.create(agreement=_agreement(), version="2027", valid_from=D(2027, 1, 1))

    assert [pl.version for pl in PriceList.objects.in_force(D(2026, 12, 31))] == ["2026-demo"]
    assert [pl.version for pl in PriceList.objects.in_force(D(2027, 1, 1))] == [new.version]


def test_a_version_cannot_end_before_it_starts() -> None:
    before = _price_list_state()
    price_list = PriceList(
        agreement=_other_agreement(), version="bad", valid_from=D(2025, 1, 1), valid_to=D(2024, 12, 31)
    )

    with pytest.raises(ValidationError) as caught:
        price_list.save()

    assert "valid_to" in caught.value.message_dict
    assert _price_list_state() == before


def test_the_database_refuses_a_version_ending_before_it_starts() -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        PriceList.objects.filter(version="2024-demo").update(valid_to=D(2023, 12, 31))

    assert PriceList.objects.get(version="2024-demo").valid_to == D(2025, 12, 31)


def test_another_agreements_price_list_may_overlap() -> None:
    price_list = PriceList(
        agreement=_other_agreement(), version="2025", valid_from=D(2025, 6, 1), valid_to=D(2026, 6, 30)
    )

    price_list.full_clean()
    price_list.save()

    assert PriceList.objects.in_force(D(2026, 1, 1)).count() == 2


def test_a_version_name_is_unique_per_agreement() -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        PriceList.objects.bulk_create(
            [PriceList(agreement=_agreement(), version="2026-demo", valid_from=D(2040, 1, 1))]
        )


# --- Prices -----------------------------------------------------------------------------------------


def _price(**fields: Any) -> Price:
    values: dict[str, Any] = {
        "price_list": PriceList.objects.get(version="2026-demo"),
        "level": CompetenceLevel.objects.get(code="doctor_specialist_a"),
        "zone": 1,
        "hourly_sek": Decimal("1000"),
    }
    values.update(fields)
    return Price(**values)


def test_a_price_list_has_one_price_per_level_and_zone() -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        _price().save()

    assert (
        Price.objects.filter(price_list__version="2026-demo", level__code="doctor_specialist_a", zone=1)
        .get()
        .hourly_sek
        == 1238
    )


@pytest.mark.parametrize(
    ("fields", "field"), [({"zone": 4}, "zone"), ({"hourly_sek": Decimal(0)}, "hourly_sek")]
)
def test_the_database_refuses_a_bad_price(fields: dict[str, Any], field: str) -> None:
    new_list = PriceList.objects.create(agreement=_other_agreement(), version="p", valid_from=D(2024, 1, 1))
    price = _price(price_list=new_list, **fields)

    with pytest.raises(ValidationError) as caught:
        price.full_clean()
    assert field in caught.value.message_dict
    with pytest.raises(IntegrityError), transaction.atomic():
        price.save()

    assert not Price.objects.filter(price_list=new_list).exists()


# --- Suppliers and admissions -----------------------------------------------------------------------


def test_a_supplier_with_a_valid_org_no_passes_full_clean() -> None:
    supplier = Supplier(name="Ny AB", org_no=with_check_digit("556000003"))

    supplier.full_clean()


@pytest.mark.parametrize("org_no", ["556677-8898", "5566778899", "55667-78899", "abcdef-ghij", "556677-889"])
def test_a_bad_org_no_fails_full_clean(org_no: str) -> None:
    supplier = Supplier(name="Fel AB", org_no=org_no)

    with pytest.raises(ValidationError) as caught:
        supplier.full_clean()

    assert "org_no" in caught.value.message_dict


def test_the_database_refuses_a_duplicate_org_no(world: dict[str, Any]) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        Supplier.objects.create(name="Kopia AB", org_no=world["supplier_a"].org_no)

    assert Supplier.objects.filter(org_no=world["supplier_a"].org_no).count() == 1


def test_a_duplicate_org_no_fails_full_clean(world: dict[str, Any]) -> None:
    with pytest.raises(ValidationError) as caught:
        Supplier(name="Kopia AB", org_no=world["supplier_a"].org_no).full_clean()

    assert "org_no" in caught.value.message_dict


@pytest.mark.parametrize(
    ("admitted_on", "exited_on"),
    [(D(2025, 1, 1), None), (D(2020, 1, 1), D(2024, 1, 1)), (D(2020, 1, 1), None)],
)
def test_an_overlapping_admission_fails_full_clean(
    world: dict[str, Any], admitted_on: D, exited_on: D | None
) -> None:
    admission = SupplierAdmission(
        supplier=world["supplier_a"],
        sub_area=SubArea.objects.get(code="doctors"),
        admitted_on=admitted_on,
        exited_on=exited_on,
    )

    with pytest.raises(ValidationError):
        admission.full_clean()


def test_a_later_admission_after_an_exit_is_accepted(world: dict[str, Any]) -> None:
    doctors = SubArea.objects.get(code="doctors")
    SupplierAdmission.objects.filter(supplier=world["supplier_a"], sub_area=doctors).update(
        exited_on=D(2025, 6, 30)
    )
    admission = SupplierAdmission(supplier=world["supplier_a"], sub_area=doctors, admitted_on=D(2025, 7, 1))

    admission.full_clean()
    admission.save()

    assert [sa.code for sa in world["supplier_a"].admitted_sub_areas(D(2025, 7, 1))] == ["doctors"]


def test_admitted_sub_areas_ignores_other_suppliers_admissions(world: dict[str, Any]) -> None:
    doctors = SubArea.objects.get(code="doctors")
    SupplierAdmission.objects.filter(supplier=world["supplier_a"], sub_area=doctors).update(
        exited_on=D(2025, 6, 30)
    )

    assert list(world["supplier_a"].admitted_sub_areas(D(2025, 6, 30))) == [doctors]
    assert list(world["supplier_a"].admitted_sub_areas(D(2025, 7, 1))) == []
    assert list(world["supplier_b"].admitted_sub_areas(D(2025, 7, 1))) == [doctors]
    assert list(world["supplier_b"].admitted_sub_areas(D(2023, 12, 31))) == []


def test_an_admission_to_another_sub_area_does_not_overlap(world: dict[str, Any]) -> None:
    admission = SupplierAdmission(
        supplier=world["supplier_a"], sub_area=SubArea.objects.get(code="nurses"), admitted_on=D(2024, 1, 1)
    )

    admission.full_clean()


def test_the_database_refuses_an_exit_before_the_admission(world: dict[str, Any]) -> None:
    admission = SupplierAdmission(
        supplier=world["supplier_a"],
        sub_area=SubArea.objects.get(code="nurses"),
        admitted_on=D(2025, 1, 1),
        exited_on=D(2024, 12, 31),
    )
    with pytest.raises(ValidationError) as caught:
        admission.full_clean()
    assert "exited_on" in caught.value.message_dict

    with pytest.raises(IntegrityError), transaction.atomic():
        admission.save()

    assert not SupplierAdmission.objects.filter(sub_area__code="nurses").exists()


# --- Accessions, extensions, agreements -------------------------------------------------------------


def test_a_region_has_one_accession_per_sub_area() -> None:
    region, doctors = Region.objects.get(code="14"), SubArea.objects.get(code="doctors")
    RegionAccession.objects.create(region=region, sub_area=doctors, acceded_on=D(2024, 1, 1))

    with pytest.raises(ValidationError):
        RegionAccession(region=region, sub_area=doctors, acceded_on=D(2024, 6, 1)).full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        RegionAccession.objects.create(region=region, sub_area=doctors, acceded_on=D(2024, 6, 1))

    RegionAccession.objects.create(
        region=region, sub_area=SubArea.objects.get(code="nurses"), acceded_on=D(2024, 6, 1)
    )
    RegionAccession.objects.create(
        region=Region.objects.get(code="01"), sub_area=doctors, acceded_on=D(2024, 6, 1)
    )
    assert RegionAccession.objects.count() == 3


def _agreement_with_extension_options(months: int) -> FrameworkAgreement:
    agreement = _agreement()
    agreement.max_extension_months = months
    agreement.save()
    return agreement


@pytest.mark.parametrize("new_end_date", [D(2027, 12, 31), D(2027, 6, 30)])
def test_an_extension_must_end_after_the_agreement(new_end_date: D) -> None:
    extension = AgreementExtension(
        agreement=_agreement_with_extension_options(24), new_end_date=new_end_date, decided_on=D(2027, 1, 1)
    )

    with pytest.raises(ValidationError) as caught:
        extension.full_clean()

    assert "new_end_date" in caught.value.message_dict


def test_an_extension_cannot_go_beyond_the_allowed_months() -> None:
    agreement = _agreement_with_extension_options(24)
    too_long = AgreementExtension(agreement=agreement, new_end_date=D(2030, 1, 1), decided_on=D(2027, 1, 1))
    allowed = AgreementExtension(agreement=agreement, new_end_date=D(2029, 12, 31), decided_on=D(2027, 1, 1))

    with pytest.raises(ValidationError) as caught:
        too_long.full_clean()
    allowed.full_clean()
    allowed.save()

    assert "new_end_date" in caught.value.message_dict
    assert agreement.current_end == D(2029, 12, 31)
    assert agreement.is_in_force(D(2029, 6, 1))


def test_an_agreement_without_extension_options_cannot_be_extended() -> None:
    extension = AgreementExtension(
        agreement=_agreement(), new_end_date=D(2028, 1, 31), decided_on=D(2027, 1, 1)
    )

    with pytest.raises(ValidationError):
        extension.full_clean()


@pytest.mark.parametrize("ends_on", [D(2024, 1, 1), D(2023, 12, 31)])
def test_the_database_refuses_an_agreement_ending_on_or_before_its_start(ends_on: D) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        FrameworkAgreement.objects.create(
            reference="RS bad", name="Fel", procuring_authority="X", starts_on=D(2024, 1, 1), ends_on=ends_on
        )

    assert not FrameworkAgreement.objects.filter(reference="RS bad").exists()
