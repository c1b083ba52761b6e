"""Changes through the Django admin follow the same rules as the app and are audited."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from hyrkoll.accounts.models import User
from hyrkoll.agreement.models import FrameworkAgreement, Price, PriceList, Supplier
from hyrkoll.audit.models import AuditAction, AuditEvent
from hyrkoll.lib.orgno import with_check_digit
from hyrkoll.organisation.models import Municipality

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture
def superuser() -> User:
    return User.objects.create_superuser(
        "root", "root@example.org", "a-long-admin-password", scope="national"
    )


@pytest.fixture
def admin_client(client: Client, superuser: User) -> Client:
    client.force_login(superuser)
    return client


def _events(model: str, action: str | None = None) -> list[AuditEvent]:
    events = AuditEvent.objects.filter(content_type__model=model).order_by("pk")
    return list(events.filter(action=action) if action else events)


def _plain(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return [str(v) for v in value]
    if isinstance(value, bool):
        return "on" if value else ""
    return str(value)


def _form_data(form: Any) -> dict[str, Any]:
    data = {}
    for name in form.fields:
        value = _plain(form[name].value())
        if value != "":
            data[form.add_prefix(name)] = value
    return data


def _change_form_post(response: Any, **changes: Any) -> dict[str, Any]:
    """The POST an unchanged admin change form would send, with ``changes`` applied."""
    assert response.status_code == 200
    data = _form_data(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        data.update(_form_data(formset.management_form))
        for form in formset.forms:
            data.update(_form_data(form))
    data.update(changes)
    return data


def _management(prefix: str) -> dict[str, str]:
    return {
        f"{prefix}-TOTAL_FORMS": "0",
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


# --- Municipality zones -----------------------------------------------------------------------------


def test_changing_a_zone_in_the_admin_is_audited(admin_client: Client, superuser: User) -> None:
    municipality = Municipality.objects.get(code="0180")
    url = reverse("admin:organisation_municipality_change", args=[municipality.pk])

    response = admin_client.post(
        url, _change_form_post(admin_client.get(url), zone="2", zone_source="official")
    )

    assert response.status_code == 302
    municipality.refresh_from_db()
    assert (municipality.zone, municipality.zone_source) == (2, "official")
    [event] = _events("municipality", AuditAction.UPDATE)
    assert event.actor == superuser
    assert event.object_id == str(municipality.pk)
    assert event.before["zone"] == 1
    assert event.after["zone"] == 2
    assert event.before["zone_source"] == "approximation"
    assert event.after["zone_source"] == "official"


@pytest.mark.parametrize("zone", ["5", "0", "x"])
def test_an_invalid_zone_in_the_admin_is_refused(admin_client: Client, zone: str) -> None:
    municipality = Municipality.objects.get(code="0180")
    url = reverse("admin:organisation_municipality_change", args=[municipality.pk])

    response = admin_client.post(url, _change_form_post(admin_client.get(url), zone=zone))

    assert response.status_code == 200
    assert "zone" in response.context["adminform"].form.errors
    municipality.refresh_from_db()
    assert municipality.zone == 1
    assert _events("municipality") == []


def test_a_municipality_cannot_be_moved_to_another_county_in_the_admin(admin_client: Client) -> None:
    municipality = Municipality.objects.get(code="0180")
    url = reverse("admin:organisation_municipality_change", args=[municipality.pk])
    other_region = Municipality.objects.get(code="1480").region_id

    response = admin_client.post(url, _change_form_post(admin_client.get(url), region=str(other_region)))

    assert response.status_code == 200
    assert "region" in response.context["adminform"].form.errors
    municipality.refresh_from_db()
    assert municipality.region.code == "01"


# --- Price lists ------------------------------------------------------------------------------------


def _price_list_add_post(**fields: str) -> dict[str, str]:
    data = {
        "agreement": str(FrameworkAgreement.objects.get(reference="RS 2022-03983").pk),
        "version": "2025-mid",
        "valid_from": "2025-06-01",
        "valid_to": "2026-06-30",
        "note": "",
        **_management("prices"),
        **_management("supplements"),
    }
    data.update(fields)
    return data


def test_an_overlapping_price_list_is_refused_in_the_admin(admin_client: Client) -> None:
    before = list(PriceList.objects.order_by("pk").values_list("version", "valid_from", "valid_to"))

    response = admin_client.post(reverse("admin:agreement_pricelist_add"), _price_list_add_post())

    assert response.status_code == 200
    form = response.context["adminform"].form
    assert form.non_field_errors()
    assert "2026-demo" in " ".join(form.non_field_errors())
    assert list(PriceList.objects.order_by("pk").values_list("version", "valid_from", "valid_to")) == before
    assert _events("pricelist") == []


def test_a_price_list_ending_before_it_starts_is_refused_in_the_admin(admin_client: Client) -> None:
    response = admin_client.post(
        reverse("admin:agreement_pricelist_add"),
        _price_list_add_post(version="bad", valid_from="2030-06-01", valid_to="2030-05-31"),
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.errors
    assert not PriceList.objects.filter(version="bad").exists()


def test_a_price_list_after_the_closed_one_can_be_added_in_the_admin(
    admin_client: Client, superuser: User
) -> None:
    PriceList.objects.filter(version="2026-demo").update(valid_to=D(2026, 12, 31))

    response = admin_client.post(
        reverse("admin:agreement_pricelist_add"),
        _price_list_add_post(version="2027", valid_from="2027-01-01", valid_to=""),
    )

    assert response.status_code == 302
    new = PriceList.objects.get(version="2027")
    assert new.valid_to is None
    [event] = _events("pricelist", AuditAction.CREATE)
    assert event.actor == superuser
    assert event.object_id == str(new.pk)


def test_changing_a_price_in_the_admin_inline_is_audited(admin_client: Client, superuser: User) -> None:
    price_list = PriceList.objects.get(version="2026-demo")
    price = Price.objects.get(price_list=price_list, level__code="nurse_high", zone=3)
    url = reverse("admin:agreement_pricelist_change", args=[price_list.pk])
    page = admin_client.get(url)
    formset = next(i.formset for i in page.context["inline_admin_formsets"] if i.formset.prefix == "prices")
    [index] = [n for n, form in enumerate(formset.forms) if form.instance.pk == price.pk]

    response = admin_client.post(url, _change_form_post(page, **{f"prices-{index}-hourly_sek": "900"}))

    assert response.status_code == 302
    price.refresh_from_db()
    assert price.hourly_sek == Decimal(900)
    assert Price.objects.filter(price_list=price_list).count() == 18
    [event] = _events("price", AuditAction.UPDATE)
    assert event.actor == superuser
    assert event.object_id == str(price.pk)
    assert Decimal(event.before["hourly_sek"]) == Decimal(880)
    assert Decimal(event.after["hourly_sek"]) == Decimal(900)


def test_a_duplicate_price_in_the_admin_inline_is_refused(admin_client: Client) -> None:
    price_list = PriceList.objects.get(version="2026-demo")
    price = Price.objects.get(price_list=price_list, level__code="nurse_high", zone=3)
    url = reverse("admin:agreement_pricelist_change", args=[price_list.pk])
    page = admin_client.get(url)
    data = _change_form_post(page)
    total = int(data["prices-TOTAL_FORMS"])
    data.update(
        {
            "prices-TOTAL_FORMS": str(total + 1),
            f"prices-{total}-level": str(price.level_id),
            f"prices-{total}-zone": "3",
            f"prices-{total}-hourly_sek": "1",
        }
    )

    response = admin_client.post(url, data)

    assert response.status_code == 200
    assert Price.objects.filter(price_list=price_list).count() == 18
    assert Price.objects.get(pk=price.pk).hourly_sek == Decimal(880)
    assert _events("price") == []


# --- Suppliers --------------------------------------------------------------------------------------


def test_deleting_a_supplier_in_the_admin_records_the_state_before(
    admin_client: Client, superuser: User
) -> None:
    org_no = with_check_digit("556000003")
    supplier = Supplier.objects.create(name="Kortlivad AB", org_no=org_no, email="a@kortlivad.example")
    supplier_pk = supplier.pk

    response = admin_client.post(
        reverse("admin:agreement_supplier_delete", args=[supplier_pk]), {"post": "yes"}
    )

    assert response.status_code == 302
    assert not Supplier.objects.filter(pk=supplier_pk).exists()
    [event] = _events("supplier", AuditAction.DELETE)
    assert event.actor == superuser
    assert event.object_id == str(supplier_pk)
    assert event.before["id"] == supplier_pk
    assert event.before["org_no"] == org_no
    assert event.before["name"] == "Kortlivad AB"
    assert event.after is None


def test_a_supplier_with_an_invalid_org_no_is_refused_in_the_admin(admin_client: Client) -> None:
    response = admin_client.post(
        reverse("admin:agreement_supplier_add"),
        {"name": "Fel AB", "org_no": "556677-8898", **_management("admissions")},
    )

    assert response.status_code == 200
    assert "org_no" in response.context["adminform"].form.errors
    assert not Supplier.objects.filter(name="Fel AB").exists()


def test_deleting_a_price_list_in_the_admin_records_the_cascaded_prices(
    admin_client: Client, superuser: User
) -> None:
    price_list = PriceList.objects.get(version="2024-demo")
    price_pks = {str(pk) for pk in price_list.prices.values_list("pk", flat=True)}
    assert len(price_pks) == 18

    response = admin_client.post(
        reverse("admin:agreement_pricelist_delete", args=[price_list.pk]), {"post": "yes"}
    )

    assert response.status_code == 302
    assert not PriceList.objects.filter(pk=price_list.pk).exists()
    [list_event] = _events("pricelist", AuditAction.DELETE)
    assert list_event.before["version"] == "2024-demo"
    price_events = _events("price", AuditAction.DELETE)
    assert {event.object_id for event in price_events} == price_pks
    assert all(event.before["hourly_sek"] for event in price_events)
