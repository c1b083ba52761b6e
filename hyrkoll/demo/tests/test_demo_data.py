"""The demo data: calibration against the published figures, validity and determinism.

The generator runs once for the module inside a transaction that is rolled back afterwards, so no
other test module sees the demo data.
"""

from __future__ import annotations

import datetime
import random
from collections import Counter, defaultdict
from collections.abc import Iterator
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.db.models import Count, Sum
from django.utils import timezone
from pytest_django import DjangoDbBlocker

from hyrkoll.accounts.models import ROLES_BY_SCOPE, DecisionLevel, Role, RoleAssignment, Scope, User
from hyrkoll.agreement.models import Price, RegionAccession, Supplier, SupplierAdmission
from hyrkoll.assignments.models import Assignment
from hyrkoll.audit.models import AuditEvent
from hyrkoll.compliance.models import DirectPurchase
from hyrkoll.consultants.models import Consultant, FormerEmployee, LicenceRegisterEntry
from hyrkoll.demo.costs import cost_rows
from hyrkoll.demo.generator import DemoSummary, load_demo_data
from hyrkoll.demo.suppliers import last_non_holiday_friday, plan_suppliers
from hyrkoll.followup.models import CostEntry
from hyrkoll.ordering.models import (
    CallOff,
    CallOffStatus,
    CheckCode,
    DecisionOutcome,
    EventKind,
    Need,
    NeedEvent,
    NeedStatus,
    Offer,
    OfferCheck,
    OfferStatus,
)
from hyrkoll.organisation.models import OrgUnit, OrgUnitKind, Region
from hyrkoll.pool.models import PoolMember
from hyrkoll.rules.models import RegionRule, RuleKind

TODAY = datetime.date(2026, 6, 15)
SEED = 2026
HIRED_BN = {
    2015: 3.9, 2016: 4.6, 2017: 5.2, 2018: 5.4, 2019: 5.6, 2020: 5.8, 2021: 6.3, 2022: 7.9,
    2023: 9.05, 2024: 5.95, 2025: 4.75,
}  # fmt: skip

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(django_db_setup: None, django_db_blocker: DjangoDbBlocker) -> Iterator[DemoSummary]:
    with django_db_blocker.unblock(), transaction.atomic():
        yield load_demo_data(SEED, TODAY)
        transaction.set_rollback(True)


def _yearly(cost_type: str) -> dict[tuple[str, int], Decimal]:
    totals: dict[tuple[str, int], Decimal] = defaultdict(Decimal)
    rows = (
        CostEntry.objects.filter(cost_type=cost_type)
        .values_list("region__code", "period__year")
        .annotate(total=Sum("amount_sek"))
    )
    for region_code, year, total in rows:
        totals[region_code, year] += total
    return totals


def _national(totals: dict[tuple[str, int], Decimal], year: int) -> Decimal:
    return sum((amount for (_code, y), amount in totals.items() if y == year), Decimal(0))


def test_national_hired_totals_match_published_figures(demo: DemoSummary) -> None:
    hired = _yearly("hired")
    for year, target in HIRED_BN.items():
        measured = float(_national(hired, year)) / 1e9
        assert measured == pytest.approx(target, rel=0.02), year
    # Complete months only: June 2026 is not yet over.
    assert CostEntry.objects.latest("period").period == datetime.date(2026, 5, 1)
    assert not CostEntry.objects.exclude(source="demo").exists()


def test_national_shares(demo: DemoSummary) -> None:
    hired, own = _yearly("hired"), _yearly("own")
    expected = {2017: 3.8, 2018: 3.8, 2019: 3.8, 2021: 3.9, 2024: 3.1, 2025: 2.5}
    for year, share in expected.items():
        measured = float(100 * _national(hired, year) / _national(own, year))
        assert measured == pytest.approx(share, abs=0.3), year


