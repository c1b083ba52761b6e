"""Storing a validated file: nothing counted twice, the covered region-months replaced in one
transaction when asked, the rows inserted in bulk (COPY on PostgreSQL), one IMPORT audit event."""

from __future__ import annotations

import contextlib
import datetime
from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.db import connections, models, router, transaction
from django.db.models import Q
from django.utils import timezone

from hyrkoll.audit import services as audit
from hyrkoll.audit.models import AuditAction
from hyrkoll.followup.importing.aggregation import Parsed
from hyrkoll.followup.importing.formats import COSTS, FileKind, file_kind
from hyrkoll.followup.models import (
    CostEntry,
    CostImport,
    CostType,
    ImportStatus,
    MetricKind,
    StaffingMetric,
    SupplierCostMonth,
)
from hyrkoll.lib.bulk import insert_rows
from hyrkoll.organisation.models import Region


class MonthsTaken(Exception):
    """The file's region-months already hold figures and are not to be replaced."""

    def __init__(self, labels: list[str]) -> None:
        super().__init__(", ".join(labels))
        self.labels = labels


def model_of(kind: FileKind) -> type[models.Model]:
    return CostEntry if kind is COSTS else StaffingMetric


def label(code: str, month: datetime.date) -> str:
    return f"{code}-{month:%Y-%m}"


def _months_filter(region_months: list[tuple[str, datetime.date]], region_ids: dict[str, int]) -> Q:
    by_region: dict[str, list[datetime.date]] = defaultdict(list)
    for code, month in region_months:
        by_region[code].append(month)
    query = Q(pk__in=[])
    for code, months in by_region.items():
        query |= Q(region_id=region_ids[code], period__in=months)
    return query


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
    return sorted(label(codes[r], p) for r, p in found if (codes[r], p) in wanted)


def _still_in_place(earlier: CostImport) -> bool:
    model = model_of(file_kind(earlier.kind))
    return model.objects.filter(cost_import=earlier).count() == earlier.entries  # type: ignore[attr-defined]


def earlier_same_file(record: CostImport, kind: FileKind) -> CostImport | None:
    """An earlier import of the very same file (SHA-256) whose rows are all still in place."""
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


def reject(record: CostImport, errors: list[dict[str, Any]], lines: int) -> CostImport:
    record.status = ImportStatus.REJECTED
    record.errors = errors
    record.lines = lines
    record.lines_done = lines
    record.entries = 0
    record.finished_at = timezone.now()
    record.save()
    return record


SUPPLIER_FIELDS = ("region", "period", "entries", "cost_import")


def _ahead(rows: Any, pk: int, region_ids: dict[str, int], connection: Any) -> Any:
    """The columnar reader's supplier rows, made ready for the database by DuckDB in a thread that
    starts now: CSV blocks for PostgreSQL's COPY, batches of tuples elsewhere."""
    if connection.vendor == "postgresql":
        return rows.csv_blocks(region_ids, pk)
    return rows.batches(region_ids, pk)


def _copy_supplier_rows(ahead: Any, connection: Any) -> None:
    """``_ahead``'s rows: on PostgreSQL sent with COPY while DuckDB writes the next part; elsewhere
    inserted in batches straight through the driver (Django's cursor wrapper adds nothing here)."""
    quote, meta = connection.ops.quote_name, SupplierCostMonth._meta
    table = quote(meta.db_table)
    columns = ", ".join(quote(meta.get_field(name).column) for name in SUPPLIER_FIELDS)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN WITH (FORMAT csv)") as copy:
                for block in ahead:
                    copy.write(block)
            return
        placeholders = ", ".join(["%s"] * len(SUPPLIER_FIELDS))
        sql = f"INSERT INTO {table} ({columns}) VALUES ({placeholders})"
        if connection.vendor == "sqlite":
            sql, cursor = sql.replace("%s", "?"), connection.connection.cursor()
        try:
            for batch in ahead:
                cursor.executemany(sql, batch)
        finally:
            cursor.close()


def insert_entries(kind: FileKind, record: CostImport, parsed: Parsed, region_ids: dict[str, int]) -> None:
    connection = connections[router.db_for_write(CostEntry)]
    month_value = {
        month: connection.ops.adapt_datefield_value(month) for _code, month in parsed.region_months
    }
    amount = connection.ops.adapt_decimalfield_value
    pk = record.pk
    if kind is not COSTS:
        insert_rows(
            StaffingMetric,
            ("region", "period", "metric", "profession", "care_area", "value", "cost_import"),
            (
                (region_ids[code], month_value[month], metric, profession, area, amount(value, 14, 2), pk)
                for (code, month, metric, profession, area), value in parsed.sums.items()
            ),
        )
        return
    source = record.filename[:100]

    def monthly_rows() -> None:
        insert_rows(
            CostEntry,
            ("region", "period", "cost_type", "profession", "care_area", "amount_sek", "source", "cost_import"),
            (
                (region_ids[code], month_value[month], cost_type, profession, area, amount(total, 16, 2), source, pk)
                for (code, month, cost_type, profession, area), total in parsed.sums.items()
            ),
        )  # fmt: skip

    if parsed.supplier_rows is not None:
        # DuckDB makes the first supplier rows ready while the monthly rows are inserted.
        with contextlib.closing(_ahead(parsed.supplier_rows, pk, region_ids, connection)) as ahead:
            monthly_rows()
            _copy_supplier_rows(ahead, connection)
        return
    monthly_rows()
    insert_rows(
        SupplierCostMonth,
        SUPPLIER_FIELDS,
        (
            (region_ids[code], month_value[month], entries, pk)
            for (code, month), entries in parsed.supplier_months().items()
        ),
    )


def store(kind: FileKind, record: CostImport, parsed: Parsed, actor: Any) -> CostImport:
    """Write the figures in one transaction; MonthsTaken (nothing written) if the file's months
    already hold figures and are not to be replaced."""
    region_ids = dict(Region.objects.values_list("code", "pk"))
    region_months = parsed.region_months
    model = model_of(kind)
    with transaction.atomic():
        replaced = 0
        if record.replace:
            months = _months_filter(region_months, region_ids)
            replaced, _detail = model.objects.filter(months).delete()  # type: ignore[attr-defined]
            if kind is COSTS:
                SupplierCostMonth.objects.filter(months).delete()
        else:
            taken = _occupied(model, region_months, region_ids)
            if taken:
                raise MonthsTaken(taken)
        codes = parsed.region_codes
        if record.region_id is None and len(codes) == 1:
            record.region_id = region_ids[codes[0]]
        record.status = ImportStatus.DONE
        record.lines = record.lines_done = parsed.lines
        record.entries = len(parsed.sums)
        record.region_months = [label(code, month) for code, month in region_months]
        record.totals = _summary_totals(kind, parsed)
        record.errors = []
        record.finished_at = timezone.now()
        record.save()
        insert_entries(kind, record, parsed, region_ids)
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
                "supplier_entries": parsed.supplier_count,
                "region_months": len(record.region_months),
                "replace": record.replace,
                "replaced_rows": replaced,
                "totals": record.totals,
            },
            reason=f"{kind.kind} import {record.filename} ({record.lines} lines)",
        )
    return record
