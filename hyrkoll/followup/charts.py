"""Charts for the dashboards and the Bemanningstrend report, drawn on the server with matplotlib.

Each function takes plain data and returns an SVG document (a string) that the web page inlines
and WeasyPrint embeds in the PDF: the same chart everywhere, no browser needed. Every chart also
gets a ``<title>``/``<desc>`` for screen readers; the page shows the same data as a table beside it.
Colours meet WCAG contrast against white, and lines differ in style, not only in colour.

The pages' Content-Security-Policy (``style-src 'self'``) blocks ``style="…"`` attributes and
``<style>`` elements in inline SVG, and matplotlib writes every colour that way; so each style
declaration is rewritten as the equivalent SVG presentation attribute (``fill="#00558c"``), which
CSP does not touch and WeasyPrint reads as well.
"""

from __future__ import annotations

import hashlib
import io
import re
from collections.abc import Sequence
from decimal import Decimal
from html import escape
from typing import Any

import matplotlib

matplotlib.use("Agg")  # no display: render to files only

from matplotlib import pyplot as plt  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

ACCENT = "#00558c"
ACCENT_DARK = "#003a60"
WARN = "#b00020"
OK = "#1d6b2f"
GREY = "#4a4a4a"
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


def _svg(figure: Figure, title: str, description: str) -> str:
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


def _millions(value: float) -> str:
    return f"{value / 1_000_000:,.0f}".replace(",", " ")


def bars(
    labels: Sequence[str],
    values: Sequence[Decimal | float],
    *,
    title: str,
    description: str,
    unit_label: str,
    in_millions: bool = True,
) -> str:
    """Vertical bars, e.g. hired cost per year."""
    figure, axes = plt.subplots(figsize=(WIDTH, HEIGHT))
    numbers = [float(v) for v in values]
    axes.bar(labels, numbers, color=ACCENT)
    axes.set_ylabel(unit_label)
    if in_millions:
        axes.yaxis.set_major_formatter(matplotlib.ticker.FuncFormatter(lambda v, _pos: _millions(v)))
    axes.tick_params(axis="x", rotation=45 if len(labels) > 10 else 0)
    return _svg(figure, title, description)


def _monthly_share_axes(axes: Any, labels: Sequence[str]) -> None:
    """A share in % from 0 against months, with at most about 12 month labels."""
    axes.set_ylabel("%")
    axes.set_ylim(bottom=0)
    x = list(range(len(labels)))
    step = max(1, len(labels) // 12)
    axes.set_xticks(x[::step], [labels[i] for i in x[::step]], rotation=45, ha="right")


def share_lines(
    labels: Sequence[str],
    series: dict[str, Sequence[Decimal | float | None]],
    *,
    title: str,
    description: str,
    reference_pct: float | None = 2.0,
    reference_label: str = "2 %",
) -> str:
    """Lines of shares in % against the 2 % line (rolling 12, a region's target path …);
    ``reference_pct=None`` draws no reference line (e.g. sick leave, turnover)."""
    figure, axes = plt.subplots(figsize=(WIDTH, HEIGHT))
    styles = ["-", "--", ":", "-."]
    colours = [ACCENT, GREY, ACCENT_DARK, OK]
    x = list(range(len(labels)))
    for index, (name, values) in enumerate(series.items()):
        points = [float(v) if v is not None else float("nan") for v in values]
        axes.plot(x, points, styles[index % 4], color=colours[index % 4], linewidth=2, label=name)
    if reference_pct is not None:
        axes.axhline(reference_pct, color=WARN, linewidth=1.5, linestyle=(0, (6, 3)), label=reference_label)
    _monthly_share_axes(axes, labels)
    axes.legend(frameon=False, loc="best")  # where it hides the fewest points
    return _svg(figure, title, description)


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
    """Each region's share as a horizontal bar, its own target as a marker, and the 2 % line."""
    figure, axes = plt.subplots(figsize=(WIDTH, max(HEIGHT, 0.28 * len(names) + 0.8)))
    y = list(range(len(names)))
    values = [float(s) if s is not None else 0.0 for s in shares]
    colours = [OK if s is not None and float(s) <= reference_pct else ACCENT for s in shares]
    axes.barh(y, values, color=colours, label=share_label)
    target_points = [(float(t), i) for i, t in enumerate(targets) if t is not None]
    if target_points:
        axes.plot(
            [p[0] for p in target_points],
            [p[1] for p in target_points],
            "D",
            color="#1b1b1b",
            markeredgecolor="#ffffff",
            markersize=6,
            label=target_label,
        )
    axes.axvline(
        reference_pct, color=WARN, linewidth=1.5, linestyle=(0, (6, 3)), label=f"{reference_pct:g} %"
    )
    axes.set_yticks(y, names)
    axes.invert_yaxis()
    axes.set_xlabel("%")
    axes.legend(frameon=False, loc="upper center", bbox_to_anchor=(0.5, -0.08 - 1.2 / len(names)), ncol=3)
    return _svg(figure, title, description)


def change_bars(
    labels: Sequence[str],
    changes_pct: Sequence[Decimal | float | None],
    *,
    title: str,
    description: str,
) -> str:
    """Change in % per group (care area, profession): falls green, rises red, labelled."""
    figure, axes = plt.subplots(figsize=(WIDTH, HEIGHT * 0.8))
    values = [float(c) if c is not None else 0.0 for c in changes_pct]
    colours = [OK if v <= 0 else WARN for v in values]
    bars_ = axes.bar(labels, values, color=colours)
    axes.axhline(0, color=GREY, linewidth=0.8)
    axes.bar_label(bars_, labels=[f"{v:+.1f} %" for v in values], padding=2)
    axes.set_ylabel("%")
    return _svg(figure, title, description)


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
    a shaded interval, the region's target path and the 2 % line. ``labels_text`` names the
    legend's entries (keys actual, forecast, interval, target, reference)."""
    figure, axes = plt.subplots(figsize=(WIDTH, HEIGHT))
    x = list(range(len(labels)))

    def floats(values: Sequence[float | None]) -> list[float]:
        return [float(v) if v is not None else float("nan") for v in values]

    axes.fill_between(x, floats(low), floats(high), color=ACCENT, alpha=0.18, linewidth=0,
                      label=labels_text["interval"])  # fmt: skip
    axes.plot(x, floats(actual), "-", color=ACCENT_DARK, linewidth=2, label=labels_text["actual"])
    axes.plot(x, floats(forecast), "--", color=ACCENT, linewidth=2, label=labels_text["forecast"])
    if any(value is not None for value in target):
        axes.plot(x, floats(target), ":", color=OK, linewidth=2.5, label=labels_text["target"])
    axes.axhline(
        reference_pct, color=WARN, linewidth=1.5, linestyle=(0, (6, 3)), label=labels_text["reference"]
    )
    _monthly_share_axes(axes, labels)
    axes.legend(frameon=False, loc="upper center", bbox_to_anchor=(0.5, -0.28), ncol=3)
    figure.subplots_adjust(bottom=0.38)
    return _svg(figure, title, description)
