"""The invoice control: every line recomputed from the agreed price and the approved time.

For each line:

1. The assignment must be one of the supplier's in the invoice's region – else the whole line is an
   *unknown assignment*.
2. Its days are split into those inside the assignment's period and those outside. Hours the supplier
   reported on days outside the period (or the whole quantity, if no day is inside) are *hours
   outside the period*.
3. The rest is matched day by day, in date order, against the *approved* time of those days that is
   not already invoiced (by earlier invoices, or earlier lines of this one). What finds no approved
   time is *unapproved hours*.
4. The matched hours are priced day by day with the agreement: the hourly price (or the price-list
   supplement of the line's kind) of the assignment period the day falls in. What remains of the
   invoiced amount beyond that and the two deviations above is a *wrong price* (a different unit
   price, or an amount that is not quantity × unit price).

So, per line, invoiced amount = expected amount + the deviations' amounts, to the öre. An invoice
whose number the supplier has used before on another invoice carries a *duplicate invoice number*
deviation of its whole amount. Which time is "already invoiced" follows the order the invoices
arrived in: rejected invoices consume nothing.

Everything is loaded in a handful of queries for a whole batch (an imported file of many invoices),
so a 10,000-line file is checked without a query per line.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Q
from django.utils.translation import gettext as _

from hyrkoll.agreement.models import Supplement, SupplementUnit
from hyrkoll.assignments.models import (
    Assignment,
    AssignmentPeriod,
    TimeReportDay,
    TimeReportStatus,
)
from hyrkoll.assignments.services import last_day
from hyrkoll.invoicing import credit
from hyrkoll.invoicing.models import (
    DeviationKind,
    DocumentType,
    Invoice,
    InvoiceDeviation,
    InvoiceLine,
    InvoiceStatus,
    LineKind,
)
from hyrkoll.invoicing.parsing_values import assignment_id_of  # noqa: F401 - also control.assignment_id_of

CENT = Decimal("0.01")
ZERO = Decimal(0)
ONE_DAY = datetime.timedelta(days=1)

# Which part of the time report a line kind is matched against.
NORMAL, ON_CALL, UNSOCIAL, WEEKS = "normal", "on_call", "unsocial", "weeks"
UNSOCIAL_KINDS = {
    LineKind.WEEKDAY_EVENING,
    LineKind.WEEKDAY_NIGHT,
    LineKind.WEEKEND_DAY,
    LineKind.WEEKEND_EVENING,
    LineKind.WEEKEND_NIGHT,
    LineKind.HOLIDAY_DAY,
    LineKind.HOLIDAY_NIGHT,
}


def time_part(kind: str) -> str:
    if kind == LineKind.HOURS:
        return NORMAL
    if kind == LineKind.ON_CALL:
        return ON_CALL
    if kind == LineKind.TRAVEL_FLAT_RATE:
        return WEEKS
    return UNSOCIAL


def days_of(start: datetime.date, end: datetime.date) -> list[datetime.date]:
    return [start + datetime.timedelta(days=offset) for offset in range((end - start).days + 1)]


def money(value: Decimal) -> Decimal:
    return value.quantize(CENT, ROUND_HALF_UP)


def _hours(value: Decimal) -> str:
    return f"{value.normalize():f}"


@dataclass
class _Context:
    """Everything the control needs about the assignments of a batch, loaded once."""

    assignments: dict[int, Assignment]
    periods: dict[int, list[AssignmentPeriod]]
    supplements: dict[int, list[Supplement]]  # by price list
    approved: dict[tuple[int, str], dict[datetime.date, Decimal]]  # (assignment, part) → day → left
    reported: dict[tuple[int, str], dict[datetime.date, Decimal]]  # any status, for the period check
    used_numbers: dict[tuple[int, str], int] = field(default_factory=dict)  # (supplier, number) → first pk


def _add_day(
    target: dict,
    assignment_id: int,
    date: datetime.date,
    normal: Decimal,
    on_call: Decimal,
    unsocial: Decimal,
) -> None:
    target[(assignment_id, NORMAL)][date] += normal
    target[(assignment_id, ON_CALL)][date] += on_call
    target[(assignment_id, UNSOCIAL)][date] += unsocial
    if normal or on_call:
        monday = date - datetime.timedelta(days=date.weekday())
        target[(assignment_id, WEEKS)][monday] = Decimal(1)


def _load(assignment_ids: set[int]) -> _Context:
    assignments = {
        a.pk: a for a in Assignment.objects.filter(pk__in=assignment_ids).select_related("level", "unit")
    }
    periods: dict[int, list[AssignmentPeriod]] = defaultdict(list)
    for period in AssignmentPeriod.objects.filter(assignment_id__in=assignment_ids).order_by("starts_on"):
        periods[period.assignment_id].append(period)
    price_list_ids = {a.price_list_id for a in assignments.values()} | {
        p.price_list_id for rows in periods.values() for p in rows
    }
    supplements: dict[int, list[Supplement]] = defaultdict(list)
    for supplement in Supplement.objects.filter(price_list_id__in=price_list_ids).prefetch_related("regions"):
        supplements[supplement.price_list_id].append(supplement)
    approved: dict = defaultdict(lambda: defaultdict(Decimal))
    reported: dict = defaultdict(lambda: defaultdict(Decimal))
    days = TimeReportDay.objects.filter(report__assignment_id__in=assignment_ids).values_list(
        "report__assignment_id", "report__status", "date", "normal_hours", "on_call_hours", "unsocial_hours"
    )
    for assignment_id, status, *hours in days.iterator(chunk_size=5000):
        _add_day(reported, assignment_id, *hours)
        if status == TimeReportStatus.APPROVED:
            _add_day(approved, assignment_id, *hours)
    return _Context(assignments, periods, supplements, approved, reported)


class _Pricer:
    def __init__(self, context: _Context) -> None:
        self.context = context

    def period_on(self, assignment: Assignment, day: datetime.date) -> AssignmentPeriod | None:
        found = None
        for period in self.context.periods.get(assignment.pk, ()):
            if period.starts_on <= day:
                found = period
        return found

    def price(self, assignment: Assignment, kind: str, day: datetime.date) -> Decimal | None:
        """The agreement's price of one unit of ``kind`` on ``day``; None if the price list has none."""
        period = self.period_on(assignment, day)
        if kind == LineKind.HOURS:
            return period.hourly_price_sek if period else assignment.hourly_price_sek
        if kind == LineKind.TRAVEL_FLAT_RATE:
            value = (
                period.travel_supplement_sek_per_week if period else assignment.travel_supplement_sek_per_week
            )
            return value or None
        price_list_id = period.price_list_id if period else assignment.price_list_id
        sub_area = assignment.level.sub_area_code
        for supplement in self.context.supplements.get(price_list_id, ()):
            if supplement.kind != kind or supplement.unit != SupplementUnit.PER_HOUR:
                continue
            if supplement.sub_area_code and supplement.sub_area_code != sub_area:
                continue
            regions = {region.pk for region in supplement.regions.all()}
            if regions and assignment.region_id not in regions:
                continue
            return supplement.amount_sek
        return None


