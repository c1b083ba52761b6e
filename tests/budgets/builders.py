"""Row builders for the query budgets: each adds ``count`` rows of what one page lists, for the
scene's region A and supplier A, through the workflow where the rows need it (a call-off, an
award, a time report) and with ``bulk_create`` where they do not."""

from __future__ import annotations

import datetime
import itertools
from typing import Any

from django.utils import timezone

from hyrkoll.agreement.models import Profession
from hyrkoll.consultants.models import Consultant, LicenceRegisterEntry
from hyrkoll.ordering import workflow
from hyrkoll.ordering.models import CallOff, DecisionOutcome, Need
from hyrkoll.ordering.tests.conftest import make_need, make_offer

Scene = dict[str, Any]
_serial = itertools.count(1)


def consultant(scene: Scene) -> Consultant:
    """A new consultant of supplier A who passes every check (licence in region A's register)."""
    n = next(_serial)
    doctor = Profession.objects.get(code="doctor")
    person = Consultant.objects.create(
        supplier=scene["supplier_a"],
        first_name=f"Konsult{n}",
        last_name="Budget",
        profession=doctor,
        licence_number=f"9{n:05d}",
        personal_number_hash=f"hash-budget-{n}",
    )
    today = timezone.localdate()
    LicenceRegisterEntry.objects.create(
        region=scene["region_a"],
        licence_number=person.licence_number,
        first_name=person.first_name,
        last_name=person.last_name,
        profession=doctor,
        competence=scene["competence"],
        licensed_on=today - datetime.timedelta(days=365 * 12),
        specialist_since=today - datetime.timedelta(days=365 * 5),
    )
    return person


def draft_needs(scene: Scene, count: int) -> list[Need]:
    return [workflow.save_draft(scene["orderer_a"], make_need(scene)) for _ in range(count)]


def published(scene: Scene, count: int) -> list[CallOff]:
    """``count`` needs of region A taken through the workflow to published call-offs."""
    call_offs = []
    for need in draft_needs(scene, count):
        workflow.submit(scene["orderer_a"], need)
        workflow.exhaust_internal(scene["call_off_unit"], need, "Poolen tillfrågad, ingen ledig")
        workflow.decide(scene["verksamhetschef"], need, DecisionOutcome.APPROVE, "Vakans")
        need.refresh_from_db()
        call_offs.append(need.call_off)
    return call_offs


def offer(scene: Scene, call_off: CallOff) -> Any:
    person = consultant(scene)
    scene[f"_consultant_{person.pk}"] = person
    return workflow.submit_offer(
        scene["supplier_user_a"],
        call_off,
        make_offer({**scene, "budget_consultant": person}, "budget_consultant"),
    )


def offered(scene: Scene, count: int) -> list[Any]:
    """``count`` published call-offs with one offer each from supplier A."""
    return [offer(scene, call_off) for call_off in published(scene, count)]


def awarded(scene: Scene, count: int) -> list[Any]:
    """``count`` assignments of region A with supplier A, each awarded through the workflow."""
    return [workflow.award(scene["call_off_unit"], each) for each in offered(scene, count)]


def time_reported(scene: Scene, assignment: Any, count: int) -> list[Any]:
    """``count`` weekly time reports on the assignment, submitted by supplier A and approved."""
    from hyrkoll.assignments import services as assignment_services
    from hyrkoll.assignments.models import TimeReport

    week = assignment.starts_on + datetime.timedelta(days=(7 - assignment.starts_on.weekday()) % 7)
    week += datetime.timedelta(weeks=TimeReport.objects.filter(assignment=assignment).count())
    reports = []
    for _ in range(count):
        days = {week + datetime.timedelta(days=i): (8 if i < 5 else 0, 0, 0) for i in range(7)}
        report = assignment_services.submit_time_report(scene["supplier_user_a"], assignment, week, days)
        reports.append(assignment_services.approve_time_report(scene["verksamhetschef"], report))
        week += datetime.timedelta(weeks=1)
    return reports


