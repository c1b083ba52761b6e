"""Contract fidelity (avtalstrohet): how much of a region's hired-staff cost went through the agreement.

The source is the region's ledger per supplier (``followup.SupplierCostMonth``: per region and month,
an entry per supplier's organisation number, profession and care area, with the amount per unit code
of the region within it). Every line – an entry's amount at one unit – is put in one class:

``THROUGH``
    The supplier (by organisation number) is admitted to the agreement (any sub-area) in that month
    and has an assignment in the same region, not cancelled before the month, overlapping the month,
    at the line's unit or a unit below it. A line without a unit code matches an assignment
    anywhere in the region (the ledger did not say where).
``WITH_DISPENSATION``
    Not through the agreement, but a registered direct purchase with a dispensation matches it:
    same region, same organisation number, its period overlapping the month.
``WITHOUT_DISPENSATION``
    Everything else: a supplier not admitted, an admitted supplier with no assignment there
    (spending that bypassed Hyrkoll), an unknown unit code, or a direct purchase registered as made
    without a dispensation.

Lines through the agreement are also matched against Hyrkoll's *approved invoices* (lines of
invoices approved for payment, by region, supplier and the month of the line's first day; not per
unit, since a ledger may book one invoice on a unit above the assignment's). Where the ledger holds
more than the approved invoices, the difference is listed: money paid to an agreement supplier that
no approved invoice in Hyrkoll explains (an invoice paid past the control).

Cost: a fixed handful of queries whatever the number of ledger lines (lines, suppliers, admissions,
units, assignments, direct purchases); the matching is done in memory with sets.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from hyrkoll.agreement.models import Supplier, SupplierAdmission
from hyrkoll.assignments.models import Assignment, AssignmentStatus
from hyrkoll.compliance.models import DirectPurchase
from hyrkoll.followup.models import SupplierCostMonth
from hyrkoll.invoicing.models import InvoiceLine, InvoiceStatus
from hyrkoll.lib.dates import month_end, months_between
from hyrkoll.organisation.models import OrgUnit, Region

THROUGH = "through"
WITH_DISPENSATION = "with_dispensation"
WITHOUT_DISPENSATION = "without_dispensation"
CLASSES = (THROUGH, WITH_DISPENSATION, WITHOUT_DISPENSATION)
CLASS_LABELS = {
    THROUGH: _("Through the agreement"),
    WITH_DISPENSATION: _("Outside, with dispensation"),
    WITHOUT_DISPENSATION: _("Outside, without dispensation"),
}
# Why a line is outside without dispensation.
NOT_ADMITTED = "not_admitted"
NO_ASSIGNMENT = "no_assignment"
UNKNOWN_UNIT = "unknown_unit"
REASON_LABELS = {
    NOT_ADMITTED: _("Supplier not admitted to the agreement"),
    NO_ASSIGNMENT: _("Admitted supplier, but no assignment there (bypassed Hyrkoll)"),
    UNKNOWN_UNIT: _("Unit code not in the region's organisation"),
    WITH_DISPENSATION: _("Registered direct purchase with dispensation"),
}
HUNDRED = Decimal(100)


@dataclass
class Shares:
    """Amounts per class and the shares of the total (percent, None without cost)."""

    amounts: dict[str, Decimal] = field(default_factory=lambda: {c: Decimal(0) for c in CLASSES})

    def add(self, cls: str, amount: Decimal) -> None:
        self.amounts[cls] += amount

    @property
    def total(self) -> Decimal:
        return sum(self.amounts.values(), Decimal(0))

    def share(self, cls: str) -> Decimal | None:
        total = self.total
        if not total:
            return None
        return (self.amounts[cls] / total * HUNDRED).quantize(Decimal("0.01"))

    @property
    def through_pct(self) -> Decimal | None:
        return self.share(THROUGH)

    @property
    def with_pct(self) -> Decimal | None:
        return self.share(WITH_DISPENSATION)

    @property
    def without_pct(self) -> Decimal | None:
        return self.share(WITHOUT_DISPENSATION)


@dataclass
class OutsideRow:
    """Spending outside the agreement of one supplier at one unit, summed over the selection."""

    cls: str
    reason: str
    region_code: str
    org_no: str
    supplier_name: str
    unit_code: str
    unit_name: str
    amount: Decimal = Decimal(0)
    months: set[datetime.date] = field(default_factory=set)

    @property
    def reason_label(self) -> str:
        return str(REASON_LABELS[self.reason])

    @property
    def month_labels(self) -> str:
        return ", ".join(f"{m:%Y-%m}" for m in sorted(self.months))


@dataclass
class InvoiceGap:
    """Ledger cost through the agreement beyond the approved invoices, for one supplier and month."""

    region_code: str
    org_no: str
    supplier_name: str
    unit_codes: str  # the units the ledger booked the cost on
    month: datetime.date
    ledger: Decimal
    invoiced: Decimal

    @property
    def difference(self) -> Decimal:
        return self.ledger - self.invoiced


@dataclass
class Fidelity:
    total: Shares = field(default_factory=Shares)
    by_month: dict[datetime.date, Shares] = field(default_factory=lambda: defaultdict(Shares))
    by_region: dict[str, Shares] = field(default_factory=lambda: defaultdict(Shares))
    outside: list[OutsideRow] = field(default_factory=list)
    invoice_gaps: list[InvoiceGap] = field(default_factory=list)
    through_invoiced: Decimal = Decimal(0)  # approved invoices behind the lines through the agreement
    lines: int = 0

    def outside_of(self, cls: str) -> list[OutsideRow]:
        return [row for row in self.outside if row.cls == cls]


def compute(
    regions: Iterable[Region],
    year: int,
    *,
    month: int | None = None,
    profession: str = "",
    care_area: str = "",
) -> Fidelity:
    """Classify the regions' ledger lines of ``year`` (or one month of it) and sum them up."""
    region_list = list(regions)
    region_ids = [r.pk for r in region_list]
    code_of = {r.pk: r.code for r in region_list}
    first = datetime.date(year, month or 1, 1)
    last = month_end(datetime.date(year, month or 12, 1))

    months = SupplierCostMonth.objects.filter(
        region_id__in=region_ids, period__range=(first, last)
    ).order_by()
    # A line per unit of each entry (an entry's amount is the sum of its units').
    lines = [
        (region_id, period, org_no, unit_code, Decimal(amount))
        for region_id, period, entries in months.values_list("region_id", "period", "entries")
        for org_no, entry_profession, entry_area, units in entries
        if (not profession or entry_profession == profession) and (not care_area or entry_area == care_area)
        for unit_code, amount in units.items()
    ]
    result = Fidelity(lines=len(lines))
    if not lines:
        return result
    org_nos = {line[2] for line in lines}

    suppliers: dict[str, int] = {}
    names: dict[str, str] = {}
    for org_no, pk, name in Supplier.objects.filter(org_no__in=org_nos).values_list("org_no", "pk", "name"):
        suppliers[org_no], names[org_no] = pk, name
    supplier_ids = set(suppliers.values())

    # Months in which each supplier was admitted to some sub-area.
    admitted: set[tuple[int, datetime.date]] = set()
    for supplier_id, admitted_on, exited_on in (
        SupplierAdmission.objects.filter(supplier_id__in=supplier_ids, admitted_on__lte=last)
        .filter(Q(exited_on__isnull=True) | Q(exited_on__gte=first))
        .values_list("supplier_id", "admitted_on", "exited_on")
    ):
        for m in months_between(max(admitted_on, first), min(exited_on or last, last)):
            admitted.add((supplier_id, m))

    # The regions' units: code → id, parent links, names.
    unit_by_code: dict[tuple[int, str], int] = {}
    parent_of: dict[int, int | None] = {}
    unit_name: dict[int, str] = {}
    for pk, region_id, code, parent_id, name in OrgUnit.objects.filter(region_id__in=region_ids).values_list(
        "pk", "region_id", "code", "parent_id", "name"
    ):
        unit_by_code[region_id, code] = pk
        parent_of[pk] = parent_id
        unit_name[pk] = name

    def chain(unit_id: int) -> list[int]:
        ids = []
        node: int | None = unit_id
        while node is not None:
            ids.append(node)
            node = parent_of.get(node)
        return ids

    # (region, supplier, unit or 0 for "anywhere in the region", month) covered by an assignment.
    covered: set[tuple[int, int, int, datetime.date]] = set()
    for region_id, supplier_id, unit_id, starts_on, ends_on, status, cancelled_from in (
        Assignment.objects.filter(
            region_id__in=region_ids, supplier_id__in=supplier_ids, starts_on__lte=last, ends_on__gte=first
        )
        .order_by()
        .values_list(
            "region_id", "supplier_id", "unit_id", "starts_on", "ends_on", "status", "cancelled_from"
        )
    ):
        end = ends_on
        if status == AssignmentStatus.CANCELLED:
            if cancelled_from is None:
                continue
            end = min(end, cancelled_from - datetime.timedelta(days=1))
        if end < starts_on:
            continue  # cancelled before it began
        ancestors = chain(unit_id)
        for m in months_between(max(starts_on, first), min(end, last)):
            covered.add((region_id, supplier_id, 0, m))
            for ancestor in ancestors:
                covered.add((region_id, supplier_id, ancestor, m))

    # (region, org no, month) with a registered purchase carrying a dispensation.
    dispensed: set[tuple[int, str, datetime.date]] = set()
    for region_id, org_no, starts_on, ends_on in (
        DirectPurchase.objects.filter(
            region_id__in=region_ids,
            supplier_org_no__in=org_nos,
            need__isnull=False,
            starts_on__lte=last,
            ends_on__gte=first,
        )
        .order_by()
        .values_list("region_id", "supplier_org_no", "starts_on", "ends_on")
    ):
        for m in months_between(max(starts_on, first), min(ends_on, last)):
            dispensed.add((region_id, org_no, m))

    # (region, supplier, month) → approved invoice amounts.
    invoiced: dict[tuple[int, int, datetime.date], Decimal] = defaultdict(Decimal)
    for region_id, supplier_id, date_from, amount in (
        InvoiceLine.objects.filter(
            invoice__status=InvoiceStatus.APPROVED,
            invoice__region_id__in=region_ids,
            invoice__supplier_id__in=supplier_ids,
            assignment__isnull=False,
            date_from__range=(first, last),
        )
        .order_by()
        .values_list("invoice__region_id", "invoice__supplier_id", "date_from", "amount_sek")
    ):
        invoiced[region_id, supplier_id, date_from.replace(day=1)] += amount
    through: dict[tuple[int, int, datetime.date], tuple[str, set[str], Decimal]] = {}

    outside: dict[tuple[str, str, int, str, str], OutsideRow] = {}
    for region_id, period, org_no, unit_code, amount in lines:
        supplier_id = suppliers.get(org_no)
        unit_id = unit_by_code.get((region_id, unit_code)) if unit_code else 0
        if supplier_id is not None and (supplier_id, period) in admitted:
            if unit_id is None:
                cls, reason = WITHOUT_DISPENSATION, UNKNOWN_UNIT
            elif (region_id, supplier_id, unit_id, period) in covered:
                cls, reason = THROUGH, ""
            else:
                cls, reason = WITHOUT_DISPENSATION, NO_ASSIGNMENT
        else:
            cls, reason = WITHOUT_DISPENSATION, NOT_ADMITTED
        if cls != THROUGH and (region_id, org_no, period) in dispensed:
            cls, reason = WITH_DISPENSATION, WITH_DISPENSATION
        result.total.add(cls, amount)
        result.by_month[period].add(cls, amount)
        result.by_region[code_of[region_id]].add(cls, amount)
        if cls == THROUGH:
            key_through = (region_id, supplier_id, period)
            _org, codes, before = through.get(key_through, (org_no, set(), Decimal(0)))
            codes.add(unit_code)
            through[key_through] = (org_no, codes, before + amount)
            continue
        key = (cls, reason, region_id, org_no, unit_code)
        row = outside.get(key)
        if row is None:
            row = outside[key] = OutsideRow(
                cls=cls,
                reason=reason,
                region_code=code_of[region_id],
                org_no=org_no,
                supplier_name=names.get(org_no, ""),
                unit_code=unit_code,
                unit_name=unit_name.get(unit_id or 0, ""),
            )
        row.amount += amount
        row.months.add(period)
    for (region_id, supplier_id, period), (org_no, codes, ledger) in through.items():
        approved = invoiced.get((region_id, supplier_id, period), Decimal(0))
        result.through_invoiced += min(approved, ledger)
        if ledger > approved:
            units = ", ".join(sorted(code or "–" for code in codes))
            result.invoice_gaps.append(
                InvoiceGap(code_of[region_id], org_no, names.get(org_no, ""), units, period, ledger, approved)
            )
    result.invoice_gaps.sort(key=lambda g: (-g.difference, g.org_no, g.month))
    result.by_month = dict(sorted(result.by_month.items()))
    result.by_region = dict(sorted(result.by_region.items()))
    result.outside = sorted(outside.values(), key=lambda r: (r.cls, -r.amount, r.org_no, r.unit_code))
    return result


def latest_year(regions: Iterable[Region]) -> int | None:
    """The year of the newest ledger month of the regions (the page's default)."""
    row = (
        SupplierCostMonth.objects.filter(region__in=list(regions))
        .order_by("-period")
        .values_list("period", flat=True)
        .first()
    )
    return row.year if row else None
