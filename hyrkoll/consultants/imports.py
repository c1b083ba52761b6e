"""A region's imports: the licence-register extract (HOSP) and its list of former employees.

Both come as CSV (comma, semicolon or tab; UTF-8 with or without BOM, or Windows-1252) or as an
Excel workbook (.xlsx, first sheet). Each file replaces the region's whole list – it is a snapshot –
and is validated whole first: any bad row rejects the file with messages naming the row and field,
and nothing changes. A valid file is stored in one transaction with one audit event.

Personal identity numbers are never stored, logged or echoed back: only their keyed hash is kept,
and an error names the row, not the number.
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from hyrkoll.agreement.models import Competence, Profession
from hyrkoll.audit import services as audit
from hyrkoll.audit.models import AuditAction
from hyrkoll.consultants.models import FormerEmployee, LicenceRegisterEntry
from hyrkoll.lib import tabular
from hyrkoll.lib.personal_numbers import keyed_hash, normalise
from hyrkoll.organisation.models import Region

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 200_000
MAX_ERRORS = 200

LICENCE_COLUMNS = (
    "licence_number",
    "first_name",
    "last_name",
    "profession",
    "competence",
    "licensed_on",
    "specialist_since",
)
FORMER_EMPLOYEE_COLUMNS = ("personal_number", "employed_until")


class ImportFileError(Exception):
    """The file was rejected; ``errors`` name each bad row and field. Nothing was changed."""

    def __init__(self, errors: list[str]) -> None:
        if len(errors) > MAX_ERRORS:
            more = len(errors) - MAX_ERRORS
            errors = [
                *errors[:MAX_ERRORS],
                _("… and %(count)d more errors.") % {"count": more},
            ]
        super().__init__("\n".join(errors))
        self.errors = errors


@dataclass
class ImportResult:
    rows: int
    removed: int
    sha256: str


Row = tuple[int, dict[str, str]]


# --- Reading the table ------------------------------------------------------------------------------


def read_table(data: bytes, filename: str, columns: tuple[str, ...]) -> list[Row]:
    """The file's rows as ``(row number, {column: text})``, blank rows left out.

    Raises ImportFileError for a file that is too large, empty, unreadable or missing a column.
    """
    if len(data) > MAX_BYTES:
        raise ImportFileError([_("The file is larger than 5 MB.")])
    if not data.strip():
        raise ImportFileError([_("The file is empty.")])
    header: list[str] | None = None
    rows: list[Row] = []
    try:
        for number, values in tabular.text_rows(data, filename):
            if not any(values):
                continue
            if header is None:
                header = [value.strip().lower().lstrip("\ufeff") for value in values]
                missing = [column for column in columns if column not in header]
                if missing:
                    raise ImportFileError(
                        [
                            _(
                                "Row %(row)d: missing column(s) %(columns)s; the first row must name the columns %(all)s."
                            )
                            % {"row": number, "columns": ", ".join(missing), "all": ",".join(columns)}
                        ]
                    )
                continue
            if len(rows) >= MAX_ROWS:
                raise ImportFileError([_("The file has more than %(max)d rows.") % {"max": MAX_ROWS}])
            row = {name: (values[index] if index < len(values) else "") for index, name in enumerate(header)}
            rows.append((number, row))
    except tabular.TableError as error:
        raise ImportFileError(error.errors) from None
    if header is None:
        raise ImportFileError([_("The file is empty.")])
    if not rows:
        raise ImportFileError([_("The file has no rows under the column names.")])
    return rows


def _date(raw: str) -> datetime.date | None:
    """``YYYY-MM-DD`` → date; None if it is not one."""
    try:
        return datetime.date.fromisoformat(raw) if len(raw) == 10 else None
    except ValueError:
        return None


def _field_error(row: int, column: str, message: str) -> str:
    return _("Row %(row)d, %(column)s: %(message)s") % {"row": row, "column": column, "message": message}


def _date_error(row: int, column: str, raw: str) -> str:
    if not raw:
        return _field_error(row, column, _("required."))
    return _field_error(row, column, _("%(value)r is not a date (YYYY-MM-DD).") % {"value": raw})


# --- The licence-register extract -------------------------------------------------------------------


def parse_licence_register(data: bytes, filename: str = "") -> list[LicenceRegisterEntry]:
    """Unsaved entries (without region); raises ImportFileError listing every bad row and field."""
    rows = read_table(data, filename, LICENCE_COLUMNS)
    professions = {p.code: p for p in Profession.objects.all()}
    competences = {c.code: c for c in Competence.objects.all()}
    entries: list[LicenceRegisterEntry] = []
    first_row: dict[tuple[str, str], int] = {}
    errors: list[str] = []
    for number, row in rows:
        row_errors: list[str] = []
        licence_number = row["licence_number"]
        first_name, last_name = row["first_name"], row["last_name"]
        for column, value, max_length in (
            ("licence_number", licence_number, 20),
            ("first_name", first_name, 100),
            ("last_name", last_name, 100),
        ):
            if not value:
                row_errors.append(_field_error(number, column, _("required.")))
            elif len(value) > max_length:
                row_errors.append(
                    _field_error(number, column, _("longer than %(max)d characters.") % {"max": max_length})
                )
        profession_code = row["profession"].lower()
        profession = professions.get(profession_code)
        if profession is None:
            row_errors.append(
                _field_error(
                    number,
                    "profession",
                    _("unknown profession code %(code)r (use %(codes)s).")
                    % {"code": row["profession"], "codes": ", ".join(sorted(professions))},
                )
            )
        competence_code = row["competence"].lower()
        competence = None
        if competence_code:
            competence = competences.get(competence_code)
            if competence is None:
                row_errors.append(
                    _field_error(
                        number,
                        "competence",
                        _("unknown competence code %(code)r.") % {"code": row["competence"]},
                    )
                )
            elif profession is not None and competence.profession_id != profession.pk:
                row_errors.append(
                    _field_error(
                        number,
                        "competence",
                        _("%(competence)s is a competence of another profession than %(profession)s.")
                        % {"competence": competence_code, "profession": profession_code},
                    )
                )
        licensed_on = _date(row["licensed_on"])
        if licensed_on is None:
            row_errors.append(_date_error(number, "licensed_on", row["licensed_on"]))
        specialist_since = None
        if row["specialist_since"]:
            specialist_since = _date(row["specialist_since"])
            if specialist_since is None:
                row_errors.append(_date_error(number, "specialist_since", row["specialist_since"]))
            elif licensed_on is not None and specialist_since < licensed_on:
                row_errors.append(
                    _field_error(number, "specialist_since", _("before the licence date (licensed_on)."))
                )
        key = (licence_number, competence_code)
        if licence_number and key in first_row:
            row_errors.append(
                _field_error(
                    number,
                    "licence_number",
                    _("%(number)s with the same competence is already on row %(first)d.")
                    % {"number": licence_number, "first": first_row[key]},
                )
            )
        elif licence_number:
            first_row[key] = number
        if row_errors:
            errors.extend(row_errors)
            continue
        entries.append(
            LicenceRegisterEntry(
                licence_number=licence_number,
                first_name=first_name,
                last_name=last_name,
                profession=profession,
                competence=competence,
                licensed_on=licensed_on,
                specialist_since=specialist_since,
            )
        )
    if errors:
        raise ImportFileError(errors)
    return entries


def _replace_region_rows(
    actor: Any,
    region: Region,
    model: Any,
    rows: list[Any],
    *,
    kind: str,
    filename: str,
    digest_field: str,
    digest: str,
    reason: str,
) -> ImportResult:
    """Replace all of the region's rows of the model with ``rows`` and record one IMPORT event."""
    for row in rows:
        row.region = region
    removed, _detail = model.objects.filter(region=region).delete()
    model.objects.bulk_create(rows, batch_size=1000)
    result = ImportResult(rows=len(rows), removed=removed, sha256=digest)
    audit.record(
        actor,
        AuditAction.IMPORT,
        region,
        region_id=region.pk,
        after={
            "import": kind,
            "file": filename,
            "rows": result.rows,
            "replaced_rows": result.removed,
            digest_field: digest,
        },
        reason=reason % {"rows": result.rows},
    )
    return result


