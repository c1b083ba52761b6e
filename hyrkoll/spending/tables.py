"""The page's tables (``followup.exports.Table``: shown on the page, downloaded as CSV and Excel),
built from ``analysis.Spending``. ``?table=`` names one of ``TABLE_NAMES``."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from hyrkoll.followup.exports import FTE, PCT, SEK
from hyrkoll.governance.exports import INT, Column, Table
from hyrkoll.spending.analysis import Group, Spending

UNITS, PROFESSIONS, LEVELS, SUPPLIERS = "by-unit", "by-profession", "by-level", "by-supplier"
UNIT_INDEX, STAYS = "unit-index", "long-assignments"
TABLE_NAMES = (UNITS, UNIT_INDEX, PROFESSIONS, LEVELS, SUPPLIERS, STAYS)
HUNDRED = Decimal("100.00")


def _caption(text: str, where: str, result: Spending) -> str:
    return _("%(what)s, %(where)s %(period)s") % {"what": text, "where": where, "period": result.period.label}


def _cost_columns() -> list[Column]:
    return [
        Column(_("Hired cost (SEK)"), SEK),
        Column(_("Hours"), FTE),
        Column(_("Share of the hired cost (%)"), PCT),
    ]


def _cost_values(group: Group) -> list[Any]:
    return [group.cost_sek, group.hours, group.share_pct]


def _total_row(result: Spending, width: int) -> list[list[Any]]:
    """The region's total below a cost table (blank detail columns)."""
    if not result.has_cost:
        return []
    share = HUNDRED if result.total_sek else None
    return [[_("Total"), *[""] * width, result.total_sek, result.total_hours, share]]


def group_table(result: Spending, dimension: str, where: str) -> Table:
    """Cost, hours and share per unit, profession, competence level or supplier."""
    spec = {
        "unit": (UNITS, _("Hired cost by unit"), _("By unit"), [Column(_("Unit")), Column(_("Unit code"))]),
        "profession": (
            PROFESSIONS,
            _("Hired cost by profession"),
            _("By profession"),
            [Column(_("Profession"))],
        ),
        "level": (
            LEVELS,
            _("Hired cost by competence level"),
            _("By competence level"),
            [Column(_("Competence level"))],
        ),
        "supplier": (
            SUPPLIERS,
            _("Hired cost by supplier"),
            _("By supplier"),
            [Column(_("Supplier")), Column(_("Organisation number"))],
        ),
    }
    name, caption, sheet, label_columns = spec[dimension]
    with_detail = len(label_columns) > 1
    return Table(
        name=name,
        caption=_caption(caption, where, result),
        sheet=sheet,
        columns=[*label_columns, *_cost_columns()],
        rows=[
            [group.label, *([group.detail] if with_detail else []), *_cost_values(group)]
            for group in result.groups[dimension]
        ],
        footer=_total_row(result, len(label_columns) - 1),
    )


def unit_index_table(result: Spending, where: str) -> Table:
    return Table(
        name=UNIT_INDEX,
        caption=_caption(
            _("Units with the highest hired cost relative to their share of the region"), where, result
        ),
        sheet=_("Unit index"),
        columns=[
            Column(_("Unit")),
            Column(_("Unit code")),
            Column(_("Hired cost (SEK)"), SEK),
            Column(_("Share of the hired cost (%)"), PCT),
            Column(_("Index (1.0 = average unit)"), FTE),
        ],
        rows=[[row.name, row.code, row.cost_sek, row.share_pct, row.index] for row in result.unit_index],
    )


def stays_table(result: Spending, where: str) -> Table:
    return Table(
        name=STAYS,
        caption=_caption(_("Consultants with long or repeated assignments at the same unit"), where, result),
        sheet=_("Long assignments"),
        columns=[
            Column(_("Consultant")),
            Column(_("Supplier")),
            Column(_("Unit")),
            Column(_("Assignments"), INT),
            Column(_("Days on assignment"), INT),
            Column(_("Longest stretch (days)"), INT),
            Column(_("First start")),
            Column(_("Last end")),
            Column(_("Cost, 12 months (SEK)"), SEK),
        ],
        rows=[
            [
                stay.consultant,
                stay.supplier,
                f"{stay.unit_code} {stay.unit_name}".strip(),
                stay.assignments,
                stay.total_days,
                stay.longest_days,
                stay.first_start.isoformat(),
                stay.last_end.isoformat(),
                stay.cost_12m_sek,
            ]
            for stay in result.stays
        ],
    )


def build(result: Spending, where: str) -> dict[str, Table]:
    """Every table of the page by its ``?table=`` name, in the page's order."""
    tables = [
        group_table(result, "unit", where),
        unit_index_table(result, where),
        group_table(result, "profession", where),
        group_table(result, "level", where),
        group_table(result, "supplier", where),
        stays_table(result, where),
    ]
    return {table.name: table for table in tables}
