"""The automatic checks of an offered consultant: each passes, and fails with the right reason.

Every offer goes through ``workflow.submit_offer`` (which runs the checks and stores one
``OfferCheck`` per check); the assertions read the stored results.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from typing import Any

import pytest
from django.utils import timezone, translation

from hyrkoll.agreement.models import Competence, Profession, RegionAccession, SubArea, SupplierAdmission
from hyrkoll.assignments.models import Assignment, AssignmentStatus
from hyrkoll.consultants.models import (
    ConsultantCredential,
    CredentialSource,
    FormerEmployee,
    LicenceRegisterEntry,
)
from hyrkoll.ordering import workflow
from hyrkoll.ordering.checks import _months_before
from hyrkoll.ordering.models import CallOff, CheckCode, DecisionOutcome, NeedStatus, Offer, OfferCheck
from hyrkoll.ordering.tests.conftest import make_need, make_offer


def publish_need(flow: dict[str, Any], **overrides: Any) -> CallOff:
    """A need of region A taken through the workflow to a published call-off."""
    need = workflow.save_draft(flow["orderer_a"], make_need(flow, **overrides))
    workflow.submit(flow["orderer_a"], need)
    workflow.exhaust_internal(flow["call_off_unit"], need, "Poolen tillfrågad, ingen ledig")
    workflow.decide(flow["verksamhetschef"], need, DecisionOutcome.APPROVE, "Vakans")
    need.refresh_from_db()
    assert need.status == NeedStatus.PUBLISHED
    return need.call_off


def offer_on(
    flow: dict[str, Any], call_off: CallOff, consultant_key: str = "consultant_a", **overrides: Any
) -> Offer:
    user = flow["supplier_user_a" if consultant_key == "consultant_a" else "supplier_user_b"]
    return workflow.submit_offer(user, call_off, make_offer(flow, consultant_key, **overrides))


def result(offer: Offer, code: str) -> OfferCheck:
    return offer.checks.get(code=code)


def assert_fails(offer: Offer, code: str, *fragments: str) -> OfferCheck:
    check = result(offer, code)
    assert not check.passed, (code, check.reason)
    for fragment in fragments:
        assert fragment in check.reason, (fragment, check.reason)
    offer.refresh_from_db()
    assert not offer.checks_passed
    return check


def register_entry(flow: dict[str, Any], key: str = "consultant_a") -> LicenceRegisterEntry:
    return LicenceRegisterEntry.objects.get(licence_number=flow[key].licence_number)


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    """Reasons are stored in the active language; the assertions read the English originals."""
    with translation.override("en"):
        yield


@pytest.fixture
def call_off(flow: dict[str, Any]) -> CallOff:
    return publish_need(flow)


def test_a_complete_verified_consultant_passes_every_check(flow: dict[str, Any], call_off: CallOff) -> None:
    offer = offer_on(flow, call_off)
    assert offer.checks_passed
    assert set(offer.checks.values_list("code", flat=True)) == set(CheckCode.values)
    assert all(check.passed and check.reason == "" for check in offer.checks.all())


# --- complete ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("overrides", "missing"),
    [
        ({"licence_number": ""}, "licence number"),
        ({"hlr_trained_on": None}, "CPR/HLR training date"),
        ({"references": "Chef 1, 070-1111111"}, "two references"),
        ({"references": "Chef 1, 070-1111111\n   \n"}, "two references"),
        ({"competence": None}, "specialist competence"),
    ],
)
def test_incomplete_offer_fails_complete(
    flow: dict[str, Any], call_off: CallOff, overrides: dict[str, Any], missing: str
) -> None:
    offer = offer_on(flow, call_off, **overrides)
    check = assert_fails(offer, CheckCode.COMPLETE, missing)
    assert check.reason.startswith("Missing:")


def test_specialist_competence_is_not_required_for_a_non_specialist_need(flow: dict[str, Any]) -> None:
    call_off = publish_need(flow, competence=Competence.objects.get(code="doctor_licensed"))
    offer = offer_on(flow, call_off, competence=None)
    assert result(offer, CheckCode.COMPLETE).passed


# --- licence -----------------------------------------------------------------------------------------------


def test_licence_not_in_register_nor_verified_fails(flow: dict[str, Any], call_off: CallOff) -> None:
    offer = offer_on(flow, call_off, licence_number="999999")
    assert_fails(offer, CheckCode.LICENCE, "999999", str(flow["competence"]))


def test_offered_competence_at_another_level_fails(flow: dict[str, Any], call_off: CallOff) -> None:
    psychiatry = Competence.objects.get(code="spec_psychiatry")  # specialist group B, the need is A
    offer = offer_on(flow, call_off, competence=psychiatry)
    assert_fails(offer, CheckCode.LICENCE, str(psychiatry), str(call_off.need.level))


def test_verified_credential_with_evidence_passes(flow: dict[str, Any], call_off: CallOff) -> None:
    register_entry(flow).delete()
    today = timezone.localdate()
    ConsultantCredential.objects.create(
        consultant=flow["consultant_a"],
        licence_number=flow["consultant_a"].licence_number,
        profession=Profession.objects.get(code="doctor"),
        competence=flow["competence"],
        licensed_on=today - datetime.timedelta(days=365 * 10),
        specialist_since=today - datetime.timedelta(days=365 * 4),
        source=CredentialSource.EVIDENCE,
        evidence_note="Specialistbevis uppvisat",
        verified_at=timezone.now(),
        verified_by=flow["call_off_unit"],
    )
    offer = offer_on(flow, call_off)
    assert result(offer, CheckCode.LICENCE).passed
    assert result(offer, CheckCode.EXPERIENCE).passed
    assert offer.checks_passed


def test_credential_of_another_consultant_does_not_count(flow: dict[str, Any], call_off: CallOff) -> None:
    entry = register_entry(flow)
    entry.delete()
    ConsultantCredential.objects.create(
        consultant=flow["consultant_b"],
        licence_number=flow["consultant_a"].licence_number,
        profession=Profession.objects.get(code="doctor"),
        competence=flow["competence"],
        licensed_on=entry.licensed_on,
        specialist_since=entry.specialist_since,
        source=CredentialSource.EVIDENCE,
        verified_at=timezone.now(),
    )
    offer = offer_on(flow, call_off)
    assert_fails(offer, CheckCode.LICENCE, flow["consultant_a"].licence_number)


def test_register_row_of_another_region_does_not_count(flow: dict[str, Any], call_off: CallOff) -> None:
    LicenceRegisterEntry.objects.filter(pk=register_entry(flow).pk).update(region=flow["region_b"])
    offer = offer_on(flow, call_off)
    assert_fails(offer, CheckCode.LICENCE, flow["consultant_a"].licence_number)


def test_register_row_for_another_specialty_does_not_count(flow: dict[str, Any], call_off: CallOff) -> None:
    LicenceRegisterEntry.objects.filter(pk=register_entry(flow).pk).update(
        competence=Competence.objects.get(code="spec_cardiology")
    )
    offer = offer_on(flow, call_off)
    assert_fails(offer, CheckCode.LICENCE, flow["consultant_a"].licence_number)


# --- experience ---------------------------------------------------------------------------------------------


def test_specialist_for_less_than_two_years_fails(flow: dict[str, Any], call_off: CallOff) -> None:
    since = call_off.need.starts_on - datetime.timedelta(days=365)
    LicenceRegisterEntry.objects.filter(pk=register_entry(flow).pk).update(specialist_since=since)
    offer = offer_on(flow, call_off)
    assert_fails(offer, CheckCode.EXPERIENCE, str(since), "2 years")
    assert result(offer, CheckCode.LICENCE).passed


def test_specialist_exactly_two_years_before_the_start_passes(
    flow: dict[str, Any], call_off: CallOff
) -> None:
    since = _months_before(call_off.need.starts_on, 24)
    LicenceRegisterEntry.objects.filter(pk=register_entry(flow).pk).update(specialist_since=since)
    assert result(offer_on(flow, call_off), CheckCode.EXPERIENCE).passed


def test_licensed_on_counts_for_a_non_specialist_competence(flow: dict[str, Any]) -> None:
    call_off = publish_need(flow, competence=Competence.objects.get(code="doctor_licensed"))
    entry = register_entry(flow)
    # The specialist date is irrelevant for a licensed doctor; only the licence date counts.
    recent = call_off.need.starts_on - datetime.timedelta(days=400)
    LicenceRegisterEntry.objects.filter(pk=entry.pk).update(licensed_on=recent, specialist_since=None)
    offer = offer_on(flow, call_off, competence=None)
    assert result(offer, CheckCode.LICENCE).passed
    assert_fails(offer, CheckCode.EXPERIENCE, "Licensed since", str(recent))

    LicenceRegisterEntry.objects.filter(pk=entry.pk).update(
        licensed_on=call_off.need.starts_on - datetime.timedelta(days=365 * 3)
    )
    offer_b = offer_on(flow, call_off, "consultant_b", competence=None)  # consultant b: 12 years
    assert result(offer_b, CheckCode.EXPERIENCE).passed
    again = workflow.run_checks(offer)
    assert all(r.passed for r in again), again


def test_licensed_nurse_experience(flow: dict[str, Any]) -> None:
    """A registered nurse need (nurses' sub-area) counts the licence date as well."""
    nurses = SubArea.objects.get(code="nurses")
    RegionAccession.objects.create(
        region=flow["region_a"], sub_area=nurses, acceded_on=datetime.date(2024, 3, 1)
    )
    SupplierAdmission.objects.create(
        supplier=flow["supplier_a"], sub_area=nurses, admitted_on=datetime.date(2024, 1, 1)
    )
    nurse = Profession.objects.get(code="nurse")
    registered = Competence.objects.get(code="nurse_registered")
    consultant = flow["consultant_a"]
    consultant.profession = nurse
    consultant.save()
    LicenceRegisterEntry.objects.filter(pk=register_entry(flow).pk).update(
        profession=nurse, competence=None, specialist_since=None,
        licensed_on=timezone.localdate() - datetime.timedelta(days=300),
    )  # fmt: skip
    call_off = publish_need(flow, profession=nurse, competence=registered)
    offer = offer_on(flow, call_off, competence=None)
    assert result(offer, CheckCode.LICENCE).passed
    assert_fails(offer, CheckCode.EXPERIENCE, "Licensed since")


# --- CPR/HLR ----------------------------------------------------------------------------------------------


def test_hlr_older_than_twelve_months_fails(flow: dict[str, Any], call_off: CallOff) -> None:
    stale = timezone.localdate() - datetime.timedelta(days=400)
    offer = offer_on(flow, call_off, hlr_trained_on=stale)
    assert_fails(offer, CheckCode.HLR, str(stale), "12 months")


def test_hlr_exactly_twelve_months_ago_passes(flow: dict[str, Any], call_off: CallOff) -> None:
    offer = offer_on(flow, call_off, hlr_trained_on=_months_before(timezone.localdate(), 12))
    assert result(offer, CheckCode.HLR).passed


def test_hlr_in_the_future_fails(flow: dict[str, Any], call_off: CallOff) -> None:
    offer = offer_on(flow, call_off, hlr_trained_on=timezone.localdate() + datetime.timedelta(days=5))
    assert_fails(offer, CheckCode.HLR, "future")


# --- karens -------------------------------------------------------------------------------------------------


def _former_employee(flow: dict[str, Any], region_key: str, until: datetime.date) -> FormerEmployee:
    return FormerEmployee.objects.create(
        region=flow[region_key],
        personal_number_hash=flow["consultant_a"].personal_number_hash,
        employed_until=until,
    )


def test_employed_by_the_region_within_twelve_months_fails(flow: dict[str, Any], call_off: CallOff) -> None:
    until = _months_before(call_off.need.starts_on, 12) + datetime.timedelta(days=1)
    _former_employee(flow, "region_a", until)
    offer = offer_on(flow, call_off)
    assert_fails(offer, CheckCode.KARENS, str(until), "12 months")


def test_employed_thirteen_months_before_the_start_passes(flow: dict[str, Any], call_off: CallOff) -> None:
    _former_employee(flow, "region_a", _months_before(call_off.need.starts_on, 13))
    assert result(offer_on(flow, call_off), CheckCode.KARENS).passed


def test_exactly_twelve_months_before_the_start_passes(flow: dict[str, Any], call_off: CallOff) -> None:
    _former_employee(flow, "region_a", _months_before(call_off.need.starts_on, 12))
    assert result(offer_on(flow, call_off), CheckCode.KARENS).passed


def test_another_regions_former_employees_do_not_count(flow: dict[str, Any], call_off: CallOff) -> None:
    _former_employee(flow, "region_b", call_off.need.starts_on - datetime.timedelta(days=30))
    assert result(offer_on(flow, call_off), CheckCode.KARENS).passed


def test_without_a_personal_number_hash_karens_fails(flow: dict[str, Any], call_off: CallOff) -> None:
    consultant = flow["consultant_a"]
    consultant.personal_number_hash = ""
    consultant.save()
    offer = offer_on(flow, call_off)
    assert_fails(offer, CheckCode.KARENS, "personal identity number")


# --- double booking -----------------------------------------------------------------------------------------


def test_overlapping_assignment_fails_and_a_cancelled_one_does_not(flow: dict[str, Any]) -> None:
    first = publish_need(flow)
    assignment = workflow.award(flow["call_off_unit"], offer_on(flow, first))
    # Same consultant, a second need that overlaps the first by a month.
    start = first.need.ends_on - datetime.timedelta(days=30)
    second = publish_need(flow, starts_on=start, ends_on=start + datetime.timedelta(days=60))
    offer = offer_on(flow, second)
    assert_fails(offer, CheckCode.DOUBLE_BOOKING, str(assignment.starts_on), str(assignment.ends_on))

    Assignment.objects.filter(pk=assignment.pk).update(status=AssignmentStatus.CANCELLED)
    failed_at = OfferCheck.objects.get(offer=offer, code=CheckCode.DOUBLE_BOOKING).checked_at
    results = {r.code: r for r in workflow.run_checks(offer)}
    assert results[CheckCode.DOUBLE_BOOKING].passed
    offer.refresh_from_db()
    assert offer.checks_passed
    # The stored result is the latest, in place: one row per check, the clash's reason gone.
    stored = OfferCheck.objects.get(offer=offer, code=CheckCode.DOUBLE_BOOKING)
    assert stored.passed and stored.reason == "" and stored.checked_at > failed_at
    assert OfferCheck.objects.filter(offer=offer).count() == len(results)


def test_adjacent_assignment_is_no_double_booking(flow: dict[str, Any]) -> None:
    first = publish_need(flow)
    workflow.award(flow["call_off_unit"], offer_on(flow, first))
    start = first.need.ends_on + datetime.timedelta(days=1)
    second = publish_need(flow, starts_on=start, ends_on=start + datetime.timedelta(days=60))
    assert result(offer_on(flow, second), CheckCode.DOUBLE_BOOKING).passed


# --- re-checked at award ------------------------------------------------------------------------------------


def test_award_re_runs_the_checks(flow: dict[str, Any], call_off: CallOff) -> None:
    offer = offer_on(flow, call_off)
    assert offer.checks_passed
    stale = timezone.localdate() - datetime.timedelta(days=500)
    Offer.objects.filter(pk=offer.pk).update(hlr_trained_on=stale)
    offer.refresh_from_db()
    with pytest.raises(workflow.WorkflowError, match="CPR/HLR") as error:
        workflow.award(flow["call_off_unit"], offer)
    assert str(stale) in str(error.value)
    assert not Assignment.objects.exists()
    call_off.refresh_from_db()
    call_off.need.refresh_from_db()
    assert call_off.status == "open"
    assert call_off.need.status == NeedStatus.PUBLISHED


def test_the_credential_is_looked_up_once_per_run(flow: dict[str, Any]) -> None:
    """The licence and the experience checks share one look-up of the consultant's credential."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    offer = offer_on(flow, publish_need(flow))
    with CaptureQueriesContext(connection) as queries:
        results = {r.code: r for r in workflow.run_checks(offer)}
    assert results[CheckCode.LICENCE].passed and results[CheckCode.EXPERIENCE].passed
    lookups = [q for q in queries.captured_queries if 'FROM "consultants_consultantcredential"' in q["sql"]]
    assert len(lookups) == 1
    assert not hasattr(offer, "_checks_memo")  # the next run looks again
