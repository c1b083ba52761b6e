"""The orderer's pages: the need form, the estimate from the price list, and who may see a need."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.test import Client
from django.urls import reverse
from django.utils import formats, timezone, translation

from hyrkoll.agreement.models import Competence, Profession
from hyrkoll.ordering import workflow
from hyrkoll.ordering.models import Need, NeedStatus
from hyrkoll.ordering.tests.conftest import make_need


def need_post(flow: dict[str, Any], **overrides: Any) -> dict[str, Any]:
    start = timezone.localdate() + datetime.timedelta(days=30)
    data = {
        "unit": flow["units_a"]["care_unit"].pk,
        "profession": Profession.objects.get(code="doctor").pk,
        "competence": flow["competence"].pk,
        "starts_on": start.isoformat(),
        "ends_on": (start + datetime.timedelta(days=90)).isoformat(),
        "hours_per_week": "40",
        "shifts_note": "Dagtid mån–fre",
        "reason": "vacancy",
        "required_skills": "",
    }
    data.update(overrides)
    return data


def login(client: Client, user: Any) -> Client:
    client.force_login(user)
    return client


def test_orderer_creates_a_need_and_sees_the_estimate(client: Client, flow: dict[str, Any]) -> None:
    login(client, flow["orderer_a"])
    response = client.post(reverse("ordering:need_create"), need_post(flow), follow=True)
    assert response.status_code == 200
    need = Need.objects.get()
    assert need.status == NeedStatus.DRAFT
    assert need.created_by == flow["orderer_a"]
    assert response.context["need"] == need
    assert need.estimated_hourly_price_sek is not None and need.estimated_cost_sek > 0
    content = response.content.decode()
    with translation.override("sv"):
        hourly = formats.number_format(need.estimated_hourly_price_sek, 2)
    assert f'<span id="hourly-price">{hourly}</span>' in content
    assert need.price_list.version in content
    assert reverse("ordering:need_submit", args=[need.pk]) in content


def test_need_form_shows_only_units_the_orderer_may_order_for(client: Client, flow: dict[str, Any]) -> None:
    login(client, flow["orderer_a"])
    response = client.get(reverse("ordering:need_create"))
    assert response.status_code == 200
    units = list(response.context["form"].fields["unit"].queryset)
    assert units == [flow["units_a"]["care_unit"]]


def test_end_before_start_is_refused(client: Client, flow: dict[str, Any]) -> None:
    login(client, flow["orderer_a"])
    start = timezone.localdate() + datetime.timedelta(days=30)
    data = need_post(flow, ends_on=(start - datetime.timedelta(days=1)).isoformat())
    response = client.post(reverse("ordering:need_create"), data)
    assert response.status_code == 200
    assert "ends_on" in response.context["form"].errors
    assert not Need.objects.exists()


def test_competence_of_another_profession_is_refused(client: Client, flow: dict[str, Any]) -> None:
    login(client, flow["orderer_a"])
    nurse_competence = Competence.objects.get(code="nurse_registered")
    response = client.post(reverse("ordering:need_create"), need_post(flow, competence=nurse_competence.pk))
    assert response.status_code == 200
    assert "competence" in response.context["form"].errors
    assert not Need.objects.exists()


def test_unit_of_another_region_is_refused(client: Client, flow: dict[str, Any]) -> None:
    login(client, flow["orderer_a"])
    response = client.post(
        reverse("ordering:need_create"), need_post(flow, unit=flow["units_b"]["care_unit"].pk)
    )
    assert response.status_code == 200
    assert "unit" in response.context["form"].errors
    assert not Need.objects.exists()


def test_outside_agreement_needs_its_fields(client: Client, flow: dict[str, Any]) -> None:
    login(client, flow["orderer_a"])
    response = client.post(reverse("ordering:need_create"), need_post(flow, outside_agreement="on"))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert {"outside_supplier_name", "outside_hourly_price_sek", "outside_justification"} <= set(errors)
    assert not Need.objects.exists()


def test_too_long_a_period_is_refused_with_a_message(client: Client, flow: dict[str, Any]) -> None:
    login(client, flow["orderer_a"])
    start = timezone.localdate() + datetime.timedelta(days=30)
    data = need_post(flow, ends_on=(start + datetime.timedelta(days=800)).isoformat())
    response = client.post(reverse("ordering:need_create"), data)
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert not Need.objects.exists()


def test_non_orderers_may_not_create_needs(client: Client, flow: dict[str, Any]) -> None:
    for key in ("admin_a", "call_off_unit", "verksamhetschef", "supplier_user_a", "coordinator"):
        login(client, flow[key])
        assert client.get(reverse("ordering:need_create")).status_code == 403, key
        assert client.post(reverse("ordering:need_create"), need_post(flow)).status_code == 403, key
    assert not Need.objects.exists()


def test_other_region_cannot_open_the_need(client: Client, flow: dict[str, Any]) -> None:
    need = workflow.save_draft(flow["orderer_a"], make_need(flow))
    login(client, flow["admin_b"])
    assert client.get(reverse("ordering:need_detail", args=[need.pk])).status_code == 404
    assert client.post(reverse("ordering:need_submit", args=[need.pk])).status_code == 404
    assert need.pk not in [n.pk for n in client.get(reverse("ordering:needs")).context["page"]]
    login(client, flow["supplier_user_a"])
    assert client.get(reverse("ordering:need_detail", args=[need.pk])).status_code == 404
    login(client, flow["admin_a"])
    assert client.get(reverse("ordering:need_detail", args=[need.pk])).status_code == 200


def test_orderer_of_another_unit_does_not_see_the_need(client: Client, flow: dict[str, Any]) -> None:
    from conftest import make_user
    from hyrkoll.accounts.models import Role, RoleAssignment, Scope
    from hyrkoll.organisation.models import OrgUnit, OrgUnitKind

    need = workflow.save_draft(flow["orderer_a"], make_need(flow))
    units = flow["units_a"]
    other = OrgUnit.objects.create(
        region=flow["region_a"], kind=OrgUnitKind.DEPARTMENT, parent=units["administration"],
        code="A-9", name="Annan verksamhet",
    )  # fmt: skip
    narrow = make_user("orderer.narrow", scope=Scope.REGION, region=flow["region_a"])
    RoleAssignment.objects.create(user=narrow, role=Role.ORDERER, org_unit=other)
    login(client, narrow)
    assert client.get(reverse("ordering:need_detail", args=[need.pk])).status_code == 404
    assert list(client.get(reverse("ordering:need_create")).context["form"].fields["unit"].queryset) == []
    wide = make_user("orderer.dept", scope=Scope.REGION, region=flow["region_a"])
    RoleAssignment.objects.create(user=wide, role=Role.ORDERER, org_unit=units["department"])
    login(client, wide)
    assert client.get(reverse("ordering:need_detail", args=[need.pk])).status_code == 200


def test_edit_submit_and_cancel(client: Client, flow: dict[str, Any]) -> None:
    need = workflow.save_draft(flow["orderer_a"], make_need(flow))
    login(client, flow["orderer_a"])
    url = reverse("ordering:need_edit", args=[need.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, need_post(flow, hours_per_week="20"))
    assert response.status_code == 302
    need.refresh_from_db()
    assert need.hours_per_week == Decimal(20)

    client.post(reverse("ordering:need_submit", args=[need.pk]))
    need.refresh_from_db()
    assert need.status == NeedStatus.INTERNAL_SEARCH
    # No longer a draft: the form is not offered and a change is refused.
    response = client.post(url, need_post(flow, hours_per_week="10"), follow=True)
    need.refresh_from_db()
    assert need.hours_per_week == Decimal(20)

    response = client.post(reverse("ordering:need_cancel", args=[need.pk]), {"reason": ""})
    need.refresh_from_db()
    assert need.status == NeedStatus.INTERNAL_SEARCH
    # The need's page again, the error at the cancel form's field, its summary beside it.
    html = response.content.decode()
    assert response.status_code == 200 and 'id="cancel_reason_error"' in html
    assert html.index('class="error-summary"') > html.index('id="cancel-heading"')
    # A reason first shows the confirmation page (nothing changed yet) …
    page = client.post(reverse("ordering:need_cancel", args=[need.pk]), {"reason": "Löst på annat sätt"})
    need.refresh_from_db()
    assert need.status == NeedStatus.INTERNAL_SEARCH
    assert page.status_code == 200 and "ordering/cancel_confirm.html" in [t.name for t in page.templates]
    assert 'name="confirmed"' in page.content.decode() and "Löst på annat sätt" in page.content.decode()
    # … and the confirmed form cancels.
    client.post(
        reverse("ordering:need_cancel", args=[need.pk]), {"reason": "Löst på annat sätt", "confirmed": "True"}
    )
    need.refresh_from_db()
    assert need.status == NeedStatus.CANCELLED


def test_need_list_filters_by_status(client: Client, flow: dict[str, Any]) -> None:
    draft = workflow.save_draft(flow["orderer_a"], make_need(flow))
    submitted = workflow.submit(flow["orderer_a"], workflow.save_draft(flow["orderer_a"], make_need(flow)))
    login(client, flow["call_off_unit"])
    all_needs = client.get(reverse("ordering:needs")).context["page"].object_list
    assert {n.pk for n in all_needs} == {draft.pk, submitted.pk}
    response = client.get(reverse("ordering:needs"), {"status": "internal_search"})
    assert [n.pk for n in response.context["page"].object_list] == [submitted.pk]