def test_regional_colour(demo: DemoSummary) -> None:
    hired, own = _yearly("hired"), _yearly("own")

    def share(code: str, year: int) -> float:
        return float(100 * hired[code, year] / own[code, year])

    for code in ("01", "12", "14"):
        assert share(code, 2024) < 2
    for code in ("22", "23", "25"):
        assert share(code, 2024) > 8
    under_2_in_2025 = {
        code for code in Region.objects.values_list("code", flat=True) if share(code, 2025) < 2
    }
    assert under_2_in_2025 == {"01", "03", "05", "12", "14"}
    # Own cost follows population: Stockholm the largest, Gotland the smallest.
    own_2024 = {code: amount for (code, year), amount in own.items() if year == 2024}
    assert max(own_2024, key=own_2024.__getitem__) == "01"
    assert min(own_2024, key=own_2024.__getitem__) == "09"


def test_doctors_share_of_hired_cost(demo: DemoSummary) -> None:
    def doctors_share(year: int) -> float:
        rows = CostEntry.objects.filter(cost_type="hired", period__year=year)
        doctors = rows.filter(profession="doctor").aggregate(total=Sum("amount_sek"))["total"]
        return float(doctors / rows.aggregate(total=Sum("amount_sek"))["total"])

    assert doctors_share(2016) == pytest.approx(0.75, abs=0.03)
    assert doctors_share(2022) == pytest.approx(0.54, abs=0.03)


def test_care_units_are_valid_and_in_their_region(demo: DemoSummary) -> None:
    care_units = OrgUnit.objects.filter(kind=OrgUnitKind.CARE_UNIT).select_related(
        "municipality", "parent", "region"
    )
    assert 300 <= care_units.count() <= 500
    for unit in care_units:
        assert unit.municipality.region_id == unit.region_id, unit
        assert unit.parent.kind in (OrgUnitKind.AREA, OrgUnitKind.DEPARTMENT), unit
        unit.full_clean()
    per_region = {
        region.code: region.org_units.filter(kind=OrgUnitKind.CARE_UNIT).count()
        for region in Region.objects.all()
    }
    assert per_region["01"] > per_region["14"] > per_region["12"] > per_region["05"] > per_region["09"]
    for region in Region.objects.all():
        administrations = region.org_units.filter(kind=OrgUnitKind.ADMINISTRATION).count()
        assert 1 <= administrations <= 3
        assert set(
            region.org_units.filter(kind=OrgUnitKind.CARE_UNIT).values_list("care_area__code", flat=True)
        ) == {
            "primary",
            "psychiatry",
            "somatic",
        }


def test_every_region_has_every_role_and_decision_level(demo: DemoSummary) -> None:
    region_roles = ROLES_BY_SCOPE[Scope.REGION]
    for region in Region.objects.all():
        assignments = RoleAssignment.objects.filter(user__region=region)
        assert set(assignments.values_list("role", flat=True)) == region_roles, region
        levels = set(assignments.filter(role=Role.APPROVER).values_list("decision_level", flat=True))
        assert levels == set(DecisionLevel.values), region
        assert assignments.filter(role=Role.ORDERER).count() >= 2
        assert assignments.filter(role=Role.ORDERER, org_unit__kind=OrgUnitKind.CARE_UNIT).exists()
    for username in ("vgr.admin", "vgr.bestallare", "vgr.verksamhetschef", "vgr.omradeschef", "vgr.hsdirektor",
                     "vgr.regiondirektor", "vgr.avropsenhet", "vgr.styrgrupp", "vgr.controller", "vgr.lasare"):  # fmt: skip
        user = User.objects.get(username=username)
        assert user.region.code == "14"
        assert user.check_password("hyrkoll-demo")
        assert user.first_name and user.last_name and user.email and user.title
    chief = User.objects.get(username="vgr.verksamhetschef").role_assignments.get()
    assert chief.org_unit.kind == OrgUnitKind.DEPARTMENT
    orderer_unit = User.objects.get(username="vgr.bestallare").role_assignments.get().org_unit
    assert orderer_unit.parent_id == chief.org_unit_id
    assert User.objects.get(username="01.admin").has_role(Role.REGION_ADMIN)
    assert User.objects.get(username="nationell.samordnare").has_role(Role.COORDINATOR)
    assert User.objects.get(username="nationell.lasare").has_role(Role.NATIONAL_READER)
    assert User.objects.get(username="leverantor.1").supplier == Supplier.objects.first()
    for supplier in Supplier.objects.all():
        assert 1 <= supplier.users.count() <= 2
    logins = {username for _role, username, _password, _owner in demo.logins}
    assert {"vgr.admin", "vgr.lasare", "nationell.samordnare", "nationell.lasare", "leverantor.1"} <= logins


