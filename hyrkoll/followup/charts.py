"""Charts for the dashboards and the Bemanningstrend report, drawn on the server with matplotlib.

Each function takes plain data and returns a CSP-safe SVG document (a string) that the web page
inlines and WeasyPrint embeds in the PDF. The charts live in modules of their own:
:mod:`~hyrkoll.followup.chart_base` (matplotlib's set-up, colours, the SVG document with its
presentation attributes, ``<title>`` and ``<desc>``, the tick labels), :mod:`~hyrkoll.followup.chart_lines`
(shares against months, the forecast band, small multiples) and :mod:`~hyrkoll.followup.chart_bars`
(bars, the regions' shares, the changes per group). This module re-exports their public names, so
``charts.bars``, ``charts.render_svg``, ``charts.ACCENT`` and the like keep working; the parts never
import it.
"""

from __future__ import annotations

from hyrkoll.followup.chart_bars import bars, change_bars, region_shares
from hyrkoll.followup.chart_base import (
    ACCENT,
    ACCENT_DARK,
    GREY,
    HEIGHT,
    OK,
    TARGET,
    TARGET_DASHES,
    WARN,
    WIDTH,
    Ticks,
    plt,
    presentation_attributes,
    reference_text,
    render_svg,
)
from hyrkoll.followup.chart_lines import Measure, forecast_band, share_lines, small_multiples

__all__ = [
    "ACCENT",
    "ACCENT_DARK",
    "GREY",
    "HEIGHT",
    "OK",
    "TARGET",
    "TARGET_DASHES",
    "WARN",
    "WIDTH",
    "Measure",
    "Ticks",
    "bars",
    "change_bars",
    "forecast_band",
    "plt",
    "presentation_attributes",
    "reference_text",
    "region_shares",
    "render_svg",
    "share_lines",
    "small_multiples",
]
