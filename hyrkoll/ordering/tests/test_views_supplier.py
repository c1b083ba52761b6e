"""The supplier portal: call-offs to the company, offers with a personal identity number, and what
a supplier never sees."""

from __future__ import annotations

import datetime
from typing import Any

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from hyrkoll.consultants.models import Consultant
from hyrkoll.lib.personal_numbers import keyed_hash
from hyrkoll.ordering import workflow
from hyrkoll.ordering.models import CallOff, DecisionOutcome, Offer
from hyrkoll.ordering.tests.conftest import make_need, make_offer

PERSONAL_NUMBER = "19121212-1212"


def published(flow: dict[str, Any]) -> CallOff:
    need = workflow.save_draft(flow["orderer_a"], make_need(flow))
    workflow.submit(flow["orderer_a"], need)
    workflow.exhaust_internal(flow["call_off_unit"], need, "Internt: poolen tillfrågad")
    workflow.decide(flow["verksamhetschef"], need, DecisionOutcome.APPROVE, "Beslutsmotivering X")
    return CallOff.objects.get(need=need)


def offer_post(
    flow: dict[str, Any], consultant_key: str = "consultant_a", **overrides: Any
) -> dict[str, Any]:
    offer = make_offer(flow, consultant_key)
    data = {
        "consultant": offer.consultant.pk,
        "licence_number": offer.licence_number,
        "competence": offer.competence.pk,
        "hlr_trained_on": offer.hlr_trained_on.isoformat(),
        "available_from": offer.available_from.isoformat(),
        "available_to": offer.available_to.isoformat(),
        "references": offer.references,
        "personal_number": "",
    }
    data.update(overrides)
    return data


def test_supplier_sees_the_call_off_and_offers_with_a_personal_number(
    client: Client, flow: dict[str, Any]
) -> None:
    call_off = published(flow)
    client.force_login(flow["supplier_user_a"])
    listing = client.get(reverse("ordering:supplier_call_offs"))
    assert [c.pk for c in listing.context["page"].object_list] == [call_off.pk]
    page = client.get(reverse("ordering:supplier_call_off", args=[call_off.pk]))
    assert page.status_code == 200
    content = page.content.decode()
    assert call_off.need.unit.name in content
    assert "poolen tillfrågad" not in content  # not the internal history
    assert "Beslutsmotivering X" not in content  # nor the decision's reason
    assert "Bemanning B AB" not in content  # nor the other recipients

    form = client.get(reverse("ordering:offer_create", args=[call_off.pk]))
    assert list(form.context["form"].fields["consultant"].queryset) == [flow["consultant_a"]]
    response = client.post(
        reverse("ordering:offer_create", args=[call_off.pk]),
        offer_post(flow, personal_number=PERSONAL_NUMBER),
        follow=True,
    )
    assert response.status_code == 200
    offer = Offer.objects.get()
    assert offer.supplier == flow["supplier_a"]
    assert offer.checks_passed, list(offer.checks.values_list("code", "reason"))
    consultant = Consultant.objects.get(pk=flow["consultant_a"].pk)
    assert consultant.personal_number_hash == keyed_hash(PERSONAL_NUMBER)
    assert "191212121212" not in consultant.personal_number_hash
    assert PERSONAL_NUMBER not in consultant.personal_number_hash
    assert response.context["offer"] == offer


def test_invalid_personal_number_is_a_field_error(client: Client, flow: dict[str, Any]) -> None:
    call_off = published(flow)
    client.force_login(flow["supplier_user_a"])
    response = client.post(
        reverse("ordering:offer_create", args=[call_off.pk]),
        offer_post(flow, personal_number="19121212-1213"),
    )
    assert response.status_code == 200
    assert "personal_number" in response.context["form"].errors
    assert not Offer.objects.exists()
    assert Consultant.objects.get(pk=flow["consultant_a"].pk).personal_number_hash == "hash-consultant_a"


