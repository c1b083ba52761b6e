"""Where a region's hired cost sits, from Hyrkoll's own assignments and approved invoices.

Every amount comes from lines of the region's approved invoices that name one of the region's
assignments, placed in a month by the line's first day (``date_from``): the cost is the invoiced
amount (``amount_sek``, supplements and travel included), the hours the quantity of the
worked-hours lines. Each table is one grouped query, whatever the number of rows.

- The unit index: a unit's share of the region's hired cost divided by the average share of the
  units with hired cost (1.0 = average, 2.0 = twice the average); Hyrkoll has no own personnel
  cost per unit to relate it to.
- Stays: a consultant's assignments at one unit. Assignments that overlap, touch or are at most
  ``MERGE_GAP_DAYS`` days apart make one continuous stretch.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import F, Q, QuerySet, Sum

from hyrkoll.assignments.models import Assignment, AssignmentStatus
from hyrkoll.followup.indicators import CENT, Period, pct
from hyrkoll.invoicing.models import InvoiceLine, InvoiceStatus, LineKind
from hyrkoll.lib.dates import month_end
from hyrkoll.organisation.models import Region

ZERO = Decimal(0)
MERGE_GAP_DAYS = 7
TOP_UNITS = 10
TOP_STAYS = 20
DAY = datetime.timedelta(days=1)

# table → (the key, the label and the detail – a code or organisation number – of the group)
DIMENSIONS: dict[str, tuple[str, str, str | None]] = {
    "unit": ("assignment__unit_id", "assignment__unit__name", "assignment__unit__code"),
    "profession": (
        "assignment__call_off__need__profession_id",
        "assignment__call_off__need__profession__name",
        None,
    ),
    "level": ("assignment__level_id", "assignment__level__name", None),
    "supplier": ("assignment__supplier_id", "assignment__supplier__name", "assignment__supplier__org_no"),
}


@dataclass(frozen=True)
class Group:
    """One row of a cost table: a unit, a profession, a competence level or a supplier."""

    label: str
    detail: str
    cost_sek: Decimal
    hours: Decimal
    share_pct: Decimal | None


@dataclass(frozen=True)
class UnitIndex:
    name: str
    code: str
    cost_sek: Decimal
    share_pct: Decimal | None
    index: Decimal


@dataclass
class Stay:
    """A consultant's assignments at one unit."""

    consultant: str
    supplier: str
    unit_code: str
    unit_name: str
    assignments: int
    total_days: int
    longest_days: int
    first_start: datetime.date
    last_end: datetime.date
    cost_12m_sek: Decimal = ZERO


@dataclass
class Spending:
    period: Period
    cost_window: Period  # the 12 months of the stays' cost
    total_sek: Decimal = ZERO
    total_hours: Decimal = ZERO
    groups: dict[str, list[Group]] = field(default_factory=dict)
    unit_index: list[UnitIndex] = field(default_factory=list)
    stays: list[Stay] = field(default_factory=list)

    @property
    def has_cost(self) -> bool:
        return bool(self.groups.get("unit"))


def last_day(period: Period) -> datetime.date:
    return month_end(period.end)


def approved_lines(region: Region, period: Period) -> QuerySet[InvoiceLine]:
    """Lines of the region's approved invoices on its own assignments, by first day in ``period``."""
    return InvoiceLine.objects.filter(
        invoice__region=region,
        invoice__status=InvoiceStatus.APPROVED,
        assignment__isnull=False,
        assignment__region=region,
        date_from__gte=period.start,
        date_from__lte=last_day(period),
    ).order_by()


def grouped(lines: QuerySet[InvoiceLine], dimension: str) -> list[dict[str, Any]]:
    """One query: cost and hours per group of ``dimension``."""
    key, label, detail = DIMENSIONS[dimension]
    names = [key, label] + ([detail] if detail else [])
    return list(
        lines.values(*names).annotate(
            cost=Sum("amount_sek"), hours=Sum("quantity", filter=Q(kind=LineKind.HOURS))
        )
    )


def to_groups(rows: list[dict[str, Any]], dimension: str, total: Decimal) -> list[Group]:
    _key, label, detail = DIMENSIONS[dimension]
    groups = [
        Group(
            label=row[label] or "",
            detail=(row[detail] or "") if detail else "",
            cost_sek=row["cost"] or ZERO,
            hours=row["hours"] or ZERO,
            share_pct=pct(row["cost"] or ZERO, total),
        )
        for row in rows
    ]
    return sorted(groups, key=lambda g: (-g.cost_sek, g.label, g.detail))


