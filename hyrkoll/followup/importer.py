"""Import of monthly costs and staffing metrics from a CSV or Excel file.

The canonical cost file has one row per ledger line::

    region,period,cost_type,profession,care_area,amount_sek[,supplier_org_no,unit]

and the metrics file ``region,period,metric,profession,care_area,value``. Swedish column names
(``kostnadstyp``, ``yrke``, ``vardomrade``/``vårdområde``, ``belopp``, ``leverantor_orgnr``,
``enhet``, ``indikator``, ``varde``/``värde``) and values (``hyrd``, ``egen``, ``läkare``,
``primärvård`` …) are accepted, case-insensitively, as are decimal commas and spaces as thousand
separators (``1 234 567,50``).

The rules, in order:

1. **The whole file is validated first.** Every bad row and field is named (the row number as the
   file shows it, the column, the bad value). Any error rejects the file: the ``CostImport`` is
   saved as REJECTED with the errors, and no figures change.
2. **Lines with the same key add up** (region × month × cost type × profession × care area); a
   ledger has many lines per key. The sum of hired or own cost per key must not be negative
   (single negative lines are corrections and fine). For metrics, FTE values add up; a percentage
   given twice for one key is an error.
3. **Nothing is counted twice.** Without ``replace``, a file touching a region-month that already
   holds data is refused, naming those region-months – unless the very same file (same SHA-256) was
   imported before and its rows are still in place: then the earlier import is returned unchanged,
   marked ``already_imported``. With ``replace``, exactly the region-months the file covers are
   deleted and stored anew, in one transaction.
4. Each stored import records who, when, the file hash, the lines read, the rows stored, the totals
   per cost type and the region-months, with one IMPORT audit event.

Speed: rows are streamed (csv module over a text wrapper; openpyxl in read-only mode), the five
key cells are looked up in a cache of already-validated raw values, and amounts are summed as
Decimals in a dict; the database sees one delete and a few bulk inserts.
"""

from __future__ import annotations

import datetime
import hashlib
import logging
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from operator import itemgetter
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connections, models, router, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from hyrkoll.audit import services as audit
from hyrkoll.audit.models import AuditAction
from hyrkoll.followup.models import (
    CostCareArea,
    CostEntry,
    CostImport,
    CostProfession,
    CostType,
    ImportKind,
    ImportStatus,
    MetricKind,
    StaffingMetric,
    SupplierCostEntry,
)
from hyrkoll.lib import tabular
from hyrkoll.lib.bulk import insert_rows as _insert
from hyrkoll.lib.orgno import normalise_org_no
from hyrkoll.organisation.models import Region

logger = logging.getLogger(__name__)

Progress = Callable[[int, int], None]

PROGRESS_EVERY = 50_000
MAX_ERRORS = 1000  # stored and shown; the rest are counted
CENT = Decimal("0.01")
ZERO = Decimal(0)
HUNDRED = Decimal(100)
FIRST_YEAR, LAST_YEAR = 1990, 2099


# --- Names and codes ----------------------------------------------------------------------------------


def fold(text: str) -> str:
    """Lower case, Swedish letters folded to ASCII, spaces and hyphens as underscores."""
    text = text.strip().lower().lstrip("\ufeff")
    for swedish, plain in (("å", "a"), ("ä", "a"), ("ö", "o"), ("é", "e")):
        text = text.replace(swedish, plain)
    return "_".join(text.replace("-", " ").split())


COST_HEADERS = {
    "region": "region",
    "lan": "region",
    "period": "period",
    "manad": "period",
    "cost_type": "cost_type",
    "kostnadstyp": "cost_type",
    "profession": "profession",
    "yrke": "profession",
    "yrkesgrupp": "profession",
    "care_area": "care_area",
    "vardomrade": "care_area",
    "amount_sek": "amount_sek",
    "amount": "amount_sek",
    "belopp": "amount_sek",
    "belopp_sek": "amount_sek",
    "supplier_org_no": "supplier_org_no",
    "leverantor_orgnr": "supplier_org_no",
    "unit": "unit",
    "enhet": "unit",
}
METRIC_HEADERS = {
    "region": "region",
    "lan": "region",
    "period": "period",
    "manad": "period",
    "metric": "metric",
    "indikator": "metric",
    "profession": "profession",
    "yrke": "profession",
    "yrkesgrupp": "profession",
    "care_area": "care_area",
    "vardomrade": "care_area",
    "value": "value",
    "varde": "value",
}