def invoice(scene: Scene, assignment: Any, lines: int) -> Any:
    """One invoice of supplier A on the assignment with ``lines`` lines (one day each)."""
    from decimal import Decimal

    from hyrkoll.invoicing import services
    from hyrkoll.invoicing.models import InvoiceSource
    from hyrkoll.invoicing.parsing import ParsedInvoice, ParsedLine

    price = assignment.hourly_price_sek
    parsed_lines = [
        ParsedLine(
            None,
            str(assignment.pk),
            assignment.starts_on + datetime.timedelta(days=i),
            assignment.starts_on + datetime.timedelta(days=i),
            "hours",
            Decimal(8),
            price,
            (Decimal(8) * price).quantize(Decimal("0.01")),
        )
        for i in range(lines)
    ]
    number = f"F-{next(_serial)}"
    parsed = ParsedInvoice(scene["supplier_a"], number, datetime.date(2026, 1, 15), None, parsed_lines)
    return services.receive(scene["supplier_user_a"], scene["region_a"], [parsed], InvoiceSource.API).created[
        0
    ]


# --- rows that need no workflow: bulk_create -------------------------------------------------------


def _n(count: int) -> list[int]:
    return [next(_serial) for _ in range(count)]


def suppliers(scene: Scene, count: int) -> None:
    """Suppliers admitted to the doctors' sub-area, each with one admission."""
    from hyrkoll.agreement.models import SubArea, Supplier, SupplierAdmission
    from hyrkoll.lib.orgno import with_check_digit

    made = Supplier.objects.bulk_create(
        Supplier(name=f"Budget Bemanning {n} AB", org_no=with_check_digit(f"559{n:06d}")) for n in _n(count)
    )
    doctors = SubArea.objects.get(code="doctors")
    SupplierAdmission.objects.bulk_create(
        SupplierAdmission(supplier=each, sub_area=doctors, admitted_on=datetime.date(2024, 1, 1))
        for each in made
    )


def regions(scene: Scene, count: int) -> list[Any]:
    """New regions (codes are two characters: A–T and a letter, never the real regions' digits nor ZZ)."""
    from hyrkoll.organisation.models import Region

    return Region.objects.bulk_create(
        Region(code=f"{chr(65 + n // 26 % 20)}{chr(65 + n % 26)}", name=f"Region Budget {n}")
        for n in _n(count)
    )


def municipalities(scene: Scene, count: int) -> None:
    """Municipalities of a new region ``ZZ`` (the lists are filtered to it: the reference data
    already holds more than a page)."""
    from hyrkoll.organisation.models import Municipality, Region

    region, _ = Region.objects.get_or_create(code="ZZ", defaults={"name": "Region Budget"})
    Municipality.objects.bulk_create(
        Municipality(code=f"Z{n % 1000:03d}", name=f"Kommun {n}", region=region, zone=1 + n % 3)
        for n in _n(count)
    )


def care_areas(scene: Scene, count: int) -> None:
    from hyrkoll.organisation.models import CareArea

    CareArea.objects.bulk_create(CareArea(code=f"budget-{n}", name=f"Vårdområde {n}") for n in _n(count))


def agreements(scene: Scene, count: int) -> None:
    """Framework agreements, each with one sub-area."""
    from hyrkoll.agreement.models import FrameworkAgreement, SubArea

    made = FrameworkAgreement.objects.bulk_create(
        FrameworkAgreement(
            reference=f"RS budget-{n}",
            name=f"Ramavtal {n}",
            procuring_authority="SKR Kommentus",
            starts_on=datetime.date(2010, 1, 1),
            ends_on=datetime.date(2011, 12, 31),
        )
        for n in _n(count)
    )
    SubArea.objects.bulk_create(SubArea(agreement=each, code="doctors", name="Läkare") for each in made)


def sub_areas(scene: Scene, count: int) -> None:
    from hyrkoll.agreement.models import FrameworkAgreement, SubArea

    agreement = FrameworkAgreement.objects.order_by("pk").first()
    SubArea.objects.bulk_create(
        SubArea(agreement=agreement, code=f"budget-{n}", name=f"Delområde {n}") for n in _n(count)
    )


def professions(scene: Scene, count: int) -> None:
    Profession.objects.bulk_create(
        Profession(code=f"budget-{n}", name=f"Yrke {n}", sub_area_code="doctors") for n in _n(count)
    )