def _allocate(
    available: dict[datetime.date, Decimal], days: Iterable[datetime.date], quantity: Decimal
) -> list[tuple[datetime.date, Decimal]]:
    """Take ``quantity`` from the days' available time in date order; what was taken, per day."""
    taken = []
    left = quantity
    for day in days:
        if left <= 0:
            break
        have = available.get(day, ZERO)
        if have <= 0:
            continue
        use = min(have, left)
        available[day] = have - use
        left -= use
        taken.append((day, use))
    return taken


def _units(part: str, days: list[datetime.date]) -> list[datetime.date]:
    """The days a line's quantity is matched on: the days, or for weekly amounts the Mondays."""
    if part != WEEKS:
        return days
    return sorted({day - datetime.timedelta(days=day.weekday()) for day in days})


def _consume(context: _Context, line: InvoiceLine) -> None:
    """An earlier invoice's line uses up the approved time it was matched with."""
    assignment = context.assignments.get(line.assignment_id) if line.assignment_id else None
    if assignment is None or line.priced_quantity <= 0:
        return
    part = time_part(line.kind)
    inside = [
        d for d in days_of(line.date_from, line.date_to) if assignment.starts_on <= d <= last_day(assignment)
    ]
    _allocate(context.approved[(assignment.pk, part)], _units(part, inside), line.priced_quantity)


