"""The follow-up's tables built from the dictionaries of ``dashboard_data`` and ``trend_report``:
hired cost per year, the rolling 12 months, the regions, by profession and care area, the cost
types and the staffing metrics – shown beside their charts and downloaded as CSV and Excel (``exports``)."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import Any

from django.utils.translation import gettext as _

from hyrkoll.followup.exports import (
    FTE,
    MONTH,
    PCT,
    PP,
    SEK,
    SIGNED_PCT,
    SIGNED_SEK,
    TEXT,
    YEAR,
    YESNO,
    Column,
    Table,
)


def yearly_hired_table(rows: list[dict[str, Any]], where: str, last_month: datetime.date) -> Table:
    through = _("through %(month)s") % {"month": f"{last_month:%Y-%m}"}
    return Table(
        name="yearly_hired",
        caption=_("Hired-staff cost per year, %(where)s") % {"where": where},
        sheet=_("Hired cost per year"),
        columns=[Column(_("Year"), YEAR), Column(_("Hired-staff cost (SEK)"), SEK), Column(_("Note"))],
        rows=[[row["year"], row["hired_sek"], through if row["partial"] else ""] for row in rows],
    )


def rolling12_table(rows: list[dict[str, Any]], where: str, *, with_target: bool = False) -> Table:
    columns = [Column(_("Month"), MONTH), Column(_("Hired as a share of own, rolling 12 months (%)"), PCT)]
    if with_target:
        columns.append(Column(_("The region's target (%)"), PCT))
    return Table(
        name="rolling12",
        caption=_("Hired-staff cost as a share of own personnel cost, rolling 12 months, %(where)s")
        % {"where": where},
        sheet=_("Rolling 12 months"),
        columns=columns,
        rows=[
            [row["month"], row["share_pct"]] + ([row.get("target_pct")] if with_target else [])
            for row in rows
        ],
    )


REGION_COLUMNS = (
    ("name", TEXT),
    ("hired_sek", SEK),
    ("hired_change_pct", SIGNED_PCT),
    ("own_sek", SEK),
    ("share_pct", PCT),
    ("previous_share_pct", PCT),
    ("change_pp", PP),
    ("target_pct", PCT),
    ("meets_national_target", YESNO),
    ("meets_own_target", YESNO),
)


def regions_table(
    rows: list[dict[str, Any]],
    period_label: str,
    *,
    national: dict[str, Any] | None = None,
    links: Sequence[str | None] = (),
) -> Table:
    """One row per region; with ``national`` (``report_rows.comparison``) the whole country below."""
    labels = [
        _("Region"),
        _("Hired (SEK)"),
        _("Change, hired (%)"),
        _("Own (SEK)"),
        _("Share (%)"),
        _("Share a year earlier (%)"),
        _("Change, share (pp)"),
        _("Own target (%)"),
        _("Meets 2 %"),
        _("Meets own target"),
    ]
    columns = [Column(label, kind) for label, (_key, kind) in zip(labels, REGION_COLUMNS, strict=True)]
    footer = []
    if national is not None:
        footer.append(
            [
                _("Whole country"),
                national["hired_sek"],
                national["change"]["hired_pct"],
                national["own_sek"],
                national["share_pct"],
                national["previous"]["share_pct"],
                national["change"]["share_pp"],
                None,
                national["meets_national_target"],
                None,
            ]
        )
    return Table(
        name="regions",
        caption=_("Hired-staff cost per region, %(period)s") % {"period": period_label},
        sheet=_("Regions"),
        columns=columns,
        rows=[[row[key] for key, _kind in REGION_COLUMNS] for row in rows],
        links=list(links),
        footer=footer,
    )


def by_profession_table(rows: list[dict[str, Any]], where: str, period_label: str) -> Table:
    return Table(
        name="by_profession",
        caption=_("Hired-staff cost by profession, %(where)s, %(period)s")
        % {"where": where, "period": period_label},
        sheet=_("By profession"),
        columns=[
            Column(_("Profession")),
            Column(_("Hired-staff cost (SEK)"), SEK),
            Column(_("A year earlier (SEK)"), SEK),
            Column(_("Change (SEK)"), SIGNED_SEK),
            Column(_("Change (%)"), SIGNED_PCT),
        ],
        rows=[
            [row["label"], row["hired_sek"], row["previous_hired_sek"], row["change_sek"], row["change_pct"]]
            for row in rows
        ],
    )


def by_care_area_table(rows: list[dict[str, Any]], where: str, period_label: str) -> Table:
    return Table(
        name="by_care_area",
        caption=_("Hired-staff cost by care area, %(where)s, %(period)s")
        % {"where": where, "period": period_label},
        sheet=_("By care area"),
        columns=[
            Column(_("Care area")),
            Column(_("Hired-staff cost (SEK)"), SEK),
            Column(_("A year earlier (SEK)"), SEK),
            Column(_("Change (SEK)"), SIGNED_SEK),
            Column(_("Change (%)"), SIGNED_PCT),
            Column(_("Hired as a share of own (%)"), PCT),
            Column(_("Change in share (percentage points)"), PP),
        ],
        rows=[
            [
                row["label"],
                row["hired_sek"],
                row["previous_hired_sek"],
                row["change_sek"],
                row["change_pct"],
                row["share_pct"],
                row["share_change_pp"],
            ]
            for row in rows
        ],
    )


def costs_table(figures: dict[str, Any], where: str, period_label: str) -> Table:
    """Hired staff beside the internal pool, overtime and own personnel (``report_rows.comparison``):
    shows whether hired cost moved into the pool and overtime instead of disappearing."""
    kinds = [
        (_("Hired staff"), "hired_sek", "hired_pct"),
        (_("Internal staffing pool"), "internal_pool_sek", "internal_pool_pct"),
        (_("Overtime"), "overtime_sek", "overtime_pct"),
        (_("Own personnel"), "own_sek", "own_pct"),
    ]
    return Table(
        name="costs",
        caption=_("Hired staff, internal pool, overtime and own personnel, %(where)s, %(period)s")
        % {"where": where, "period": period_label},
        sheet=_("Cost types"),
        columns=[
            Column(_("Cost")),
            Column(_("Cost (SEK)"), SEK),
            Column(_("A year earlier (SEK)"), SEK),
            Column(_("Change (SEK)"), SIGNED_SEK),
            Column(_("Change (%)"), SIGNED_PCT),
        ],
        rows=[
            [
                label,
                figures[key],
                figures["previous"][key],
                figures["change"][key],
                figures["change"][pct_key],
            ]
            for label, key, pct_key in kinds
        ],
    )


def metrics_table(metrics: list[dict[str, Any]], where: str) -> Table:
    """The non-cost indicators, one column each, one row per month."""
    months = [point["month"] for point in metrics[0]["series"]] if metrics else []
    values = {metric["kind"]: [point["value"] for point in metric["series"]] for metric in metrics}
    return Table(
        name="metrics",
        caption=_("Staffing beyond cost, %(where)s") % {"where": where},
        sheet=_("Staffing metrics"),
        columns=[Column(_("Month"), MONTH)]
        + [Column(metric["label"], FTE if metric["unit"] == "fte" else PCT) for metric in metrics],
        rows=[
            [current] + [values[metric["kind"]][index] for metric in metrics]
            for index, current in enumerate(months)
        ],
    )
