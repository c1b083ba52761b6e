"""The charts against months: shares as lines against the 2 % line and the region's target path,
the rolling-12 share with its forecast band, and small multiples (one panel per measure, each with
its own scale). The region's own target is drawn above the 2 % line in a colour and dash pattern of
its own. Built on ``chart_base``."""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from hyrkoll.followup.chart_base import (
    ACCENT,
    ACCENT_DARK,
    GREY,
    HEIGHT,
    OK,
    TARGET,
    TARGET_DASHES,
    Ticks,
    _figure,
    _floats,
    _legend_below,
    _reference_line,
    _target_text,
    drawn_once,
    reference_text,
    render_svg,
)


def _monthly_axes(axes: Any, labels: Sequence[str], *, every: int = 12, percent: bool = False) -> None:
    """A value from 0 against months, with at most about ``every`` month labels; the ticks say ``%``
    when ``percent``, else the axis is labelled ``%`` (a share) – small multiples pass ``percent``
    or leave the unit to the panel's title (FTE)."""
    axes.set_ylim(bottom=0)
    axes.yaxis.set_major_formatter(Ticks(percent=percent))
    x = list(range(len(labels)))
    axes.set_xlim(-0.5, len(labels) - 0.5)  # every month, also those without a value
    step = max(1, -(-len(labels) // every))
    axes.set_xticks(x[::step], [labels[i] for i in x[::step]], rotation=45, ha="right")


def _monthly_share_axes(axes: Any, labels: Sequence[str]) -> None:
    """A share in % from 0 against months, with at most about 12 month labels."""
    axes.set_ylabel("%")
    _monthly_axes(axes, labels)


@drawn_once
def share_lines(
    labels: Sequence[str],
    series: dict[str, Sequence[Decimal | float | None]],
    *,
    title: str,
    description: str,
    reference_pct: float | None = 2.0,
    reference_label: str | None = None,
    target: Sequence[Decimal | float | None] | None = None,
    target_label: str = "",
) -> str:
    """Lines of shares in % against the 2 % line (``reference_pct=None``: none) and the region's
    ``target`` path. The target is drawn above the 2 % line in its own colour and dashes, so that
    both show where they meet; the legend, under the plot, names every line."""
    figure, axes = _figure()
    styles = ["-", "--", ":", "-."]
    colours = [ACCENT, GREY, ACCENT_DARK, OK]
    x = list(range(len(labels)))
    handles, names = [], []
    for index, (name, values) in enumerate(series.items()):
        (line,) = axes.plot(
            x, _floats(values), styles[index % 4], color=colours[index % 4], linewidth=2, zorder=3
        )
        handles.append(line)
        names.append(name)
    if reference_pct is not None:
        handles.append(_reference_line(axes, reference_pct))
        names.append(reference_label or reference_text(reference_pct))
    if target is not None and any(value is not None for value in target):
        (line,) = axes.plot(
            x,
            _floats(target),
            color=TARGET,
            linewidth=3.5,
            linestyle=TARGET_DASHES,
            dash_capstyle="round",
            zorder=4,
        )
        handles.append(line)
        names.append(_target_text(target_label, target, reference_pct))
    _monthly_share_axes(axes, labels)
    _legend_below(figure, handles, names)
    return render_svg(figure, title, description)


@dataclass(frozen=True)
class Measure:
    """One panel of ``small_multiples``: a label (with its unit), values per month, % or not."""

    label: str
    values: Sequence[Decimal | float | None]
    percent: bool


@drawn_once
def small_multiples(
    labels: Sequence[str], measures: Sequence[Measure], *, title: str, description: str
) -> str:
    """One small panel per measure, side by side (two a row), each with its own y axis, unit and title:
    FTE, turnover, sick leave and continuity have scales of their own."""
    columns = 1 if len(measures) == 1 else 2
    rows = -(-len(measures) // columns)
    figure, grid = _figure(2.2 * rows + 0.2, rows, columns)
    panels = list(grid.flat) if rows * columns > 1 else [grid]
    x = list(range(len(labels)))
    for axes, measure in zip(panels, measures, strict=False):
        axes.plot(x, _floats(measure.values), "-o", color=ACCENT, linewidth=2, markersize=3)
        axes.set_title(textwrap.fill(measure.label, 40), loc="left", fontsize=9, fontweight="bold")
        _monthly_axes(axes, labels, every=4, percent=measure.percent)
    for axes in panels[len(measures) :]:
        axes.remove()
    return render_svg(figure, title, description)


@drawn_once
def forecast_band(
    labels: Sequence[str],
    actual: Sequence[float | None],
    forecast: Sequence[float | None],
    low: Sequence[float | None],
    high: Sequence[float | None],
    target: Sequence[float | None],
    *,
    title: str,
    description: str,
    labels_text: dict[str, str],
    reference_pct: float = 2.0,
) -> str:
    """The rolling-12 share: the actual months as a line, the forecast months as a dashed line in
    a shaded interval, the region's target path (above the 2 % line, in its own colour) and the 2 %
    line. ``labels_text`` names the legend's entries (keys actual, forecast, interval, target,
    reference)."""
    figure, axes = _figure(HEIGHT + 0.4)
    x = list(range(len(labels)))
    band = axes.fill_between(x, _floats(low), _floats(high), color=ACCENT, alpha=0.18, linewidth=0)
    (actual_line,) = axes.plot(x, _floats(actual), "-", color=ACCENT_DARK, linewidth=2, zorder=3)
    (forecast_line,) = axes.plot(x, _floats(forecast), "--", color=ACCENT, linewidth=2, zorder=3)
    handles: list[Any] = [actual_line, forecast_line, band, _reference_line(axes, reference_pct)]
    names = [
        labels_text["actual"],
        labels_text["forecast"],
        labels_text["interval"],
        labels_text["reference"],
    ]
    if any(value is not None for value in target):
        (target_line,) = axes.plot(
            x,
            _floats(target),
            color=TARGET,
            linewidth=3.5,
            linestyle=TARGET_DASHES,
            dash_capstyle="round",
            zorder=4,
        )
        handles.append(target_line)
        names.append(_target_text(labels_text["target"], target, reference_pct))
    _monthly_share_axes(axes, labels)
    _legend_below(figure, handles, names)
    return render_svg(figure, title, description)
