"""What the national and the regional follow-up dashboards show, for the rolling 12 months ending
at a month (``national_dashboard``, ``region_dashboard``); the rows are ``report_rows``'.

About 16 aggregate queries over the cost entries each (tens of thousands of rows a month at
national scale), so the results are kept in the shared cache under the figures' version and the
language (``figures_cache``): a page asks for them again only after the figures changed.

Permissions are the caller's business (``access.follow_up_scope``).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.utils.translation import gettext as _

from hyrkoll.followup import figures_cache, indicators
from hyrkoll.followup.indicators import (
    CENT,
    NATIONAL_TARGET_PCT,
    ZERO,
    Period,
    add_months,
    months_between,
    pct,
    target_path,
)
from hyrkoll.followup.models import MetricKind, StaffingMetric
from hyrkoll.followup.report_rows import (
    by_care_area,
    by_profession,
    comparison,
    meeting_codes,
    meets,
    monthly_costs,
    region_names,
    region_rows,
    yearly_hired,
)
from hyrkoll.organisation.models import Region

SERIES_MONTHS = 36  # the rolling-12 chart
METRIC_MONTHS = 12  # the non-cost indicators' series
FTE_METRICS = (MetricKind.HIRED_FTE, MetricKind.OWN_FTE)
HIRED_FTE_SHARE = "hired_fte_share_pct"


def _dashboard_common(last_month: datetime.date, region_code: str | None) -> dict[str, Any]:
    period = Period.rolling12(last_month)
    first_shown = add_months(last_month, -(SERIES_MONTHS - 1))
    return {
        "last_month": last_month,
        "period": period,
        "previous_period": period.previous_year(),
        "national_target_pct": NATIONAL_TARGET_PCT,
        "yearly_hired": yearly_hired(last_month, region_code),
        "rolling12": [
            {"month": current, "share_pct": share}
            for current, share in indicators.rolling12_shares(first_shown, last_month, region_code).items()
        ],
        "monthly_costs": monthly_costs(indicators.monthly_series(first_shown, last_month, region_code)),
    }


def national_dashboard(last_month: datetime.date) -> dict[str, Any]:
    """``compute_national_dashboard``, cached while the figures stay the same."""
    return figures_cache.cached(
        "national-dashboard", (f"{last_month:%Y-%m}",), lambda: compute_national_dashboard(last_month)
    )


def compute_national_dashboard(last_month: datetime.date) -> dict[str, Any]:
    """The national dashboard for the rolling 12 months ending ``last_month``.

    Keys: ``last_month``, ``period``/``previous_period`` (``Period``), ``national_target_pct`` (2),
    ``yearly_hired`` [{year, hired_sek, partial}], ``rolling12`` [{month, share_pct}] (36 months),
    ``monthly_costs`` [{month, hired_sek, own_sek, internal_pool_sek, overtime_sek, share_pct}],
    ``national`` (``comparison``), ``regions`` (``region_rows``: code, name, hired_sek, own_sek,
    share_pct, previous_hired_sek, previous_share_pct, change_pp, hired_change_sek,
    hired_change_pct, meets_national_target, target_pct, meets_own_target), ``regions_meeting``
    (codes), ``regions_meeting_count``, ``regions_with_data``, ``regions_count``,
    ``by_profession``, ``by_care_area``.
    """
    data = _dashboard_common(last_month, None)
    names = region_names()
    current = indicators.figures_for(data["period"], list(names))
    previous = indicators.figures_for(data["previous_period"], list(names))
    rows = region_rows(current, previous, names, indicators.targets_by_region(), last_month)
    meeting = meeting_codes(rows)
    data.update(
        national=comparison(current.national, previous.national),
        regions=rows,
        regions_meeting=meeting,
        regions_meeting_count=len(meeting),
        regions_with_data=sum(1 for row in rows if row["share_pct"] is not None),
        regions_count=len(rows),
        by_profession=by_profession(current.national, previous.national),
        by_care_area=by_care_area(current.national, previous.national),
    )
    return data


def _metric_value(kind: str, rows: dict[tuple[str, str], Decimal]) -> Decimal | None:
    """One value per month from the rows of one metric: the unsplit row if there is one, else the
    rows split by profession only, by care area only, or by both – summed for FTE, averaged for
    percentages."""
    groups: list[list[Decimal]] = [[], [], [], []]
    for (profession, care_area), value in rows.items():
        groups[(1 if profession else 0) + (2 if care_area else 0)].append(value)
    for values in groups:
        if values:
            total = sum(values, ZERO)
            if kind in FTE_METRICS:
                return total
            return (total / len(values)).quantize(CENT, ROUND_HALF_UP)
    return None


def staffing_metrics(region_code: str, last_month: datetime.date) -> list[dict[str, Any]]:
    """The non-cost indicators of a region for the 12 months ending ``last_month`` (one query)."""
    months = months_between(add_months(last_month, -(METRIC_MONTHS - 1)), last_month)
    raw: dict[str, dict[datetime.date, dict[tuple[str, str], Decimal]]] = defaultdict(
        lambda: defaultdict(dict)
    )
    queryset = StaffingMetric.objects.filter(
        region__code=region_code, period__gte=months[0], period__lte=last_month
    ).values_list("metric", "period", "profession", "care_area", "value")
    for kind, current, profession, care_area, value in queryset:
        raw[kind][current][(profession, care_area)] = value
    values = {
        kind: {current: _metric_value(kind, raw[kind].get(current, {})) for current in months}
        for kind in MetricKind.values
    }
    values[HIRED_FTE_SHARE] = {
        current: (
            pct(values[MetricKind.HIRED_FTE][current], values[MetricKind.OWN_FTE][current])
            if values[MetricKind.HIRED_FTE][current] is not None and values[MetricKind.OWN_FTE][current]
            else None
        )
        for current in months
    }
    labels = {kind: str(label) for kind, label in MetricKind.choices}
    labels[HIRED_FTE_SHARE] = _("Hired FTE as a share of own FTE (%)")
    result = []
    for kind in [*MetricKind.values, HIRED_FTE_SHARE]:
        series = values[kind]
        latest = next(((m, v) for m, v in reversed(series.items()) if v is not None), (None, None))
        result.append(
            {
                "kind": kind,
                "label": labels[kind],
                "unit": "fte" if kind in FTE_METRICS else "pct",
                "latest_month": latest[0],
                "latest_value": latest[1],
                "series": [{"month": current, "value": value} for current, value in series.items()],
            }
        )
    return result


def region_dashboard(region_code: str, last_month: datetime.date) -> dict[str, Any]:
    """``compute_region_dashboard``, cached while the figures stay the same."""
    return figures_cache.cached(
        "region-dashboard",
        (region_code, f"{last_month:%Y-%m}"),
        lambda: compute_region_dashboard(region_code, last_month),
    )


def compute_region_dashboard(region_code: str, last_month: datetime.date) -> dict[str, Any]:
    """One region's dashboard for the rolling 12 months ending ``last_month``.

    Keys as ``national_dashboard`` for the region (``yearly_hired``, ``rolling12`` – each month also
    with ``target_pct``, the region's target path –, ``monthly_costs``, ``by_profession``,
    ``by_care_area``), plus ``region`` {code, name}, ``figures`` (``comparison``: hired, own, share,
    internal pool and overtime with the year before), ``targets`` {year: share_pct},
    ``target_pct`` at ``last_month``, ``meets_national_target``, ``meets_own_target`` and
    ``metrics`` [{kind, label, unit ("fte"/"pct"), latest_month, latest_value, series [{month,
    value}]}] – the StaffingMetric kinds and ``hired_fte_share_pct``. No national figures.
    Raises ``Region.DoesNotExist`` for an unknown code.
    """
    region = Region.objects.get(code=region_code)
    data = _dashboard_common(last_month, region_code)
    targets = indicators.targets_by_region().get(region_code, {})
    for point in data["rolling12"]:
        point["target_pct"] = target_path(targets, point["month"])
    current = indicators.figures_for(data["period"], [region_code]).regions[region_code]
    previous = indicators.figures_for(data["previous_period"], [region_code]).regions[region_code]
    target = target_path(targets, last_month)
    data.update(
        region={"code": region.code, "name": region.name},
        figures=comparison(current, previous),
        targets=dict(sorted(targets.items())),
        target_pct=target,
        meets_national_target=meets(current.share_pct, NATIONAL_TARGET_PCT),
        meets_own_target=meets(current.share_pct, target),
        by_profession=by_profession(current, previous),
        by_care_area=by_care_area(current, previous),
        metrics=staffing_metrics(region_code, last_month),
    )
    return data
