"""Where the share is heading, for the pages: the forecast (``hyrkoll.forecasting``) of a region or
of the nation and every region, cached while the figures stay the same (``figures_cache.marker``),
and what the dashboards, the start page and the action plans show of it.

The forecast always starts from the latest figures (not from a month chosen on a dashboard), and
uses months that may not be published yet: only the region's own users and the national level see
a region's forecast (``access.sees_region_detail``); the nation's and the list of regions at risk
only the national level.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.core.cache import cache
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from hyrkoll.followup import charts, exports, figures_cache
from hyrkoll.followup.exports import MONTH, PCT, SEK, TEXT, Column, Table
from hyrkoll.followup.indicators import NATIONAL_TARGET_PCT, add_months, target_path
from hyrkoll.followup.models import CostEntry
from hyrkoll.lib import numbers

CACHE_SECONDS = 15 * 60
STATUS_ORDER = {"off_track": 0, "at_risk": 1, "on_track": 2, None: 3}
FORECAST_TABLE = "forecast"
REGIONS_TABLE = "regions_outlook"


def forecast(region_codes: tuple[str, ...] | None = None) -> dict[str, Any]:
    """``forecasting.data.forecasts`` for the regions (None: the nation and every region), cached."""
    key = f"hyrkoll:forecast:{figures_cache.marker()}:{','.join(region_codes) if region_codes else '*'}"
    result = cache.get(key)
    if result is None:
        from hyrkoll.forecasting.data import forecasts  # statsmodels: loaded when first needed

        result = forecasts(region_codes=region_codes)
        cache.set(key, result, CACHE_SECONDS)
    return result


def region_forecast(code: str) -> dict[str, Any] | None:
    return forecast((code,))["regions"].get(code)


def current_year(entity: dict[str, Any] | None) -> dict[str, Any] | None:
    """The year of the month after the entity's last month (the year still to be decided)."""
    if not entity:
        return None
    last = datetime.date.fromisoformat(f"{entity['last_month']}-01")
    year = add_months(last, 1).year
    return next((entry for entry in entity["years"] if entry["year"] == year), None)


def next_year(entity: dict[str, Any] | None) -> dict[str, Any] | None:
    year = current_year(entity)
    if year is None:
        return None
    return next((entry for entry in entity["years"] if entry["year"] == year["year"] + 1), None)  # type: ignore[index]


def status_label(status: str | None) -> str:
    from hyrkoll.forecasting.steering import STATUS_LABELS, Status

    return str(STATUS_LABELS[Status(status)]) if status else _("No target set")


def _pct(value: float | None) -> str:
    return exports.display(None if value is None else Decimal(str(value)), PCT)


def year_facts(year: dict[str, Any] | None) -> list[tuple[str, str]]:
    """The year's projected share, status and required reduction as (label, text) pairs."""
    if year is None:
        return []
    share = year["share_pct"]
    facts = [
        (
            _("Projected share %(year)s") % {"year": year["year"]},
            _("%(point)s (80 %% interval %(low)s–%(high)s)")
            % {"point": _pct(share["point"]), "low": _pct(share["low"]), "high": _pct(share["high"])},
        )
    ]
    if year["status"] is None:
        return facts
    facts.append(
        (
            _("Against the target %(target)s") % {"target": _pct(year["target_pct"])},
            _("%(status)s (probability %(probability)s of reaching it)")
            % {
                "status": status_label(year["status"]),
                "probability": f"{numbers.number(100 * year['probability_on_target'], 0)}\xa0%",
            },
        )
    )
    facts.append((_("Reduction needed %(year)s") % {"year": year["year"]}, reduction_text(year["reduction"])))
    return facts


