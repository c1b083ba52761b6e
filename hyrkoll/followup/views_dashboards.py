"""The follow-up dashboards: the nation and each region, for the rolling 12 months ending at a month.

Every chart (server-side SVG, ``charts``) has its table beside it and the table as CSV and Excel
(``download``). Who sees what is ``access.follow_up_scope`` – the rule the API applies too:
suppliers get 403; the national level sees everything; a region's users see their own region, and
the nation and the other regions only for months up to the last published Bemanningstrend
(otherwise a message and a link to their own region).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Max
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from hyrkoll.followup import charts, exports, report_data
from hyrkoll.followup.access import (
    can_follow_up,
    follow_up_scope,
    latest_visible_month,
    published_through,
)
from hyrkoll.followup.exports import Table
from hyrkoll.followup.indicators import NATIONAL_TARGET_PCT, parse_month
from hyrkoll.followup.models import CostEntry
from hyrkoll.organisation.models import Region

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


class BadParameter(Exception):
    """A query parameter the page cannot use: answered with 400 and the message."""


@dataclass
class Block:
    """A chart and the table beside it, with the table's downloads."""

    table: Table
    heading: str
    svg: SafeString | str = ""
    note: str = ""
    downloads: list[tuple[str, str]] = field(default_factory=list)

    @property
    def anchor(self) -> str:
        return f"block-{self.table.name}"

    @property
    def wide(self) -> bool:
        """More than three columns: the table goes right below the chart instead of beside it."""
        return len(self.table.columns) > 3


# --- parameters and permissions ----------------------------------------------------------------------------


def require_follow_up(user: Any) -> None:
    if not can_follow_up(user):
        raise PermissionDenied


def month_parameter(request: HttpRequest) -> datetime.date | None:
    raw = request.GET.get("month", "").strip()
    if not raw:
        return None
    try:
        return parse_month(raw)
    except ValueError:
        raise BadParameter(_("The month must be given as YYYY-MM, e.g. 2025-06.")) from None


def last_data_month(region_code: str | None = None) -> datetime.date | None:
    """The last month with any cost (of ``region_code``, falling back to every region)."""
    queryset = CostEntry.objects.all()
    if region_code is not None:
        latest = queryset.filter(region__code=region_code).aggregate(latest=Max("period"))["latest"]
        if latest is not None:
            return latest
    return queryset.aggregate(latest=Max("period"))["latest"]


def chosen_month(request: HttpRequest, region_code: str | None = None) -> datetime.date | None:
    """``?month=``, or the last month with data the user may see."""
    month = month_parameter(request)
    if month is not None:
        return month
    latest = last_data_month(region_code)
    return latest_visible_month(request.user, latest, region_code) if latest is not None else None


def message_page(request: HttpRequest, title: str, message: str, *, status: int) -> HttpResponse:
    """A refusal or an error, with a way on: the user's own region's dashboard."""
    user: Any = request.user
    own_region = user.region if getattr(user, "region_id", None) else None
    return render(
        request,
        "followup/dashboard_message.html",
        {"title": title, "message": message, "own_region": own_region},
        status=status,
    )


def not_published_message(month: datetime.date) -> str:
    published = published_through()
    if published is None:
        return _(
            "The Bemanningstrend has not been published yet. Until it is, a region sees its own figures only."
        )
    return _(
        "The national figures and the other regions' figures are published through %(published)s; "
        "%(month)s is not published yet. You can see your own region's figures."
    ) % {"published": f"{published:%Y-%m}", "month": f"{month:%Y-%m}"}


def region_url(code: str, month: datetime.date | None) -> str:
    url = reverse("followup:region_dashboard", args=[code])
    return f"{url}?{urlencode({'month': f'{month:%Y-%m}'})}" if month else url


def download_links(parameters: dict[str, str], table: str) -> list[tuple[str, str]]:
    url = reverse("followup:download")
    return [
        (label, f"{url}?{urlencode({**parameters, 'table': table, 'format': fmt})}")
        for fmt, label in (("csv", "CSV"), ("xlsx", "Excel"))
    ]


# --- charts ------------------------------------------------------------------------------------------------


def _safe(svg: str) -> SafeString:
    # Our own matplotlib output: text is escaped by matplotlib, titles by charts._svg.
    return mark_safe(svg)  # noqa: S308