COST_TYPES = {
    **{code: code for code in CostType.values},
    "hyrd": CostType.HIRED,
    "hyrda": CostType.HIRED,
    "hyrpersonal": CostType.HIRED,
    "egen": CostType.OWN,
    "egen_personal": CostType.OWN,
    "intern_pool": CostType.INTERNAL_POOL,
    "bemanningspool": CostType.INTERNAL_POOL,
    "overtid": CostType.OVERTIME,
}
PROFESSIONS = {
    **{code: code for code in CostProfession.values},
    "": "",
    "lakare": CostProfession.DOCTOR,
    "sjukskoterska": CostProfession.NURSE,
    "sjukskoterskor": CostProfession.NURSE,
    "ovrig": CostProfession.OTHER,
    "ovriga": CostProfession.OTHER,
}
CARE_AREAS = {
    **{code: code for code in CostCareArea.values},
    "": "",
    "primarvard": CostCareArea.PRIMARY,
    "psykiatri": CostCareArea.PSYCHIATRY,
    "somatik": CostCareArea.SOMATIC,
    "somatisk_vard": CostCareArea.SOMATIC,
}
METRICS = {
    **{code: code for code in MetricKind.values},
    "hyrda_arsarbetare": MetricKind.HIRED_FTE,
    "egna_arsarbetare": MetricKind.OWN_FTE,
    "personalomsattning": MetricKind.TURNOVER_PCT,
    "sjukfranvaro": MetricKind.SICK_LEAVE_PCT,
    "kontinuitet": MetricKind.CONTINUITY_PCT,
}
COST_TYPES, PROFESSIONS, CARE_AREAS, METRICS = (
    {alias: str(code) for alias, code in table.items()}
    for table in (COST_TYPES, PROFESSIONS, CARE_AREAS, METRICS)
)
PERCENT_METRICS = frozenset({MetricKind.TURNOVER_PCT, MetricKind.SICK_LEAVE_PCT, MetricKind.CONTINUITY_PCT})
NON_NEGATIVE_COST_TYPES = frozenset({CostType.HIRED, CostType.OWN})


@dataclass(frozen=True)
class FileKind:
    kind: str
    headers: dict[str, str]
    required: tuple[str, ...]
    optional: tuple[str, ...]
    code_column: str  # cost_type or metric
    codes: dict[str, str]
    value_column: str  # amount_sek or value
    max_digits: int  # of the stored value, incl. two decimals

    @property
    def limit(self) -> Decimal:
        """No single value, and no sum, may reach this: it could not be stored."""
        return Decimal(10) ** (self.max_digits - 2)


COSTS = FileKind(
    kind=ImportKind.COSTS,
    headers=COST_HEADERS,
    required=("region", "period", "cost_type", "profession", "care_area", "amount_sek"),
    optional=("supplier_org_no", "unit"),
    code_column="cost_type",
    codes=COST_TYPES,
    value_column="amount_sek",
    max_digits=16,
)
METRICS_FILE = FileKind(
    kind=ImportKind.METRICS,
    headers=METRIC_HEADERS,
    required=("region", "period", "metric", "profession", "care_area", "value"),
    optional=(),
    code_column="metric",
    codes=METRICS,
    value_column="value",
    max_digits=14,
)


# --- Errors ------------------------------------------------------------------------------------------------


class ErrorList:
    """The file's errors as ``{"row", "field", "value", "message"}``; the first MAX_ERRORS kept."""

    def __init__(self) -> None:
        self.items: list[dict[str, Any]] = []
        self.count = 0

    def add(self, row: int | None, field: str, value: Any, message: str) -> None:
        self.count += 1
        if len(self.items) < MAX_ERRORS:
            self.items.append({"row": row, "field": field, "value": _text(value), "message": message})

    def stored(self) -> list[dict[str, Any]]:
        if self.count <= len(self.items):
            return self.items
        more = self.count - len(self.items)
        return [
            *self.items,
            {
                "row": None,
                "field": "",
                "value": "",
                "message": _("… and %(count)d more errors.") % {"count": more},
                "more": more,
            },
        ]

    def __bool__(self) -> bool:
        return self.count > 0


def error_count(cost_import: CostImport) -> int:
    """How many errors the import had, counting those not stored."""
    errors = cost_import.errors or []
    if errors and errors[-1].get("more"):
        return len(errors) - 1 + int(errors[-1]["more"])
    return len(errors)


def format_error(error: dict[str, Any]) -> str:
    """One stored error as a line of text (for the command line)."""
    if error.get("row") and error.get("field"):
        return _("Row %(row)d, %(field)s: %(message)s") % error
    if error.get("field"):
        return _("%(field)s: %(message)s") % error
    return str(error.get("message", ""))


