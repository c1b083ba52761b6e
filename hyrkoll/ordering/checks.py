"""Automatic checks of an offered consultant. Each returns (passed, reason); every failed check is
shown with its reason. Thresholds are the agreement's dated parameters."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from hyrkoll.agreement.models import AgreementParameter, ParameterKey
from hyrkoll.assignments.models import Assignment
from hyrkoll.consultants.models import ConsultantCredential, FormerEmployee, LicenceRegisterEntry
from hyrkoll.lib.dates import shift_months
from hyrkoll.ordering.models import CheckCode, Offer, OfferCheck


@dataclass(frozen=True)
class CheckResult:
    code: str
    passed: bool
    reason: str = ""


def _months_before(day: datetime.date, months: int) -> datetime.date:
    return shift_months(day, -months)


def _parameter(key: str, on: datetime.date, default: int) -> int:
    return int(AgreementParameter.value_in_force(key, on, Decimal(default)))


def check_complete(offer: Offer, on: datetime.date) -> CheckResult:
    missing = []
    if not offer.licence_number:
        missing.append(_("licence number"))
    if offer.hlr_trained_on is None:
        missing.append(_("CPR/HLR training date"))
    references = [line for line in offer.references.splitlines() if line.strip()]
    if len(references) < 2:
        missing.append(_("two references"))
    if offer.call_off.need.competence.requires_specialist_certificate and offer.competence_id is None:
        missing.append(_("specialist competence"))
    if missing:
        return CheckResult(
            CheckCode.COMPLETE, False, _("Missing: %(fields)s.") % {"fields": ", ".join(missing)}
        )
    return CheckResult(CheckCode.COMPLETE, True)


def _verified_credential(offer: Offer) -> ConsultantCredential | LicenceRegisterEntry | None:
    """The consultant's credential: a verified record, or a row of the region's register extract.
    Looked up once per :func:`run_checks` (the licence and the experience checks both use it)."""
    memo = getattr(offer, "_checks_memo", None)
    if memo is not None and "credential" in memo:
        return memo["credential"]
    credential = _credential(offer)
    if memo is not None:
        memo["credential"] = credential
    return credential


def _credential(offer: Offer) -> ConsultantCredential | LicenceRegisterEntry | None:
    need = offer.call_off.need
    credentials = ConsultantCredential.objects.filter(
        consultant=offer.consultant, licence_number=offer.licence_number, profession=need.profession
    )
    # A register row counts only for the person it names: a valid licence number alone is not
    # enough (it could be someone else's).
    register = LicenceRegisterEntry.objects.filter(
        region=need.region,
        licence_number=offer.licence_number,
        profession=need.profession,
        first_name__iexact=offer.consultant.first_name,
        last_name__iexact=offer.consultant.last_name,
    )
    if need.competence.requires_specialist_certificate:
        credentials = credentials.filter(competence=need.competence)
        register = register.filter(competence=need.competence)
    return credentials.order_by("-verified_at").first() or register.order_by("-imported_at").first()


def check_licence(offer: Offer, on: datetime.date) -> CheckResult:
    if not offer.licence_number:
        return CheckResult(CheckCode.LICENCE, False, _("No licence number."))
    need = offer.call_off.need
    if offer.competence_id is not None and offer.competence.level_id != need.level_id:
        return CheckResult(
            CheckCode.LICENCE,
            False,
            _("The offered competence %(offered)s is not at the requested level %(level)s.")
            % {"offered": offer.competence, "level": need.level},
        )
    if _verified_credential(offer) is None:
        if need.competence.requires_specialist_certificate:
            reason = _("Licence %(number)s with specialist competence %(competence)s is not verified.")
        else:
            reason = _("Licence %(number)s as %(profession)s is not verified.")
        return CheckResult(
            CheckCode.LICENCE,
            False,
            reason
            % {"number": offer.licence_number, "competence": need.competence, "profession": need.profession},
        )
    return CheckResult(CheckCode.LICENCE, True)


def check_experience(offer: Offer, on: datetime.date) -> CheckResult:
    credential = _verified_credential(offer)
    if credential is None:
        return CheckResult(CheckCode.EXPERIENCE, False, _("No verified licence to count experience from."))
    years = _parameter(ParameterKey.MIN_EXPERIENCE_YEARS, on, 2)
    need = offer.call_off.need
    specialist = need.competence.requires_specialist_certificate
    since = credential.specialist_since if specialist else credential.licensed_on
    if since is None:
        return CheckResult(
            CheckCode.EXPERIENCE, False, _("The date of the specialist certificate is unknown.")
        )
    latest_allowed = _months_before(need.starts_on, 12 * years)
    if since > latest_allowed:
        if specialist:
            reason = _("Specialist since %(date)s: less than %(years)d years before the start.")
        else:
            reason = _("Licensed since %(date)s: less than %(years)d years before the start.")
        return CheckResult(CheckCode.EXPERIENCE, False, reason % {"date": since, "years": years})
    return CheckResult(CheckCode.EXPERIENCE, True)


def check_hlr(offer: Offer, on: datetime.date) -> CheckResult:
    if offer.hlr_trained_on is None:
        return CheckResult(CheckCode.HLR, False, _("No CPR/HLR training date."))
    months = _parameter(ParameterKey.HLR_VALID_MONTHS, on, 12)
    if offer.hlr_trained_on < _months_before(on, months):
        return CheckResult(
            CheckCode.HLR,
            False,
            _("CPR/HLR training on %(date)s is more than %(months)d months ago.")
            % {"date": offer.hlr_trained_on, "months": months},
        )
    if offer.hlr_trained_on > on:
        return CheckResult(CheckCode.HLR, False, _("The CPR/HLR training date is in the future."))
    return CheckResult(CheckCode.HLR, True)


def check_karens(offer: Offer, on: datetime.date) -> CheckResult:
    digest = offer.consultant.personal_number_hash
    if not digest:
        return CheckResult(
            CheckCode.KARENS,
            False,
            _("No personal identity number given: the cooling-off cannot be checked."),
        )
    need = offer.call_off.need
    months = _parameter(ParameterKey.KARENS_MONTHS, on, 12)
    boundary = _months_before(need.starts_on, months)
    employment = (
        FormerEmployee.objects.filter(
            region=need.region, personal_number_hash=digest, employed_until__gt=boundary
        )
        .order_by("-employed_until")
        .first()
    )
    if employment is not None:
        return CheckResult(
            CheckCode.KARENS,
            False,
            _("Employed by the region until %(date)s: less than %(months)d months before the start.")
            % {"date": employment.employed_until, "months": months},
        )
    return CheckResult(CheckCode.KARENS, True)


def check_double_booking(offer: Offer, on: datetime.date) -> CheckResult:
    need = offer.call_off.need
    clash = (
        Assignment.objects.overlapping(need.starts_on, need.ends_on)
        .filter(consultant=offer.consultant)
        .exclude(Q(call_off=offer.call_off))
        .first()
    )
    if clash is not None:
        return CheckResult(
            CheckCode.DOUBLE_BOOKING,
            False,
            _("Already assigned %(start)s – %(end)s in the same period.")
            % {"start": clash.starts_on, "end": clash.ends_on},
        )
    return CheckResult(CheckCode.DOUBLE_BOOKING, True)


CHECKS: list[Callable[[Offer, datetime.date], CheckResult]] = [
    check_complete,
    check_licence,
    check_experience,
    check_hlr,
    check_karens,
    check_double_booking,
]


def run_checks(offer: Offer, on: datetime.date | None = None) -> list[CheckResult]:
    """Run every check, store the latest result of each and whether the offer passed."""
    on = on or timezone.localdate()
    offer._checks_memo = {}  # for this run only (see _verified_credential)
    try:
        results = [check(offer, on) for check in CHECKS]
    finally:
        del offer._checks_memo
    # One statement for the six (an update_or_create each was 30 of an offer's 83 queries).
    OfferCheck.objects.bulk_create(
        [OfferCheck(offer=offer, code=r.code, passed=r.passed, reason=r.reason) for r in results],
        update_conflicts=True,
        unique_fields=["offer", "code"],
        update_fields=["passed", "reason", "checked_at"],
    )
    offer.checks_passed = all(result.passed for result in results)
    offer.checked_at = timezone.now()
    offer.save(update_fields=["checks_passed", "checked_at"])
    return results