def reduction_text(reduction: dict[str, Any] | None) -> str:
    if not reduction or not reduction["monthly_sek"]:
        return _("None: the forecast is at or below the target.")
    text = _(
        "%(sek)s kr a month (%(pct)s of the forecast hired cost) over the remaining %(months)s months"
    ) % {
        "sek": exports.display(Decimal(str(reduction["monthly_sek"])), SEK),
        "pct": _pct(reduction["monthly_pct"]),
        "months": reduction["months"],
    }
    if not reduction["reachable"]:
        text += " – " + _("more than the whole hired cost: not reachable this year by hired cost alone.")
    return text


def forecast_table(
    entity: dict[str, Any], history: list[dict[str, Any]], where: str, targets: dict[int, Decimal] | None
) -> Table:
    """The actual rolling-12 share (the dashboard's months) followed by the forecast months with
    their interval, and the target path."""
    first_forecast = datetime.date.fromisoformat(f"{entity['months'][0]}-01") if entity["months"] else None
    rows: list[list[Any]] = [
        [point["month"], point["share_pct"], None, None, None, point.get("target_pct", NATIONAL_TARGET_PCT)]
        for point in history
        if first_forecast is None
        or point["month"] < first_forecast  # a month the forecast starts at is not in
    ]
    band = entity["rolling12_share_pct"]
    for index, month_text in enumerate(entity["months"]):
        month = datetime.date.fromisoformat(f"{month_text}-01")
        target = target_path(targets, month) if targets is not None else NATIONAL_TARGET_PCT
        values = [band[key][index] for key in ("point", "low", "high")]
        rows.append([month, None, *(None if v is None else Decimal(str(v)) for v in values), target])
    return Table(
        name=FORECAST_TABLE,
        caption=_("Rolling 12-month share with the forecast, %(where)s") % {"where": where},
        sheet=_("Forecast"),
        columns=[
            Column(_("Month"), MONTH),
            Column(_("Actual (%)"), PCT),
            Column(_("Forecast (%)"), PCT),
            Column(_("Lower bound, 80 % (%)"), PCT),
            Column(_("Upper bound, 80 % (%)"), PCT),
            Column(_("Target path (%)") if targets is not None else _("The 2 % indicator (%)"), PCT),
        ],
        rows=rows,
    )


def forecast_chart(table: Table, *, with_target: bool) -> SafeString:
    def column(index: int) -> list[float | None]:
        return [None if row[index] is None else float(row[index]) for row in table.rows]

    actual, forecast_point = column(1), column(2)
    last_actual = max((i for i, v in enumerate(actual) if v is not None), default=None)
    if last_actual is not None and last_actual + 1 < len(forecast_point):
        forecast_point[last_actual] = actual[last_actual]  # the dashed line starts at the last actual
    svg = charts.forecast_band(
        [f"{row[0]:%Y-%m}" for row in table.rows],
        actual,
        forecast_point,
        column(3),
        column(4),
        column(5) if with_target else [None] * len(table.rows),
        title=table.caption,
        description=_("The figures are in the table “%(caption)s” beside the chart.")
        % {"caption": table.caption},
        labels_text={
            "actual": _("Actual"),
            "forecast": _("Forecast"),
            "interval": _("80 % interval"),
            "target": _("The region's target path"),
            "reference": _("The 2 % indicator"),
        },
    )
    return mark_safe(svg)  # noqa: S308 – our own matplotlib output (see dashboard_parts._safe)


def ranked_regions(result: dict[str, Any]) -> list[tuple[str, dict[str, Any], dict[str, Any]]]:
    """(code, forecast, current year) of every region with a forecast: off track first, then at
    risk, on track, without a target; the least likely to reach the target first within each."""
    entries = []
    for code, entity in result["regions"].items():
        year = current_year(entity)
        if entity is not None and year is not None:
            entries.append((code, entity, year))
    entries.sort(
        key=lambda item: (
            STATUS_ORDER.get(item[2]["status"], 3),
            item[2]["probability_on_target"] or 0,
            item[0],
        )
    )
    return entries