def _text(value: Any) -> str:
    return tabular.cell_text(value) if not isinstance(value, str) else value.strip()


# --- Cell values -----------------------------------------------------------------------------------------


def _month_of(value: Any) -> datetime.date | None:
    """A month from ``YYYY-MM``, ``YYYY-MM-01`` or a spreadsheet date cell; None if not one."""
    if isinstance(value, datetime.datetime | datetime.date):
        day = value.date() if isinstance(value, datetime.datetime) else value
        result: datetime.date | None = day.replace(day=1)
    else:
        text = _text(value)
        if len(text) == 19 and text.endswith(" 00:00:00"):
            text = text[:10]  # a date cell exported to CSV by Excel
        result = None
        try:
            if len(text) == 7 and text[4] == "-":
                year, month = text.split("-")
                if year.isdigit() and month.isdigit():
                    result = datetime.date(int(year), int(month), 1)
            elif len(text) == 10:
                day = datetime.date.fromisoformat(text)
                result = day if day.day == 1 else None
        except ValueError:
            result = None
    if result is None or not FIRST_YEAR <= result.year <= LAST_YEAR:
        return None
    return result


def _region_code(value: Any) -> str:
    """The county code as two digits; spreadsheets drop the leading zero (``1`` → ``01``)."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = _text(value)
    return text.zfill(2) if len(text) == 1 and text.isdigit() else text


def parse_amount(value: Any) -> Decimal | None:
    """An amount: a number cell, or text with a decimal comma or point and space, non-breaking
    space or apostrophe thousand separators (``1 234 567,50``); None if it is not one."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        number = Decimal(repr(value))
        return number if number.is_finite() else None
    if isinstance(value, Decimal):
        return value if value.is_finite() else None
    if not isinstance(value, str):
        return None
    text = value.strip()
    for separator in (" ", "\u00a0", "\u202f", "'"):
        text = text.replace(separator, "")
    text = text.replace("\u2212", "-")  # the minus sign
    if "," in text:
        if "." in text:
            return None  # 1.234,50 or 1,234.50: ambiguous
        text = text.replace(",", ".")
    sign = text[0] if text[:1] in ("+", "-") else ""
    digits = text[len(sign) :]
    whole, _point, fraction = digits.partition(".")
    if not whole.isdigit() or (fraction and not fraction.isdigit()) or (_point and not fraction):
        return None
    try:
        return Decimal(sign + digits)
    except InvalidOperation:  # digits Decimal does not read, e.g. "²"
        return None


def _blank(row: Iterable[Any]) -> bool:
    return not any(value is not None and str(value).strip() for value in row)


# --- Reading and validating ------------------------------------------------------------------------


@dataclass
class Parsed:
    """What a file holds, added up per key; ``errors`` empty if it may be stored."""

    lines: int = 0
    errors: ErrorList = field(default_factory=ErrorList)
    sums: dict[tuple[str, datetime.date, str, str, str], Decimal] = field(default_factory=dict)
    supplier_sums: dict[tuple[str, datetime.date, str, str, str, str], Decimal] = field(default_factory=dict)

    @property
    def region_months(self) -> list[tuple[str, datetime.date]]:
        return sorted({(key[0], key[1]) for key in self.sums})

    @property
    def region_codes(self) -> list[str]:
        return sorted({key[0] for key in self.sums})


def _estimate_lines(data: bytes, rows: tabular.CsvRows | tabular.XlsxRows) -> int:
    if isinstance(rows, tabular.XlsxRows):
        return max((rows.total or 1) - 1, 0)
    lines = data.count(b"\n")
    if data and not data.endswith(b"\n"):
        lines += 1
    return max(lines - 1, 0)


class _Header:
    """Where each column is, and its name as the file writes it (for messages)."""

    def __init__(self, kind: FileKind, values: Iterable[Any], number: int, errors: ErrorList) -> None:
        self.index: dict[str, int] = {}
        self.names: dict[str, str] = {}
        for position, value in enumerate(values):
            written = _text(value)
            column = kind.headers.get(fold(written))
            if column is None:
                continue  # extra columns are ignored
            if column in self.index:
                errors.add(
                    number,
                    written,
                    written,
                    _("the column %(column)s is given twice.") % {"column": column},
                )
                continue
            self.index[column] = position
            self.names[column] = written.lstrip("\ufeff")
        self.width = max(self.index.values(), default=-1) + 1
        for column in kind.required:
            if column not in self.index:
                errors.add(
                    number,
                    column,
                    "",
                    _("missing column; the first row must name the columns %(columns)s.")
                    % {"columns": ",".join(kind.required)},
                )

    def name(self, column: str) -> str:
        return self.names.get(column, column)