def competence_levels(scene: Scene, count: int) -> None:
    from hyrkoll.agreement.models import CompetenceLevel

    CompetenceLevel.objects.bulk_create(
        CompetenceLevel(code=f"budget-{n}", name=f"Nivå {n}", sub_area_code="doctors") for n in _n(count)
    )


def competences(scene: Scene, count: int) -> None:
    from hyrkoll.agreement.models import Competence

    level = scene["competence"].level
    doctor = Profession.objects.get(code="doctor")
    Competence.objects.bulk_create(
        Competence(code=f"budget-{n}", name=f"Specialitet {n}", profession=doctor, level=level)
        for n in _n(count)
    )


def price_lists(scene: Scene, count: int) -> None:
    """Price lists of the agreement, each with two prices and a supplement for region A."""
    from hyrkoll.agreement.models import Price, PriceList, Supplement

    template = PriceList.objects.order_by("pk").first()
    made = PriceList.objects.bulk_create(
        PriceList(agreement=template.agreement, version=f"budget-{n}", valid_from=datetime.date(2010, 1, 1))
        for n in _n(count)
    )
    level = scene["competence"].level
    Price.objects.bulk_create(
        Price(price_list=each, level=level, zone=zone, hourly_sek=1000 + zone)
        for each in made
        for zone in (1, 2)
    )
    supplements = Supplement.objects.bulk_create(
        Supplement(price_list=each, kind="weekday_evening", sub_area_code="doctors", amount_sek=500)
        for each in made
    )
    for each in supplements:
        each.regions.add(scene["region_a"])


def accessions(scene: Scene, count: int) -> None:
    """Accessions of new regions to the doctors' sub-area."""
    from hyrkoll.agreement.models import RegionAccession, SubArea

    doctors = SubArea.objects.get(code="doctors")
    made = regions(scene, count)
    RegionAccession.objects.bulk_create(
        RegionAccession(region=each, sub_area=doctors, acceded_on=datetime.date(2024, 3, 1)) for each in made
    )


def org_units(scene: Scene, count: int) -> None:
    """Care units of region A under its department."""
    from hyrkoll.organisation.models import OrgUnit, OrgUnitKind

    parent = scene["units_a"]["department"]
    template = scene["units_a"]["care_unit"]
    OrgUnit.objects.bulk_create(
        OrgUnit(
            region=scene["region_a"],
            kind=OrgUnitKind.CARE_UNIT,
            parent=parent,
            code=f"A-budget-{n}",
            name=f"Vårdcentral {n}",
            municipality_id=template.municipality_id,
            care_area_id=template.care_area_id,
        )
        for n in _n(count)
    )


def consultants(scene: Scene, count: int) -> None:
    """Consultants of supplier A (each also in region A's licence register)."""
    for _ in range(count):
        consultant(scene)


def credentials(scene: Scene, count: int) -> None:
    """Consultants offered to region A (the call-off unit's credentials list), one credential each."""
    from hyrkoll.consultants.models import ConsultantCredential, CredentialSource

    offers = offered(scene, count)
    ConsultantCredential.objects.bulk_create(
        ConsultantCredential(
            consultant=each.consultant,
            licence_number=each.consultant.licence_number,
            profession=each.consultant.profession,
            competence=scene["competence"],
            licensed_on=datetime.date(2014, 1, 1),
            source=CredentialSource.values[0],
            verified_at=timezone.now(),
            verified_by=scene["call_off_unit"],
        )
        for each in offers
    )


def pool_members(scene: Scene, count: int) -> None:
    from hyrkoll.pool.models import PoolMember

    doctor = Profession.objects.get(code="doctor")
    PoolMember.objects.bulk_create(
        PoolMember(
            region=scene["region_a"],
            first_name=f"Pool{n}",
            last_name="Budget",
            profession=doctor,
            level=scene["competence"].level,
            available_from=datetime.date(2026, 1, 1),
        )
        for n in _n(count)
    )


