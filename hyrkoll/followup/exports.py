"""The tables of the follow-up dashboards and the Bemanningstrend report, and their files: CSV,
Excel (openpyxl) and the report's PDF (WeasyPrint, no browser).

A ``Table`` holds raw values (``Decimal``, ``date``, ``int``, ``bool``, ``str``, ``None``) and the
kind of each column. The web page shows them formatted for the active language (Swedish: "1 234 567"
and "2,45 %"); the CSV has plain numbers in the language's spreadsheet convention (no grouping); the workbook
has numbers with number formats. The tables of the dashboards and the report are built from the
dictionaries of ``report_rows``, ``dashboard_data`` and ``trend_report`` in ``data_tables``.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.cache import cache
from django.http import HttpResponse
from django.utils.translation import gettext as _

from hyrkoll.lib import numbers
from hyrkoll.lib.spreadsheet_safety import csv_cell, neutralise_formula, xlsx_cell

MISSING = "–"  # shown for "no figure" (e.g. a share without own cost)

# Column kinds: how a value is shown, written to CSV and formatted in Excel.
TEXT, SEK, SIGNED_SEK, PCT, SIGNED_PCT, PP, FTE, HOURS, YEAR, MONTH, YESNO = (
    "text",
    "sek",
    "signed_sek",
    "pct",
    "signed_pct",
    "pp",
    "fte",
    "hours",
    "year",
    "month",
    "yesno",
)
NUMERIC = {SEK, SIGNED_SEK, PCT, SIGNED_PCT, PP, FTE, HOURS, YEAR}
EXCEL_FORMATS = {
    SEK: "#,##0",
    SIGNED_SEK: "+#,##0;-#,##0;0",
    PCT: '0.00" %"',
    SIGNED_PCT: '+0.00" %";-0.00" %";0.00" %"',
    PP: "+0.00;-0.00;0.00",
    FTE: "#,##0.0",
    HOURS: "#,##0.00",
    YEAR: "0",
    MONTH: "yyyy-mm",
}


# --- formatting ---------------------------------------------------------------------------------------------


def display(value: Any, kind: str) -> str:
    """A value as the web page and the PDF show it."""
    if value is None:
        return MISSING
    if kind == SEK:
        return numbers.number(value, 0)
    if kind == SIGNED_SEK:
        return numbers.number(value, 0, signed=True)
    if kind == PCT:
        return f"{numbers.number(value, 2)}\xa0%"
    if kind == SIGNED_PCT:
        return f"{numbers.number(value, 2, signed=True)}\xa0%"
    if kind == PP:
        return numbers.number(value, 2, signed=True)
    if kind == FTE:
        return numbers.number(value, 1)
    if kind == HOURS:
        return numbers.number(value, 2)
    if kind == MONTH:
        return f"{value:%Y-%m}"
    if kind == YESNO:
        return _("Yes") if value else _("No")
    return str(value)


def plain(value: Any, kind: str) -> str:
    """A value as the CSV has it: numbers ungrouped with the language's decimal sign and two
    decimals ("1234,50" in Swedish, so that Swedish Excel reads a number), months as YYYY-MM."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return numbers.csv_number(value, 2)
    if isinstance(value, float):
        return numbers.csv_number(value)
    if kind == MONTH:
        return f"{value:%Y-%m}"
    if kind == YESNO:
        return _("Yes") if value else _("No")
    return str(value)


# --- tables --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    label: str
    kind: str = TEXT

    @property
    def numeric(self) -> bool:
        return self.kind in NUMERIC


@dataclass(frozen=True)
class Cell:
    text: str
    numeric: bool
    href: str | None = None
    nowrap: bool = False