Resolved = tuple[Any, str | None]  # (value, None) or (None, message)


class _KeyResolver:
    """Validates the five key cells of a row. Each column's results are cached per distinct raw
    cell, and whole keys per distinct raw tuple, so a ledger's millions of lines cost a few
    dictionary look-ups each."""

    def __init__(self, kind: FileKind, header: _Header, region: Region | None) -> None:
        self.kind = kind
        self.header = header
        self.codes = dict(Region.objects.values_list("code", "name"))
        self.only_region = region
        self.cache: dict[tuple[Any, ...], Any] = {}
        self.columns = ("region", "period", kind.code_column, "profession", "care_area")
        self.resolvers = (self.region, self.period, self.code, self.profession, self.care_area)
        self.column_caches: tuple[dict[Any, Resolved], ...] = tuple({} for _column in self.columns)

    def __call__(self, raw: tuple[Any, ...]) -> tuple[str, datetime.date, str, str, str] | list[tuple]:
        resolved = []
        for value, cache, resolver in zip(raw, self.column_caches, self.resolvers, strict=True):
            result = cache.get(value)
            if result is None:
                result = cache[value] = resolver(value)
            resolved.append(result)
        if all(message is None for _value, message in resolved):
            return tuple(value for value, _message in resolved)  # type: ignore[return-value]
        return [
            (self.header.name(column), value, message)
            for column, value, (_resolved, message) in zip(self.columns, raw, resolved, strict=True)
            if message is not None
        ]

    def region(self, raw: Any) -> Resolved:
        code = _region_code(raw)
        if not code:
            return None, _("required.")
        if code not in self.codes:
            return None, _("unknown region code %(value)s (use the two-digit county code, 01–25).") % {
                "value": _text(raw)
            }
        if self.only_region is not None and code != self.only_region.code:
            return None, _("the file may only hold rows of %(region)s (%(code)s).") % {
                "region": self.only_region.name,
                "code": self.only_region.code,
            }
        return code, None

    def period(self, raw: Any) -> Resolved:
        month = _month_of(raw)
        if month is not None:
            return month, None
        text = _text(raw)
        return None, (
            _("required.") if not text else _("%(value)s is not a month (YYYY-MM).") % {"value": text}
        )

    def code(self, raw: Any) -> Resolved:
        code = self.kind.codes.get(fold(_text(raw)))
        if code is not None:
            return code, None
        text = _text(raw)
        if not text:
            return None, _("required.")
        if self.kind is COSTS:
            return None, _("unknown cost type %(value)s (use hired, own, internal_pool or overtime).") % {
                "value": text
            }
        return None, _("unknown indicator %(value)s (use %(codes)s).") % {
            "value": text,
            "codes": ", ".join(MetricKind.values),
        }

    def profession(self, raw: Any) -> Resolved:
        profession = PROFESSIONS.get(fold(_text(raw)))
        if profession is not None:
            return profession, None
        return None, _("unknown profession %(value)s (use doctor, nurse, other or leave it empty).") % {
            "value": _text(raw)
        }

    def care_area(self, raw: Any) -> Resolved:
        care_area = CARE_AREAS.get(fold(_text(raw)))
        if care_area is not None:
            return care_area, None
        return None, _(
            "unknown care area %(value)s (use primary, psychiatry, somatic or leave it empty)."
        ) % {"value": _text(raw)}


def _value_error(raw: Any) -> str:
    text = _text(raw)
    if not text:
        return _("required.")
    return _("%(value)s is not a number (write e.g. 1234567,50 or 1 234 567,50).") % {"value": text}


def _read(
    kind: FileKind,
    data: bytes,
    filename: str,
    region: Region | None,
    progress: Progress | None,
) -> Parsed:
    parsed = Parsed()
    errors = parsed.errors
    if not data.strip():
        errors.add(None, "", "", _("The file is empty."))
        return parsed
    try:
        rows = tabular.open_rows(data, filename)
        source = iter(rows.raw())
        header: _Header | None = None
        for values in source:
            if not _blank(values):
                header = _Header(kind, values, rows.line_num, errors)
                break
        if header is None:
            errors.add(None, "", "", _("The file is empty."))
            return parsed
        if errors:
            return parsed
        estimate = _estimate_lines(data, rows)
        if kind is COSTS:
            _aggregate_costs(
                parsed, source, rows, header, _KeyResolver(kind, header, region), progress, estimate
            )
        else:
            _aggregate_metrics(
                parsed, source, rows, header, _KeyResolver(kind, header, region), progress, estimate
            )
    except tabular.TableError as error:
        for message in error.errors:
            errors.add(None, "", "", message)
        return parsed
    if not parsed.lines and not errors:
        errors.add(None, "", "", _("The file has no rows under the column names."))
    _check_sums(kind, parsed, header)
    return parsed


