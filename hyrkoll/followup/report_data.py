"""What the follow-up dashboards and the Bemanningstrend report show, computed in one place.

Free of HTML: the web pages, the PDF, the Excel workbook and the API all render these
dictionaries. Amounts and percentages are ``Decimal`` (percentages rounded to two decimals, as in
``indicators``), months are ``datetime.date`` (the first of the month); ``jsonable`` turns a
result into plain JSON values. Every figure comes from a handful of aggregate queries
(``indicators.figures_for`` / ``monthly_series``), never one query per region.

Permissions are the caller's business (``access.visible_region_codes``): ``bemanningstrend``
takes the regions to list and whether the national figures may be shown.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Sum
from django.utils import formats
from django.utils.translation import gettext as _

from hyrkoll.followup import indicators
from hyrkoll.followup.indicators import (
    CENT,
    NATIONAL_TARGET_PCT,
    ZERO,
    Figures,
    Period,
    PeriodFigures,
    add_months,
    change,
    months_between,
    pct,
    target_path,
)
from hyrkoll.followup.models import (
    CostCareArea,
    CostEntry,
    CostProfession,
    CostType,
    MetricKind,
    StaffingMetric,
)
from hyrkoll.organisation.models import Region

FIRST_YEAR = 2011  # the published series starts here
SERIES_MONTHS = 36  # the rolling-12 chart
METRIC_MONTHS = 12  # the non-cost indicators' series
FTE_METRICS = (MetricKind.HIRED_FTE, MetricKind.OWN_FTE)
HIRED_FTE_SHARE = "hired_fte_share_pct"


# --- periods ----------------------------------------------------------------------------------------------


def _year_and_part(text: str, parts: int) -> tuple[int, int]:
    year, _sep, part = text.strip().partition("-")
    if len(year) != 4 or not year.isdigit() or not part.isdigit() or not 1 <= int(part) <= parts:
        raise ValueError(f"{text!r}: expected YYYY-N with N from 1 to {parts}")
    return int(year), int(part)


def parse_half(text: str) -> Period:
    """``2025-1`` → January–June 2025; ValueError otherwise."""
    return Period.half_year(*_year_and_part(text, 2))


def parse_quarter(text: str) -> Period:
    """``2025-2`` → April–June 2025; ValueError otherwise."""
    return Period.quarter(*_year_and_part(text, 4))


def period_label(period: Period) -> str:
    """ "Half-year 1 2025", "Quarter 2 2025", else "2024-04 – 2025-03" (translated)."""
    start, end = period.start, period.end
    months = len(months_between(start, end))
    if start.year == end.year and months == 6 and start.month in (1, 7):
        return _("Half-year %(half)s %(year)s") % {"half": 1 if start.month == 1 else 2, "year": start.year}
    if start.year == end.year and months == 3 and start.month in (1, 4, 7, 10):
        return _("Quarter %(quarter)s %(year)s") % {"quarter": (start.month + 2) // 3, "year": start.year}
    return period.label


# --- building blocks ----------------------------------------------------------------------------------------


def _share_pp(hired: Decimal, own: Decimal, previous_hired: Decimal, previous_own: Decimal) -> Decimal | None:
    """Change of a share in percentage points, from the unrounded shares (as ``indicators.change``)."""
    if not own or not previous_own:
        return None
    return (Decimal(100) * (hired / own - previous_hired / previous_own)).quantize(CENT, ROUND_HALF_UP)


def _meets(share: Decimal | None, target: Decimal | None) -> bool | None:
    if share is None or target is None:
        return None
    return share <= target


def comparison(current: Figures, previous: Figures) -> dict[str, Any]:
    """A period's totals beside the same period a year earlier."""
    difference = change(current, previous)
    return {
        "hired_sek": current.hired_sek,
        "own_sek": current.own_sek,
        "share_pct": current.share_pct,
        "internal_pool_sek": current.internal_pool_sek,
        "overtime_sek": current.overtime_sek,
        "meets_national_target": _meets(current.share_pct, NATIONAL_TARGET_PCT),
        "previous": {
            "hired_sek": previous.hired_sek,
            "own_sek": previous.own_sek,
            "share_pct": previous.share_pct,
            "internal_pool_sek": previous.internal_pool_sek,
            "overtime_sek": previous.overtime_sek,
        },
        "change": {
            "hired_sek": difference.hired_sek,
            "hired_pct": difference.hired_pct,
            "own_sek": difference.own_sek,
            "own_pct": difference.own_pct,
            "share_pp": difference.share_pp,
            "internal_pool_sek": current.internal_pool_sek - previous.internal_pool_sek,
            "internal_pool_pct": pct(
                current.internal_pool_sek - previous.internal_pool_sek, previous.internal_pool_sek
            ),
            "overtime_sek": current.overtime_sek - previous.overtime_sek,
            "overtime_pct": pct(current.overtime_sek - previous.overtime_sek, previous.overtime_sek),
        },
    }


