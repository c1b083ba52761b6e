"""Adding up a file's lines per key, row by row – one loop for costs and metrics.

Lines with the same key add up (region × month × code × profession × care area); a ledger has many
lines per key. Cost lines of hired staff with a supplier's organisation number also add up per
supplier and unit (contract fidelity matches them against the assignments); they are stored one
row per region and month, with an entry per supplier, profession and care area and the amount per
unit within it (``Parsed.supplier_months``). A percentage given twice for one key is an error: percentages
cannot be added up.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from operator import itemgetter
from typing import Any

from django.utils.translation import gettext as _

from hyrkoll.followup.importing.errors import ErrorList
from hyrkoll.followup.importing.formats import PERCENT_METRICS, FileKind
from hyrkoll.followup.importing.validation import Header, KeyResolver
from hyrkoll.followup.importing.values import blank, org_no, parse_amount, text, text_amount, value_error
from hyrkoll.followup.models import CostType, SupplierCostMonth
from hyrkoll.lib import tabular

Progress = Callable[[int, int], None]

PROGRESS_EVERY = 50_000
CENT = Decimal("0.01")
ZERO = Decimal(0)
HUNDRED = Decimal(100)
UNIT_LENGTH = 30


@dataclass
class Parsed:
    """What a file holds, added up per key; ``errors`` empty if it may be stored."""

    lines: int = 0
    errors: ErrorList = field(default_factory=ErrorList)
    sums: dict[tuple[str, datetime.date, str, str, str], Decimal] = field(default_factory=dict)
    # (region, month, org no, unit, profession, care area) → hired cost
    supplier_sums: dict[tuple[str, datetime.date, str, str, str, str], Decimal] = field(default_factory=dict)
    # The columnar reader keeps the supplier sums in DuckDB instead (``columnar.SupplierRows``).
    supplier_rows: Any = None

    def supplier_entries(self) -> dict[tuple[str, datetime.date, str, str, str], dict[str, Decimal]]:
        """The supplier sums by supplier's row: (region, month, org no, profession, care area) →
        unit → hired cost."""
        return SupplierCostMonth.units_by_entry(self.supplier_sums)

    def supplier_months(self) -> dict[tuple[str, datetime.date], str]:
        """The supplier sums as stored: (region, month) → ``SupplierCostMonth.entries`` as JSON text."""
        return dict(sorted(SupplierCostMonth.entries_by_month(self.supplier_sums).items()))

    @property
    def supplier_count(self) -> int:
        """How many suppliers' rows (supplier × profession × care area in a region-month) the file
        gives."""
        if self.supplier_rows is not None:
            return self.supplier_rows.count
        return len(self.supplier_entries())

    def close(self) -> None:
        """Let go of what the columnar reader kept open."""
        if self.supplier_rows is not None:
            self.supplier_rows.close()

    @property
    def region_months(self) -> list[tuple[str, datetime.date]]:
        return sorted({(key[0], key[1]) for key in self.sums})

    @property
    def region_codes(self) -> list[str]:
        return sorted({key[0] for key in self.sums})


def _report_key_errors(errors: ErrorList, number: int, problems: list[tuple]) -> None:
    for field_name, value, message in problems:
        errors.add(number, field_name, value, message)


def aggregate_rows(
    kind: FileKind,
    parsed: Parsed,
    source: Iterable[Any],
    rows: tabular.CsvRows | tabular.XlsxRows,
    header: Header,
    resolve: KeyResolver,
    progress: Progress | None,
    estimate: int,
) -> None:
    """Validate and add up the rows under the header, reporting progress every PROGRESS_EVERY."""
    index = header.index
    key_of = itemgetter(*(index[column] for column in kind.key_columns))
    value_at = index[kind.value_column]
    value_name = header.name(kind.value_column)
    limit = kind.limit
    org_at = index.get("supplier_org_no")
    unit_at = index.get("unit")
    width = max(header.width, value_at + 1)
    errors, cache = parsed.errors, resolve.cache
    sums: defaultdict[tuple, Decimal] = defaultdict(Decimal)
    supplier_sums: defaultdict[tuple, Decimal] = defaultdict(Decimal)
    org_numbers: dict[Any, str | list[str]] = {}
    first_row: dict[tuple, int] = {}  # a percentage's key → the row it was first given on
    parse = text_amount if isinstance(rows, tabular.CsvRows) else parse_amount
    hired = CostType.HIRED
    lines = 0
    next_report = PROGRESS_EVERY
    for row in source:
        if len(row) < width:
            if blank(row):
                continue
            row = list(row) + [""] * (width - len(row))
        raw_key = key_of(row)
        key = cache.get(raw_key)
        if key is None:
            key = cache[raw_key] = resolve(raw_key)
        if key.__class__ is list:
            if blank(row):
                continue
            _report_key_errors(errors, rows.line_num, key)
            key = None
        lines += 1
        if lines == next_report:
            next_report += PROGRESS_EVERY
            if progress is not None:
                progress(lines, max(estimate, lines))
        raw_value = row[value_at]
        value = parse(raw_value)
        if value is None:
            errors.add(rows.line_num, value_name, raw_value, value_error(raw_value))
            key = None
        elif not -limit < value < limit:  # also keeps the sums within what Decimal can round
            errors.add(rows.line_num, value_name, raw_value, _("too large."))
            key = None
        if org_at is not None:
            raw_org = row[org_at]
            org = org_numbers.get(raw_org) if raw_org else ""
            if org is None:
                org = org_numbers[raw_org] = org_no(raw_org)
            if org.__class__ is list:
                errors.add(rows.line_num, header.name("supplier_org_no"), raw_org, org[0])
                key = None
            elif org and key is not None and key[2] == hired:
                unit = text(row[unit_at]) if unit_at is not None else ""
                if len(unit) > UNIT_LENGTH:
                    errors.add(rows.line_num, header.name("unit"), unit, _("longer than 30 characters."))
                    continue
                supplier_sums[(key[0], key[1], org, unit, key[3], key[4])] += value
        if key is None:
            continue
        if key[2] in PERCENT_METRICS:
            if not ZERO <= value <= HUNDRED:
                errors.add(rows.line_num, value_name, raw_value, _("a percentage must be between 0 and 100."))
                continue
            if key in first_row:
                errors.add(
                    rows.line_num,
                    header.name(kind.code_column),
                    raw_key[2],
                    _(
                        "the same indicator, region, month, profession and care area is already on row "
                        "%(first)d; percentages cannot be added up."
                    )
                    % {"first": first_row[key]},
                )
                continue
            first_row[key] = rows.line_num
        sums[key] += value
    parsed.lines = lines
    parsed.sums = dict(sums)
    parsed.supplier_sums = dict(supplier_sums)
    if progress is not None:
        progress(lines, lines)


def key_label(key: tuple) -> str:
    region, month, code, profession, care_area = key[:5]
    parts = [region, f"{month:%Y-%m}", code, profession or "–", care_area or "–"]
    return " ".join(parts)


def _too_large(parsed: Parsed, value_name: str, key: tuple, total: Decimal) -> None:
    parsed.errors.add(
        None,
        value_name,
        total,
        _("the lines for %(key)s add up to more than the largest amount that can be stored.")
        % {"key": key_label(key)},
    )


def check_sums(kind: FileKind, parsed: Parsed, value_name: str) -> None:
    """Round each sum to öre; the sum of hired or own cost (or FTE) per key must not be negative,
    and no sum may be too large to store (nor a supplier's row, the sum of its units)."""
    limit = kind.limit
    for sums in (parsed.sums, parsed.supplier_sums):
        for key, total in sums.items():
            rounded = total.quantize(CENT, ROUND_HALF_UP)
            sums[key] = rounded
            if abs(rounded) >= limit:
                _too_large(parsed, value_name, key, rounded)
    if not parsed.errors:
        for key, units in parsed.supplier_entries().items():
            total = sum(units.values(), ZERO)
            if abs(total) >= limit:
                _too_large(parsed, value_name, key, total)
    for key, total in parsed.sums.items():
        if total < 0 and not kind.may_be_negative(key[2]):
            parsed.errors.add(
                None,
                value_name,
                total,
                _("the lines for %(key)s add up to a negative amount (%(total)s).")
                % {"key": key_label(key), "total": total},
            )