def test_suppliers_admissions_and_consultants(demo: DemoSummary) -> None:
    assert 45 <= Supplier.objects.count() <= 65
    assert SupplierAdmission.objects.filter(sub_area__code="doctors").count() == 41
    assert SupplierAdmission.objects.filter(sub_area__code="nurses").count() == 54
    assert SupplierAdmission.objects.filter(exited_on__isnull=False).exists()
    sub_areas: dict[int, set[str]] = defaultdict(set)
    for supplier_id, code in SupplierAdmission.objects.values_list("supplier_id", "sub_area__code"):
        sub_areas[supplier_id].add(code)
    assert set(sub_areas) == set(Supplier.objects.values_list("pk", flat=True))
    first = Supplier.objects.first()
    assert SupplierAdmission.objects.filter(supplier=first).in_force(TODAY).count() == 2
    assert first is not None and first.admitted_sub_areas(TODAY).count() == 2
    consultants = Consultant.objects.values_list("supplier_id", "profession__sub_area_code", "competence__profession_id", "profession_id")  # fmt: skip
    assert 800 <= len(consultants) <= 1300
    for supplier_id, sub_area_code, competence_profession, profession in consultants:
        assert sub_area_code in sub_areas[supplier_id]
        assert competence_profession == profession
    hlr_limit = TODAY - datetime.timedelta(days=365)
    assert Consultant.objects.filter(hlr_trained_on__gte=hlr_limit).count() > len(consultants) * 0.7
    assert Consultant.objects.filter(hlr_trained_on__lt=hlr_limit).exists()
    assert Consultant.objects.filter(competence__requires_specialist_certificate=True, specialist_since__isnull=True).count() == 0  # fmt: skip


def test_accession_dates(demo: DemoSummary) -> None:
    accessions = list(RegionAccession.objects.select_related("region", "sub_area"))
    assert len(accessions) == 42
    assert all(datetime.date(2024, 1, 1) <= a.acceded_on <= datetime.date(2025, 2, 16) for a in accessions)
    assert all(a.note == "demo" for a in accessions)
    first = {
        area: min((a for a in accessions if a.sub_area.code == area), key=lambda a: a.acceded_on).region.code
        for area in ("doctors", "nurses")
    }
    assert first == {"doctors": "08", "nurses": "06"}


def test_second_run_is_refused(demo: DemoSummary) -> None:
    count = Supplier.objects.count()
    with pytest.raises(CommandError, match="already exists"):
        call_command("load_demo_data")
    assert Supplier.objects.count() == count


def test_plan_is_deterministic() -> None:
    def org_numbers(seed: int) -> list[str]:
        return [plan.org_no for plan in plan_suppliers(random.Random(seed), TODAY)]

    assert org_numbers(7) == org_numbers(7)
    assert org_numbers(7) != org_numbers(8)
    assert len(set(org_numbers(7))) == len(org_numbers(7))
    rows_a = list(cost_rows(random.Random(7), ["01", "09"], datetime.date(2016, 1, 1)))
    rows_b = list(cost_rows(random.Random(7), ["01", "09"], datetime.date(2016, 1, 1)))
    assert rows_a == rows_b and len(rows_a) == 2 * 12 * 12