def rules(scene: Scene, count: int, kind: str = "decision_level") -> None:
    """Rules of region A's rule table, each with conditions on profession, unit and care area."""
    from hyrkoll.accounts.models import DecisionLevel
    from hyrkoll.rules.models import RegionRule

    unit = scene["units_a"]["care_unit"]
    RegionRule.objects.bulk_create(
        RegionRule(
            region=scene["region_a"],
            kind=kind,
            name=f"Regel {n}",
            decision_level=DecisionLevel.DEPARTMENT_HEAD,
            valid_from=datetime.date(2024, 1, 1),
            profession=Profession.objects.get(code="doctor"),
            competence=scene["competence"],
            level=scene["competence"].level,
            care_area_id=unit.care_area_id,
            org_unit=unit,
        )
        for n in _n(count)
    )


def hiring_stops(scene: Scene, count: int) -> None:
    rules(scene, count, kind="hiring_stop")


def dispensations(scene: Scene, count: int) -> None:
    """Approved dispensations: region A's needs marked as dispensations with an approval each."""
    from hyrkoll.accounts.models import DecisionLevel
    from hyrkoll.ordering.models import Decision

    needs = draft_needs(scene, count)
    Need.objects.filter(pk__in=[each.pk for each in needs]).update(is_dispensation=True)
    Decision.objects.bulk_create(
        Decision(
            need=each,
            outcome=DecisionOutcome.APPROVE,
            level=DecisionLevel.DEPARTMENT_HEAD,
            reason="Dispens",
            decided_by=scene["verksamhetschef"],
        )
        for each in needs
    )


def users(scene: Scene, count: int) -> None:
    """Users of region A, each with two roles."""
    from hyrkoll.accounts.models import Role, RoleAssignment, Scope, User

    made = User.objects.bulk_create(
        User(username=f"budget.{n}", scope=Scope.REGION, region=scene["region_a"], password="!")
        for n in _n(count)
    )
    RoleAssignment.objects.bulk_create(
        RoleAssignment(user=each, role=role) for each in made for role in (Role.ORDERER, Role.READER)
    )


def audit_events(scene: Scene, count: int) -> None:
    """Audit events of region A: the creation of a need each, by the orderer."""
    draft_needs(scene, count)


def outbox_messages(scene: Scene, count: int) -> None:
    from hyrkoll.outbox.models import MessageKind, OutboxMessage

    OutboxMessage.objects.bulk_create(
        OutboxMessage(
            kind=MessageKind.CALL_OFF_PUBLISHED,
            subject=f"Avrop {n}",
            body="Nytt avrop",
            sender="hyrkoll@example.se",
            recipients=["a@example.se"],
            region=scene["region_a"],
            supplier=scene["supplier_a"],
            object_repr=f"Avrop {n}",
        )
        for n in _n(count)
    )


def cost_imports(scene: Scene, count: int) -> None:
    from hyrkoll.followup.models import CostImport

    CostImport.objects.bulk_create(
        CostImport(
            region=scene["region_a"],
            created_by=scene["controller_a"],
            filename=f"ledger-{n}.csv",
            sha256=f"{n:064d}",
        )
        for n in _n(count)
    )


def measures(scene: Scene, count: int) -> None:
    from hyrkoll.governance.models import Measure, MeasureHeading

    Measure.objects.bulk_create(
        Measure(heading=MeasureHeading.WORK_ENVIRONMENT, name=f"Åtgärd {n}") for n in _n(count)
    )


def action_plan(scene: Scene, measures_count: int) -> Any:
    """An action plan of region A with ``measures_count`` measures, two sub-goals each."""
    from hyrkoll.governance.models import ActionPlan, Measure, MeasureHeading, PlanMeasure, SubGoal

    plan = ActionPlan.objects.create(
        region=scene["region_a"], name=f"Handlingsplan {next(_serial)}", starts_on=datetime.date(2025, 1, 1)
    )
    catalogue = Measure.objects.bulk_create(
        Measure(heading=MeasureHeading.WORK_ENVIRONMENT, name=f"Åtgärd {n}") for n in _n(measures_count)
    )
    chosen = PlanMeasure.objects.bulk_create(
        PlanMeasure(
            plan=plan,
            measure=each,
            owner="HR-chef",
            org_unit=scene["units_a"]["care_unit"],
            starts_on=datetime.date(2025, 2, 1),
        )
        for each in catalogue
    )
    SubGoal.objects.bulk_create(
        SubGoal(plan_measure=each, description=f"Delmål {i}", due_on=datetime.date(2026, 12, 31))
        for each in chosen
        for i in (1, 2)
    )
    return plan


