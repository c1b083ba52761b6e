"""What every chart shares: matplotlib set up for SVG (colours, sizes, fonts, stable ids), the SVG
document a chart becomes, the tick labels and the helpers for figures, legends and the 2 % line.
The charts themselves are in ``chart_lines`` and ``chart_bars`` (``charts`` re-exports them all).

Each chart is an SVG document (a string) that the web page inlines and WeasyPrint embeds in the PDF:
the same chart everywhere, no browser needed. Every chart also gets a ``<title>``/``<desc>`` for
screen readers; the page shows the same data as a table beside it. Colours meet WCAG contrast
against white, and lines differ in style, not only in colour.

The pages' Content-Security-Policy (``style-src 'self'``) blocks ``style="…"`` attributes and
``<style>`` elements in inline SVG, and matplotlib writes every colour that way; so each style
declaration is rewritten as the equivalent SVG presentation attribute (``fill="#00558c"``), which
CSP does not touch and WeasyPrint reads as well.

Every number drawn (ticks, bar labels, the 2 % line's name) goes through ``lib.numbers`` in the
active language: ``−10,2 %`` in Swedish. Legends sit under the plot, never over the data.
"""

from __future__ import annotations

import functools
import hashlib
import io
import json
import re
from collections.abc import Callable, Sequence
from decimal import Decimal
from html import escape
from pathlib import Path
from typing import Any, TypeVar

import matplotlib

matplotlib.use("Agg")  # no display: render to files only

from django.core.cache import cache  # noqa: E402
from django.utils.translation import get_language  # noqa: E402
from django.utils.translation import gettext as _  # noqa: E402
from matplotlib import pyplot as plt  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

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


# --- one drawing per chart and language ---------------------------------------------------------------------

_Chart = TypeVar("_Chart", bound=Callable[..., str])
# The charts' code: a changed chart module draws anew instead of answering with the old drawing.
_CODE_VERSION = hashlib.sha256(
    b"".join(
        (Path(__file__).parent / name).read_bytes()
        for name in ("chart_base.py", "chart_lines.py", "chart_bars.py")
    )
    + matplotlib.__version__.encode()
).hexdigest()[:12]
CHART_CACHE_SECONDS = 24 * 60 * 60


def _plain(value: Any) -> str:
    """Arguments as text for the cache key: lazy translations, Decimals and dataclasses by value."""
    return str(value)


def drawn_once(chart: _Chart) -> _Chart:
    """A chart is a pure function of its data and the active language (its numbers and words), and
    drawing it costs matplotlib 50–250 ms of CPU: the SVG is kept in the shared cache under a hash of
    the chart's name, its arguments, the language and the charts' code, so every worker and every user
    of the same figures gets the same drawing without drawing it again."""

    @functools.wraps(chart)
    def cached(*args: Any, **kwargs: Any) -> str:
        payload = json.dumps(
            [chart.__qualname__, get_language(), _CODE_VERSION, args, sorted(kwargs.items())],
            default=_plain,
            ensure_ascii=False,
        )
        key = "hyrkoll:chart:" + hashlib.sha256(payload.encode()).hexdigest()
        svg = cache.get(key)
        if svg is None:
            svg = chart(*args, **kwargs)
            cache.set(key, svg, CHART_CACHE_SECONDS)
        return svg

    return cached  # type: ignore[return-value]


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