def _check_line(
    context: _Context, pricer: _Pricer, invoice: Invoice, line: InvoiceLine
) -> list[InvoiceDeviation]:
    deviations: list[InvoiceDeviation] = []

    def deviation(kind: str, amount: Decimal, text: str) -> None:
        deviations.append(
            InvoiceDeviation(
                invoice=invoice, line=line, kind=kind, amount_sek=money(amount), description=text
            )
        )

    line.priced_quantity = ZERO
    line.expected_sek = ZERO
    line.agreement_price_sek = None
    assignment_id = assignment_id_of(line.assignment_ref)
    assignment = context.assignments.get(assignment_id) if assignment_id is not None else None
    if (
        assignment is None
        or assignment.supplier_id != invoice.supplier_id
        or assignment.region_id != invoice.region_id
    ):
        line.assignment = None
        deviation(
            DeviationKind.UNKNOWN_ASSIGNMENT,
            line.amount_sek,
            _("No assignment '%(ref)s' of this supplier in this region.") % {"ref": line.assignment_ref},
        )
        return deviations
    line.assignment = assignment
    part = time_part(line.kind)
    days = days_of(line.date_from, line.date_to)
    last = last_day(assignment)
    inside = [day for day in days if assignment.starts_on <= day <= last]
    outside = [day for day in days if day not in inside] if len(inside) != len(days) else []
    price = line.unit_price_sek
    quantity = line.quantity
    if not inside:
        outside_quantity = quantity
    elif outside:
        reported = context.reported[(assignment.pk, part)]
        outside_units = _units(part, outside)
        if part == WEEKS:
            outside_units = [u for u in outside_units if u not in _units(part, inside)]
        outside_quantity = min(quantity, sum((reported.get(day, ZERO) for day in outside_units), ZERO))
    else:
        outside_quantity = ZERO
    if outside_quantity:
        deviation(
            DeviationKind.OUTSIDE_PERIOD,
            outside_quantity * price,
            _("%(quantity)s invoiced for days outside the assignment's period %(start)s – %(end)s.")
            % {"quantity": _hours(outside_quantity), "start": assignment.starts_on, "end": last},
        )
    wanted = quantity - outside_quantity
    taken = _allocate(context.approved[(assignment.pk, part)], _units(part, inside), wanted)
    priced = sum((use for _day, use in taken), ZERO)
    unapproved = wanted - priced
    if unapproved:
        deviation(
            DeviationKind.UNAPPROVED_HOURS,
            unapproved * price,
            _("%(quantity)s of %(total)s without approved time that is not already invoiced.")
            % {"quantity": _hours(unapproved), "total": _hours(quantity)},
        )
    expected = ZERO
    missing_price = False
    prices = set()
    for day, use in taken:
        unit_price = pricer.price(assignment, line.kind, day)
        if unit_price is None:
            missing_price = True
            continue
        prices.add(unit_price)
        expected += use * unit_price
    line.priced_quantity = priced
    line.expected_sek = money(expected)
    line.agreement_price_sek = prices.pop() if len(prices) == 1 else None
    rest = line.amount_sek - line.expected_sek - money(outside_quantity * price) - money(unapproved * price)
    if rest:
        if missing_price:
            text = _("The agreement's price list has no price for '%(kind)s' for this assignment.") % {
                "kind": line.get_kind_display()
            }
        elif line.amount_sek != money(quantity * price):
            text = _("The amount %(amount)s SEK is not quantity × unit price (%(product)s SEK).") % {
                "amount": line.amount_sek,
                "product": money(quantity * price),
            }
        else:
            agreed = line.agreement_price_sek
            text = _("Invoiced %(price)s SEK per unit; the agreement's price is %(agreed)s SEK.") % {
                "price": price,
                "agreed": agreed if agreed is not None else "/".join(str(p) for p in sorted(prices)) or "–",
            }
        deviation(DeviationKind.WRONG_PRICE, rest, text)
    return deviations


def check(invoices: list[Invoice], lines: dict[int, list[InvoiceLine]]) -> dict[int, list[InvoiceDeviation]]:
    """Check ``invoices`` (in the order they arrived) with their ``lines`` (by the invoices' list
    index). Sets the computed fields of the lines and the totals of the invoices; returns the
    deviations per invoice index, unsaved. Other stored invoices count only as already invoiced time
    and already used numbers."""
    assignment_ids = {
        aid
        for rows in lines.values()
        for line in rows
        if (aid := assignment_id_of(line.assignment_ref)) is not None
    }
    context = _load(assignment_ids)
    pricer = _Pricer(context)
    checked_pks = [invoice.pk for invoice in invoices if invoice.pk]
    first_checked = min(checked_pks) if checked_pks else None
    earlier = InvoiceLine.objects.filter(assignment_id__in=context.assignments).exclude(
        invoice__status=InvoiceStatus.REJECTED
    )
    if checked_pks:
        earlier = earlier.exclude(invoice_id__in=checked_pks).filter(
            Q(invoice_id__lt=first_checked) | Q(invoice__status=InvoiceStatus.APPROVED)
        )
    for line in earlier.only("assignment_id", "kind", "date_from", "date_to", "priced_quantity").order_by(
        "invoice_id", "line_no"
    ):
        _consume(context, line)
    numbers = {(invoice.supplier_id, invoice.number) for invoice in invoices}
    suppliers = {supplier for supplier, _number in numbers}
    stored = Invoice.objects.filter(supplier_id__in=suppliers, number__in={n for _s, n in numbers})
    if first_checked is not None:
        stored = stored.filter(pk__lt=first_checked)
    for supplier_id, number, pk in stored.values_list("supplier_id", "number", "pk"):
        context.used_numbers.setdefault((supplier_id, number), pk)
    found: dict[int, list[InvoiceDeviation]] = {}
    for index, invoice in enumerate(invoices):
        deviations: list[InvoiceDeviation] = []
        key = (invoice.supplier_id, invoice.number)
        if invoice.document_type == DocumentType.CREDIT_NOTE:
            deviations.extend(credit.check(invoice, lines[index], context.assignments))
        else:
            for line in lines[index]:
                deviations.extend(_check_line(context, pricer, invoice, line))
        invoice.invoiced_sek = sum((line.amount_sek for line in lines[index]), ZERO)
        invoice.expected_sek = sum((line.expected_sek for line in lines[index]), ZERO)
        if key in context.used_numbers:
            deviations.insert(
                0,
                InvoiceDeviation(
                    invoice=invoice,
                    line=None,
                    kind=DeviationKind.DUPLICATE_NUMBER,
                    amount_sek=invoice.invoiced_sek,
                    description=_("The supplier has already sent another invoice numbered %(number)s.")
                    % {"number": invoice.number},
                ),
            )
        else:
            context.used_numbers[key] = invoice.pk or -1
        found[index] = deviations
    return found
