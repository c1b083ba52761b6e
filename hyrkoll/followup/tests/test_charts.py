"""The charts' drawing: numbers in the active language, a scale per measure, the target and the 2 %
line both visible and named, a legend for every colour and never over the data, the same SVG for the
same data. No database: the chart functions take plain data."""

from __future__ import annotations

import datetime
import re
import xml.etree.ElementTree as ET
from decimal import Decimal

from django.utils import translation

from hyrkoll.followup import charts
from hyrkoll.followup.dashboard_parts import metrics_chart
from hyrkoll.followup.data_tables import metrics_table

MONTHS = [f"2024-{m:02d}" for m in range(7, 13)] + [f"2025-{m:02d}" for m in range(1, 7)]
SVG = "{http://www.w3.org/2000/svg}"


def texts(svg: str) -> list[str]:
    """Every text drawn (matplotlib keeps text as text: ``svg.fonttype`` none)."""
    return ["".join(node.itertext()) for node in ET.fromstring(svg).iter(f"{SVG}text")]


def legend_texts(svg: str) -> list[str]:
    """The legend's entries; the legend must be the figure's, not inside a plot (over the data)."""
    root = ET.fromstring(svg)
    parents = {child: parent for parent in root.iter() for child in parent}
    legends = [node for node in root.iter(f"{SVG}g") if re.search(r"-legend_\d+$", node.get("id", ""))]
    assert len(legends) == 1
    ancestor = parents.get(legends[0])
    while ancestor is not None:
        assert not re.search(r"-axes_\d+$", ancestor.get("id", "")), "the legend is inside a plot"
        ancestor = parents.get(ancestor)
    return ["".join(node.itertext()) for node in legends[0].iter(f"{SVG}text")]


def axes_count(svg: str) -> int:
    return len(re.findall(r'id="c[0-9a-f]+-axes_\d+"', svg))


def change_svg() -> str:
    return charts.change_bars(
        ["Akutsjukvård", "Psykiatri", "Okänd"], [-10.2, 1234.5, None], title="Change", description="d"
    )


def test_numbers_are_drawn_the_swedish_way() -> None:
    with translation.override("sv"):
        svg = change_svg()
        drawn = texts(svg)
    assert "\u221210,2\xa0%" in drawn and "+1\xa0234,5\xa0%" in drawn and "–" in drawn
    assert "-10.2" not in svg and "10.2" not in svg
    assert any(text.startswith("\u2212") for text in drawn if "%" not in text)  # a tick below zero
    with translation.override("en"):
        assert "\u221210.2\xa0%" in texts(change_svg())


def test_ticks_and_the_reference_label_use_the_formatter() -> None:
    with translation.override("sv"):
        lines = charts.share_lines(MONTHS, {"Region": [2.25] * 12}, title="t", description="d")
        bars = charts.bars(
            ["2024", "2025"], [1_500_000, 2_500_000], title="t", description="d", unit_label="mnkr"
        )
        spending = charts.bars(
            ["a"], [123_456], title="t", description="d", unit_label="kr", in_millions=False
        )
    assert "2,0" in texts(lines) and "2.0" not in texts(lines)
    assert "2\xa0%" in legend_texts(lines)  # the reference line's own name, formatted
    assert "1,5" in texts(bars) and "2,5" in texts(bars)  # millions, with as many decimals as the ticks need
    assert "120\xa0000" in texts(spending)


def test_the_metrics_chart_has_a_panel_and_a_scale_per_measure() -> None:
    def metric(kind: str, label: str, unit: str, value: float | None) -> dict[str, object]:
        return {
            "kind": kind,
            "label": label,
            "unit": unit,
            "series": [
                {"month": datetime.date.fromisoformat(f"{month}-01"), "value": value} for month in MONTHS
            ],
        }

    metrics = [
        metric("hired_fte", "Hired staff (FTE)", "fte", 1234.0),
        metric("turnover_pct", "Staff turnover (%)", "pct", 8.5),
        metric("sick_leave_pct", "Sick leave (%)", "pct", 6.25),
        metric("continuity_pct", "Continuity (%)", "pct", 55.0),
        metric("own_fte", "Own staff (FTE)", "fte", None),  # no values: no panel
    ]
    with translation.override("sv"):
        svg = str(metrics_chart(metrics, metrics_table(metrics, "Region")))
    assert axes_count(svg) == 4
    drawn = texts(svg)
    for label in ("Hired staff (FTE)", "Staff turnover (%)", "Sick leave (%)", "Continuity (%)"):
        assert label in drawn  # each panel's title names its measure and unit
    assert "Own staff (FTE)" not in drawn
    assert any(text.endswith("\xa0%") for text in drawn)  # the % panels' ticks
    assert any("\xa0" in text and "%" not in text for text in drawn)  # FTE ticks: 1 000 and up
    assert metrics_chart(metrics[4:], metrics_table(metrics[4:], "Region")) == ""


