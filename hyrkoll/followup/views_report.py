"""The Bemanningstrend report for a half-year (``?half=2025-1``) or a quarter (``?quarter=2025-2``):
as a web page, as a PDF (WeasyPrint from a print template, the same SVG charts) and as an Excel
workbook with one sheet per table.

Permissions as the dashboards (``access.follow_up_scope``): a region's user before publication gets
their own region's row only, and no national figures or summary.
"""

from __future__ import annotations

import datetime
from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from hyrkoll.followup import data_tables, exports, trend_report
from hyrkoll.followup.access import follow_up_scope, latest_visible_month, published_through
from hyrkoll.followup.dashboard_parts import (
    BadParameter,
    Block,
    change_chart,
    costs_chart,
    download_links,
    last_data_month,
    region_url,
    regions_chart,
    require_follow_up,
)
from hyrkoll.followup.exports import Table
from hyrkoll.followup.indicators import Period, add_months
from hyrkoll.followup.models import CostEntry

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
YEARS_OFFERED = 15  # how far back the period selector goes


# --- the period ------------------------------------------------------------------------------------------------


def last_complete_half(latest: datetime.date) -> Period:
    """The last half-year that ends on or before ``latest``."""
    if latest.month == 12:
        return Period.half_year(latest.year, 2)
    if latest.month >= 6:
        return Period.half_year(latest.year, 1)
    return Period.half_year(latest.year - 1, 2)


def default_period(user: Any) -> Period:
    latest = last_data_month()
    if latest is None:
        latest = add_months(datetime.date.today().replace(day=1), -1)
    return last_complete_half(latest_visible_month(user, latest))


def chosen_period(request: HttpRequest) -> tuple[Period, dict[str, str]]:
    """(the period, the query parameters that name it). BadParameter for a malformed one."""
    half = request.GET.get("half", "").strip()
    quarter = request.GET.get("quarter", "").strip()
    if half and quarter:
        raise BadParameter(_("Choose either a half-year or a quarter, not both."))
    try:
        if half:
            return trend_report.parse_half(half), {"half": half}
        if quarter:
            return trend_report.parse_quarter(quarter), {"quarter": quarter}
    except ValueError:
        if half:
            raise BadParameter(
                _("The half-year must be a year and 1 or 2, e.g. 2025-1 (January–June).")
            ) from None
        raise BadParameter(_("The quarter must be a year and 1 to 4, e.g. 2025-2 (April–June).")) from None
    period = default_period(request.user)
    return period, {"half": f"{period.start.year}-{1 if period.start.month == 1 else 2}"}


def period_choices() -> dict[str, list[tuple[str, str]]]:
    """The complete half-years and quarters the selector offers (newest first), from the data's range."""
    latest = last_data_month() or datetime.date.today().replace(day=1)
    first = CostEntry.objects.order_by("period").values_list("period", flat=True).first() or latest
    years = range(latest.year, max(first.year, latest.year - YEARS_OFFERED) - 1, -1)

    def options(periods: list[tuple[str, Period]]) -> list[tuple[str, str]]:
        return [
            (value, trend_report.period_label(period)) for value, period in periods if period.end <= latest
        ]

    return {
        "halves": options(
            [(f"{year}-{half}", Period.half_year(year, half)) for year in years for half in (2, 1)]
        ),
        "quarters": options(
            [
                (f"{year}-{quarter}", Period.quarter(year, quarter))
                for year in years
                for quarter in (4, 3, 2, 1)
            ]
        ),
    }


# --- the report's contents ----------------------------------------------------------------------------------


def report_tables(data: dict[str, Any], *, links: bool = True) -> dict[str, Table]:
    """The report's tables, in the report's order; the national ones only when it has national figures."""
    where = _("the whole country")
    label = data["label"]
    tables: list[Table] = []
    if data["national"] is not None:
        tables.append(data_tables.costs_table(data["national"], where, label))
    tables.append(
        data_tables.regions_table(
            data["regions"],
            label,
            national=data["national"],
            links=[region_url(row["code"], data["period"].end) for row in data["regions"]] if links else (),
        )
    )
    if data["national"] is not None:
        tables.append(data_tables.by_profession_table(data["by_profession"], where, label))
        tables.append(data_tables.by_care_area_table(data["by_care_area"], where, label))
    return {table.name: table for table in tables}