def unit_index(units: list[Group], top: int = TOP_UNITS) -> list[UnitIndex]:
    """Index = the unit's cost over the average cost of the units with hired cost (= its share
    over the average share); the ``top`` highest."""
    with_cost = [unit for unit in units if unit.cost_sek > 0]
    if not with_cost:
        return []
    average = sum((unit.cost_sek for unit in with_cost), ZERO) / len(with_cost)
    rows = [
        UnitIndex(
            unit.label,
            unit.detail,
            unit.cost_sek,
            unit.share_pct,
            (unit.cost_sek / average).quantize(CENT, ROUND_HALF_UP),
        )
        for unit in with_cost
    ]
    return sorted(rows, key=lambda row: (-row.index, row.code))[:top]


def stretches(
    intervals: Iterable[tuple[datetime.date, datetime.date]], gap_days: int = MERGE_GAP_DAYS
) -> list[tuple[datetime.date, datetime.date]]:
    """The intervals (first and last day, inclusive) merged where they overlap, touch or have at
    most ``gap_days`` days between them; in order."""
    merged: list[tuple[datetime.date, datetime.date]] = []
    for start, end in sorted(intervals):
        if merged and (start - merged[-1][1]).days - 1 <= gap_days:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def days(interval: tuple[datetime.date, datetime.date]) -> int:
    return (interval[1] - interval[0]).days + 1


def worked_until(ends_on: datetime.date, cancelled_from: datetime.date | None) -> datetime.date:
    """The last day of an assignment: the day before a cancellation takes effect, if earlier."""
    return min(ends_on, cancelled_from - DAY) if cancelled_from is not None else ends_on


def stays(region: Region, period: Period, top: int = TOP_STAYS) -> list[Stay]:
    """The consultants with the longest continuous (then the most) assignments at one unit, among
    those at the unit during the period; assignments cancelled before they began do not count."""
    never_began = Q(status=AssignmentStatus.CANCELLED) & (
        Q(cancelled_from__isnull=True) | Q(cancelled_from__lte=F("starts_on"))
    )
    rows = (
        Assignment.objects.filter(region=region, starts_on__lte=last_day(period))
        .exclude(never_began)
        .order_by()
        .values_list(
            "consultant_id",
            "unit_id",
            "consultant__first_name",
            "consultant__last_name",
            "supplier__name",
            "unit__code",
            "unit__name",
            "starts_on",
            "ends_on",
            "cancelled_from",
        )  # fmt: skip
    )
    by_pair: dict[tuple[int, int], dict[str, Any]] = {}
    for consultant_id, unit_id, first, last, supplier, code, name, start, end, cancelled in rows:
        pair = by_pair.setdefault(
            (consultant_id, unit_id),
            {"name": f"{first} {last}", "suppliers": set(), "code": code, "unit": name, "intervals": []},
        )
        pair["suppliers"].add(supplier)
        pair["intervals"].append((start, worked_until(end, cancelled)))
    result = []
    for key, pair in by_pair.items():
        intervals = pair["intervals"]
        last_end = max(end for _start, end in intervals)
        if last_end < period.start:
            continue
        stay = Stay(
            consultant=pair["name"],
            supplier=", ".join(sorted(pair["suppliers"])),
            unit_code=pair["code"],
            unit_name=pair["unit"],
            assignments=len(intervals),
            total_days=sum(days(s) for s in stretches(intervals, gap_days=0)),
            longest_days=max(days(s) for s in stretches(intervals)),
            first_start=min(start for start, _end in intervals),
            last_end=last_end,
        )
        result.append((key, stay))
    result.sort(key=lambda item: (-item[1].longest_days, -item[1].assignments, item[1].consultant))
    return _with_cost(region, period, result[:top])


def _with_cost(region: Region, period: Period, chosen: list[tuple[tuple[int, int], Stay]]) -> list[Stay]:
    """Each stay's cost on approved invoices in the 12 months up to the period's end (one query)."""
    if not chosen:
        return []
    window = Period.rolling12(period.end)
    costs = {
        (row["assignment__consultant_id"], row["assignment__unit_id"]): row["cost"] or ZERO
        for row in approved_lines(region, window)
        .filter(assignment__consultant_id__in={key[0] for key, _stay in chosen})
        .values("assignment__consultant_id", "assignment__unit_id")
        .annotate(cost=Sum("amount_sek"))
    }
    for key, stay in chosen:
        stay.cost_12m_sek = costs.get(key, ZERO)
    return [stay for _key, stay in chosen]


def compute(region: Region, period: Period) -> Spending:
    """Every table of the page for ``region`` and ``period``: six queries."""
    lines = approved_lines(region, period)
    result = Spending(period=period, cost_window=Period.rolling12(period.end))
    rows = {dimension: grouped(lines, dimension) for dimension in DIMENSIONS}
    result.total_sek = sum((row["cost"] or ZERO for row in rows["unit"]), ZERO)
    result.total_hours = sum((row["hours"] or ZERO for row in rows["unit"]), ZERO)
    result.groups = {
        dimension: to_groups(found, dimension, result.total_sek) for dimension, found in rows.items()
    }
    result.unit_index = unit_index(result.groups["unit"])
    result.stays = stays(region, period)
    return result
