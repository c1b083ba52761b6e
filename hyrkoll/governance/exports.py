"""CSV and Excel files of the governance pages, built with the follow-up's ``Table`` helpers
(``hyrkoll.followup.exports``): the same byte-order-marked CSV and formatted workbooks."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hyrkoll.followup import exports as base
from hyrkoll.followup.exports import TEXT, Column, Table
from hyrkoll.lib import numbers
from hyrkoll.lib.spreadsheet_safety import neutralise_formula

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
INT = "year"  # a plain whole number ("0" in Excel)

# The words of download file names, in the user's language ("hyrkoll-fakturor.csv"): the views
# pass these keys, the file is named with the translation.
FILE_WORDS = {
    "hiring-stops": gettext_lazy("hiring-stops"),
    "dispensations": gettext_lazy("dispensations"),
    "steering-decisions": gettext_lazy("steering-decisions"),
    "measures": gettext_lazy("measures"),
    "measures-overview": gettext_lazy("measures-overview"),
    "action-plan": gettext_lazy("action-plan"),
    "supplier-deviations": gettext_lazy("supplier-deviations"),
    "suspensions": gettext_lazy("suspensions"),
    "direct-purchases": gettext_lazy("direct-purchases"),
    "invoice-lines": gettext_lazy("invoice-lines"),
    "invoices": gettext_lazy("invoices"),
    "hired-cost": gettext_lazy("hired-cost"),
    "time-reports": gettext_lazy("time-reports"),
    "assignments": gettext_lazy("assignments"),
}

__all__ = ["CONTENT_TYPES", "INT", "TEXT", "Column", "Table", "requested_format", "download"]


def requested_format(request: HttpRequest) -> str | None:
    """``?format=csv|xlsx`` → the format; ``None`` for the web page."""
    fmt = request.GET.get("format", "").strip().lower()
    return fmt if fmt in CONTENT_TYPES else None


def _caption_row(caption: str) -> str:
    """A table's caption as a CSV row of its own: quoted as CSV quotes (a plan's name may hold
    quotes or commas) and never a formula."""
    buffer = io.StringIO()
    csv.writer(
        buffer, delimiter=numbers.csv_delimiter(), lineterminator="\r\n", quoting=csv.QUOTE_ALL
    ).writerow([neutralise_formula(str(caption))])
    return buffer.getvalue()


def download(tables: Sequence[Table], fmt: str, *stem: Any) -> HttpResponse:
    """The tables as a file: CSV holds the first table (or all, one after another, separated by
    a blank line and each with its caption); the workbook has one sheet per table. ``stem``: the
    file name's words, translated (``_("invoices")`` gives ``hyrkoll-fakturor.csv`` in Swedish)."""
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
    words = [FILE_WORDS.get(word, word) if isinstance(word, str) else word for word in stem]
    return base.attachment(content, CONTENT_TYPES[fmt], base.filename(*words), fmt)