def action_plans(scene: Scene, count: int) -> None:
    for _ in range(count):
        action_plan(scene, 2)


def steering_decisions(scene: Scene, count: int) -> None:
    from hyrkoll.governance.models import SteeringDecision

    SteeringDecision.objects.bulk_create(
        SteeringDecision(
            region=scene["region_a"],
            decided_on=datetime.date(2026, 1, 1),
            decision=f"Beslut {n}",
            recorded_by=scene["steering"],
        )
        for n in _n(count)
    )


def procurements(scene: Scene, count: int) -> None:
    from hyrkoll.governance.models import Procurement

    Procurement.objects.bulk_create(
        Procurement(
            name=f"Upphandling {n}",
            declaration_deadline=datetime.date(2027, 1, 1),
            starts_on=datetime.date(2027, 6, 1),
            sub_areas="doctors,nurses",
        )
        for n in _n(count)
    )


def supplier_deviations(scene: Scene, count: int) -> None:
    from hyrkoll.compliance.models import DeviationKind, SupplierDeviation

    SupplierDeviation.objects.bulk_create(
        SupplierDeviation(
            region=scene["region_a"],
            supplier=scene["supplier_a"],
            kind=DeviationKind.LATE_DELIVERY,
            occurred_on=datetime.date(2026, 1, 1),
            description=f"Avvikelse {n}",
            recorded_by=scene["call_off_unit"],
        )
        for n in _n(count)
    )


def suspensions(scene: Scene, count: int) -> None:
    """Suspensions of new suppliers (the list shows each one's supplier)."""
    from hyrkoll.agreement.models import Supplier
    from hyrkoll.compliance.models import Suspension

    suppliers(scene, count)
    made = Supplier.objects.filter(name__startswith="Budget Bemanning").exclude(suspensions__isnull=False)
    Suspension.objects.bulk_create(
        Suspension(
            supplier=each,
            starts_on=datetime.date(2026, 1, 1),
            ends_on=datetime.date(2026, 2, 1),
            reason="Avtalsbrott",
            created_by=scene["coordinator"],
        )
        for each in made
    )


def direct_purchases(scene: Scene, count: int) -> None:
    """Direct purchases of region A starting this year (the register shows the current year)."""
    from decimal import Decimal

    from hyrkoll.compliance.models import DirectPurchase

    year = timezone.localdate().year
    DirectPurchase.objects.bulk_create(
        DirectPurchase(
            region=scene["region_a"],
            unit=scene["units_a"]["care_unit"],
            level=scene["competence"].level,
            supplier_name=f"Direkt {n} AB",
            supplier_org_no="556000-0000",
            hourly_price_sek=Decimal(1500),
            starts_on=datetime.date(year, 1, 1),
            ends_on=datetime.date(year, 2, 1),
            hours_per_week=Decimal(40),
            total_sek=Decimal(240000),
            explanation="Akut behov, inget avtalsleverantörssvar",
            recorded_by=scene["call_off_unit"],
        )
        for n in _n(count)
    )


def pending_dispensations(scene: Scene, count: int) -> None:
    """Approved needs of region A outside the agreement, starting this year, not yet registered as
    direct purchases: the register lists them and counts them in the year's figures, the form
    offers them."""
    from decimal import Decimal

    from hyrkoll.ordering.models import NeedStatus

    year = timezone.localdate().year
    needs = draft_needs(scene, count)
    Need.objects.filter(pk__in=[each.pk for each in needs]).update(
        outside_agreement=True,
        status=NeedStatus.APPROVED,
        outside_supplier_name="Direktläkarna i Väst AB",
        outside_hourly_price_sek=Decimal(3000),
        estimated_cost_sek=Decimal(100000),
        starts_on=datetime.date(year, 1, 5),
        ends_on=datetime.date(year, 2, 5),
    )


def purchases_and_pending(scene: Scene, count: int) -> None:
    """The direct-purchase register's rows: purchases (the table) and pending dispensations (the
    list above it and the year's figures)."""
    direct_purchases(scene, count)
    pending_dispensations(scene, count)