def regions_table(result: dict[str, Any], *, links: bool = True) -> Table:
    """Every region's projected share of the current year against its target, the off-track and
    at-risk regions first."""
    rows, urls = [], []
    for code, entity, year in ranked_regions(result):
        reduction = year["reduction"] or {}
        rows.append(
            [
                f"{code} {entity['name']}",
                year["year"],
                Decimal(str(year["share_pct"]["point"])),
                Decimal(str(year["share_pct"]["low"])),
                Decimal(str(year["share_pct"]["high"])),
                None if year["target_pct"] is None else Decimal(str(year["target_pct"])),
                status_label(year["status"]),
                None
                if year["probability_on_target"] is None
                else Decimal(str(100 * year["probability_on_target"])),
                None if reduction.get("monthly_sek") is None else Decimal(str(reduction["monthly_sek"])),
            ]
        )
        urls.append(reverse("followup:region_dashboard", args=[code]) + f"#block-{FORECAST_TABLE}")
    return Table(
        name=REGIONS_TABLE,
        caption=_("The regions' projected share this year against their targets"),
        sheet=_("Regions' outlook"),
        columns=[
            Column(_("Region")),
            Column(_("Year"), exports.YEAR),
            Column(_("Projected share (%)"), PCT),
            Column(_("Lower bound (%)"), PCT),
            Column(_("Upper bound (%)"), PCT),
            Column(_("Target (%)"), PCT),
            Column(_("Status"), TEXT),
            Column(_("Probability of reaching the target (%)"), PCT),
            Column(_("Reduction needed (SEK a month)"), SEK),
        ],
        rows=rows,
        links=urls if links else [],
    )


def regions_at_risk(result: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    """(code, name, year) of the regions off track or at risk this year, the worst first."""
    return [
        (code, entity["name"], year)
        for code, entity, year in ranked_regions(result)
        if year["status"] in ("off_track", "at_risk")
    ]


def region_tables(
    entity: dict[str, Any] | None, where: str, history: list[dict[str, Any]], targets: dict[int, Decimal]
) -> dict[str, Table]:
    """The region's forecast table (``entity``: its forecast; an empty dict without one);
    ``targets``: the region's target path {year: share}."""
    if entity is None:
        return {}
    return {FORECAST_TABLE: forecast_table(entity, history, where, targets)}


def national_tables(
    result: dict[str, Any], history: list[dict[str, Any]], *, links: bool = True
) -> dict[str, Table]:
    """The nation's forecast table and the regions' outlook (``result``: ``forecast()``)."""
    if result["nation"] is None:
        return {}
    return {
        FORECAST_TABLE: forecast_table(result["nation"], history, _("the whole country"), None),
        REGIONS_TABLE: regions_table(result, links=links),
    }


def start_notice(user: Any) -> dict[str, Any] | None:
    """The outlook on a start page: the steering group's own region (its status this year), and for
    the national level the regions off track or at risk. None for everyone else."""
    from hyrkoll.accounts.models import Role, Scope

    if not getattr(user, "is_authenticated", False):
        return None
    if user.scope == Scope.REGION and user.region is not None and user.has_role(Role.STEERING_GROUP):
        code = user.region.code
        if not CostEntry.objects.filter(region__code=code).exists():
            return None
        year = current_year(region_forecast(code))
        if year is None:
            return None
        return {
            "region": user.region,
            "year": year,
            "status": status_label(year["status"]),
            "facts": year_facts(year),
            "url": reverse("followup:region_dashboard", args=[code]) + f"#block-{FORECAST_TABLE}",
        }
    if user.scope == Scope.NATIONAL and CostEntry.objects.exists():
        result = forecast()
        return {
            "regions": [
                {
                    "name": f"{code} {name}",
                    "status": status_label(year["status"]),
                    "share": _pct(year["share_pct"]["point"]),
                    "target": _pct(year["target_pct"]),
                    "url": reverse("followup:region_dashboard", args=[code]) + f"#block-{FORECAST_TABLE}",
                }
                for code, name, year in regions_at_risk(result)
            ],
            "url": reverse("followup:dashboard") + f"#block-{REGIONS_TABLE}",
        }
    return None
