"""Charts for the dashboards and the Bemanningstrend report, drawn on the server with matplotlib.

Each function takes plain data and returns an SVG document (a string) that the web page inlines
and WeasyPrint embeds in the PDF: the same chart everywhere, no browser needed. Every chart also
gets a ``<title>``/``<desc>`` for screen readers; the page shows the same data as a table beside it.
Colours meet WCAG contrast against white, and lines differ in style, not only in colour.

The pages' Content-Security-Policy (``style-src 'self'``) blocks ``style="…"`` attributes and
``<style>`` elements in inline SVG, and matplotlib writes every colour that way; so each style
declaration is rewritten as the equivalent SVG presentation attribute (``fill="#00558c"``), which
CSP does not touch and WeasyPrint reads as well.

Every number drawn (ticks, bar labels, the 2 % line's name) goes through ``lib.numbers`` in the
active language: ``−10,2 %`` in Swedish. Legends sit under the plot, never over the data; the
region's own target is drawn above the 2 % line in a colour and dash pattern of its own.
"""

from __future__ import annotations

import hashlib
import io
import re
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from html import escape
from typing import Any

import matplotlib

matplotlib.use("Agg")  # no display: render to files only

from django.utils.translation import gettext as _  # noqa: E402
from matplotlib import pyplot as plt  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.patches import Patch  # noqa: E402

from hyrkoll.lib import numbers  # noqa: E402

ACCENT = "#00558c"
ACCENT_DARK = "#003a60"
WARN = "#b00020"
OK = "#1d6b2f"
GREY = "#4a4a4a"
TARGET = "#6b2c91"  # the region's own target: purple, short dashes, drawn above the red 2 % line
TARGET_DASHES = (0, (0.8, 2.2))  # round dots with gaps that show the 2 % line beneath
WIDTH, HEIGHT = 7.5, 3.4

plt.rcParams.update(
    {
        "font.family": "DejaVu Sans",
        "font.size": 9,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "svg.fonttype": "none",  # text stays text (searchable, scalable)
        "svg.hashsalt": "hyrkoll",  # stable ids: the same data gives the same SVG
    }
)


_STYLE_ATTRIBUTE = re.compile(r' style="([^"]*)"')
_STYLE_ELEMENT = re.compile(r"\s*<style[^>]*>(.*?)</style>", re.S)


def _attributes(declarations: str) -> str:
    """``fill: #fff; stroke-width: 0.8`` → `` fill="#fff" stroke-width="0.8"``."""
    result = []
    for declaration in declarations.split(";"):
        name, colon, value = declaration.partition(":")
        if colon and name.strip():
            result.append(f' {name.strip()}="{escape(value.strip())}"')
    return "".join(result)


def presentation_attributes(svg: str) -> str:
    """Inline CSS → SVG presentation attributes (same rendering, allowed by ``style-src 'self'``).

    matplotlib's only stylesheet is ``*{stroke-linejoin: round; stroke-linecap: butt}``: its
    declarations go on the root element, where every element inherits them unless it sets its own.
    """
    root_defaults = ""
    for rule in _STYLE_ELEMENT.findall(svg):
        for _selector, body in re.findall(r"([^{}]*)\{([^}]*)\}", rule):
            root_defaults += _attributes(body)
    svg = _STYLE_ELEMENT.sub("", svg)
    svg = _STYLE_ATTRIBUTE.sub(lambda match: _attributes(match.group(1)), svg)
    return svg.replace("<svg ", "<svg" + root_defaults + " ", 1)