def _org_no(raw: Any) -> str | list[str]:
    """The normalised organisation number, "" for none, or ``[message]`` if it is not one."""
    text = _text(raw)
    if not text:
        return ""
    try:
        return normalise_org_no(text)
    except ValidationError as error:
        return [error.messages[0]]


def _report_key_errors(errors: ErrorList, number: int, problems: list[tuple]) -> None:
    for field_name, value, message in problems:
        errors.add(number, field_name, value, message)


def _aggregate_costs(
    parsed: Parsed,
    source: Iterable[Any],
    rows: tabular.CsvRows | tabular.XlsxRows,
    header: _Header,
    resolve: _KeyResolver,
    progress: Progress | None,
    estimate: int,
) -> None:
    index = header.index
    key_of = itemgetter(
        index["region"], index["period"], index["cost_type"], index["profession"], index["care_area"]
    )
    amount_at = index["amount_sek"]
    limit = COSTS.limit
    org_at = index.get("supplier_org_no")
    unit_at = index.get("unit")
    width = max(header.width, amount_at + 1)
    errors, cache = parsed.errors, resolve.cache
    sums: defaultdict[tuple, Decimal] = defaultdict(Decimal)
    supplier_sums: defaultdict[tuple, Decimal] = defaultdict(Decimal)
    org_numbers: dict[Any, str | list[str]] = {}
    is_text = isinstance(rows, tabular.CsvRows)
    hired = CostType.HIRED
    lines = 0
    next_report = PROGRESS_EVERY
    for row in source:
        if len(row) < width:
            if _blank(row):
                continue
            row = list(row) + [""] * (width - len(row))
        raw_key = key_of(row)
        key = cache.get(raw_key)
        if key is None:
            key = cache[raw_key] = resolve(raw_key)
        if key.__class__ is list:
            if _blank(row):
                continue
            _report_key_errors(errors, rows.line_num, key)
            key = None
        lines += 1
        if lines == next_report:
            next_report += PROGRESS_EVERY
            if progress is not None:
                progress(lines, max(estimate, lines))
        raw_amount = row[amount_at]
        if is_text:
            try:
                amount = Decimal(raw_amount)
                if not amount.is_finite():
                    amount = None
            except InvalidOperation:
                amount = parse_amount(raw_amount)
        else:
            amount = parse_amount(raw_amount)
        if amount is None:
            errors.add(rows.line_num, header.name("amount_sek"), raw_amount, _value_error(raw_amount))
            key = None
        elif not -limit < amount < limit:  # also keeps the sums within what Decimal can round
            errors.add(rows.line_num, header.name("amount_sek"), raw_amount, _("too large."))
            amount, key = None, None
        if org_at is not None:
            raw_org = row[org_at]
            org = org_numbers.get(raw_org) if raw_org else ""
            if org is None:
                org = org_numbers[raw_org] = _org_no(raw_org)
            if org.__class__ is list:
                errors.add(rows.line_num, header.name("supplier_org_no"), raw_org, org[0])
                key = None
            elif org and key is not None and key[2] == hired:
                unit = _text(row[unit_at]) if unit_at is not None else ""
                if len(unit) > 30:
                    errors.add(rows.line_num, header.name("unit"), unit, _("longer than 30 characters."))
                    continue
                supplier_sums[(key[0], key[1], org, unit, key[3], key[4])] += amount
        if key is not None:
            sums[key] += amount
    parsed.lines = lines
    parsed.sums = dict(sums)
    parsed.supplier_sums = dict(supplier_sums)
    if progress is not None:
        progress(lines, lines)