def _ordered_keys(choices: Any, *mappings: dict[str, Decimal]) -> list[str]:
    """The choice codes in their declared order, then unknown codes, then "" (not split) – only
    keys with an amount in one of the mappings."""
    present = {key for mapping in mappings for key, value in mapping.items() if value}
    known = [code for code in choices.values if code in present]
    other = sorted(key for key in present if key and key not in choices.values)
    return known + other + ([""] if "" in present else [])


def _label(choices: Any, code: str) -> str:
    if not code:
        return _("Not split")
    try:
        return str(choices(code).label)
    except ValueError:
        return code


def by_profession(current: Figures, previous: Figures) -> list[dict[str, Any]]:
    """Hired cost per profession with the change from a year earlier."""
    rows = []
    for code in _ordered_keys(CostProfession, current.hired_by_profession, previous.hired_by_profession):
        hired = current.hired_by_profession.get(code, ZERO)
        before = previous.hired_by_profession.get(code, ZERO)
        rows.append(
            {
                "code": code,
                "label": _label(CostProfession, code),
                "hired_sek": hired,
                "previous_hired_sek": before,
                "change_sek": hired - before,
                "change_pct": pct(hired - before, before),
            }
        )
    return rows


def by_care_area(current: Figures, previous: Figures) -> list[dict[str, Any]]:
    """Hired cost per care area with the change from a year earlier, and the care area's share."""
    rows = []
    keys = _ordered_keys(
        CostCareArea,
        current.hired_by_care_area,
        previous.hired_by_care_area,
        current.own_by_care_area,
        previous.own_by_care_area,
    )
    for code in keys:
        hired = current.hired_by_care_area.get(code, ZERO)
        own = current.own_by_care_area.get(code, ZERO)
        before = previous.hired_by_care_area.get(code, ZERO)
        own_before = previous.own_by_care_area.get(code, ZERO)
        rows.append(
            {
                "code": code,
                "label": _label(CostCareArea, code),
                "hired_sek": hired,
                "previous_hired_sek": before,
                "change_sek": hired - before,
                "change_pct": pct(hired - before, before),
                "own_sek": own,
                "share_pct": pct(hired, own),
                "previous_share_pct": pct(before, own_before),
                "share_change_pp": _share_pp(hired, own, before, own_before),
            }
        )
    return rows


def _region_names(codes: Iterable[str] | None = None) -> dict[str, str]:
    regions = Region.objects.order_by("code")
    if codes is not None:
        regions = regions.filter(code__in=list(codes))
    return dict(regions.values_list("code", "name"))


def region_rows(
    current: PeriodFigures,
    previous: PeriodFigures,
    names: dict[str, str],
    targets: dict[str, dict[int, Decimal]],
    at: datetime.date,
) -> list[dict[str, Any]]:
    """One row per region in ``names`` (by code): the period, the year before, the targets."""
    rows = []
    for code, name in sorted(names.items()):
        figures = current.regions.get(code, Figures())
        before = previous.regions.get(code, Figures())
        difference = change(figures, before)
        target = target_path(targets.get(code, {}), at)
        rows.append(
            {
                "code": code,
                "name": name,
                "hired_sek": figures.hired_sek,
                "own_sek": figures.own_sek,
                "share_pct": figures.share_pct,
                "previous_hired_sek": before.hired_sek,
                "previous_share_pct": before.share_pct,
                "change_pp": difference.share_pp,
                "hired_change_sek": difference.hired_sek,
                "hired_change_pct": difference.hired_pct,
                "meets_national_target": _meets(figures.share_pct, NATIONAL_TARGET_PCT),
                "target_pct": target,
                "meets_own_target": _meets(figures.share_pct, target),
            }
        )
    return rows


def _meeting(rows: list[dict[str, Any]], share_key: str = "share_pct") -> list[str]:
    return [row["code"] for row in rows if _meets(row[share_key], NATIONAL_TARGET_PCT)]


def yearly_hired(last_month: datetime.date, region_code: str | None = None) -> list[dict[str, Any]]:
    """Hired cost per calendar year from 2011 (or the first year with data) through ``last_month``;
    the last year is ``partial`` when ``last_month`` is not December. One query."""
    queryset = CostEntry.objects.filter(cost_type=CostType.HIRED, period__lte=last_month)
    if region_code is not None:
        queryset = queryset.filter(region__code=region_code)
    totals = dict(queryset.values_list("period__year").annotate(total=Sum("amount_sek")).order_by())
    first = max(FIRST_YEAR, min(totals)) if totals else last_month.year
    first = min(first, last_month.year)
    return [
        {
            "year": year,
            "hired_sek": totals.get(year, ZERO),
            "partial": year == last_month.year and last_month.month != 12,
        }
        for year in range(first, last_month.year + 1)
    ]


