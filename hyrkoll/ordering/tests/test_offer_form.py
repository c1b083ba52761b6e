"""The supplier's offer form: only consultants who fit the call-off are listed, and what the
consultant's record holds is taken from it instead of typed again."""

from __future__ import annotations

import datetime
from typing import Any

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from hyrkoll.agreement.models import Competence, Profession
from hyrkoll.consultants.models import Consultant
from hyrkoll.ordering.models import Offer
from hyrkoll.ordering.tests.test_views_supplier import offer_post, published


def _consultant(
    flow: dict[str, Any], last_name: str, profession: str, competence: Competence | None
) -> Consultant:
    return Consultant.objects.create(
        supplier=flow["supplier_a"],
        first_name="Test",
        last_name=last_name,
        profession=Profession.objects.get(code=profession),
        competence=competence,
    )


def test_only_consultants_of_the_call_offs_profession_and_level_are_listed(
    client: Client, flow: dict[str, Any]
) -> None:
    call_off = published(flow)
    need = call_off.need
    other_level = Competence.objects.filter(profession=need.profession).exclude(level=need.level).first()
    nurse = Competence.objects.filter(profession__code="nurse").first()
    _consultant(flow, "Sjuksköterska", "nurse", nurse)
    _consultant(flow, "Annannivå", "doctor", other_level)
    no_competence = _consultant(flow, "Utankompetens", "doctor", None)
    flow["consultant_a"].competence = flow["competence"]
    flow["consultant_a"].save()
    client.force_login(flow["supplier_user_a"])
    form = client.get(reverse("ordering:offer_create", args=[call_off.pk])).context["form"]
    listed = set(form.fields["consultant"].queryset)
    assert flow["consultant_a"] in listed and no_competence in listed
    assert {c.last_name for c in listed}.isdisjoint({"Sjuksköterska", "Annannivå"})
    assert set(form.fields["competence"].queryset.values_list("level", flat=True)) == {need.level_id}


def test_the_options_carry_the_record_for_the_prefill_script(client: Client, flow: dict[str, Any]) -> None:
    call_off = published(flow)
    consultant = flow["consultant_a"]
    consultant.competence = flow["competence"]
    consultant.hlr_trained_on = datetime.date(2026, 1, 15)
    consultant.save()
    client.force_login(flow["supplier_user_a"])
    html = client.get(reverse("ordering:offer_create", args=[call_off.pk])).content.decode()
    assert f'data-licence="{consultant.licence_number}"' in html
    assert f'data-competence="{consultant.competence_id}"' in html
    assert 'data-hlr="2026-01-15"' in html
    assert 'data-number-on-file="1"' in html
    assert "offer-prefill.js" in html


def test_empty_fields_are_taken_from_the_consultants_record(client: Client, flow: dict[str, Any]) -> None:
    call_off = published(flow)
    consultant = flow["consultant_a"]
    consultant.competence = flow["competence"]
    consultant.hlr_trained_on = timezone.localdate() - datetime.timedelta(days=30)
    consultant.save()
    client.force_login(flow["supplier_user_a"])
    response = client.post(
        reverse("ordering:offer_create", args=[call_off.pk]),
        offer_post(flow, licence_number="", competence="", hlr_trained_on=""),
    )
    assert response.status_code == 302, response.context["form"].errors
    offer = Offer.objects.get()
    assert offer.licence_number == consultant.licence_number
    assert offer.competence == flow["competence"]
    assert offer.hlr_trained_on == consultant.hlr_trained_on
    assert offer.checks_passed, list(offer.checks.values_list("code", "reason"))


def test_a_record_of_another_level_is_refused_at_the_competence_field(
    client: Client, flow: dict[str, Any]
) -> None:
    call_off = published(flow)
    other_level = (
        Competence.objects.filter(profession=call_off.need.profession)
        .exclude(level=call_off.need.level)
        .first()
    )
    client.force_login(flow["supplier_user_a"])
    response = client.post(
        reverse("ordering:offer_create", args=[call_off.pk]),
        offer_post(flow, competence=other_level.pk),
    )
    assert response.status_code == 200
    assert "competence" in response.context["form"].errors
    assert not Offer.objects.exists()