def test_supplier_sees_nothing_of_the_other_suppliers_offer(client: Client, flow: dict[str, Any]) -> None:
    call_off = published(flow)
    other = workflow.submit_offer(flow["supplier_user_b"], call_off, make_offer(flow, "consultant_b"))
    client.force_login(flow["supplier_user_a"])
    assert client.get(reverse("ordering:offer_detail", args=[other.pk])).status_code == 404
    page = client.get(reverse("ordering:supplier_call_off", args=[call_off.pk]))
    assert page.context["offers"] == []
    assert "Bertil" not in page.content.decode()
    form = client.get(reverse("ordering:offer_create", args=[call_off.pk]))
    assert flow["consultant_b"] not in form.context["form"].fields["consultant"].queryset
    response = client.post(
        reverse("ordering:offer_create", args=[call_off.pk]), offer_post(flow, "consultant_b")
    )
    assert "consultant" in response.context["form"].errors
    assert Offer.objects.filter(supplier=flow["supplier_a"]).count() == 0
    # Nor the region's need page.
    assert client.get(reverse("ordering:need_detail", args=[call_off.need_id])).status_code == 404
    client.force_login(flow["supplier_user_b"])
    assert client.get(reverse("ordering:offer_detail", args=[other.pk])).status_code == 200


def test_offer_after_the_deadline_is_refused(client: Client, flow: dict[str, Any]) -> None:
    call_off = published(flow)
    call_off.response_deadline = timezone.now() - datetime.timedelta(minutes=1)
    call_off.save()
    client.force_login(flow["supplier_user_a"])
    response = client.post(
        reverse("ordering:offer_create", args=[call_off.pk]),
        offer_post(flow, personal_number=PERSONAL_NUMBER),
    )
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert not Offer.objects.exists()
    assert Consultant.objects.get(pk=flow["consultant_a"].pk).personal_number_hash == "hash-consultant_a"
    # The form is not offered any more.
    response = client.get(reverse("ordering:offer_create", args=[call_off.pk]))
    assert response.status_code == 302


def test_offer_on_a_closed_call_off_is_refused(client: Client, flow: dict[str, Any]) -> None:
    call_off = published(flow)
    workflow.close_unfilled(flow["call_off_unit"], call_off, "Behovet löst")
    client.force_login(flow["supplier_user_a"])
    response = client.post(reverse("ordering:offer_create", args=[call_off.pk]), offer_post(flow))
    assert response.context["form"].non_field_errors()
    assert not Offer.objects.exists()


def test_region_users_and_unrelated_call_offs(client: Client, flow: dict[str, Any]) -> None:
    call_off = published(flow)
    client.force_login(flow["orderer_a"])
    assert client.get(reverse("ordering:supplier_call_offs")).status_code == 403
    assert client.get(reverse("ordering:offer_create", args=[call_off.pk])).status_code == 403
    # A supplier the call-off was not sent to does not see it.
    call_off.recipients.filter(supplier=flow["supplier_b"]).delete()
    client.force_login(flow["supplier_user_b"])
    assert client.get(reverse("ordering:supplier_call_off", args=[call_off.pk])).status_code == 404
    assert client.get(reverse("ordering:supplier_call_offs")).context["page"].paginator.count == 0


def test_cancelling_a_published_need_shows_what_it_ends_first(client: Client, flow: dict[str, Any]) -> None:
    call_off = published(flow)
    workflow.submit_offer(flow["supplier_user_a"], call_off, make_offer(flow))
    client.force_login(flow["orderer_a"])
    url = reverse("ordering:need_cancel", args=[call_off.need_id])
    page = client.post(url, {"reason": "Egen personal hittad"})
    assert page.status_code == 200
    assert page.context["offer_count"] == 1 and page.context["deadline_open"]
    assert page.context["recipient_count"] == call_off.recipients.count()
    assert page.context["still_to_offer"] == page.context["recipient_count"] - 1
    call_off.refresh_from_db()
    assert call_off.status == "open"
    client.post(url, {"reason": "Egen personal hittad", "confirmed": "True"})
    call_off.refresh_from_db()
    assert call_off.status == "cancelled"
