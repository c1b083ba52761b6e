"""A follow-up table (:class:`hyrkoll.followup.exports.Table`) as HTML, written in Python.

The dashboards show a dozen tables of up to a few hundred cells; rendered by a template, each cell
cost several variable lookups and ``{% if %}`` tags – the larger part of a dashboard's CPU. The
markup is the one the template ``followup/_table.html`` wrote, byte for byte.
"""

from __future__ import annotations

from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from hyrkoll.followup.exports import Cell, Table


def _e(value: object) -> str:
    return str(conditional_escape(str(value)))


NUM = ' class="num"'


def _num(cell: Cell) -> str:
    return NUM if cell.numeric else ""


def _row(cells: list[Cell], *, links: bool, foot: bool = False) -> str:
    """One ``<tr>``: the first cell a row header (a link when ``links``), the rest data cells. A
    footer row's header has no class."""
    out = ["<tr>"]
    for index, cell in enumerate(cells):
        if index:
            out.append(f"<td{_num(cell)}>{_e(cell.text)}</td>")
        elif foot:
            out.append(f'<th scope="row">{_e(cell.text)}</th>')
        else:
            css = _num(cell) or (' class="nowrap"' if cell.nowrap else "")
            text = f'<a href="{_e(cell.href)}">{_e(cell.text)}</a>' if cell.href and links else _e(cell.text)
            out.append(f'<th scope="row"{css}>{text}</th>')
    out.append("</tr>")
    return "".join(out)


def table_html(table: Table, *, links: bool) -> SafeString:
    """The table with its caption, header row, body and footer; ``links``: the rows' drill-down links."""
    head = "".join(
        f'<th scope="col"{NUM if column.numeric else ""}>{_e(column.label)}</th>' for column in table.columns
    )
    body = "".join(f"{_row(row, links=links)}\n  " for row in table.body)
    if not body:
        body = f'<tr><td colspan="{len(table.columns)}">{_e(gettext("No figures."))}</td></tr>'
    foot_rows = table.foot
    foot = (
        "<tfoot>" + "".join(_row(row, links=False, foot=True) for row in foot_rows) + "</tfoot>"
        if foot_rows
        else ""
    )
    return mark_safe(
        f'<table class="data-table" id="table-{_e(table.name)}">\n'
        f"  <caption>{_e(table.caption)}</caption>\n"
        f"  <thead><tr>{head}</tr></thead>\n"
        f"  <tbody>\n  {body}\n  </tbody>\n"
        f"  {foot}\n</table>\n"
    )