def _aggregate_metrics(
    parsed: Parsed,
    source: Iterable[Any],
    rows: tabular.CsvRows | tabular.XlsxRows,
    header: _Header,
    resolve: _KeyResolver,
    progress: Progress | None,
    estimate: int,
) -> None:
    index = header.index
    key_of = itemgetter(
        index["region"], index["period"], index["metric"], index["profession"], index["care_area"]
    )
    value_at = index["value"]
    limit = METRICS_FILE.limit
    width = max(header.width, value_at + 1)
    errors, cache = parsed.errors, resolve.cache
    sums: defaultdict[tuple, Decimal] = defaultdict(Decimal)
    first_row: dict[tuple, int] = {}
    value_name = header.name("value")
    lines = 0
    for row in source:
        if len(row) < width:
            if _blank(row):
                continue
            row = list(row) + [""] * (width - len(row))
        raw_key = key_of(row)
        key = cache.get(raw_key)
        if key is None:
            key = cache[raw_key] = resolve(raw_key)
        if key.__class__ is list and _blank(row):
            continue
        lines += 1
        if progress is not None and lines % PROGRESS_EVERY == 0:
            progress(lines, max(estimate, lines))
        number = rows.line_num
        raw_value = row[value_at]
        value = parse_amount(raw_value)
        if value is None:
            errors.add(number, value_name, raw_value, _value_error(raw_value))
        elif not -limit < value < limit:
            errors.add(number, value_name, raw_value, _("too large."))
            value = None
        if key.__class__ is list:
            _report_key_errors(errors, number, key)
            continue
        if value is None:
            continue
        if key[2] in PERCENT_METRICS:
            if not ZERO <= value <= HUNDRED:
                errors.add(number, value_name, raw_value, _("a percentage must be between 0 and 100."))
                continue
            if key in first_row:
                errors.add(
                    number,
                    header.name("metric"),
                    raw_key[2],
                    _(
                        "the same indicator, region, month, profession and care area is already on row "
                        "%(first)d; percentages cannot be added up."
                    )
                    % {"first": first_row[key]},
                )
                continue
            first_row[key] = number
        sums[key] += value
    parsed.lines = lines
    parsed.sums = dict(sums)
    if progress is not None:
        progress(lines, lines)


def _key_label(key: tuple) -> str:
    region, month, code, profession, care_area = key[:5]
    parts = [region, f"{month:%Y-%m}", code, profession or "–", care_area or "–"]
    return " ".join(parts)


def _check_sums(kind: FileKind, parsed: Parsed, header: _Header | None) -> None:
    """Round each sum to öre; the sum of hired or own cost (or FTE) per key must not be negative."""
    if parsed.errors or header is None:
        return
    limit = kind.limit
    value_name = header.name(kind.value_column)
    for sums in (parsed.sums, parsed.supplier_sums):
        for key, total in sums.items():
            rounded = total.quantize(CENT, ROUND_HALF_UP)
            sums[key] = rounded
            if abs(rounded) >= limit:
                parsed.errors.add(
                    None,
                    value_name,
                    rounded,
                    _("the lines for %(key)s add up to more than the largest amount that can be stored.")
                    % {"key": _key_label(key)},
                )
    for key, total in parsed.sums.items():
        negative_not_allowed = (kind is COSTS and key[2] in NON_NEGATIVE_COST_TYPES) or (
            kind is METRICS_FILE and key[2] not in PERCENT_METRICS
        )
        if negative_not_allowed and total < 0:
            parsed.errors.add(
                None,
                value_name,
                total,
                _("the lines for %(key)s add up to a negative amount (%(total)s).")
                % {"key": _key_label(key), "total": total},
            )


# --- Storing ------------------------------------------------------------------------------------------


def _model_of(kind: FileKind) -> type[models.Model]:
    return CostEntry if kind is COSTS else StaffingMetric


def _months_filter(region_months: list[tuple[str, datetime.date]], region_ids: dict[str, int]) -> Q:
    by_region: dict[str, list[datetime.date]] = defaultdict(list)
    for code, month in region_months:
        by_region[code].append(month)
    query = Q(pk__in=[])
    for code, months in by_region.items():
        query |= Q(region_id=region_ids[code], period__in=months)
    return query


def _label(code: str, month: datetime.date) -> str:
    return f"{code}-{month:%Y-%m}"


def _occupied(
    model: type[models.Model], region_months: list[tuple[str, datetime.date]], region_ids: dict[str, int]
) -> list[str]:
    """The covered region-months that already hold data, as ``14-2024-01`` labels."""
    codes = {region_id: code for code, region_id in region_ids.items()}
    wanted = set(region_months)
    first, last = min(month for _code, month in wanted), max(month for _code, month in wanted)
    found = (
        model.objects.filter(  # type: ignore[attr-defined]
            region_id__in=[region_ids[code] for code, _month in wanted],
            period__gte=first,
            period__lte=last,
        )
        .values_list("region_id", "period")
        .distinct()
    )
    return sorted(_label(codes[r], p) for r, p in found if (codes[r], p) in wanted)