def _monthly_costs(series: dict[datetime.date, Figures]) -> list[dict[str, Any]]:
    return [
        {
            "month": current,
            "hired_sek": figures.hired_sek,
            "own_sek": figures.own_sek,
            "internal_pool_sek": figures.internal_pool_sek,
            "overtime_sek": figures.overtime_sek,
            "share_pct": figures.share_pct,
        }
        for current, figures in series.items()
    ]


# --- dashboards ---------------------------------------------------------------------------------------------


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
        "monthly_costs": _monthly_costs(indicators.monthly_series(first_shown, last_month, region_code)),
    }


def national_dashboard(last_month: datetime.date) -> dict[str, Any]:
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
    names = _region_names()
    current = indicators.figures_for(data["period"], list(names))
    previous = indicators.figures_for(data["previous_period"], list(names))
    rows = region_rows(current, previous, names, indicators.targets_by_region(), last_month)
    meeting = _meeting(rows)
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
        meets_national_target=_meets(current.share_pct, NATIONAL_TARGET_PCT),
        meets_own_target=_meets(current.share_pct, target),
        by_profession=by_profession(current, previous),
        by_care_area=by_care_area(current, previous),
        metrics=staffing_metrics(region_code, last_month),
    )
    return data


# --- the Bemanningstrend report ----------------------------------------------------------------------------


def _number(value: Decimal, decimals: int) -> str:
    exponent = Decimal(1).scaleb(-decimals)
    return formats.number_format(value.quantize(exponent, ROUND_HALF_UP), decimals, force_grouping=True)


def _signed(value: Decimal, decimals: int = 2) -> str:
    text = _number(abs(value), decimals)
    return f"+{text}" if value > 0 else (f"\u2212{text}" if value < 0 else text)


def _amount_sentence(national: dict[str, Any]) -> str:
    amount = _number(national["hired_sek"], 0)
    previous, difference = national["previous"]["hired_sek"], national["change"]["hired_pct"]
    if not previous or difference is None:
        return _(
            "Hired-staff cost was %(amount)s SEK. There are no figures for the same period last year."
        ) % {"amount": amount}
    values = {"amount": amount, "pct": _number(abs(difference), 2)}
    if national["change"]["hired_sek"] > 0:
        return (
            _(
                "Hired-staff cost rose by %(pct)s %% to %(amount)s SEK compared with the same period last year."
            )
            % values
        )
    if national["change"]["hired_sek"] < 0:
        return (
            _(
                "Hired-staff cost fell by %(pct)s %% to %(amount)s SEK compared with the same period last year."
            )
            % values
        )
    return _("Hired-staff cost was %(amount)s SEK, unchanged from the same period last year.") % values


def _share_sentence(national: dict[str, Any]) -> str | None:
    share, pp = national["share_pct"], national["change"]["share_pp"]
    if share is None:
        return None
    values = {"share": _number(share, 2), "pp": _number(abs(pp), 2) if pp is not None else ""}
    if pp is None:
        return _("Hired-staff cost was %(share)s %% of own personnel cost.") % values
    if pp > 0:
        return (
            _(
                "Hired-staff cost was %(share)s %% of own personnel cost, %(pp)s percentage points more "
                "than a year earlier."
            )
            % values
        )
    if pp < 0:
        return (
            _(
                "Hired-staff cost was %(share)s %% of own personnel cost, %(pp)s percentage points less "
                "than a year earlier."
            )
            % values
        )
    return _("Hired-staff cost was %(share)s %% of own personnel cost, the same as a year earlier.") % values


def _movement_sentences(rows: list[dict[str, Any]]) -> list[str]:
    """What rose and what fell, by profession and care area (the "not split" rows left out)."""

    def item(row: dict[str, Any]) -> str:
        if row["change_pct"] is None:
            return row["label"]
        return f"{row['label']} ({_signed(row['change_pct'])} %)"

    rose = [item(row) for row in rows if row["code"] and row["change_sek"] > 0]
    fell = [item(row) for row in rows if row["code"] and row["change_sek"] < 0]
    sentences = []
    if rose:
        sentences.append(_("Hired-staff cost rose for: %(items)s.") % {"items": ", ".join(rose)})
    if fell:
        sentences.append(_("Hired-staff cost fell for: %(items)s.") % {"items": ", ".join(fell)})
    return sentences


