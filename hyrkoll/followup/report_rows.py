"""The building blocks of the follow-up's dashboards and the Bemanningstrend report: a period beside
the same period a year earlier (``comparison``), the rows per profession, care area and region, the
hired cost per year and month, and ``jsonable`` for the API.

Free of HTML: the web pages, the PDF, the Excel workbook and the API all render these
dictionaries. Amounts and percentages are ``Decimal`` (percentages rounded to two decimals, as in
``indicators``), months are ``datetime.date`` (the first of the month); ``jsonable`` turns a
result into plain JSON values. Every figure comes from a handful of aggregate queries
(``indicators.figures_for`` / ``monthly_series``), never one query per region.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Sum
from django.utils.translation import gettext as _

from hyrkoll.followup.indicators import (
    CENT,
    NATIONAL_TARGET_PCT,
    ZERO,
    Figures,
    Period,
    PeriodFigures,
    change,
    pct,
    target_path,
)
from hyrkoll.followup.models import CostCareArea, CostEntry, CostProfession, CostType
from hyrkoll.organisation.models import Region

FIRST_YEAR = 2011  # the published series starts here


# --- building blocks ----------------------------------------------------------------------------------------


def _share_pp(hired: Decimal, own: Decimal, previous_hired: Decimal, previous_own: Decimal) -> Decimal | None:
    """Change of a share in percentage points, from the unrounded shares (as ``indicators.change``)."""
    if not own or not previous_own:
        return None
    return (Decimal(100) * (hired / own - previous_hired / previous_own)).quantize(CENT, ROUND_HALF_UP)


def meets(share: Decimal | None, target: Decimal | None) -> bool | None:
    """Whether ``share`` is at most ``target`` (None when either is missing)."""
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
        "meets_national_target": meets(current.share_pct, NATIONAL_TARGET_PCT),
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


def region_names(codes: Iterable[str] | None = None) -> dict[str, str]:
    """{code: name} of the regions (all, or those of ``codes``), by code."""
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
                "meets_national_target": meets(figures.share_pct, NATIONAL_TARGET_PCT),
                "target_pct": target,
                "meets_own_target": meets(figures.share_pct, target),
            }
        )
    return rows


def meeting_codes(rows: list[dict[str, Any]], share_key: str = "share_pct") -> list[str]:
    """The codes of the region rows whose ``share_key`` meets the 2 % indicator."""
    return [row["code"] for row in rows if meets(row[share_key], NATIONAL_TARGET_PCT)]


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


def monthly_costs(series: dict[datetime.date, Figures]) -> list[dict[str, Any]]:
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