def _still_in_place(earlier: CostImport) -> bool:
    model = CostEntry if earlier.kind == ImportKind.COSTS else StaffingMetric
    return model.objects.filter(cost_import=earlier).count() == earlier.entries  # type: ignore[attr-defined]


def _earlier_same_file(record: CostImport, kind: FileKind) -> CostImport | None:
    candidates = CostImport.objects.filter(kind=kind.kind, status=ImportStatus.DONE, sha256=record.sha256)
    if record.pk is not None:
        candidates = candidates.exclude(pk=record.pk)
    for earlier in candidates.order_by("-finished_at", "-pk")[:5]:
        if _still_in_place(earlier):
            return earlier
    return None


def _summary_totals(kind: FileKind, parsed: Parsed) -> dict[str, str]:
    totals: dict[str, Decimal] = defaultdict(Decimal)
    for key, value in parsed.sums.items():
        totals[key[2]] += value
    order = CostType.values if kind is COSTS else MetricKind.values
    return {code: str(totals[code]) for code in order if code in totals}


def _reject(record: CostImport, errors: list[dict[str, Any]], lines: int) -> CostImport:
    record.status = ImportStatus.REJECTED
    record.errors = errors
    record.lines = lines
    record.lines_done = lines
    record.entries = 0
    record.finished_at = timezone.now()
    record.save()
    return record


def _insert_entries(kind: FileKind, record: CostImport, parsed: Parsed, region_ids: dict[str, int]) -> None:
    connection = connections[router.db_for_write(CostEntry)]
    month_value = {
        month: connection.ops.adapt_datefield_value(month) for _code, month in parsed.region_months
    }
    amount = connection.ops.adapt_decimalfield_value
    if kind is COSTS:
        source = record.filename[:100]
        _insert(
            CostEntry,
            (
                "region",
                "period",
                "cost_type",
                "profession",
                "care_area",
                "amount_sek",
                "source",
                "cost_import",
            ),
            (
                (
                    region_ids[code],
                    month_value[month],
                    cost_type,
                    profession,
                    care_area,
                    amount(total, 16, 2),
                    source,
                    record.pk,
                )
                for (code, month, cost_type, profession, care_area), total in parsed.sums.items()
            ),
        )
        _insert(
            SupplierCostEntry,
            (
                "region",
                "period",
                "supplier_org_no",
                "unit",
                "profession",
                "care_area",
                "amount_sek",
                "cost_import",
            ),
            (
                (
                    region_ids[code],
                    month_value[month],
                    org,
                    unit,
                    profession,
                    care_area,
                    amount(total, 16, 2),
                    record.pk,
                )
                for (code, month, org, unit, profession, care_area), total in parsed.supplier_sums.items()
            ),
        )
    else:
        _insert(
            StaffingMetric,
            ("region", "period", "metric", "profession", "care_area", "value", "cost_import"),
            (
                (
                    region_ids[code],
                    month_value[month],
                    metric,
                    profession,
                    care_area,
                    amount(value, 14, 2),
                    record.pk,
                )
                for (code, month, metric, profession, care_area), value in parsed.sums.items()
            ),
        )


class _MonthsTaken(Exception):
    def __init__(self, labels: list[str]) -> None:
        super().__init__(", ".join(labels))
        self.labels = labels


def _store(kind: FileKind, record: CostImport, parsed: Parsed, actor: Any) -> CostImport:
    """Write the figures in one transaction; _MonthsTaken (nothing written) if the file's months
    already hold figures and are not to be replaced."""
    region_ids = dict(Region.objects.values_list("code", "pk"))
    region_months = parsed.region_months
    model = _model_of(kind)
    with transaction.atomic():
        replaced = 0
        if record.replace:
            months = _months_filter(region_months, region_ids)
            replaced, _detail = model.objects.filter(months).delete()  # type: ignore[attr-defined]
            if kind is COSTS:
                SupplierCostEntry.objects.filter(months).delete()
        else:
            taken = _occupied(model, region_months, region_ids)
            if taken:
                raise _MonthsTaken(taken)
        codes = parsed.region_codes
        if record.region_id is None and len(codes) == 1:
            record.region_id = region_ids[codes[0]]
        record.status = ImportStatus.DONE
        record.lines = record.lines_done = parsed.lines
        record.entries = len(parsed.sums)
        record.region_months = [_label(code, month) for code, month in region_months]
        record.totals = _summary_totals(kind, parsed)
        record.errors = []
        record.finished_at = timezone.now()
        record.save()
        _insert_entries(kind, record, parsed, region_ids)
        audit.record(
            actor,
            AuditAction.IMPORT,
            record,
            after={
                "import": kind.kind,
                "file": record.filename,
                "sha256": record.sha256,
                "lines": record.lines,
                "entries": record.entries,
                "supplier_entries": len(parsed.supplier_sums),
                "region_months": len(record.region_months),
                "replace": record.replace,
                "replaced_rows": replaced,
                "totals": record.totals,
            },
            reason=f"{kind.kind} import {record.filename} ({record.lines} lines)",
        )
    return record


