"""Reading a whole file into its sums per key, validated: the columnar reader for large CSV files,
the row-by-row reader for workbooks, small files and every file the columnar reader declines
(anything it cannot prove valid), which then names each bad row and field."""

from __future__ import annotations

from pathlib import Path

from django.utils.translation import gettext as _

import hyrkoll.followup.importing.columnar as columnar  # the module (tests and the benchmark patch its function)
from hyrkoll.followup.importing.aggregation import Parsed, Progress, aggregate_rows, check_sums
from hyrkoll.followup.importing.formats import FileKind
from hyrkoll.followup.importing.validation import Header, KeyResolver
from hyrkoll.followup.importing.values import blank
from hyrkoll.lib import tabular
from hyrkoll.organisation.models import Region


def _estimate_lines(data: bytes, rows: tabular.CsvRows | tabular.XlsxRows) -> int:
    if isinstance(rows, tabular.XlsxRows):
        return max((rows.total or 1) - 1, 0)
    lines = data.count(b"\n")
    if data and not data.endswith(b"\n"):
        lines += 1
    return max(lines - 1, 0)


def read_rows(
    kind: FileKind, data: bytes, filename: str, region: Region | None, progress: Progress | None
) -> Parsed:
    """The row-by-row reader: every row validated, every error named with its row and field."""
    parsed = Parsed()
    errors = parsed.errors
    if not data.strip():
        errors.add(None, "", "", _("The file is empty."))
        return parsed
    try:
        rows = tabular.open_rows(data, filename)
        source = iter(rows.raw())
        header: Header | None = None
        for values in source:
            if not blank(values):
                header = Header(kind, values, rows.line_num, errors)
                break
        if header is None:
            errors.add(None, "", "", _("The file is empty."))
            return parsed
        if errors:
            return parsed
        resolver = KeyResolver(kind, header, region)
        aggregate_rows(kind, parsed, source, rows, header, resolver, progress, _estimate_lines(data, rows))
    except tabular.TableError as error:
        for message in error.errors:
            errors.add(None, "", "", message)
        return parsed
    if not parsed.lines and not errors:
        errors.add(None, "", "", _("The file has no rows under the column names."))
    if not parsed.errors:
        check_sums(kind, parsed, header.name(kind.value_column))
    return parsed


def read(
    kind: FileKind, data: bytes | Path, filename: str, region: Region | None, progress: Progress | None
) -> Parsed:
    """The file's sums per key, or its errors. ``data``: the file's bytes or its path."""
    parsed = columnar.read_columnar(kind, data, filename, region, progress)
    if parsed is not None:
        return parsed
    if isinstance(data, Path):
        data = data.read_bytes()
    return read_rows(kind, data, filename, region, progress)
