"""The follow-up tables written in Python (``table_html``) are the markup the template wrote
(kept as ``reference_table.html`` beside this test)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.template import Context, Template
from django.utils.safestring import mark_safe
from django.utils.translation import override

from hyrkoll.followup import exports
from hyrkoll.followup.exports import Column, Table
from hyrkoll.followup.table_html import table_html

REFERENCE = Template((Path(__file__).parent / "reference_table.html").read_text())


def _table(rows: list[list[object]], links: list[str | None], footer: list[list[object]]) -> Table:
    return Table(
        name="costs<&>",
        caption='Costs "per" <region> & month',
        sheet="Costs",
        columns=[
            Column("Region <r>"),
            Column("Month", exports.MONTH),
            Column("Cost", exports.SEK),
            Column("Share", exports.PCT),
        ],
        rows=rows,
        links=links,
        footer=footer,
    )


TABLES = {
    "rows, links, footer": _table(
        [["Väst & <b>", None, 1234567, 2.5], [mark_safe("<i>safe</i>"), None, None, -0.125]],
        ["/follow-up/regions/14/?a=1&b=2", None],
        [["Riket", None, 99, 1]],
    ),
    "no links, no footer": _table([["A", None, 1, 2]], [], []),
    "empty": _table([], [], []),
    "numeric first column": Table(
        "years", "Years", "Years", [Column("Year", exports.YEAR), Column("Cost", exports.SEK)], [[2024, 5]]
    ),
    "month first column": Table(
        "months",
        "Months",
        "Months",
        [Column("Month", exports.MONTH), Column("Cost", exports.SEK)],
        [[dt.date(2026, 1, 1), 5]],
        ["/x/"],
    ),
}


@pytest.mark.parametrize("name", TABLES)
@pytest.mark.parametrize("links", [True, False])
def test_as_the_template_wrote_it(name: str, links: bool) -> None:
    table = TABLES[name]
    with override("sv"):
        assert table_html(table, links=links) == REFERENCE.render(Context({"table": table, "links": links}))