def _description(table: Table) -> str:
    return _("The figures are in the table “%(caption)s” beside the chart.") % {"caption": table.caption}


def yearly_chart(data: dict[str, Any], table: Table) -> SafeString:
    rows = data["yearly_hired"]
    return _safe(
        charts.bars(
            [f"{row['year']}*" if row["partial"] else str(row["year"]) for row in rows],
            [row["hired_sek"] for row in rows],
            title=table.caption,
            description=_description(table),
            unit_label=_("million SEK"),
        )
    )


def rolling12_chart(data: dict[str, Any], table: Table, where: str, *, with_target: bool) -> SafeString:
    points = data["rolling12"]
    series: dict[str, list[Any]] = {where: [point["share_pct"] for point in points]}
    if with_target and any(point.get("target_pct") is not None for point in points):
        series[_("The region's target")] = [point.get("target_pct") for point in points]
    return _safe(
        charts.share_lines(
            [f"{point['month']:%Y-%m}" for point in points],
            series,
            title=table.caption,
            description=_description(table),
            reference_pct=float(NATIONAL_TARGET_PCT),
            reference_label=_("The 2 % indicator"),
        )
    )


def regions_chart(rows: list[dict[str, Any]], table: Table) -> SafeString:
    return _safe(
        charts.region_shares(
            [row["name"] for row in rows],
            [row["share_pct"] for row in rows],
            [row["target_pct"] for row in rows],
            title=table.caption,
            description=_description(table),
            share_label=_("Hired as a share of own"),
            target_label=_("The region's own target"),
            reference_pct=float(NATIONAL_TARGET_PCT),
        )
    )


def change_chart(rows: list[dict[str, Any]], table: Table, title: str) -> SafeString | str:
    if not rows:
        return ""
    return _safe(
        charts.change_bars(
            [row["label"] for row in rows],
            [row["change_pct"] for row in rows],
            title=title,
            description=_description(table),
        )
    )


def costs_chart(figures: dict[str, Any], table: Table) -> SafeString:
    return _safe(
        charts.bars(
            [_("Hired staff"), _("Internal pool"), _("Overtime")],
            [figures["hired_sek"], figures["internal_pool_sek"], figures["overtime_sek"]],
            title=table.caption,
            description=_description(table),
            unit_label=_("million SEK"),
        )
    )


def metrics_chart(metrics: list[dict[str, Any]], table: Table) -> SafeString | str:
    shown = [metric for metric in metrics if metric["unit"] == "pct"]
    if not any(point["value"] is not None for metric in shown for point in metric["series"]):
        return ""
    return _safe(
        charts.share_lines(
            [f"{point['month']:%Y-%m}" for point in shown[0]["series"]],
            {metric["label"]: [point["value"] for point in metric["series"]] for metric in shown},
            title=table.caption,
            description=_description(table),
            reference_pct=None,
        )
    )


# --- the national dashboard --------------------------------------------------------------------------------


def national_tables(data: dict[str, Any], *, links: bool = True) -> dict[str, Table]:
    where = _("the whole country")
    label = data["period"].label
    month = data["last_month"]
    return {
        table.name: table
        for table in (
            exports.yearly_hired_table(data["yearly_hired"], where, month),
            exports.rolling12_table(data["rolling12"], where),
            exports.regions_table(
                data["regions"],
                label,
                national=data["national"],
                links=[region_url(row["code"], month) for row in data["regions"]] if links else (),
            ),
            exports.by_care_area_table(data["by_care_area"], where, label),
            exports.by_profession_table(data["by_profession"], where, label),
        )
    }


def _facts(figures: dict[str, Any]) -> list[tuple[str, str]]:
    display = exports.display
    change = figures["change"]
    return [
        (
            _("Hired-staff cost"),
            _("%(amount)s SEK (%(change)s from a year earlier)")
            % {
                "amount": display(figures["hired_sek"], exports.SEK),
                "change": display(change["hired_pct"], exports.SIGNED_PCT),
            },
        ),
        (_("Own personnel cost"), _("%(amount)s SEK") % {"amount": display(figures["own_sek"], exports.SEK)}),
        (
            _("Hired as a share of own"),
            _("%(share)s (%(pp)s percentage points from a year earlier)")
            % {
                "share": display(figures["share_pct"], exports.PCT),
                "pp": display(change["share_pp"], exports.PP),
            },
        ),
    ]


