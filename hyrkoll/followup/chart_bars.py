"""The bar charts: values per year (or any label), each region's share against the 2 % line with its
own target as a marker, and the change in % per group (falls green, rises red). Built on
``chart_base``."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _
from matplotlib.patches import Patch

from hyrkoll.followup.chart_base import (
    ACCENT,
    GREY,
    HEIGHT,
    OK,
    TARGET,
    WARN,
    Ticks,
    _figure,
    _legend_below,
    _reference_line,
    drawn_once,
    plt,
    reference_text,
    render_svg,
)
from hyrkoll.lib import numbers


@drawn_once
def bars(
    labels: Sequence[str],
    values: Sequence[Decimal | float],
    *,
    title: str,
    description: str,
    unit_label: str,
    in_millions: bool = True,
) -> str:
    """Vertical bars in one colour, e.g. hired cost per year (no legend: the axis names the unit)."""
    figure, axes = _figure()
    axes.bar(labels, [float(v) for v in values], color=ACCENT)
    axes.set_ylabel(unit_label)
    axes.yaxis.set_major_formatter(Ticks(scale=1_000_000 if in_millions else 1))
    axes.tick_params(axis="x", rotation=45 if len(labels) > 10 else 0)
    return render_svg(figure, title, description)


@drawn_once
def region_shares(
    names: Sequence[str],
    shares: Sequence[Decimal | float | None],
    targets: Sequence[Decimal | float | None],
    *,
    title: str,
    description: str,
    share_label: str,
    target_label: str,
    reference_pct: float = 2.0,
) -> str:
    """Each region's share as a horizontal bar (green at or below the 2 % line, blue above), its own
    target as a marker drawn over the 2 % line, and a legend for each colour and mark."""
    figure, axes = _figure(max(HEIGHT, 0.28 * len(names) + 1.2))
    y = list(range(len(names)))
    values = [float(s) if s is not None else 0.0 for s in shares]
    colours = [OK if s is not None and float(s) <= reference_pct else ACCENT for s in shares]
    axes.barh(y, values, color=colours)
    reference = reference_text(reference_pct)
    handles: list[Any] = [
        Patch(color=OK),
        Patch(color=ACCENT),
        _reference_line(axes, reference_pct, vertical=True),
    ]
    labels = [
        _("%(share)s, at most %(reference)s") % {"share": share_label, "reference": reference},
        _("%(share)s, above %(reference)s") % {"share": share_label, "reference": reference},
        reference,
    ]
    target_points = [(float(t), i) for i, t in enumerate(targets) if t is not None]
    if target_points:
        (marker,) = axes.plot(
            [p[0] for p in target_points],
            [p[1] for p in target_points],
            "D",
            color=TARGET,
            markeredgecolor="#ffffff",
            markersize=7,
            zorder=4,
        )
        handles.append(marker)
        labels.append(target_label)
    axes.set_yticks(y, names)
    axes.invert_yaxis()
    axes.set_xlabel("%")
    axes.xaxis.set_major_formatter(Ticks())
    _legend_below(figure, handles, labels, columns=2)
    return render_svg(figure, title, description)


@drawn_once
def change_bars(
    labels: Sequence[str],
    changes_pct: Sequence[Decimal | float | None],
    *,
    title: str,
    description: str,
) -> str:
    """Change in % per group (care area, profession): falls green, rises red (the legend names each
    colour drawn), each bar labelled ``−10,2 %`` with room above and below for the labels."""
    figure, axes = _figure(HEIGHT * 0.95)
    values = [float(c) if c is not None else 0.0 for c in changes_pct]
    colours = [OK if v <= 0 else WARN for v in values]
    bars_ = axes.bar(labels, values, color=colours)
    axes.axhline(0, color=GREY, linewidth=0.8)
    axes.bar_label(bars_, labels=[numbers.percent(c, 1, signed=True) for c in changes_pct], padding=3)
    low, high = min(values + [0.0]), max(values + [0.0])
    room = max(high - low, 1.0) * 0.18  # headroom for the labels beyond the longest bars
    axes.set_ylim(low - room if low < 0 else 0, high + room if high > 0 else room / 3)
    axes.set_ylabel("%")
    axes.yaxis.set_major_formatter(Ticks())
    axes.tick_params(axis="x", rotation=30 if len(labels) > 4 else 0)
    if len(labels) > 4:
        plt.setp(axes.get_xticklabels(), ha="right")
    legend = [(Patch(color=OK), _("Decrease")), (Patch(color=WARN), _("Increase"))]
    shown = [
        (handle, text)
        for handle, text in legend
        if handle.get_facecolor() in [bar.get_facecolor() for bar in bars_]
    ]
    _legend_below(figure, [handle for handle, _text in shown], [text for _handle, text in shown], columns=2)
    return render_svg(figure, title, description)
