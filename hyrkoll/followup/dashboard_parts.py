"""What the follow-up pages share: the query parameters and who may see what, the chart-and-table
``Block`` with its download links, and the charts drawn from a dashboard's tables.

Used by the dashboards (``views_dashboards``), the report (``views_report``) and the downloads
(``views_downloads``).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied
from django.db.models import Max
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from hyrkoll.followup import charts
from hyrkoll.followup.access import can_follow_up, latest_visible_month, published_through
from hyrkoll.followup.exports import Table
from hyrkoll.followup.indicators import NATIONAL_TARGET_PCT, parse_month
from hyrkoll.followup.models import CostEntry

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
    # Our own matplotlib output: text is escaped by matplotlib, titles by charts.render_svg.
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
    target = [point.get("target_pct") for point in points] if with_target else None
    return _safe(
        charts.share_lines(
            [f"{point['month']:%Y-%m}" for point in points],
            {where: [point["share_pct"] for point in points]},
            title=table.caption,
            description=_description(table),
            reference_pct=float(NATIONAL_TARGET_PCT),
            reference_label=_("The 2 % indicator"),
            target=target,
            target_label=_("The region's target"),
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
    """Small multiples: one panel per measure with any value (FTE, turnover, sick leave, continuity,
    the hired FTE share), each on a scale of its own."""
    shown = [metric for metric in metrics if any(point["value"] is not None for point in metric["series"])]
    if not shown:
        return ""
    return _safe(
        charts.small_multiples(
            [f"{point['month']:%Y-%m}" for point in shown[0]["series"]],
            [
                charts.Measure(
                    metric["label"],
                    [point["value"] for point in metric["series"]],
                    percent=metric["unit"] == "pct",
                )
                for metric in shown
            ],
            title=table.caption,
            description=_description(table),
        )
    )


def preliminary_chart(table: Table) -> SafeString | str:
    """The preliminary hired cost per month (the table ``preliminary_tables.preliminary_table``)."""
    if not table.rows:
        return ""
    return _safe(
        charts.bars(
            [f"{row[0]:%Y-%m}" for row in table.rows],
            [row[3] for row in table.rows],
            title=table.caption,
            description=_description(table),
            unit_label=_("SEK"),
            in_millions=False,
        )
    )