def render_svg(figure: Figure, title: str, description: str) -> str:
    """The figure as an inline SVG document: CSP-safe attributes, ids of its own, a ``<title>`` and
    ``<desc>``; closes the figure."""
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None})
    plt.close(figure)
    svg = buffer.getvalue()
    svg = svg[svg.index("<svg") :]  # drop the XML prologue and DOCTYPE for inlining
    svg = presentation_attributes(svg)
    # Several charts share one page: give each its own ids (matplotlib numbers them alike).
    prefix = "c" + hashlib.sha1((title + description + svg).encode()).hexdigest()[:8]
    svg = re.sub(r'id="([^"]+)"', rf'id="{prefix}-\1"', svg)
    svg = re.sub(r"url\(#([^)]+)\)", rf"url(#{prefix}-\1)", svg)
    svg = re.sub(r'href="#([^"]+)"', rf'href="#{prefix}-\1"', svg)
    # Give the chart an accessible name; the data table beside it carries the numbers.
    svg = re.sub(
        r"<svg ",
        '<svg role="img" aria-label="' + escape(title) + '" ',
        svg,
        count=1,
    )
    return svg.replace(">", f"><title>{escape(title)}</title><desc>{escape(description)}</desc>", 1)


# --- numbers on the charts ---------------------------------------------------------------------------------


class Ticks(matplotlib.ticker.Formatter):
    """Tick labels in the active language (``lib.numbers``): ``1 234``, ``2,5``, a real minus sign,
    as many decimals as the ticks need (at most two). ``scale`` divides first (``1e6``: millions);
    ``percent`` adds `` %``."""

    def __init__(self, *, scale: float = 1.0, percent: bool = False) -> None:
        self.scale = scale
        self.percent = percent
        self.locations: list[float] = []

    def set_locs(self, locs: Sequence[float]) -> None:
        """The axis passes every tick before formatting them: the decimals depend on all of them."""
        self.locations = [float(location) for location in locs]

    def _decimals(self) -> int:
        locations = [location / self.scale for location in self.locations]
        for decimals in range(3):
            factor = 10**decimals
            if all(abs(value * factor - round(value * factor)) < 1e-6 for value in locations):
                return decimals
        return 2

    def __call__(self, value: float, position: int | None = None) -> str:
        scaled = value / self.scale
        text = numbers.number(scaled, self._decimals(), signed=scaled < 0)
        return f"{text}\xa0%" if self.percent else text


def _legend_below(figure: Figure, handles: Sequence[Any], labels: Sequence[str], columns: int = 3) -> None:
    """The legend under the plot, outside the data (the figure uses the constrained layout)."""
    figure.legend(handles, labels, loc="outside lower center", ncols=min(columns, len(labels)), frameon=False)


def _figure(height: float = HEIGHT, rows: int = 1, columns: int = 1) -> tuple[Figure, Any]:
    """A chart's figure (constrained layout: room for the legend outside the plot) and its axes – a
    grid of them when there are ``rows`` × ``columns``."""
    return plt.subplots(rows, columns, figsize=(WIDTH, height), layout="constrained")


def _floats(values: Sequence[Decimal | float | None]) -> list[float]:
    return [float(value) if value is not None else float("nan") for value in values]


def _reference_line(axes: Any, reference_pct: float, *, vertical: bool = False) -> Any:
    """The 2 % line: red, long dashes, under the region's target (which is drawn above it)."""
    draw = axes.axvline if vertical else axes.axhline
    return draw(reference_pct, color=WARN, linewidth=1.5, linestyle=(0, (6, 3)), zorder=2)


def reference_text(reference_pct: float) -> str:
    """``2 %`` in the active language."""
    return numbers.percent(reference_pct, 0 if float(reference_pct).is_integer() else 1)


def _target_text(
    target_label: str, targets: Sequence[Decimal | float | None], reference_pct: float | None
) -> str:
    """The target's legend entry; it notes when the target is the 2 % line (drawn one over the other)."""
    given = [float(value) for value in targets if value is not None]
    if reference_pct is not None and given and all(abs(value - reference_pct) < 1e-9 for value in given):
        return _("%(target)s (the same as %(reference)s)") % {
            "target": target_label,
            "reference": reference_text(reference_pct),
        }
    return target_label


# --- the charts ------------------------------------------------------------------------------------------


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


@dataclass(frozen=True)
class Measure:
    """One panel of ``small_multiples``: a label (with its unit), values per month, % or not."""

    label: str
    values: Sequence[Decimal | float | None]
    percent: bool


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