def _regions_sentences(data: dict[str, Any]) -> list[str]:
    sentences = []
    if data["regions_with_data"]:
        values = {"count": data["regions_meeting_count"], "total": data["regions_with_data"]}
        if data["previous_regions_with_data"]:
            values["previous"] = data["previous_regions_meeting_count"]
            sentences.append(
                _(
                    "%(count)s of %(total)s regions met the 2 %% indicator (hired-staff cost at most 2 %% of "
                    "own personnel cost), compared with %(previous)s a year earlier."
                )
                % values
            )
        else:
            sentences.append(
                _(
                    "%(count)s of %(total)s regions met the 2 %% indicator (hired-staff cost at most 2 %% of "
                    "own personnel cost)."
                )
                % values
            )
    if data["largest_increase"] is not None:
        row = data["largest_increase"]
        sentences.append(
            _("The share rose most in %(region)s (%(pp)s percentage points).")
            % {"region": row["name"], "pp": _signed(row["change_pp"])}
        )
    if data["largest_decrease"] is not None:
        row = data["largest_decrease"]
        sentences.append(
            _("The share fell most in %(region)s (%(pp)s percentage points).")
            % {"region": row["name"], "pp": _signed(row["change_pp"])}
        )
    return sentences


def bemanningstrend(
    period: Period, region_codes: Iterable[str] | None = None, *, include_national: bool = True
) -> dict[str, Any]:
    """The Bemanningstrend report for a half-year or quarter (any ``Period`` works).

    ``region_codes`` limits the per-region table (all regions when None); with
    ``include_national=False`` (a region user before publication) the national figures, the
    splits, the counts and the summary are None / empty.

    Keys: ``period``, ``previous_period`` (``Period``), ``label``, ``national_target_pct``,
    ``national`` (``comparison``), ``regions`` (``region_rows``, targets at the period's last
    month), ``regions_meeting`` (codes), ``regions_meeting_count``, ``regions_with_data``,
    ``previous_regions_meeting_count``, ``previous_regions_with_data``, ``regions_count``,
    ``largest_increase`` / ``largest_decrease`` (a region row: the largest rise / fall of the share
    in percentage points, or None), ``by_profession``, ``by_care_area``, ``summary`` (sentences).
    """
    previous_period = period.previous_year()
    names = _region_names()
    current = indicators.figures_for(period, list(names))
    previous = indicators.figures_for(previous_period, list(names))
    every = region_rows(current, previous, names, indicators.targets_by_region(), period.end)
    wanted = set(region_codes) if region_codes is not None else None
    data: dict[str, Any] = {
        "period": period,
        "previous_period": previous_period,
        "label": period_label(period),
        "national_target_pct": NATIONAL_TARGET_PCT,
        "regions": [row for row in every if wanted is None or row["code"] in wanted],
        "regions_count": len(every),
        "national": None,
        "regions_meeting": None,
        "regions_meeting_count": None,
        "regions_with_data": None,
        "previous_regions_meeting_count": None,
        "previous_regions_with_data": None,
        "largest_increase": None,
        "largest_decrease": None,
        "by_profession": None,
        "by_care_area": None,
        "summary": [],
    }
    if not include_national:
        return data
    meeting = _meeting(every)
    changed = [row for row in every if row["change_pp"] is not None]
    increases = [row for row in changed if row["change_pp"] > 0]
    decreases = [row for row in changed if row["change_pp"] < 0]
    data.update(
        national=comparison(current.national, previous.national),
        regions_meeting=meeting,
        regions_meeting_count=len(meeting),
        regions_with_data=sum(1 for row in every if row["share_pct"] is not None),
        previous_regions_meeting_count=len(_meeting(every, "previous_share_pct")),
        previous_regions_with_data=sum(1 for row in every if row["previous_share_pct"] is not None),
        largest_increase=max(increases, key=lambda row: row["change_pp"]) if increases else None,
        largest_decrease=min(decreases, key=lambda row: row["change_pp"]) if decreases else None,
        by_profession=by_profession(current.national, previous.national),
        by_care_area=by_care_area(current.national, previous.national),
    )
    summary = [_amount_sentence(data["national"]), _share_sentence(data["national"])]
    summary += _movement_sentences(data["by_profession"] + data["by_care_area"])
    summary += _regions_sentences(data)
    data["summary"] = [sentence for sentence in summary if sentence]
    return data


# --- JSON ------------------------------------------------------------------------------------------------------


def jsonable(value: Any) -> Any:
    """Decimals → numbers (two decimals), months → ``YYYY-MM``, periods → {from, to}."""
    if isinstance(value, Decimal):
        return float(value.quantize(CENT, ROUND_HALF_UP))
    if isinstance(value, Period):
        return {"from": f"{value.start:%Y-%m}", "to": f"{value.end:%Y-%m}"}
    if isinstance(value, datetime.date):
        return f"{value:%Y-%m}"
    if isinstance(value, dict):
        return {str(key): jsonable(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(item) for item in value]
    return value