def report_blocks(data: dict[str, Any], tables: dict[str, Table]) -> list[Block]:
    blocks = []
    if "costs" in tables:
        blocks.append(
            Block(
                tables["costs"],
                _("Hired staff beside the internal pool and overtime"),
                costs_chart(data["national"], tables["costs"]),
            )
        )
    blocks.append(
        Block(
            tables["regions"],
            _("The regions against 2 % and their own targets"),
            regions_chart(data["regions"], tables["regions"]),
        )
    )
    if "by_profession" in tables:
        blocks.append(
            Block(
                tables["by_profession"],
                _("Change by profession"),
                change_chart(
                    data["by_profession"],
                    tables["by_profession"],
                    _("Change in hired-staff cost by profession"),
                ),
            )
        )
    if "by_care_area" in tables:
        blocks.append(
            Block(
                tables["by_care_area"],
                _("Change by care area"),
                change_chart(
                    data["by_care_area"], tables["by_care_area"], _("Change in hired-staff cost by care area")
                ),
            )
        )
    return blocks


def report_for(
    request: HttpRequest, period: Period, *, links: bool = True
) -> tuple[dict[str, Any], dict[str, Table]]:
    regions, national = follow_up_scope(request.user, period.end)
    data = trend_report.bemanningstrend(period, regions, include_national=national)
    return data, report_tables(data, links=links)


def _context(
    request: HttpRequest, period: Period, parameters: dict[str, str], *, web: bool
) -> dict[str, Any]:
    data, tables = report_for(request, period, links=web)
    blocks = report_blocks(data, tables)
    for block in blocks:
        block.downloads = download_links(parameters, block.table.name)
    query = urlencode(parameters)
    published = published_through()
    return {
        "data": data,
        "blocks": blocks,
        "title": _("Bemanningstrend – %(period)s") % {"period": data["label"]},
        "restricted": data["national"] is None,
        "published": published,
        "pdf_url": f"{reverse('followup:report_pdf')}?{query}",
        "xlsx_url": f"{reverse('followup:report_xlsx')}?{query}",
        "parameters": parameters,
        "generated": datetime.date.today(),
    }


def report_table(request: HttpRequest, name: str) -> tuple[Table, str]:
    """For ``followup:download``: one of the report's tables."""
    from django.http import Http404

    period, parameters = chosen_period(request)
    _data, tables = report_for(request, period, links=False)
    if name not in tables:
        raise Http404
    return tables[name], exports.filename("bemanningstrend", tables[name].caption)


def _bad_request(error: BadParameter) -> HttpResponse:
    return HttpResponse(str(error), status=400, content_type="text/plain; charset=utf-8")


# --- views ---------------------------------------------------------------------------------------------------


@login_required
@require_GET
def report(request: HttpRequest) -> HttpResponse:
    require_follow_up(request.user)
    choices = period_choices()
    try:
        period, parameters = chosen_period(request)
    except BadParameter as error:
        return render(
            request,
            "followup/report.html",
            {"error": str(error), "choices": choices, "parameters": dict(request.GET.items())},
            status=400,
        )
    context = _context(request, period, parameters, web=True)
    context["choices"] = choices
    return render(request, "followup/report.html", context)


@login_required
@require_GET
def report_pdf(request: HttpRequest) -> HttpResponse:
    require_follow_up(request.user)
    try:
        period, parameters = chosen_period(request)
    except BadParameter as error:
        return _bad_request(error)
    html = render_to_string(
        "followup/report_print.html", _context(request, period, parameters, web=False), request
    )
    response = HttpResponse(exports.to_pdf(html), content_type="application/pdf")
    name = exports.filename("bemanningstrend", *parameters.values())
    response["Content-Disposition"] = f'attachment; filename="{name}.pdf"'
    return response


@login_required
@require_GET
def report_xlsx(request: HttpRequest) -> HttpResponse:
    require_follow_up(request.user)
    try:
        period, parameters = chosen_period(request)
    except BadParameter as error:
        return _bad_request(error)
    data, tables = report_for(request, period, links=False)
    title = _("Bemanningstrend – %(period)s") % {"period": data["label"]}
    summary = data["summary"] or [
        _("Not yet published: your own region's figures only, and no national figures.")
    ]
    content = exports.to_xlsx(tables.values(), summary=summary, title=title)
    response = HttpResponse(content, content_type=XLSX)
    name = exports.filename("bemanningstrend", *parameters.values())
    response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    return response