@dataclass
class Table:
    """One table: shown on the page beside its chart, and downloadable as CSV and Excel.

    The first column names the row (``<th scope="row">``); ``links`` (one per row, or empty) make
    it a link – the drill-down. ``footer`` rows (e.g. the whole country) follow the body.
    """

    name: str  # the ``?table=`` of the download
    caption: str
    sheet: str  # the workbook's sheet name (at most 31 characters)
    columns: list[Column]
    rows: list[list[Any]]
    links: list[str | None] = field(default_factory=list)
    footer: list[list[Any]] = field(default_factory=list)

    def _cells(self, row: list[Any], href: str | None = None) -> list[Cell]:
        return [
            Cell(
                display(value, column.kind),
                column.numeric,
                href if index == 0 else None,
                column.kind == MONTH,
            )
            for index, (column, value) in enumerate(zip(self.columns, row, strict=True))
        ]

    @property
    def body(self) -> list[list[Cell]]:
        links = self.links or [None] * len(self.rows)
        return [self._cells(row, href) for row, href in zip(self.rows, links, strict=True)]

    @property
    def foot(self) -> list[list[Cell]]:
        return [self._cells(row) for row in self.footer]

    @property
    def all_rows(self) -> list[list[Any]]:
        return self.rows + self.footer


# --- files ---------------------------------------------------------------------------------------------------


def filename(*parts: Any) -> str:
    """``hyrkoll-regioner-2025-06`` from translated words: ASCII letters, digits and dashes only
    (å, ä, ö become a, a, o), at most 100 characters – every browser and file system takes it."""
    text = "-".join(("hyrkoll", *[str(part) for part in parts if part]))
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^A-Za-z0-9-]+", "-", ascii_text.lower()).strip("-")[:100].rstrip("-")


def attachment(content: bytes, content_type: str, stem: str, extension: str) -> HttpResponse:
    """A download response for ``<stem>.<extension>``."""
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{stem}.{extension}"'
    return response


