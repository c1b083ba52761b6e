"""The agreement register in the app: the coordinator changes it, everyone signed in reads it."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from hyrkoll.agreement.models import (
    AgreementParameter,
    FrameworkAgreement,
    Price,
    PriceList,
    RegionAccession,
    SubArea,
    Supplier,
    SupplierAdmission,
)
from hyrkoll.audit.models import AuditAction, AuditEvent
from hyrkoll.lib.orgno import with_check_digit
from hyrkoll.organisation.models import Municipality

D = datetime.date


def _agreement() -> FrameworkAgreement:
    return FrameworkAgreement.objects.get(reference="RS 2022-03983")


def _events(model: str, action: str | None = None) -> list[AuditEvent]:
    events = AuditEvent.objects.filter(content_type__model=model).order_by("pk")
    return list(events.filter(action=action) if action else events)


def _price_lists() -> list[tuple[str, Any, Any]]:
    return list(PriceList.objects.order_by("pk").values_list("version", "valid_from", "valid_to"))


def _prices() -> list[tuple[int, int, int, Decimal]]:
    return list(Price.objects.order_by("pk").values_list("price_list_id", "level_id", "zone", "hourly_sek"))


def _register_state() -> dict[str, Any]:
    """Everything the change views could touch."""
    agreement = _agreement()
    return {
        "suppliers": list(Supplier.objects.order_by("pk").values_list("name", "org_no")),
        "admissions": list(
            SupplierAdmission.objects.order_by("pk").values_list("supplier_id", "admitted_on")
        ),
        "price_lists": _price_lists(),
        "prices": _prices(),
        "accessions": RegionAccession.objects.count(),
        "parameters": AgreementParameter.objects.count(),
        "agreement": (agreement.name, agreement.ends_on),
        "zones": list(Municipality.objects.order_by("pk").values_list("zone", flat=True)),
        "events": AuditEvent.objects.count(),
    }


# --- Suppliers and admissions -----------------------------------------------------------------------


def test_coordinator_creates_a_supplier_and_the_org_no_is_normalised(
    world: dict[str, Any], client: Client
) -> None:
    org_no = with_check_digit("556000003")
    client.force_login(world["coordinator"])

    response = client.post(
        reverse("agreement:supplier_create"),
        {"name": "Cura Bemanning AB", "org_no": org_no.replace("-", ""), "email": "avrop@cura.example"},
    )

    supplier = Supplier.objects.get(name="Cura Bemanning AB")
    assert response.status_code == 302
    assert response["Location"] == reverse("agreement:supplier_detail", args=[supplier.pk])
    assert supplier.org_no == org_no
    [event] = _events("supplier", AuditAction.CREATE)
    assert event.actor == world["coordinator"]
    assert event.object_id == str(supplier.pk)
    assert event.after["org_no"] == org_no
    assert event.region is None


@pytest.mark.parametrize(
    "org_no",
    [
        pytest.param("556677-8898", id="wrong-check-digit"),
        pytest.param("55667788", id="too-short"),
        pytest.param("ABC", id="not-digits"),
        pytest.param("5566778899", id="duplicate-of-supplier-a-without-dash"),
    ],
)
def test_an_invalid_org_no_is_a_form_error(world: dict[str, Any], client: Client, org_no: str) -> None:
    client.force_login(world["coordinator"])
    before = Supplier.objects.count()

    response = client.post(reverse("agreement:supplier_create"), {"name": "Fel AB", "org_no": org_no})

    assert response.status_code == 200
    assert "org_no" in response.context["form"].errors
    assert Supplier.objects.count() == before
    assert not Supplier.objects.filter(name="Fel AB").exists()
    assert _events("supplier") == []


def test_coordinator_admits_a_supplier_to_a_sub_area(world: dict[str, Any], client: Client) -> None:
    supplier = world["supplier_a"]
    nurses = SubArea.objects.get(code="nurses")
    client.force_login(world["coordinator"])

    response = client.post(
        reverse("agreement:admission_create", args=[supplier.pk]),
        {"sub_area": nurses.pk, "admitted_on": "2025-07-01"},
    )

    assert response.status_code == 302
    admission = SupplierAdmission.objects.get(supplier=supplier, sub_area=nurses)
    assert admission.admitted_on == D(2025, 7, 1)
    assert admission.exited_on is None
    [event] = _events("supplieradmission", AuditAction.CREATE)
    assert event.actor == world["coordinator"]
    assert event.object_id == str(admission.pk)
    assert [sa.code for sa in supplier.admitted_sub_areas(D(2025, 7, 1)).order_by("code")] == [
        "doctors",
        "nurses",
    ]


def test_an_overlapping_admission_is_a_form_error(world: dict[str, Any], client: Client) -> None:
    supplier = world["supplier_a"]
    client.force_login(world["coordinator"])

    response = client.post(
        reverse("agreement:admission_create", args=[supplier.pk]),
        {"sub_area": SubArea.objects.get(code="doctors").pk, "admitted_on": "2025-07-01"},
    )

    assert response.status_code == 200
    assert response.context["form"].errors
    assert SupplierAdmission.objects.filter(supplier=supplier).count() == 1
    assert _events("supplieradmission") == []


def test_an_exit_before_the_admission_is_a_form_error(world: dict[str, Any], client: Client) -> None:
    admission = SupplierAdmission.objects.get(supplier=world["supplier_a"])
    client.force_login(world["coordinator"])

    response = client.post(
        reverse("agreement:admission_edit", args=[admission.pk]),
        {"sub_area": admission.sub_area_id, "admitted_on": "2024-01-01", "exited_on": "2023-12-31"},
    )

    assert response.status_code == 200
    assert "exited_on" in response.context["form"].errors
    admission.refresh_from_db()
    assert admission.exited_on is None


# --- Price lists ------------------------------------------------------------------------------------


def _new_version_post(**overrides: Any) -> dict[str, Any]:
    data = {
        "version": "2027",
        "valid_from": "2027-01-01",
        "valid_to": "",
        "copy_from": PriceList.objects.get(version="2026-demo").pk,
        "note": "Indexerad",
    }
    data.update(overrides)
    return data


def test_coordinator_creates_a_new_price_list_version_copied_from_the_current(
    world: dict[str, Any], client: Client
) -> None:
    old = PriceList.objects.get(version="2026-demo")
    old_prices = {(p.level_id, p.zone): p.hourly_sek for p in old.prices.all()}
    client.force_login(world["coordinator"])

    response = client.post(reverse("agreement:price_list_create"), _new_version_post())

    new = PriceList.objects.get(version="2027")
    assert response.status_code == 302
    assert response["Location"] == reverse("agreement:price_list_detail", args=[new.pk])
    assert new.valid_from == D(2027, 1, 1)
    assert new.valid_to is None
    assert {(p.level_id, p.zone): p.hourly_sek for p in new.prices.all()} == old_prices
    assert len(old_prices) == 18
    assert new.supplements.count() == old.supplements.count()
    travel = new.supplements.get(kind="travel_flat_rate")
    assert sorted(travel.regions.values_list("code", flat=True)) == ["22", "23", "24", "25"]
    old.refresh_from_db()
    assert old.valid_to == D(2026, 12, 31)
    assert old.prices.count() == 18

    [closed] = _events("pricelist", AuditAction.UPDATE)
    assert closed.object_id == str(old.pk)
    assert closed.before["valid_to"] is None
    assert closed.after["valid_to"] == "2026-12-31"
    assert "2027" in closed.reason
    [created] = _events("pricelist", AuditAction.CREATE)
    assert created.object_id == str(new.pk)
    assert created.actor == world["coordinator"]
    assert len(created.after["prices"]) == 18
    assert created.after["prices"]["doctor_specialist_a/zone1"] == "1238.00"
    assert "2026-demo" in created.reason


@pytest.mark.parametrize(
    ("valid_to", "overlapped"), [("", "demo"), ("2025-03-31", "2024-demo")], ids=["open-ended", "bounded"]
)
def test_a_version_overlapping_an_earlier_one_is_refused_and_nothing_changes(
    world: dict[str, Any], client: Client, valid_to: str, overlapped: str
) -> None:
    client.force_login(world["coordinator"])
    before = _register_state()

    response = client.post(
        reverse("agreement:price_list_create"), _new_version_post(valid_from="2025-01-01", valid_to=valid_to)
    )

    assert response.status_code == 200
    [error] = response.context["form"].non_field_errors()
    assert overlapped in error
    assert _register_state() == before
    assert PriceList.objects.get(version="2026-demo").valid_to is None
    assert not PriceList.objects.filter(version="2027").exists()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"version": "2026-demo"}, "version"),
        ({"valid_from": "2027-06-01", "valid_to": "2027-05-31"}, "valid_to"),
        ({"valid_from": "not a date"}, "valid_from"),
    ],
)
def test_the_new_version_form_checks_its_fields(
    world: dict[str, Any], client: Client, overrides: dict[str, Any], field: str
) -> None:
    client.force_login(world["coordinator"])
    before = _register_state()

    response = client.post(reverse("agreement:price_list_create"), _new_version_post(**overrides))

    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert _register_state() == before


def _matrix_post(client: Client, price_list: PriceList, **changes: str) -> dict[str, Any]:
    form = client.get(reverse("agreement:price_list_edit", args=[price_list.pk])).context["form"]
    data = {name: "" if form[name].value() is None else str(form[name].value()) for name in form.fields}
    data.update(changes)
    return data


def test_coordinator_changes_a_price_and_the_change_is_audited(world: dict[str, Any], client: Client) -> None:
    price_list = PriceList.objects.get(version="2026-demo")
    client.force_login(world["coordinator"])
    data = _matrix_post(client, price_list, **{"doctor_specialist_a/zone1": "1300", "reason": "Indexering"})

    response = client.post(reverse("agreement:price_list_edit", args=[price_list.pk]), data)

    assert response.status_code == 302
    prices = {(p.level.code, p.zone): p.hourly_sek for p in price_list.prices.select_related("level")}
    assert prices[("doctor_specialist_a", 1)] == Decimal(1300)
    assert prices[("doctor_specialist_a", 2)] == Decimal(1513)
    assert len(prices) == 18
    [event] = _events("pricelist", AuditAction.UPDATE)
    assert event.actor == world["coordinator"]
    assert event.reason == "Indexering"
    assert event.before["prices"]["doctor_specialist_a/zone1"] == "1238.00"
    assert event.after["prices"]["doctor_specialist_a/zone1"] == "1300.00"
    changed = {
        key for key in event.after["prices"] if event.after["prices"][key] != event.before["prices"][key]
    }
    assert changed == {"doctor_specialist_a/zone1"}


def test_saving_the_prices_unchanged_writes_no_event(world: dict[str, Any], client: Client) -> None:
    price_list = PriceList.objects.get(version="2026-demo")
    client.force_login(world["coordinator"])
    before = _prices()

    response = client.post(
        reverse("agreement:price_list_edit", args=[price_list.pk]),
        _matrix_post(client, price_list, reason="Ingen ändring"),
    )

    assert response.status_code == 302
    assert _prices() == before
    assert _events("pricelist") == []


@pytest.mark.parametrize(
    "changes",
    [
        {"doctor_specialist_a/zone1": "mycket", "reason": "Fel"},
        {"doctor_specialist_a/zone1": "0", "reason": "Fel"},
        {"doctor_specialist_a/zone1": "-5", "reason": "Fel"},
        {"doctor_specialist_a/zone1": "1300", "reason": ""},
    ],
)
def test_a_bad_price_or_missing_reason_is_a_form_error_and_nothing_changes(
    world: dict[str, Any], client: Client, changes: dict[str, str]
) -> None:
    price_list = PriceList.objects.get(version="2026-demo")
    client.force_login(world["coordinator"])
    before = _prices()

    response = client.post(
        reverse("agreement:price_list_edit", args=[price_list.pk]),
        _matrix_post(client, price_list, **changes),
    )

    assert response.status_code == 200
    assert set(response.context["form"].errors) & {"doctor_specialist_a/zone1", "reason"}
    assert _prices() == before
    assert _events("pricelist") == []


# --- Parameters and accessions ----------------------------------------------------------------------


def test_coordinator_records_a_new_parameter_value(world: dict[str, Any], client: Client) -> None:
    agreement = _agreement()
    client.force_login(world["coordinator"])

    response = client.post(
        reverse("agreement:parameter_create", args=[agreement.pk]),
        {"key": "max_call_off_months", "value": "18", "valid_from": "2027-01-01", "source": "Beslut"},
    )

    assert response.status_code == 302
    assert AgreementParameter.value_on(agreement, "max_call_off_months", D(2027, 1, 1)) == 18
    assert AgreementParameter.value_on(agreement, "max_call_off_months", D(2026, 12, 31)) == 12
    assert len(_events("agreementparameter", AuditAction.CREATE)) == 1


def test_a_second_parameter_value_on_the_same_day_is_a_form_error(
    world: dict[str, Any], client: Client
) -> None:
    agreement = _agreement()
    client.force_login(world["coordinator"])
    before = AgreementParameter.objects.count()

    response = client.post(
        reverse("agreement:parameter_create", args=[agreement.pk]),
        {"key": "max_call_off_months", "value": "18", "valid_from": "2024-01-01"},
    )

    assert response.status_code == 200
    assert response.context["form"].errors
    assert AgreementParameter.objects.count() == before
    assert AgreementParameter.value_on(agreement, "max_call_off_months", D(2026, 1, 1)) == 12


def test_coordinator_records_an_accession_once_per_region_and_sub_area(
    world: dict[str, Any], client: Client
) -> None:
    doctors = SubArea.objects.get(code="doctors")
    client.force_login(world["coordinator"])
    data = {"region": world["region_a"].pk, "sub_area": doctors.pk, "acceded_on": "2024-03-01"}

    first = client.post(reverse("agreement:accession_create"), data)
    second = client.post(reverse("agreement:accession_create"), {**data, "acceded_on": "2024-09-01"})

    assert first.status_code == 302
    assert second.status_code == 200
    assert second.context["form"].errors
    accession = RegionAccession.objects.get()
    assert accession.acceded_on == D(2024, 3, 1)
    [event] = _events("regionaccession", AuditAction.CREATE)
    assert event.actor == world["coordinator"]
    assert event.object_id == str(accession.pk)


# --- Who may change ---------------------------------------------------------------------------------


def _change_requests(world: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    agreement = _agreement()
    supplier = world["supplier_a"]
    admission = SupplierAdmission.objects.get(supplier=supplier)
    price_list = PriceList.objects.get(version="2026-demo")
    doctors = SubArea.objects.get(code="doctors")
    return [
        (reverse("agreement:supplier_create"), {"name": "Smyg AB", "org_no": with_check_digit("556000003")}),
        (
            reverse("agreement:supplier_edit", args=[supplier.pk]),
            {"name": "Kapad", "org_no": supplier.org_no},
        ),
        (
            reverse("agreement:admission_create", args=[supplier.pk]),
            {"sub_area": SubArea.objects.get(code="nurses").pk, "admitted_on": "2025-01-01"},
        ),
        (
            reverse("agreement:admission_edit", args=[admission.pk]),
            {"sub_area": doctors.pk, "admitted_on": "2024-01-01", "exited_on": "2024-12-31"},
        ),
        (reverse("agreement:price_list_create"), _new_version_post()),
        (
            reverse("agreement:price_list_edit", args=[price_list.pk]),
            {"doctor_specialist_a/zone1": "1", "reason": "x"},
        ),
        (reverse("agreement:zone_import"), {"file": ""}),
        (
            reverse("agreement:accession_create"),
            {"region": world["region_a"].pk, "sub_area": doctors.pk, "acceded_on": "2024-01-01"},
        ),
        (
            reverse("agreement:parameter_create", args=[agreement.pk]),
            {"key": "karens_months", "value": "1", "valid_from": "2026-01-01"},
        ),
        (
            reverse("agreement:extension_create", args=[agreement.pk]),
            {"new_end_date": "2028-12-31", "decided_on": "2027-01-01"},
        ),
        (
            reverse("agreement:agreement_edit", args=[agreement.pk]),
            {
                "reference": agreement.reference,
                "name": "Kapat",
                "procuring_authority": "X",
                "starts_on": "2024-01-01",
                "ends_on": "2030-12-31",
                "max_extension_months": "0",
            },
        ),
    ]


@pytest.mark.parametrize("persona", ["admin_a", "orderer_a", "supplier_user_a"])
def test_only_the_coordinator_may_change_the_register(
    world: dict[str, Any], client: Client, persona: str
) -> None:
    client.force_login(world[persona])
    before = _register_state()

    for url, data in _change_requests(world):
        assert client.get(url).status_code == 403, url
        assert client.post(url, data).status_code == 403, url

    assert _register_state() == before


def test_the_coordinator_may_open_every_change_page(world: dict[str, Any], client: Client) -> None:
    client.force_login(world["coordinator"])

    for url, _data in _change_requests(world):
        assert client.get(url).status_code == 200, url


# --- Reading ----------------------------------------------------------------------------------------


def _read_urls() -> list[str]:
    price_list = PriceList.objects.get(version="2026-demo")
    supplier = Supplier.objects.order_by("pk").first()
    assert supplier is not None
    return [
        reverse("agreement:overview"),
        reverse("agreement:suppliers"),
        reverse("agreement:suppliers") + "?sub_area=doctors&on=2026-01-01",
        reverse("agreement:suppliers") + "?q=Bemanning&on=not-a-date",
        reverse("agreement:supplier_detail", args=[supplier.pk]),
        reverse("agreement:price_lists"),
        reverse("agreement:price_list_detail", args=[price_list.pk]),
        reverse("agreement:zones"),
        reverse("agreement:zones") + "?region=25",
        reverse("agreement:accessions"),
    ]


@pytest.mark.parametrize("persona", ["admin_a", "orderer_a", "supplier_user_a", "coordinator"])
def test_everyone_signed_in_can_read_the_register(
    world: dict[str, Any], client: Client, persona: str
) -> None:
    client.force_login(world[persona])

    for url in _read_urls():
        assert client.get(url).status_code == 200, url


def test_anonymous_is_sent_to_login(world: dict[str, Any], client: Client) -> None:
    for url in _read_urls():
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("login")), url


def test_the_price_list_page_shows_the_prices(world: dict[str, Any], client: Client) -> None:
    client.force_login(world["orderer_a"])
    price_list = PriceList.objects.get(version="2026-demo")

    response = client.get(reverse("agreement:price_list_detail", args=[price_list.pk]))

    rows = {level.code: prices for level, prices in response.context["rows"]}
    assert rows["doctor_specialist_a"] == [Decimal(1238), Decimal(1513), Decimal(1787)]
    assert rows["nurse_high"] == [Decimal(770), Decimal(824), Decimal(880)]
    assert "2026-demo" in response.content.decode()


def test_the_zone_page_filters_by_region(world: dict[str, Any], client: Client) -> None:
    client.force_login(world["supplier_user_a"])

    response = client.get(reverse("agreement:zones"), {"region": "25"})

    codes = {m.code for m in response.context["municipalities"]}
    assert codes == set(Municipality.objects.filter(region__code="25").values_list("code", flat=True))
    assert len(codes) == 14
    assert "2584" in response.content.decode()


def test_the_supplier_list_filters_by_sub_area_and_date(world: dict[str, Any], client: Client) -> None:
    nurses_only = Supplier.objects.create(name="Syster AB", org_no=with_check_digit("556000003"))
    SupplierAdmission.objects.create(
        supplier=nurses_only, sub_area=SubArea.objects.get(code="nurses"), admitted_on=D(2024, 1, 1)
    )
    SupplierAdmission.objects.filter(supplier=world["supplier_b"]).update(exited_on=D(2025, 6, 30))
    client.force_login(world["orderer_a"])

    def names(**params: str) -> set[str]:
        response = client.get(reverse("agreement:suppliers"), params)
        assert response.status_code == 200
        return {supplier.name for supplier in response.context["suppliers"]}

    assert names() == {"Bemanning A AB", "Bemanning B AB", "Syster AB"}
    assert names(sub_area="doctors", on="2026-01-01") == {"Bemanning A AB"}
    assert names(sub_area="doctors", on="2025-01-01") == {"Bemanning A AB", "Bemanning B AB"}
    assert names(sub_area="nurses") == {"Syster AB"}
    assert names(q="556677") == {"Bemanning A AB"}
