"""Import of monthly costs and staffing metrics from a CSV or Excel file.

The one entry point is :func:`import_file` (the management commands, the upload job and the API
call it; ``import_costs`` and ``import_metrics`` name the kind). The file formats are in
``formats``; a file is read (``reading``: the columnar reader for large CSV files, row by row
otherwise), its cells validated (``values``, ``validation``), its lines added up per key
(``aggregation``) and stored (``storing``).

The rules, in order:

1. **The whole file is validated first.** Every bad row and field is named (the row number as the
   file shows it, the column, the bad value; the first 1,000 listed, all counted). Any error
   rejects the file: the ``CostImport`` is saved as REJECTED with the errors, and no figures change.
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
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from django.db import IntegrityError
from django.utils import timezone
from django.utils.translation import gettext as _

from hyrkoll.audit import services as audit
from hyrkoll.followup.importing import reading, storing
from hyrkoll.followup.importing.aggregation import Parsed, Progress
from hyrkoll.followup.importing.errors import MAX_ERRORS, error_count, format_error
from hyrkoll.followup.importing.formats import (
    COST_HEADERS,
    COSTS,
    METRIC_HEADERS,
    METRICS_FILE,
    FileKind,
    file_kind,
    fold,
)
from hyrkoll.followup.models import CostImport, ImportKind, ImportStatus
from hyrkoll.organisation.models import Region

__all__ = [
    "COSTS",
    "COST_HEADERS",
    "MAX_ERRORS",
    "METRICS_FILE",
    "METRIC_HEADERS",
    "FileKind",
    "Progress",
    "error_count",
    "file_kind",
    "fold",
    "format_error",
    "import_costs",
    "import_file",
    "import_metrics",
]


def _sha256(data: bytes | Path) -> str:
    if isinstance(data, bytes):
        return hashlib.sha256(data).hexdigest()
    with data.open("rb") as file:
        return hashlib.file_digest(file, "sha256").hexdigest()


def _run(
    kind: FileKind,
    record: CostImport,
    data: bytes | Path,
    *,
    actor: Any,
    region: Region | None,
    progress: Progress | None,
) -> CostImport:
    record.kind = kind.kind
    record.sha256 = record.sha256 or _sha256(data)
    if region is not None:
        record.region = region
    record.already_imported = False  # type: ignore[attr-defined]
    parsed = reading.read(kind, data, record.filename, region, progress)
    try:
        return _finish(kind, record, parsed, actor)
    finally:
        parsed.close()


def _finish(kind: FileKind, record: CostImport, parsed: Parsed, actor: Any) -> CostImport:
    if parsed.errors:
        return storing.reject(record, parsed.errors.stored(), parsed.lines)
    earlier = storing.earlier_same_file(record, kind)
    if earlier is not None:
        earlier.already_imported = True  # type: ignore[attr-defined]
        if record.pk is not None:
            message = _(
                "This file was already imported (import %(number)d, %(when)s); nothing was changed."
            ) % {
                "number": earlier.pk,
                "when": timezone.localtime(earlier.finished_at).strftime("%Y-%m-%d %H:%M"),
            }
            storing.reject(
                record,
                [{"row": None, "field": "", "value": "", "message": message, "duplicate_of": earlier.pk}],
                parsed.lines,
            )
        return earlier
    saved_pk = record.pk
    try:
        return storing.store(kind, record, parsed, actor)
    except storing.MonthsTaken as taken:
        labels = taken.labels
    except IntegrityError:
        # Another import stored some of the same months in the meantime; the transaction was
        # rolled back, so an unsaved record is unsaved again.
        record.pk, record._state.adding = saved_pk, saved_pk is None
        labels = [storing.label(code, month) for code, month in parsed.region_months]
    shown = ", ".join(labels[:24]) + (" …" if len(labels) > 24 else "")
    message = _(
        "The file covers %(count)d region-month(s) that already hold figures: %(months)s. "
        "Nothing was imported; to replace those months, import again with “replace”."
    ) % {"count": len(labels), "months": shown}
    return storing.reject(record, [{"row": None, "field": "", "value": "", "message": message}], parsed.lines)


def import_file(
    kind: str,
    data: bytes | Path,
    filename: str,
    *,
    actor: Any,
    replace: bool = False,
    region: Region | None = None,
    progress: Progress | None = None,
    definition_note: str = "",
    record: CostImport | None = None,
) -> CostImport:
    """Import a cost or metrics file (``kind``: ``ImportKind``); see the module docstring.

    ``data``: the file's bytes, or its path (a large CSV file is then read where it lies, never
    held in memory).

    ``region``: a region user's upload, every row must be that region. ``record``: the queued
    import the upload job runs (its file name, replace flag and note are used); otherwise a new one.

    Returns the record – DONE or REJECTED – or, when the same file is already imported and its rows
    still in place, the earlier import (a new record is then not saved at all; a queued one is
    marked REJECTED saying so). The returned import's ``already_imported`` tells which.
    """
    if record is None:
        record = CostImport(
            status=ImportStatus.RUNNING,
            created_by=audit.acting_user(actor),
            filename=filename[:255],
            sha256=_sha256(data),
            replace=replace,
            definition_note=definition_note[:300],
        )
    return _run(file_kind(kind), record, data, actor=actor, region=region, progress=progress)


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
    """A cost ledger ``region,period,cost_type,profession,care_area,amount_sek[,supplier_org_no,unit]``."""
    return import_file(
        ImportKind.COSTS,
        data,
        filename,
        actor=actor,
        replace=replace,
        region=region,
        progress=progress,
        definition_note=definition_note,
    )


def import_metrics(
    actor: Any,
    data: bytes,
    filename: str,
    *,
    replace: bool,
    region: Region | None = None,
    progress: Progress | None = None,
) -> CostImport:
    """A staffing-metrics file ``region,period,metric,profession,care_area,value``."""
    return import_file(
        ImportKind.METRICS, data, filename, actor=actor, replace=replace, region=region, progress=progress
    )