@login_required
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    require_follow_up(request.user)
    try:
        month = chosen_month(request)
    except BadParameter as error:
        return message_page(request, _("The follow-up dashboard"), str(error), status=400)
    if month is None:
        return render(request, "followup/dashboard_national.html", {"month": None})
    _regions, national = follow_up_scope(request.user, month)
    if not national:
        return message_page(
            request, _("The national figures are not published yet"), not_published_message(month), status=403
        )
    data = report_data.national_dashboard(month)
    tables = national_tables(data)
    parameters = {"month": f"{month:%Y-%m}"}
    where = _("the whole country")
    blocks = [
        Block(
            tables["yearly_hired"], _("Hired-staff cost per year"), yearly_chart(data, tables["yearly_hired"])
        ),
        Block(
            tables["rolling12"],
            _("Hired as a share of own personnel cost, rolling 12 months"),
            rolling12_chart(data, tables["rolling12"], where, with_target=False),
        ),
        Block(
            tables["regions"],
            _("The regions against 2 % and their own targets"),
            regions_chart(data["regions"], tables["regions"]),
            note=_("Choose a region in the table to see its dashboard."),
        ),
        Block(
            tables["by_care_area"],
            _("Change by care area"),
            change_chart(
                data["by_care_area"], tables["by_care_area"], _("Change in hired-staff cost by care area")
            ),
        ),
        Block(
            tables["by_profession"],
            _("Change by profession"),
            change_chart(
                data["by_profession"], tables["by_profession"], _("Change in hired-staff cost by profession")
            ),
        ),
    ]
    for block in blocks:
        block.downloads = download_links(parameters, block.table.name)
    facts = _facts(data["national"]) + [
        (
            _("Regions meeting 2 %"),
            _("%(count)s of %(total)s")
            % {"count": data["regions_meeting_count"], "total": data["regions_with_data"]},
        )
    ]
    return render(
        request,
        "followup/dashboard_national.html",
        {"month": month, "data": data, "blocks": blocks, "facts": facts, "latest": last_data_month()},
    )


# --- a region's dashboard ----------------------------------------------------------------------------------


def region_tables(data: dict[str, Any]) -> dict[str, Table]:
    where = data["region"]["name"]
    label = data["period"].label
    return {
        table.name: table
        for table in (
            exports.costs_table(data["figures"], where, label),
            exports.yearly_hired_table(data["yearly_hired"], where, data["last_month"]),
            exports.rolling12_table(data["rolling12"], where, with_target=True),
            exports.by_care_area_table(data["by_care_area"], where, label),
            exports.by_profession_table(data["by_profession"], where, label),
            exports.metrics_table(data["metrics"], where),
        )
    }


def _region_month(request: HttpRequest, code: str) -> tuple[datetime.date | None, bool]:
    """(the month, whether the user may see ``code`` then)."""
    month = chosen_month(request, code)
    if month is None:
        return None, True
    regions, _national = follow_up_scope(request.user, month)
    return month, regions is None or code in regions


