"""CSV and Excel files of the governance pages, built with the follow-up's ``Table`` helpers
(``hyrkoll.followup.exports``): the same byte-order-marked CSV and formatted workbooks."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from hyrkoll.followup import exports as base
from hyrkoll.followup.exports import TEXT, Column, Table
from hyrkoll.lib.spreadsheet_safety import neutralise_formula

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
INT = "year"  # a plain whole number ("0" in Excel)

__all__ = ["CONTENT_TYPES", "INT", "TEXT", "Column", "Table", "requested_format", "download"]


def requested_format(request: HttpRequest) -> str | None:
    """``?format=csv|xlsx`` → the format; ``None`` for the web page."""
    fmt = request.GET.get("format", "").strip().lower()
    return fmt if fmt in CONTENT_TYPES else None


def _caption_row(caption: str) -> str:
    """A table's caption as a CSV row of its own: quoted as CSV quotes (a plan's name may hold
    quotes or commas) and never a formula."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n", quoting=csv.QUOTE_ALL).writerow(
        [neutralise_formula(str(caption))]
    )
    return buffer.getvalue()


def download(tables: Sequence[Table], fmt: str, *stem: str) -> HttpResponse:
    """The tables as a file: CSV holds the first table (or all, one after another, separated by
    a blank line and each with its caption); the workbook has one sheet per table."""
    if fmt == "csv":
        if len(tables) == 1:
            content = base.to_csv(tables[0])
        else:
            parts = []
            for index, table in enumerate(tables):
                chunk = base.to_csv(table).decode("utf-8").lstrip("\ufeff")
                parts.append(_caption_row(table.caption) + chunk)
                if index < len(tables) - 1:
                    parts.append("\r\n")
            content = ("\ufeff" + "".join(parts)).encode("utf-8")
    else:
        content = base.to_xlsx(tables, title=tables[0].caption if tables else _("Governance"))
    response = HttpResponse(content, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{base.filename(*stem)}.{fmt}"'
    return response