@transaction.atomic
def import_licence_register(actor: Any, region: Region, data: bytes, filename: str = "") -> ImportResult:
    """Replace the region's licence-register extract with the file's rows."""
    return _replace_region_rows(
        actor,
        region,
        LicenceRegisterEntry,
        parse_licence_register(data, filename),
        kind="licence_register",
        filename=filename,
        digest_field="sha256",
        digest=hashlib.sha256(data).hexdigest(),
        reason="Licence-register extract imported (%(rows)d rows)",
    )


# --- Former employees ---------------------------------------------------------------------------------


def _file_digest(data: bytes) -> str:
    """A keyed digest of a file of personal identity numbers.

    A plain SHA-256 of a short file in a known format could be reversed by trying every number;
    keyed with the hashing secret it still identifies the file for anyone who holds the secret.
    """
    key = settings.PERSONAL_NUMBER_HASH_KEY.encode()
    return hmac.new(key, b"former-employees-file:" + data, hashlib.sha256).hexdigest()


def parse_former_employees(data: bytes, filename: str = "") -> list[FormerEmployee]:
    """Unsaved rows (without region) holding only the keyed hash; raises ImportFileError."""
    rows = read_table(data, filename, FORMER_EMPLOYEE_COLUMNS)
    employees: list[FormerEmployee] = []
    first_row: dict[str, int] = {}
    errors: list[str] = []
    for number, row in rows:
        row_errors: list[str] = []
        digest = ""
        if not row["personal_number"]:
            row_errors.append(_field_error(number, "personal_number", _("required.")))
        else:
            try:
                normalise(row["personal_number"])
            except ValidationError:
                # Never echo the number back: the row is enough to find it.
                row_errors.append(
                    _field_error(number, "personal_number", _("invalid personal identity number."))
                )
            else:
                digest = keyed_hash(row["personal_number"])
                if digest in first_row:
                    row_errors.append(
                        _field_error(
                            number,
                            "personal_number",
                            _("the same person is already on row %(first)d.") % {"first": first_row[digest]},
                        )
                    )
                else:
                    first_row[digest] = number
        employed_until = _date(row["employed_until"])
        if employed_until is None:
            row_errors.append(_date_error(number, "employed_until", row["employed_until"]))
        if row_errors:
            errors.extend(row_errors)
            continue
        employees.append(FormerEmployee(personal_number_hash=digest, employed_until=employed_until))
    if errors:
        raise ImportFileError(errors)
    return employees


@transaction.atomic
def import_former_employees(actor: Any, region: Region, data: bytes, filename: str = "") -> ImportResult:
    """Replace the region's list of former employees with the file's rows (hashes only)."""
    return _replace_region_rows(
        actor,
        region,
        FormerEmployee,
        parse_former_employees(data, filename),
        kind="former_employees",
        filename=filename,
        digest_field="hmac_sha256",
        digest=_file_digest(data),
        reason="Former employees imported (%(rows)d rows)",
    )