def run(
    kind: FileKind,
    record: CostImport,
    data: bytes,
    *,
    actor: Any,
    region: Region | None,
    progress: Progress | None = None,
) -> CostImport:
    """Import ``data`` into ``record`` (saved or not yet saved); see the module docstring.

    Returns the record – DONE or REJECTED – or, when the same file is already imported and its rows
    still in place, the earlier import (an unsaved record is then not saved at all; a queued one is
    marked REJECTED saying so). The returned import's ``already_imported`` tells which.
    """
    record.kind = kind.kind
    record.sha256 = record.sha256 or hashlib.sha256(data).hexdigest()
    if region is not None:
        record.region = region
    record.already_imported = False  # type: ignore[attr-defined]
    parsed = _read(kind, data, record.filename, region, progress)
    if parsed.errors:
        return _reject(record, parsed.errors.stored(), parsed.lines)
    earlier = _earlier_same_file(record, kind)
    if earlier is not None:
        earlier.already_imported = True  # type: ignore[attr-defined]
        if record.pk is not None:
            message = _(
                "This file was already imported (import %(number)d, %(when)s); nothing was changed."
            ) % {
                "number": earlier.pk,
                "when": timezone.localtime(earlier.finished_at).strftime("%Y-%m-%d %H:%M"),
            }
            _reject(
                record,
                [{"row": None, "field": "", "value": "", "message": message, "duplicate_of": earlier.pk}],
                parsed.lines,
            )
        return earlier
    saved_pk = record.pk
    try:
        return _store(kind, record, parsed, actor)
    except _MonthsTaken as taken:
        labels = taken.labels
    except IntegrityError:
        # Another import stored some of the same months in the meantime; the transaction was
        # rolled back, so an unsaved record is unsaved again.
        record.pk, record._state.adding = saved_pk, saved_pk is None
        labels = [_label(code, month) for code, month in parsed.region_months]
    shown = ", ".join(labels[:24]) + (" …" if len(labels) > 24 else "")
    message = _(
        "The file covers %(count)d region-month(s) that already hold figures: %(months)s. "
        "Nothing was imported; to replace those months, import again with “replace”."
    ) % {"count": len(labels), "months": shown}
    return _reject(record, [{"row": None, "field": "", "value": "", "message": message}], parsed.lines)


def _new_record(
    actor: Any, filename: str, data: bytes, *, replace: bool, definition_note: str = ""
) -> CostImport:
    return CostImport(
        status=ImportStatus.RUNNING,
        created_by=audit.acting_user(actor),
        filename=filename[:255],
        sha256=hashlib.sha256(data).hexdigest(),
        replace=replace,
        definition_note=definition_note[:300],
    )


def import_costs(
    actor: Any,
    data: bytes,
    filename: str,
    *,
    replace: bool,
    region: Region | None = None,
    progress: Progress | None = None,
    definition_note: str = "",
) -> CostImport:
    """Import a cost file (see the module docstring). ``region``: a region user's upload, every row
    must be that region. Returns the DONE or REJECTED import, or an earlier one (``already_imported``)."""
    record = _new_record(actor, filename, data, replace=replace, definition_note=definition_note)
    return run(COSTS, record, data, actor=actor, region=region, progress=progress)


def import_metrics(
    actor: Any,
    data: bytes,
    filename: str,
    *,
    replace: bool,
    region: Region | None = None,
    progress: Progress | None = None,
) -> CostImport:
    """Import a staffing-metrics file ``region,period,metric,profession,care_area,value``."""
    record = _new_record(actor, filename, data, replace=replace)
    return run(METRICS_FILE, record, data, actor=actor, region=region, progress=progress)


def file_kind(kind: str) -> FileKind:
    return COSTS if kind == ImportKind.COSTS else METRICS_FILE
