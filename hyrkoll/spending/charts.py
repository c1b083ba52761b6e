"""The page's charts: horizontal bars (the labels – units, suppliers, consultants – are long), the
ten largest of a table. Drawn and made accessible as the follow-up's charts are
(``followup.charts``: the same colours, CSP-safe SVG with a ``<title>`` and ``<desc>``); the table
beside each chart carries every row and the exact figures."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from hyrkoll.followup import charts as base
from hyrkoll.followup.exports import Table
from hyrkoll.spending import tables as names
from hyrkoll.spending.analysis import Spending

SHOWN = 10
LABEL_LENGTH = 38


def _short(label: str) -> str:
    return label if len(label) <= LABEL_LENGTH else label[: LABEL_LENGTH - 1].rstrip() + "…"


def horizontal_bars(
    labels: Sequence[str],
    values: Sequence[Decimal | float | int],
    *,
    title: str,
    description: str,
    axis_label: str,
    reference: float | None = None,
) -> str:
    """One bar per label, largest first as given; ``reference`` draws a dashed line (e.g. 1.0)."""
    figure, axes = base.plt.subplots(figsize=(base.WIDTH, max(1.6, 0.3 * len(labels) + 0.9)))
    y = list(range(len(labels)))
    axes.barh(y, [float(value) for value in values], color=base.ACCENT)
    axes.set_yticks(y, [_short(label) for label in labels])
    axes.invert_yaxis()
    axes.set_xlabel(axis_label)
    axes.xaxis.set_major_formatter(base.Ticks())  # 1 234 and 0,5 in the active language
    if reference is not None:
        axes.axvline(reference, color=base.WARN, linewidth=1.5, linestyle=(0, (6, 3)))
    return base.render_svg(figure, title, description)


def _sek(values: Sequence[Decimal]) -> tuple[list[Decimal], str]:
    """Amounts in thousands of SEK, or in millions when they are large."""
    if max((abs(value) for value in values), default=Decimal(0)) >= 10_000_000:
        return [value / 1_000_000 for value in values], _("million SEK")
    return [value / 1_000 for value in values], _("thousand SEK")


def _safe(svg: str) -> SafeString:
    # Our own matplotlib output: its text is escaped by matplotlib, the title by followup.charts.
    return mark_safe(svg)  # noqa: S308


def _description(table: Table) -> str:
    return _("The figures are in the table “%(caption)s” beside the chart.") % {"caption": table.caption}


def cost_chart(labels: list[str], amounts: list[Decimal], table: Table) -> SafeString | str:
    if not labels:
        return ""
    values, unit = _sek(amounts[:SHOWN])
    title = (
        table.caption
        if len(labels) <= SHOWN
        else _("%(caption)s: the ten largest") % {"caption": table.caption}
    )
    return _safe(
        horizontal_bars(labels[:SHOWN], values, title=title, description=_description(table), axis_label=unit)
    )


def charts(result: Spending, tables: dict[str, Table]) -> dict[str, SafeString | str]:
    """A chart for each table, by the table's name."""
    found: dict[str, SafeString | str] = {}
    for dimension, name in (
        ("unit", names.UNITS),
        ("profession", names.PROFESSIONS),
        ("level", names.LEVELS),
        ("supplier", names.SUPPLIERS),
    ):
        groups = result.groups[dimension]
        labels = [f"{g.detail} {g.label}".strip() if dimension == "unit" else g.label for g in groups]
        found[name] = cost_chart(labels, [g.cost_sek for g in groups], tables[name])
    found[names.UNIT_INDEX] = (
        _safe(
            horizontal_bars(
                [f"{row.code} {row.name}".strip() for row in result.unit_index],
                [row.index for row in result.unit_index],
                title=tables[names.UNIT_INDEX].caption,
                description=_description(tables[names.UNIT_INDEX]),
                axis_label=_("Index (1.0 = average unit, dashed line)"),
                reference=1.0,
            )
        )
        if result.unit_index
        else ""
    )
    stays = result.stays[:SHOWN]
    found[names.STAYS] = (
        _safe(
            horizontal_bars(
                [f"{stay.consultant}, {stay.unit_code}" for stay in stays],
                [stay.longest_days for stay in stays],
                title=_("Longest continuous stretch at one unit, the ten longest"),
                description=_description(tables[names.STAYS]),
                axis_label=_("days"),
            )
        )
        if stays
        else ""
    )
    return found
