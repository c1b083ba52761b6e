"""The call-off unit's internal search and the approvers' and steering group's decisions, through
the need's page."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from hyrkoll.accounts.models import DecisionLevel
from hyrkoll.ordering import workflow
from hyrkoll.ordering.models import CallOff, Decision, InternalAttempt, Need, NeedStatus
from hyrkoll.ordering.tests.conftest import make_need
from hyrkoll.pool.models import PoolMember
from hyrkoll.rules.models import RegionRule


def submitted_need(flow: dict[str, Any], **overrides: Any) -> Need:
    need = workflow.save_draft(flow["orderer_a"], make_need(flow, **overrides))
    return workflow.submit(flow["orderer_a"], need)


def awaiting_need(flow: dict[str, Any], **overrides: Any) -> Need:
    need = submitted_need(flow, **overrides)
    workflow.exhaust_internal(flow["call_off_unit"], need, "Poolen tillfrågad")
    return need


def messages_of(response: Any) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def test_call_off_unit_records_attempts_and_exhausts(client: Client, flow: dict[str, Any]) -> None:
    need = submitted_need(flow)
    member = PoolMember.objects.create(
        region=flow["region_a"], first_name="Pia", last_name="Pool", profession=need.profession,
        level=need.level, available_from=need.starts_on,
    )  # fmt: skip
    client.force_login(flow["call_off_unit"])
    page = client.get(reverse("ordering:need_detail", args=[need.pk]))
    assert list(page.context["pool_members"]) == [member]
    assert "Pia Pool" in page.content.decode()

    url = reverse("ordering:need_attempt", args=[need.pk])
    client.post(url, {"pool_member": member.pk, "outcome": "not_available", "note": "Semester"})
    client.post(url, {"description": "Grannenheten", "outcome": "declined"})
    response = client.post(url, {"outcome": "declined"}, follow=True)  # names no alternative
    assert messages_of(response)
    assert InternalAttempt.objects.filter(need=need).count() == 2

    response = client.post(reverse("ordering:need_exhaust", args=[need.pk]), {"reason": " "}, follow=True)
    need.refresh_from_db()
    assert need.status == NeedStatus.INTERNAL_SEARCH
    client.post(reverse("ordering:need_exhaust", args=[need.pk]), {"reason": "Poolen och grannar frågade"})
    need.refresh_from_db()
    assert need.status == NeedStatus.AWAITING_APPROVAL
    assert need.required_level == DecisionLevel.DEPARTMENT_HEAD
    page = client.get(reverse("ordering:need_detail", args=[need.pk]))
    assert page.context["rule_text"]
    assert not page.context["may_search_internally"]


def test_others_may_not_record_attempts(client: Client, flow: dict[str, Any]) -> None:
    need = submitted_need(flow)
    client.force_login(flow["orderer_a"])
    page = client.get(reverse("ordering:need_detail", args=[need.pk]))
    assert not page.context["may_search_internally"]
    client.post(reverse("ordering:need_attempt", args=[need.pk]), {"description": "x", "outcome": "declined"})
    client.post(reverse("ordering:need_exhaust", args=[need.pk]), {"reason": "x"})
    need.refresh_from_db()
    assert need.status == NeedStatus.INTERNAL_SEARCH
    assert not InternalAttempt.objects.exists()


def test_filled_internally(client: Client, flow: dict[str, Any]) -> None:
    need = submitted_need(flow)
    client.force_login(flow["call_off_unit"])
    client.post(
        reverse("ordering:need_attempt", args=[need.pk]), {"description": "Resursteamet", "outcome": "filled"}
    )
    need.refresh_from_db()
    assert need.status == NeedStatus.FILLED_INTERNALLY


def test_approver_below_the_level_sees_no_form_and_is_refused(client: Client, flow: dict[str, Any]) -> None:
    RegionRule.objects.create(
        region=flow["region_a"], name="Långa avrop", kind="decision_level",
        decision_level=DecisionLevel.AREA_MANAGER, valid_from=datetime.date(2024, 1, 1),
    )  # fmt: skip
    need = awaiting_need(flow)
    assert need.required_level == DecisionLevel.AREA_MANAGER
    client.force_login(flow["verksamhetschef"])
    page = client.get(reverse("ordering:need_detail", args=[need.pk]))
    assert not page.context["may_decide"]
    assert reverse("ordering:need_decide", args=[need.pk]) not in page.content.decode()
    response = client.post(
        reverse("ordering:need_decide", args=[need.pk]), {"outcome": "approve", "reason": "Ok"}, follow=True
    )
    assert any("level" in m or "nivå" in m for m in messages_of(response))
    need.refresh_from_db()
    assert need.status == NeedStatus.AWAITING_APPROVAL
    assert not Decision.objects.exists()

    client.force_login(flow["omradeschef"])
    page = client.get(reverse("ordering:need_detail", args=[need.pk]))
    assert page.context["may_decide"]
    assert reverse("ordering:need_decide", args=[need.pk]) in page.content.decode()


def test_approval_publishes_the_call_off(client: Client, flow: dict[str, Any]) -> None:
    need = awaiting_need(flow)
    client.force_login(flow["verksamhetschef"])
    url = reverse("ordering:need_decide", args=[need.pk])
    client.post(url, {"outcome": "approve", "reason": ""})  # a reason is required
    need.refresh_from_db()
    assert need.status == NeedStatus.AWAITING_APPROVAL
    client.post(url, {"outcome": "approve", "reason": "Vakans, inga interna alternativ"})
    need.refresh_from_db()
    assert need.status == NeedStatus.PUBLISHED
    call_off = CallOff.objects.get(need=need)
    assert call_off.recipients.count() == 2
    page = client.get(reverse("ordering:need_detail", args=[need.pk]))
    assert page.context["call_off"] == call_off
    assert page.context["call_off"].recipient_count == 2


def test_publishing_a_published_need_again_is_refused_with_a_message(
    client: Client, flow: dict[str, Any]
) -> None:
    """It answered 500 (the need's one call-off already existed) before the status was checked."""
    need = awaiting_need(flow)
    client.force_login(flow["verksamhetschef"])
    client.post(reverse("ordering:need_decide", args=[need.pk]), {"outcome": "approve", "reason": "Vakans"})
    client.force_login(flow["call_off_unit"])
    response = client.post(reverse("ordering:need_publish", args=[need.pk]), follow=True)
    assert response.status_code == 200
    assert any(m.level_tag == "error" for m in response.context["messages"])
    assert CallOff.objects.filter(need=need).count() == 1


def test_return_to_the_orderer(client: Client, flow: dict[str, Any]) -> None:
    need = awaiting_need(flow)
    client.force_login(flow["verksamhetschef"])
    client.post(
        reverse("ordering:need_decide", args=[need.pk]), {"outcome": "return", "reason": "Kortare period"}
    )
    need.refresh_from_db()
    assert need.status == NeedStatus.RETURNED
    client.force_login(flow["orderer_a"])
    page = client.get(reverse("ordering:need_detail", args=[need.pk]))
    assert page.context["may_edit"] and page.context["may_submit"]


def outside_need(flow: dict[str, Any]) -> Need:
    return submitted_need(
        flow,
        outside_agreement=True,
        outside_supplier_name="Dyr Bemanning AB",
        outside_hourly_price_sek=Decimal(2500),
        outside_justification="Ingen leverantör kan",
    )


def test_steering_review_then_top_level_decision(client: Client, flow: dict[str, Any]) -> None:
    need = outside_need(flow)
    workflow.exhaust_internal(flow["call_off_unit"], need, "Poolen tillfrågad")
    assert need.status == NeedStatus.STEERING_REVIEW
    client.force_login(flow["steering"])
    page = client.get(reverse("ordering:need_detail", args=[need.pk]))
    assert page.context["may_review"]
    assert page.context["figures"].value_sek > 0
    content = page.content.decode()
    assert "Dyr Bemanning AB" in content
    client.post(
        reverse("ordering:need_steering_review", args=[need.pk]), {"outcome": "approve", "reason": "Ok"}
    )
    need.refresh_from_db()
    assert need.status == NeedStatus.AWAITING_APPROVAL

    client.force_login(flow["hsdirektor"])
    page = client.get(reverse("ordering:need_detail", args=[need.pk]))
    assert page.context["may_decide"]
    client.post(reverse("ordering:need_decide", args=[need.pk]), {"outcome": "approve", "reason": "Ok"})
    need.refresh_from_db()
    assert need.status == NeedStatus.APPROVED
    assert not CallOff.objects.filter(need=need).exists()
    page = client.get(reverse("ordering:need_detail", args=[need.pk]))
    assert not page.context["may_publish"]


def test_threshold_warnings(client: Client, flow: dict[str, Any]) -> None:
    from hyrkoll.agreement.models import AgreementParameter, FrameworkAgreement, ParameterKey

    need = outside_need(flow)
    workflow.exhaust_internal(flow["call_off_unit"], need, "Poolen tillfrågad")
    value = workflow.off_agreement_value(need)
    agreement = (
        FrameworkAgreement.objects.filter(starts_on__lte=need.starts_on).order_by("-starts_on").first()
    )
    parameter, _ = AgreementParameter.objects.update_or_create(
        agreement=agreement, key=ParameterKey.DIRECT_AWARD_THRESHOLD_SEK,
        valid_from=datetime.date(2000, 1, 1), defaults={"value": value / Decimal("0.9")},
    )  # fmt: skip
    AgreementParameter.objects.filter(key=ParameterKey.DIRECT_AWARD_THRESHOLD_SEK).exclude(
        pk=parameter.pk
    ).delete()
    client.force_login(flow["steering"])
    page = client.get(reverse("ordering:need_detail", args=[need.pk]))
    figures = page.context["figures"]
    assert figures.warning and not figures.crosses
    assert 'class="badge warn"' in page.content.decode()
    parameter.value = value / Decimal(2)
    parameter.save()
    page = client.get(reverse("ordering:need_detail", args=[need.pk]))
    assert page.context["figures"].crosses
    assert 'class="error-summary" role="alert"' in page.content.decode()


def test_publish_button_after_failed_publication(client: Client, flow: dict[str, Any]) -> None:
    from hyrkoll.agreement.models import RegionAccession

    accession = RegionAccession.objects.get(region=flow["region_a"])
    accession.acceded_on = timezone.localdate() + datetime.timedelta(days=10)
    accession.save()
    need = awaiting_need(flow)
    client.force_login(flow["verksamhetschef"])
    response = client.post(
        reverse("ordering:need_decide", args=[need.pk]), {"outcome": "approve", "reason": "Ok"}, follow=True
    )
    need.refresh_from_db()
    assert need.status == NeedStatus.APPROVED
    assert any(m.level_tag == "warning" for m in response.context["messages"])

    client.force_login(flow["call_off_unit"])
    page = client.get(reverse("ordering:need_detail", args=[need.pk]))
    assert page.context["may_publish"]
    response = client.post(reverse("ordering:need_publish", args=[need.pk]), follow=True)
    assert any(m.level_tag == "error" for m in response.context["messages"])
    need.refresh_from_db()
    assert need.status == NeedStatus.APPROVED
    accession.acceded_on = datetime.date(2024, 3, 1)
    accession.save()
    client.post(reverse("ordering:need_publish", args=[need.pk]))
    need.refresh_from_db()
    assert need.status == NeedStatus.PUBLISHED


def test_exhausting_with_an_unasked_full_match_needs_a_reason(client: Client, flow: dict[str, Any]) -> None:
    """A pool member of the need's competence free for the whole period, never asked: the internal
    search closes only with a reason for not asking; one of another competence is not listed."""
    from hyrkoll.agreement.models import Competence

    need = submitted_need(flow)
    full = PoolMember.objects.create(
        region=flow["region_a"], first_name="Hel", last_name="Period", profession=need.profession,
        level=need.level, competence=need.competence, available_from=need.starts_on - datetime.timedelta(days=5),
    )  # fmt: skip
    PoolMember.objects.create(
        region=flow["region_a"], first_name="Del", last_name="Period", profession=need.profession,
        level=need.level, competence=need.competence, available_from=need.starts_on,
        available_to=need.ends_on - datetime.timedelta(days=10),
    )  # fmt: skip
    other = Competence.objects.filter(profession=need.profession, level=need.level).exclude(
        pk=need.competence_id
    )
    if other.exists():
        PoolMember.objects.create(
            region=flow["region_a"], first_name="Annan", last_name="Kompetens", profession=need.profession,
            level=need.level, competence=other.first(), available_from=need.starts_on,
        )  # fmt: skip
    client.force_login(flow["call_off_unit"])
    page = client.get(reverse("ordering:need_detail", args=[need.pk]))
    names = {str(member) for member in page.context["pool_members"]}
    assert names == {"Hel Period", "Del Period"}
    assert page.context["unasked_matches"] == [full]

    url = reverse("ordering:need_exhaust", args=[need.pk])
    response = client.post(url, {"reason": "Poolen tillfrågad"})
    need.refresh_from_db()
    assert response.status_code == 200 and need.status == NeedStatus.INTERNAL_SEARCH
    assert 'id="exhaust_override_reason_error"' in response.content.decode()

    client.post(
        url, {"reason": "Poolen tillfrågad", "override_reason": "Hel Period är inskriven på annan enhet"}
    )
    need.refresh_from_db()
    assert need.status == NeedStatus.AWAITING_APPROVAL
    assert "Hel Period är inskriven på annan enhet" in need.internal_outcome


def test_an_attempt_for_the_full_match_lifts_the_safeguard(client: Client, flow: dict[str, Any]) -> None:
    need = submitted_need(flow)
    member = PoolMember.objects.create(
        region=flow["region_a"], first_name="Hel", last_name="Period", profession=need.profession,
        level=need.level, competence=need.competence, available_from=need.starts_on,
    )  # fmt: skip
    client.force_login(flow["call_off_unit"])
    client.post(
        reverse("ordering:need_attempt", args=[need.pk]), {"pool_member": member.pk, "outcome": "declined"}
    )
    client.post(reverse("ordering:need_exhaust", args=[need.pk]), {"reason": "Poolen tillfrågad"})
    need.refresh_from_db()
    assert need.status == NeedStatus.AWAITING_APPROVAL


def test_recorded_decisions_and_failed_checks_read_as_what_happened(
    client: Client, flow: dict[str, Any]
) -> None:
    from django.utils import translation

    from hyrkoll.ordering.models import Decision, DecisionOutcome
    from hyrkoll.ordering.tests.conftest import make_offer

    need = awaiting_need(flow)
    workflow.decide(flow["verksamhetschef"], need, DecisionOutcome.APPROVE, "Vakans")
    with translation.override("en"):
        assert Decision.objects.get(need=need).outcome_label == "Approved"
    with translation.override("sv"):
        assert Decision.objects.get(need=need).outcome_label == "Godkänd"
    call_off = need.call_off
    offer = workflow.submit_offer(
        flow["supplier_user_a"],
        call_off,
        make_offer(flow, licence_number="0000000", hlr_trained_on=datetime.date(2000, 1, 1)),
    )
    assert offer.failed_check_count == 3, list(
        offer.checks.values_list("code", "passed")
    )  # licence, experience, HLR
    client.force_login(flow["call_off_unit"])
    client.cookies["django_language"] = "en"
    assert "Failed 3 checks" in client.get(reverse("ordering:need_detail", args=[need.pk])).content.decode()