def test_admission_dates_skip_good_friday() -> None:
    # Good Friday 2024 was 29 March, the last Friday of the month.
    assert last_non_holiday_friday(2024, 3) == datetime.date(2024, 3, 22)
    assert last_non_holiday_friday(2025, 3) == datetime.date(2025, 3, 28)
    assert last_non_holiday_friday(2024, 9) == datetime.date(2024, 9, 27)


# --- needs and call-offs (hyrkoll.demo.ordering) ------------------------------------------------------------


def test_every_need_and_call_off_status_occurs(demo: DemoSummary) -> None:
    assert set(Need.objects.values_list("status", flat=True)) == set(NeedStatus.values)
    assert set(CallOff.objects.values_list("status", flat=True)) == set(CallOffStatus.values)
    assert 60 <= Need.objects.count() <= 150
    regions = set(Need.objects.values_list("region__code", flat=True))
    assert {"01", "14", "25"} <= regions and len(regions) >= 5
    for status in NeedStatus.values:
        assert demo.counts[f"needs: {status}"] == Need.objects.filter(status=status).count()
    for status in CallOffStatus.values:
        assert demo.counts[f"call-offs: {status}"] == CallOff.objects.filter(status=status).count()


def test_awarded_at_the_price_list_price(demo: DemoSummary) -> None:
    awarded = Need.objects.filter(status=NeedStatus.AWARDED).select_related("unit__municipality", "level")
    assert awarded.count() >= 10
    for need in awarded:
        assignment = Assignment.objects.select_related("price_list", "offer").get(call_off__need=need)
        assert assignment.price_list.valid_from <= need.starts_on
        assert assignment.price_list.valid_to is None or need.starts_on <= assignment.price_list.valid_to
        price = Price.objects.get(
            price_list=assignment.price_list, level=need.level, zone=need.unit.municipality.zone
        )
        assert assignment.hourly_price_sek == price.hourly_sek == need.estimated_hourly_price_sek, need
        assert assignment.zone == need.unit.municipality.zone
        assert (assignment.starts_on, assignment.ends_on) == (need.starts_on, need.ends_on)
        assert assignment.offer.status == OfferStatus.AWARDED and assignment.offer.checks_passed
        assert need.call_off.offers.filter(status=OfferStatus.SUBMITTED).count() == 0
    # The same consultant was awarded twice at one unit: continuity ranks them first.
    repeated = (
        Assignment.objects.values("consultant", "unit").annotate(n=Count("pk")).filter(n__gte=2).exists()
    )
    assert repeated


def test_offers_pass_and_fail_the_checks(demo: DemoSummary) -> None:
    assert Offer.objects.filter(checks_passed=True).exists()
    assert Offer.objects.filter(checks_passed=False).exists()
    failed = set(OfferCheck.objects.filter(passed=False).values_list("code", flat=True))
    assert {CheckCode.HLR, CheckCode.KARENS, CheckCode.LICENCE, CheckCode.COMPLETE} <= failed
    for offer in Offer.objects.filter(checks_passed=False)[:20]:
        assert offer.checks.filter(passed=False).exclude(reason="").exists()
    for offer in Offer.objects.filter(checks_passed=True)[:20]:
        assert (
            offer.checks.count() == len(CheckCode.values) and not offer.checks.filter(passed=False).exists()
        )