def test_the_target_is_drawn_above_the_2_percent_line_and_both_are_named() -> None:
    target = [2.0] * 12
    with translation.override("en"):
        svg = charts.share_lines(
            MONTHS,
            {"Region": [3.0] * 12},
            title="t",
            description="d",
            reference_label="The 2 % indicator",
            target=target,
            target_label="The region's target",
        )
        other = charts.share_lines(
            MONTHS,
            {"Region": [3.0] * 12},
            title="t",
            description="d",
            target=[2.5] * 12,
            target_label="Target",
        )
    assert legend_texts(svg) == ["Region", "The 2 % indicator", "The region's target (the same as 2\xa0%)"]
    assert legend_texts(other)[-1] == "Target"
    # Drawn after (above) the red 2 % line, in a colour and dash pattern of its own.
    plot = svg[: svg.index("-legend_1")]
    assert plot.rindex(f'stroke="{charts.TARGET}"') > plot.rindex(f'stroke="{charts.WARN}"')
    assert charts.TARGET not in (charts.WARN, charts.ACCENT, charts.GREY, charts.ACCENT_DARK, charts.OK)


def test_the_forecast_band_names_the_target_and_the_2_percent_line() -> None:
    with translation.override("en"):
        svg = charts.forecast_band(
            MONTHS,
            [2.5] * 11 + [None],
            [None] * 10 + [2.5, 2.4],
            [None] * 11 + [2.1],
            [None] * 11 + [2.7],
            [2.0] * 12,
            title="t",
            description="d",
            labels_text={
                "actual": "Actual",
                "forecast": "Forecast",
                "interval": "80 % interval",
                "target": "Target path",
                "reference": "The 2 % indicator",
            },
        )
    assert legend_texts(svg) == [
        "Actual",
        "Forecast",
        "80 % interval",
        "The 2 % indicator",
        "Target path (the same as 2\xa0%)",
    ]


def test_every_bar_colour_has_a_legend_entry() -> None:
    with translation.override("en"):
        changes = change_svg()
        regions = charts.region_shares(
            ["Region A", "Region B"],
            [1.0, 4.3],
            [2.0, None],
            title="t",
            description="d",
            share_label="Share",
            target_label="Own target",
        )
    assert legend_texts(changes) == ["Decrease", "Increase"]
    with translation.override("en"):
        falls = charts.change_bars(["A", "B"], [-1.0, -2.0], title="t", description="d")
    assert legend_texts(falls) == ["Decrease"]  # no entry for a colour that is not drawn
    for colour in (charts.OK, charts.WARN):
        assert f'fill="{colour}"' in changes[changes.index("-legend_1") :]
    assert legend_texts(regions) == ["Share, at most 2\xa0%", "Share, above 2\xa0%", "2\xa0%", "Own target"]


def test_charts_keep_title_and_description_and_are_deterministic() -> None:
    with translation.override("sv"):
        first, second = change_svg(), change_svg()
    assert first == second
    assert "<title>Change</title><desc>d</desc>" in first and 'role="img" aria-label="Change"' in first


def test_a_chart_is_drawn_once_per_data_and_language(monkeypatch) -> None:
    """The drawing is kept in the shared cache: the same data and language are not drawn again, other
    data or another language are."""
    from django.core.cache import cache

    from hyrkoll.followup import chart_bars

    cache.clear()
    drawn: list[str] = []
    real_render = chart_bars.render_svg

    def counting_render(figure, title, description):
        drawn.append(title)
        return real_render(figure, title, description)

    monkeypatch.setattr(chart_bars, "render_svg", counting_render)
    arguments = (["A", "B"], [Decimal("-1.5"), Decimal("2.7")])
    with translation.override("sv"):
        first = charts.change_bars(*arguments, title="Förändring", description="d")
        again = charts.change_bars(*arguments, title="Förändring", description="d")
    assert again == first and drawn == ["Förändring"]
    with translation.override("sv"):
        other = charts.change_bars(
            ["A", "B"], [Decimal("-1.5"), Decimal("2.4")], title="Förändring", description="d"
        )
    with translation.override("en"):
        english = charts.change_bars(*arguments, title="Förändring", description="d")
    assert drawn == ["Förändring"] * 3
    assert "2,4" in other and "2,7" not in other
    assert "2.7" in english and "2,7" not in english