def to_csv(table: Table) -> bytes:
    """UTF-8 with a byte-order mark (so that Excel reads å, ä, ö), a header row, in the active
    language's spreadsheet convention: in Swedish ``;`` between columns and a decimal comma, as
    Swedish Excel opens it in columns (``lib.numbers.csv_delimiter``); text that a spreadsheet
    would run as a formula is neutralised (``lib.spreadsheet_safety``)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=numbers.csv_delimiter(), lineterminator="\r\n")
    writer.writerow([neutralise_formula(str(column.label)) for column in table.columns])
    for row in table.all_rows:
        writer.writerow(
            [
                csv_cell(value, plain(value, column.kind))
                for column, value in zip(table.columns, row, strict=True)
            ]
        )
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


def _sheet_title(name: str, taken: set[str]) -> str:
    base = _SHEET_FORBIDDEN.sub(" ", name).strip()[:31] or "Sheet"
    title, number_ = base, 2
    while title.lower() in taken:
        suffix = f" ({number_})"
        title, number_ = base[: 31 - len(suffix)] + suffix, number_ + 1
    taken.add(title.lower())
    return title


def _excel_value(value: Any, kind: str) -> Any:
    if value is None:
        return None
    if kind == YESNO:
        return _("Yes") if value else _("No")
    # Decimal, int and date are numbers in Excel; text stays text, never a formula.
    return xlsx_cell(value)


def to_xlsx(tables: Iterable[Table], *, summary: Sequence[str] | None = None, title: str = "") -> bytes:
    """A workbook with one sheet per table (and with ``summary``, a first sheet with the title and
    the summary sentences):
    a bold header row, the header and first column frozen, numbers as numbers with number formats,
    months as dates, widths from the contents."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    workbook.remove(workbook.active)
    taken: set[str] = set()
    bold = Font(bold=True)
    if summary is not None:
        sheet = workbook.create_sheet(_sheet_title(_("Summary"), taken))
        sheet.append([xlsx_cell(title)])
        sheet["A1"].font = Font(bold=True, size=14)
        sheet.append([])
        for sentence in summary:
            sheet.append([xlsx_cell(sentence)])
            sheet.cell(row=sheet.max_row, column=1).alignment = Alignment(wrap_text=True, vertical="top")
        sheet.column_dimensions["A"].width = 110
    for table in tables:
        sheet = workbook.create_sheet(_sheet_title(table.sheet, taken))
        sheet.append([xlsx_cell(str(column.label)) for column in table.columns])
        for cell in sheet[1]:
            cell.font = bold
            cell.alignment = Alignment(wrap_text=True, vertical="bottom")
        widths = [min(max(12, len(column.label) // 2 + 2), 40) for column in table.columns]
        for row in table.all_rows:
            sheet.append(
                [_excel_value(value, column.kind) for column, value in zip(table.columns, row, strict=True)]
            )
            for index, (column, value) in enumerate(zip(table.columns, row, strict=True)):
                if column.kind in EXCEL_FORMATS:
                    sheet.cell(row=sheet.max_row, column=index + 1).number_format = EXCEL_FORMATS[column.kind]
                widths[index] = min(max(widths[index], len(display(value, column.kind)) + 2), 60)
        for index, width in enumerate(widths, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = width
        sheet.freeze_panes = "B2"
        sheet.sheet_view.zoomScale = 100
    workbook.properties.title = title or "Hyrkoll"
    workbook.properties.creator = "Hyrkoll"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _css_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def print_css() -> str:
    """The PDF's style sheet: A4, margins, the report's title and page numbers in the margins."""
    page = _("Page")
    of = _("of")
    return f"""
@page {{
  size: A4;
  margin: 18mm 16mm 20mm 16mm;
  @top-left {{ content: string(report-title); font-size: 8pt; color: #4a4a4a; }}
  @bottom-right {{ content: {_css_string(page + " ")} counter(page) {_css_string(" " + of + " ")} counter(pages);
                  font-size: 8pt; color: #4a4a4a; }}
  @bottom-left {{ content: "Hyrkoll"; font-size: 8pt; color: #4a4a4a; }}
}}
html {{ font-family: "DejaVu Sans", sans-serif; font-size: 9pt; color: #1b1b1b; line-height: 1.4; }}
h1 {{ font-size: 18pt; margin: 0 0 4mm; string-set: report-title content(); color: #003a60; }}
h2 {{ font-size: 12pt; margin: 6mm 0 2mm; color: #003a60; break-after: avoid; }}
.lead {{ color: #4a4a4a; }}
.summary li {{ margin-bottom: 1.5mm; }}
section {{ break-inside: avoid-page; }}
section.long {{ break-inside: auto; }}
figure {{ margin: 0 0 3mm; break-inside: avoid; }}
figure svg {{ width: 100%; height: auto; }}
table {{ border-collapse: collapse; width: 100%; margin: 2mm 0 4mm; font-size: 8pt; table-layout: fixed; }}
th:first-child {{ width: 22%; }}
#table-regions {{ font-size: 7pt; table-layout: auto; }}
#table-regions th:first-child {{ width: auto; }}
#table-regions th, #table-regions td {{ padding: 0.8mm 1mm; }}
caption {{ text-align: left; font-weight: bold; padding-bottom: 1mm; }}
th, td {{ border-bottom: 0.5pt solid #c8c8c8; padding: 1mm 1.5mm; text-align: left; vertical-align: top; }}
thead th {{ background: #f3f6f9; }}
thead {{ display: table-header-group; }}
tr {{ break-inside: avoid; }}
.num {{ text-align: right; }}
tfoot {{ display: table-row-group; }}  /* the whole country once, at the end – not on every page */
tfoot th, tfoot td {{ font-weight: bold; border-top: 1pt solid #1b1b1b; }}
.note {{ color: #4a4a4a; font-size: 8pt; }}
"""


PDF_CACHE_SECONDS = 24 * 60 * 60


def to_pdf(html: str) -> bytes:
    """The print template's HTML as an A4 PDF (WeasyPrint; the charts are inline SVG).

    The PDF is a pure function of the HTML, the stylesheet and WeasyPrint's version, and laying it
    out costs WeasyPrint 100–300 ms of CPU: it is kept in the shared cache under their hash, so a
    report asked for again with the same figures (every controller of a region downloads the same
    month's) is not laid out again. Different figures, words or dates give different HTML, so a
    stale PDF cannot be served.
    """
    import weasyprint

    css = print_css()
    payload = "\0".join([weasyprint.__version__, css, html])
    return cache.get_or_set(
        "hyrkoll:pdf:" + hashlib.sha256(payload.encode()).hexdigest(),
        lambda: weasyprint.HTML(string=html).write_pdf(stylesheets=[weasyprint.CSS(string=css)]),
        PDF_CACHE_SECONDS,
    )