def test_dispensations_and_purchases_outside_the_agreement(demo: DemoSummary) -> None:
    stops = RegionRule.objects.filter(kind=RuleKind.HIRING_STOP)
    assert set(stops.values_list("region__code", flat=True)) >= {"04", "25"}
    assert stops.filter(region__code="04", valid_from=datetime.date(2023, 2, 1)).exists()
    waiting = Need.objects.filter(
        status=NeedStatus.AWAITING_APPROVAL, is_dispensation=True, outside_agreement=False
    )
    assert waiting.filter(region__code="04").exists() and waiting.filter(region__code="25").exists()
    for need in waiting:
        assert need.rule_outcome["hiring_stops"]
        assert need.required_level >= DecisionLevel.HEALTH_DIRECTOR
    # A dispensation from a hiring stop that was granted and awarded.
    assert Need.objects.filter(status=NeedStatus.AWARDED, is_dispensation=True).exists()
    approved = Need.objects.filter(status=NeedStatus.APPROVED)
    assert approved.exists()
    for need in approved:
        assert need.outside_agreement and need.is_dispensation
        assert not CallOff.objects.filter(need=need).exists()
        assert need.decisions.filter(is_steering_review=True, outcome=DecisionOutcome.APPROVE).exists()
        assert need.decisions.filter(
            level__gte=DecisionLevel.HEALTH_DIRECTOR, outcome=DecisionOutcome.APPROVE
        ).exists()
    for region in Region.objects.filter(code__in=["01", "14", "25"]):
        assert RegionRule.objects.filter(region=region, kind=RuleKind.DECISION_LEVEL).count() >= 2
        assert 5 <= PoolMember.objects.filter(region=region).count() <= 25
        assert FormerEmployee.objects.filter(region=region).exists()
        assert LicenceRegisterEntry.objects.filter(region=region).count() > 500


def test_histories_lie_in_the_past_in_order(demo: DemoSummary) -> None:
    now = timezone.now()
    assert not NeedEvent.objects.filter(at__gte=now).exists()
    for need in Need.objects.prefetch_related("events"):
        moments = [event.at for event in sorted(need.events.all(), key=lambda e: e.pk)]
        assert moments == sorted(moments), need
        assert need.created_at == moments[0]
        worked = Assignment.objects.filter(call_off__need=need, time_reports__isnull=False).exists()
        purchased = need.outside_agreement and DirectPurchase.objects.filter(need=need).exists()
        # Only the needs moved back for the invoice and contract-fidelity demos have started.
        if need.starts_on <= timezone.localdate():
            assert worked or purchased, need
        assert need.events.all()[0].kind == EventKind.CREATED
    open_call_offs = CallOff.objects.filter(status=CallOffStatus.OPEN)
    assert open_call_offs.filter(response_deadline__gt=now).exists()
    past = open_call_offs.filter(response_deadline__lte=now)
    assert past.count() == 1
    assert now - past.get().response_deadline < datetime.timedelta(days=3)
    for call_off in CallOff.objects.prefetch_related("offers"):
        for offer in call_off.offers.all():
            assert call_off.published_at < offer.submitted_at < call_off.response_deadline
        if call_off.status in (CallOffStatus.AWARDED, CallOffStatus.UNFILLED):
            assert call_off.closed_at > call_off.response_deadline
        published = call_off.need.events.get(kind=EventKind.PUBLISHED)
        assert published.at == call_off.published_at
        assert timezone.localtime(call_off.response_deadline).strftime("%Y-%m-%d %H:%M") in published.text
    # Every step is in the audit trail too.
    assert AuditEvent.objects.filter(content_type__model="need").count() >= Need.objects.count()
    assert AuditEvent.objects.filter(content_type__model="assignment").count() == Assignment.objects.count()


def test_follow_up_targets_metrics_and_publication(demo: DemoSummary) -> None:
    from hyrkoll.followup.indicators import Period, figures_for
    from hyrkoll.followup.models import MetricKind, RegionTarget, StaffingMetric, TrendPublication

    vasterbotten = dict(RegionTarget.objects.filter(region__code="24").values_list("year", "share_pct"))
    assert vasterbotten == {2025: Decimal("3.70"), 2027: Decimal("2.00")}
    assert RegionTarget.objects.values("region").distinct().count() == 21
    assert TrendPublication.objects.get().through_month == datetime.date(2025, 12, 1)
    last = StaffingMetric.objects.latest("period").period
    assert last == datetime.date(2026, 5, 1)
    assert set(StaffingMetric.objects.filter(period=last).values_list("metric", flat=True)) == set(
        MetricKind.values
    )
    # The pool and overtime costs sit beside hired cost without changing the share.
    figures = figures_for(Period.year(2025)).national
    assert figures.internal_pool_sek > 0 and figures.overtime_sek > 0
    assert Decimal("2.3") < figures.share_pct < Decimal("2.7")


