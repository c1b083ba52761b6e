"""Import of the agreement's zone list: a CSV file ``municipality_code,zone``.

The file is validated whole; any bad row rejects the file with a message naming the row and field,
and nothing changes. A valid file sets each listed municipality's zone and marks it official.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from hyrkoll.audit import services as audit
from hyrkoll.audit.models import AuditAction
from hyrkoll.organisation.models import Municipality, ZoneSource

REQUIRED_COLUMNS = ("municipality_code", "zone")
MAX_BYTES = 1_000_000


class ZoneImportError(Exception):
    def __init__(self, errors: list[str]) -> None:
        super().__init__("\n".join(errors))
        self.errors = errors


@dataclass
class ZoneImportResult:
    rows: int = 0
    changed: list[str] = field(default_factory=list)


def _decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ZoneImportError([_("The file is not text (UTF-8 or Windows-1252).")])


def parse_zone_csv(data: bytes) -> dict[str, int]:
    """``{municipality_code: zone}``; raises ZoneImportError listing every bad row."""
    if len(data) > MAX_BYTES:
        raise ZoneImportError([_("The file is larger than 1 MB.")])
    text = _decode(data)
    if not text.strip():
        raise ZoneImportError([_("The file is empty.")])
    try:
        dialect = csv.Sniffer().sniff(text.splitlines()[0], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.DictReader(io.StringIO(text), dialect=dialect)
    try:
        header = [(name or "").strip().lower() for name in (reader.fieldnames or [])]
        missing = [column for column in REQUIRED_COLUMNS if column not in header]
        if missing:
            raise ZoneImportError([_("Missing column(s): %(columns)s.") % {"columns": ", ".join(missing)}])
        reader.fieldnames = header
        # The physical line of each row, as a spreadsheet numbers it (blank lines are skipped).
        rows = [(reader.line_num, row) for row in reader]
    except csv.Error as error:
        # e.g. an unclosed quote running past the csv module's field size limit
        raise ZoneImportError(
            [
                _("Row %(row)d: not readable as CSV (%(error)s).")
                % {"row": reader.line_num + 1, "error": error}
            ]
        ) from None
    known = set(Municipality.objects.values_list("code", flat=True))
    zones: dict[str, int] = {}
    first_row: dict[str, int] = {}
    errors: list[str] = []
    for row_number, row in rows:
        code = (row.get("municipality_code") or "").strip()
        raw_zone = (row.get("zone") or "").strip()
        if not code and not raw_zone:
            continue
        if len(code) == 3 and code.isdigit():
            code = "0" + code  # spreadsheets drop the leading zero of Stockholm county's codes
        if code not in known:
            errors.append(
                _("Row %(row)d, municipality_code: unknown municipality code %(code)r.")
                % {"row": row_number, "code": code}
            )
            continue
        if raw_zone not in {"1", "2", "3"}:
            errors.append(
                _("Row %(row)d, zone: %(value)r is not 1, 2 or 3.") % {"row": row_number, "value": raw_zone}
            )
            continue
        if code in first_row:
            errors.append(
                _("Row %(row)d, municipality_code: %(code)s is already on row %(first)d.")
                % {"row": row_number, "code": code, "first": first_row[code]}
            )
            continue
        first_row[code] = row_number
        zones[code] = int(raw_zone)
    if errors:
        raise ZoneImportError(errors)
    if not zones:
        raise ZoneImportError([_("The file has no rows.")])
    return zones


@transaction.atomic
def import_zones(actor: Any, data: bytes, filename: str = "") -> ZoneImportResult:
    zones = parse_zone_csv(data)
    result = ZoneImportResult(rows=len(zones))
    for municipality in Municipality.objects.select_for_update().filter(code__in=zones):
        new_zone = zones[municipality.code]
        if municipality.zone == new_zone and municipality.zone_source == ZoneSource.OFFICIAL:
            continue
        before = audit.snapshot(municipality)
        municipality.zone = new_zone
        municipality.zone_source = ZoneSource.OFFICIAL
        municipality.save(update_fields=["zone", "zone_source"])
        audit.record(actor, AuditAction.UPDATE, municipality, before=before, reason=f"Zone import {filename}")
        result.changed.append(municipality.code)
    return result