@login_required
@require_GET
def region_dashboard(request: HttpRequest, code: str) -> HttpResponse:
    require_follow_up(request.user)
    region = Region.objects.filter(code=code).first()
    if region is None:
        raise Http404
    try:
        month, allowed = _region_month(request, code)
    except BadParameter as error:
        return message_page(request, region.name, str(error), status=400)
    if not allowed:
        return message_page(
            request,
            _("%(region)s: not published yet") % {"region": region.name},
            not_published_message(month),  # type: ignore[arg-type]
            status=403,
        )
    if month is None:
        return render(request, "followup/dashboard_region.html", {"month": None, "region": region})
    data = report_data.region_dashboard(code, month)
    tables = region_tables(data)
    where = region.name
    blocks = [
        Block(
            tables["costs"],
            _("Hired staff beside the internal pool and overtime"),
            costs_chart(data["figures"], tables["costs"]),
            note=_("When hired cost falls, does the cost move into the internal pool and overtime?"),
        ),
        Block(
            tables["yearly_hired"], _("Hired-staff cost per year"), yearly_chart(data, tables["yearly_hired"])
        ),
        Block(
            tables["rolling12"],
            _("Share of own personnel cost against 2 % and the region's target path"),
            rolling12_chart(data, tables["rolling12"], where, with_target=True),
        ),
        Block(
            tables["by_care_area"],
            _("Change by care area"),
            change_chart(
                data["by_care_area"], tables["by_care_area"], _("Change in hired-staff cost by care area")
            ),
        ),
        Block(
            tables["by_profession"],
            _("Change by profession"),
            change_chart(
                data["by_profession"], tables["by_profession"], _("Change in hired-staff cost by profession")
            ),
        ),
        Block(
            tables["metrics"],
            _("Staffing beyond cost"),
            metrics_chart(data["metrics"], tables["metrics"]),
            note=_(
                "Hired FTE against own FTE, staff turnover, sick leave and continuity, from the region's own import."
            ),
        ),
    ]
    parameters = {"month": f"{month:%Y-%m}", "region": code}
    for block in blocks:
        block.downloads = download_links(parameters, block.table.name)
    facts = _facts(data["figures"])
    facts.append(
        (
            _("The region's target"),
            exports.display(data["target_pct"], exports.PCT)
            if data["target_pct"] is not None
            else _("No target set"),
        )
    )
    if data["targets"]:
        facts.append(
            (
                _("Target path"),
                ", ".join(
                    f"{year}: {exports.display(share, exports.PCT)}"
                    for year, share in data["targets"].items()
                ),
            )
        )
    _regions, national = follow_up_scope(request.user, month)
    latest_metrics = [
        (
            metric["label"],
            exports.display(metric["latest_value"], exports.FTE if metric["unit"] == "fte" else exports.PCT),
            metric["latest_month"],
        )
        for metric in data["metrics"]
    ]
    return render(
        request,
        "followup/dashboard_region.html",
        {
            "month": month,
            "region": region,
            "data": data,
            "blocks": blocks,
            "facts": facts,
            "latest_metrics": latest_metrics,
            "national_url": f"{reverse('followup:dashboard')}?{urlencode({'month': f'{month:%Y-%m}'})}"
            if national
            else None,
        },
    )


# --- downloads -------------------------------------------------------------------------------------------------


def dashboard_table(request: HttpRequest, name: str) -> tuple[Table, str]:
    """The table ``name`` of the dashboard the parameters describe, and the file name's parts.
    PermissionDenied / Http404 / BadParameter as the pages."""
    code = request.GET.get("region", "").strip() or None
    if code is not None and not Region.objects.filter(code=code).exists():
        raise Http404
    month = chosen_month(request, code)
    if month is None:
        raise Http404
    regions, national = follow_up_scope(request.user, month)
    if code is None:
        if not national:
            raise PermissionDenied
        tables = national_tables(report_data.national_dashboard(month), links=False)
    else:
        if regions is not None and code not in regions:
            raise PermissionDenied
        tables = region_tables(report_data.region_dashboard(code, month))
    if name not in tables:
        raise Http404
    return tables[name], exports.filename(name, code or "", f"{month:%Y-%m}")


@login_required
@require_GET
def download(request: HttpRequest) -> HttpResponse:
    """``?table=<name>&format=csv|xlsx`` with the page's parameters: ``month`` (and ``region``) for a
    dashboard, ``half`` or ``quarter`` for the report."""
    require_follow_up(request.user)
    fmt = request.GET.get("format", "csv")
    name = request.GET.get("table", "")
    if fmt not in CONTENT_TYPES or not name:
        return HttpResponse(_("Give table and format (csv or xlsx)."), status=400, content_type="text/plain")
    try:
        if "half" in request.GET or "quarter" in request.GET:
            from hyrkoll.followup.views_report import report_table

            table, stem = report_table(request, name)
        else:
            table, stem = dashboard_table(request, name)
    except BadParameter as error:
        return HttpResponse(str(error), status=400, content_type="text/plain; charset=utf-8")
    content = exports.to_csv(table) if fmt == "csv" else exports.to_xlsx([table], title=table.caption)
    response = HttpResponse(content, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{stem}.{fmt}"'
    return response
