"""Demo compliance data, made through ``hyrkoll.compliance.services`` after the ordering demo:

- Supplier deviations: the supplier with the most assignments in Västra Götaland (14) has three
  within the last 12 months (the contractual-penalty step) and one more in Stockholm (01), so the
  national count is beyond the limit; another supplier has one noted and one withdrawn.
- One supplier suspended from a few days ago for three months: an admitted supplier with no pending
  offer and no active assignment. It was among the recipients of the open call-offs published
  before (every admitted supplier is), but can no longer offer on them; new call-offs skip it.
- Direct purchases: every approved dispensation for a purchase outside the agreement is registered
  as carried out; region 14 also has one found without a dispensation.
- A supplier ledger for region 14 (``followup.SupplierCostMonth``, one import) that yields all three
  contract-fidelity classes, for the months from the first assignment up to the current one. The
  workflow refuses needs that start in the past, so the assignments the invoice demo moved back in
  time (``hyrkoll.demo.invoicing``) are the ones worked so far; one approved dispensation in region
  14 is moved back the same way, so that its direct purchase has run too.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import random
from collections import Counter, defaultdict
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING

from django.utils import timezone

from hyrkoll.accounts.models import Role, User
from hyrkoll.agreement.models import Supplier, SupplierAdmission
from hyrkoll.assignments.models import Assignment, AssignmentStatus
from hyrkoll.audit.models import AuditAction
from hyrkoll.audit.services import record
from hyrkoll.compliance import services
from hyrkoll.compliance.models import DeviationKind, DirectPurchase
from hyrkoll.demo.invoicing import call_off_unit, shift_need
from hyrkoll.followup.models import CostImport, CostProfession, ImportKind, ImportStatus, SupplierCostMonth
from hyrkoll.lib.dates import month_end, months_between, shift_months
from hyrkoll.lib.orgno import with_check_digit
from hyrkoll.ordering.models import Need, NeedStatus, OfferStatus
from hyrkoll.organisation.models import OrgUnit, OrgUnitKind, Region

if TYPE_CHECKING:
    from hyrkoll.demo.generator import DemoSummary

VGR, STOCKHOLM = "14", "01"
LEDGER_MONTHS = 6
CENT = Decimal("0.01")
# The demo's suppliers outside the agreement (hyrkoll.demo.ordering) and their organisation numbers.
OUTSIDE_ORG_NOS = {
    "Läkarhuset Direkt AB": with_check_digit("559201001"),
    "Norrlandsdoktorn AB": with_check_digit("559201002"),
    "Specialistjouren i Sverige AB": with_check_digit("559201003"),
    "Vårdkraft Direkt AB": with_check_digit("559201004"),
}
FOUND_SUPPLIER = ("Jourläkarna Norden AB", with_check_digit("559201005"))


def _deviations(rng: random.Random, today: datetime.date) -> tuple[int, Supplier | None]:
    region = Region.objects.get(code=VGR)
    assignments = Assignment.objects.filter(region=region).exclude(status=AssignmentStatus.CANCELLED)
    busiest = Counter(assignments.values_list("supplier_id", flat=True)).most_common(2)
    if not busiest:
        return 0, None
    supplier = Supplier.objects.get(pk=busiest[0][0])
    actor = call_off_unit(VGR)
    linked = assignments.filter(supplier=supplier).select_related("call_off").first()
    rows = [
        (
            DeviationKind.LATE_DELIVERY,
            160,
            "Konsulten började tre dagar efter avtalad start; ingen ersättare erbjöds.",
        ),
        (
            DeviationKind.MISSING_DELIVERY,
            75,
            "Bekräftat pass på akutmottagningen blev obemannat utan förvarning.",
        ),
    ]
    count = 0
    for kind, days, text in rows:
        services.record_deviation(actor, supplier, region, kind, text, today - datetime.timedelta(days=days))
        count += 1
    services.record_deviation(
        actor, supplier, region, DeviationKind.REQUIREMENTS_NOT_MET,
        "Erbjuden konsult saknade efterfrågad erfarenhet av akutsjukvård; byttes efter avropsenhetens kontroll.",
        today - datetime.timedelta(days=1), call_off=linked.call_off if linked else None,
    )  # fmt: skip
    count += 1
    services.record_deviation(
        call_off_unit(STOCKHOLM), supplier, Region.objects.get(code=STOCKHOLM), DeviationKind.INVOICE_ERROR,
        "Fakturan tog upp jourtimmar som inte fanns i den godkända tidrapporten.", today - datetime.timedelta(days=40),
    )  # fmt: skip
    count += 1
    if len(busiest) > 1:
        other = Supplier.objects.get(pk=busiest[1][0])
        services.record_deviation(
            actor, other, region, DeviationKind.LATE_DELIVERY,
            "Referenser inkom först efter svarstidens utgång.", today - datetime.timedelta(days=rng.randint(20, 90)),
        )  # fmt: skip
        mistaken = services.record_deviation(
            actor,
            other,
            region,
            DeviationKind.OTHER,
            "Registrerad av misstag.",
            today - datetime.timedelta(days=10),
        )
        services.withdraw_deviation(actor, mistaken, "Avvikelsen gällde en annan leverantör.")
        count += 2
    return count, supplier


def _suspension(today: datetime.date, avoid: set[int]) -> Supplier | None:
    """An admitted supplier with no pending offer and no active assignment, not the demo's supplier
    login (``leverantor.1``) nor ``avoid``."""
    # Every admitted supplier receives the open call-offs of its sub-area; what matters is that the
    # chosen one has no pending offer and no assignment in progress.
    busy: set[int] = set()
    busy |= set(Supplier.objects.filter(offers__status=OfferStatus.SUBMITTED).values_list("pk", flat=True))
    busy |= set(
        Assignment.objects.filter(status=AssignmentStatus.ACTIVE, ends_on__gte=today).values_list(
            "supplier_id", flat=True
        )
    )
    busy |= set(User.objects.filter(username="leverantor.1").values_list("supplier_id", flat=True))
    admitted = SupplierAdmission.objects.in_force(today).values_list("supplier_id", flat=True)
    candidate = (
        Supplier.objects.filter(pk__in=admitted).exclude(pk__in=busy | avoid).order_by("-name").first()
    )
    if candidate is None:
        return None
    coordinator = User.objects.filter(role_assignments__role=Role.COORDINATOR).order_by("pk").first()
    services.suspend(
        coordinator, candidate, today - datetime.timedelta(days=5), today + datetime.timedelta(days=90),
        "Upprepade avvikelser och obetalda viten; avstängd i avvaktan på åtgärdsplan.",
    )  # fmt: skip
    return candidate


def _purchases(today: datetime.date) -> int:
    count = 0
    approved = Need.objects.filter(outside_agreement=True, status=NeedStatus.APPROVED).select_related(
        "region"
    )
    for need in approved.order_by("region__code", "pk"):
        services.register_purchase(
            call_off_unit(need.region.code), need=need, supplier_name=need.outside_supplier_name,
            supplier_org_no=OUTSIDE_ORG_NOS.get(need.outside_supplier_name, with_check_digit("559201009")),
            hourly_price_sek=need.outside_hourly_price_sek, starts_on=need.starts_on, ends_on=need.ends_on,
            hours_per_week=need.hours_per_week,
        )  # fmt: skip
        count += 1
    return count


def _amount(
    start: datetime.date, end: datetime.date, month: datetime.date, hours: Decimal, price: Decimal
) -> Decimal:
    days = (min(end, month_end(month)) - max(start, month)).days + 1
    return (Decimal(max(days, 0)) / 7 * hours * price).quantize(CENT, ROUND_HALF_UP)


def _ledger(rng: random.Random, suspended: Supplier | None, summary: DemoSummary) -> int:
    """Region 14's hired-staff cost per supplier and unit in the months of its assignments."""
    region = Region.objects.get(code=VGR)
    assignments = list(
        Assignment.objects.filter(region=region)
        .exclude(status=AssignmentStatus.CANCELLED)
        .select_related("supplier", "unit__care_area", "unit__parent", "consultant__profession")
    )
    purchases = list(
        DirectPurchase.objects.filter(region=region, need__isnull=False).select_related("unit__care_area")
    )
    if not assignments:
        return 0
    first = min(a.starts_on for a in assignments).replace(day=1)
    last = min(max(a.ends_on for a in assignments + purchases), timezone.localdate())
    months = [m for m in months_between(first, last) if m < shift_months(first, LEDGER_MONTHS)]
    care_units = list(
        OrgUnit.objects.filter(region=region, kind=OrgUnitKind.CARE_UNIT).select_related("care_area")
    )
    with_14 = {a.supplier_id for a in assignments}
    bypassing = (
        Supplier.objects.filter(pk__in=SupplierAdmission.objects.in_force(first).values("supplier_id"))
        .exclude(pk__in=with_14 | ({suspended.pk} if suspended else set()))
        .order_by("name")
        .first()
    )
    lines: list[tuple[datetime.date, str, str, str, str, Decimal]] = []
    for month in months:
        for a in assignments:
            if a.starts_on <= month_end(month) and a.ends_on >= month:
                profession = a.consultant.profession.code
                # Some units book on the department above the care unit: still through the agreement.
                unit = a.unit.parent if a.unit.parent_id and rng.random() < 0.3 else a.unit
                lines.append((month, a.supplier.org_no, unit.code,
                              profession if profession in CostProfession.values else CostProfession.OTHER,
                              a.unit.care_area.code if a.unit.care_area_id else "",
                              _amount(a.starts_on, a.ends_on, month, a.hours_per_week, a.hourly_price_sek)))  # fmt: skip
        for p in purchases:
            amount = _amount(p.starts_on, p.ends_on, month, p.hours_per_week, p.hourly_price_sek)
            if amount:
                lines.append(
                    (
                        month,
                        p.supplier_org_no,
                        p.unit.code,
                        CostProfession.DOCTOR,
                        p.unit.care_area.code,
                        amount,
                    )
                )
        if bypassing is not None:
            unit = rng.choice(care_units)
            amount = Decimal(rng.randint(140, 220) * 1000)
            lines.append(
                (month, bypassing.org_no, unit.code, CostProfession.NURSE, unit.care_area.code, amount)
            )
    # A supplier outside the agreement, found in the ledger: registered without a dispensation.
    found_unit = rng.choice(
        [u for u in care_units if u.care_area and u.care_area.code == "psychiatry"] or care_units
    )
    found_months = months[:2]
    for month in found_months:
        lines.append((month, FOUND_SUPPLIER[1], found_unit.code, CostProfession.DOCTOR, found_unit.care_area.code,
                      Decimal(rng.randint(90, 130) * 1000)))  # fmt: skip
    level = assignments[0].level
    services.register_purchase(
        call_off_unit(VGR), unit=found_unit, level=level, supplier_name=FOUND_SUPPLIER[0],
        supplier_org_no=FOUND_SUPPLIER[1], hourly_price_sek=Decimal(2450), starts_on=found_months[0],
        ends_on=month_end(found_months[-1]), hours_per_week=Decimal(20),
        explanation="Hittad vid avstämning av huvudboken: psykiatrin hyrde in jourläkare direkt utan dispens.",
    )  # fmt: skip
    content = "\n".join(";".join(str(cell) for cell in line) for line in lines)
    cost_import = CostImport.objects.create(
        kind=ImportKind.COSTS, status=ImportStatus.DONE, region=region, filename="demo-leverantorsreskontra-14.csv",
        sha256=hashlib.sha256(content.encode()).hexdigest(), lines=len(lines), lines_done=len(lines),
        entries=len(lines), finished_at=timezone.now(),
        definition_note="Demo: inhyrd personal per leverantör och enhet",
    )  # fmt: skip
    # Stored as the import stores them: one row per month, an entry per supplier, profession and care
    # area within it, with the amount per unit.
    per_unit: defaultdict[tuple, Decimal] = defaultdict(Decimal)
    for month, org, unit, profession, area, amount in lines:
        per_unit[region.pk, month, org, unit, profession, area] += amount
    SupplierCostMonth.objects.bulk_create(
        SupplierCostMonth(region=region, period=month, entries=json.loads(text), cost_import=cost_import)
        for (_region, month), text in sorted(SupplierCostMonth.entries_by_month(per_unit).items())
    )
    record(None, AuditAction.IMPORT, cost_import, reason=f"Demo supplier ledger ({len(lines)} lines)")
    summary.counts["supplier ledger lines"] = len(lines)
    return len(lines)


def load_compliance_demo(rng: random.Random, today: datetime.date, summary: DemoSummary) -> None:
    """Deviations, a suspension, direct purchases and region 14's supplier ledger (see the module)."""
    # The services work on the real clock (a deviation cannot lie in the future).
    now = max(today, timezone.localdate())
    summary.counts["supplier deviations"], penalised = _deviations(rng, timezone.localdate())
    suspended = _suspension(now, {penalised.pk} if penalised else set())
    summary.counts["suspensions"] = 1 if suspended else 0
    dispensation = (
        Need.objects.filter(region__code=VGR, outside_agreement=True, status=NeedStatus.APPROVED)
        .order_by("pk")
        .first()
    )
    if dispensation is not None:
        shift_need(
            dispensation, (dispensation.starts_on - (timezone.localdate() - datetime.timedelta(weeks=6))).days
        )
    summary.counts["direct purchases with dispensation"] = _purchases(now)
    _ledger(rng, suspended, summary)
    summary.counts["direct purchases without dispensation"] = DirectPurchase.objects.filter(
        need__isnull=True
    ).count()