def test_every_region_has_an_action_plan_and_steering_decisions(demo: DemoSummary) -> None:
    from hyrkoll.governance.models import ActionPlan, GoalIndicator, SteeringDecision, SubGoal

    regions = Region.objects.count()
    assert ActionPlan.objects.values("region").distinct().count() == regions
    for plan in ActionPlan.objects.annotate(measure_count=Count("measures")):
        assert 3 <= plan.measure_count <= 7, plan
        goals = SubGoal.objects.filter(plan_measure__plan=plan)
        assert goals.exists(), plan
        assert goals.filter(indicator=GoalIndicator.SHARE_PCT, target_value__isnull=False).exists(), plan
        assert not goals.filter(due_on__lt=plan.starts_on).exists()
        assert not plan.measures.filter(starts_on__lt=plan.starts_on).exists()
    assert SteeringDecision.objects.values("region").distinct().count() == regions
    for decision in SteeringDecision.objects.prefetch_related("needs", "plans"):
        assert all(need.region_id == decision.region_id for need in decision.needs.all())
        assert all(plan.region_id == decision.region_id for plan in decision.plans.all())
    assert SteeringDecision.objects.filter(needs__isnull=False).exists()


def test_invoices_clean_and_with_every_deviation(demo: DemoSummary) -> None:
    from hyrkoll.invoicing.models import DeviationKind, Invoice, InvoiceStatus

    assert demo.counts["invoices"] == Invoice.objects.count() >= 8
    for region in ("14", "01"):
        invoices = Invoice.objects.filter(region__code=region)
        kinds = set(invoices.values_list("deviations__kind", flat=True)) - {None}
        assert kinds == set(DeviationKind.values), region
        clean = invoices.filter(deviations=None)
        assert clean.filter(status=InvoiceStatus.APPROVED).exists()
        assert clean.filter(status=InvoiceStatus.RECEIVED).exists()
        for invoice in clean:
            assert invoice.invoiced_sek == invoice.expected_sek > 0
    # Every invoiced hour of an approved invoice has approved time behind it.
    for invoice in Invoice.objects.filter(status=InvoiceStatus.APPROVED):
        for line in invoice.lines.all():
            assert line.priced_quantity == line.quantity and line.assignment.time_reports.filter(
                status="approved"
            )


def test_a_consultant_returned_to_the_same_unit_and_invoiced(demo: DemoSummary) -> None:
    """Västra Götaland: two assignments in a row at one unit, worked, invoiced and approved (the
    page "Where the hired cost sits" lists the consultant as a candidate for recruitment)."""
    from hyrkoll.assignments.models import Assignment
    from hyrkoll.invoicing.models import Invoice, InvoiceStatus

    today = max(TODAY, timezone.localdate())
    pairs = Counter(
        Assignment.objects.filter(region__code="14", ends_on__lt=today).values_list(
            "consultant_id", "unit_id"
        )
    )
    (consultant, unit), count = pairs.most_common(1)[0]
    assert count == 2
    assignments = Assignment.objects.filter(consultant_id=consultant, unit_id=unit).order_by("starts_on")
    first, second = assignments
    assert second.starts_on == first.ends_on + datetime.timedelta(days=1)
    for assignment in assignments:
        invoice = Invoice.objects.filter(lines__assignment=assignment).distinct().get()
        assert invoice.status == InvoiceStatus.APPROVED and invoice.invoiced_sek == invoice.expected_sek > 0
    assert demo.counts["hours invoiced by a returning consultant"] > 0
