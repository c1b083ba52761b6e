"""The follow-up dashboards: the nation and each region, for the rolling 12 months ending at a month.

Every chart (server-side SVG, ``charts``) has its table beside it and the table as CSV and Excel
(``download``). Who sees what is ``access.follow_up_scope`` – the rule the API applies too:
suppliers get 403; the national level sees everything; a region's users see their own region, and
the nation and the other regions only for months up to the last published Bemanningstrend
(otherwise a message and a link to their own region).
"""

from __future__ import annotations

import datetime
from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from hyrkoll.followup import dashboard_data, data_tables, exports, outlook
from hyrkoll.followup.access import follow_up_scope, sees_everything, sees_region_detail
from hyrkoll.followup.dashboard_blocks import (
    action_plan_link,
    detail_blocks,
    national_outlook_blocks,
    region_outlook_block,
)
from hyrkoll.followup.dashboard_parts import (
    BadParameter,
    Block,
    change_chart,
    chosen_month,
    costs_chart,
    download_links,
    last_data_month,
    message_page,
    metrics_chart,
    not_published_message,
    region_url,
    regions_chart,
    require_follow_up,
    rolling12_chart,
    yearly_chart,
)
from hyrkoll.followup.exports import Table
from hyrkoll.organisation.models import Region

# --- the national dashboard --------------------------------------------------------------------------------


def national_tables(data: dict[str, Any], *, links: bool = True) -> dict[str, Table]:
    where = _("the whole country")
    label = data["period"].label
    month = data["last_month"]
    return {
        table.name: table
        for table in (
            data_tables.yearly_hired_table(data["yearly_hired"], where, month),
            data_tables.rolling12_table(data["rolling12"], where),
            data_tables.regions_table(
                data["regions"],
                label,
                national=data["national"],
                links=[region_url(row["code"], month) for row in data["regions"]] if links else (),
            ),
            data_tables.by_care_area_table(data["by_care_area"], where, label),
            data_tables.by_profession_table(data["by_profession"], where, label),
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
    data = dashboard_data.national_dashboard(month)
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
    outlook_facts: list[tuple[str, str]] = []
    latest = last_data_month()
    forecast = outlook.forecast() if sees_everything(request.user) and month == latest else None
    forecast_tables = outlook.national_tables(forecast, data["rolling12"]) if forecast else {}
    if forecast_tables:
        blocks[1:1] = national_outlook_blocks(forecast_tables)
        outlook_facts = outlook.year_facts(outlook.current_year(forecast["nation"]))  # type: ignore[index]
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
        {
            "month": month,
            "data": data,
            "blocks": blocks,
            "facts": facts,
            "latest": latest,
            "outlook_facts": outlook_facts,
            "forecast": forecast if outlook_facts else None,
        },
    )


# --- a region's dashboard ----------------------------------------------------------------------------------


def region_tables(data: dict[str, Any]) -> dict[str, Table]:
    where = data["region"]["name"]
    label = data["period"].label
    return {
        table.name: table
        for table in (
            data_tables.costs_table(data["figures"], where, label),
            data_tables.yearly_hired_table(data["yearly_hired"], where, data["last_month"]),
            data_tables.rolling12_table(data["rolling12"], where, with_target=True),
            data_tables.by_care_area_table(data["by_care_area"], where, label),
            data_tables.by_profession_table(data["by_profession"], where, label),
            data_tables.metrics_table(data["metrics"], where),
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
    data = dashboard_data.region_dashboard(code, month)
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
    outlook_facts: list[tuple[str, str]] = []
    plan_link: tuple[str, str] | None = None
    forecast: dict[str, Any] | None = None
    if sees_region_detail(request.user, code):
        blocks += detail_blocks(region)
        if month == last_data_month(code):
            forecast = outlook.forecast((code,))
            entity = forecast["regions"].get(code)
            forecast_tables = outlook.region_tables(entity, region.name, data["rolling12"], data["targets"])
            if forecast_tables:
                blocks.insert(0, region_outlook_block(forecast_tables[outlook.FORECAST_TABLE]))
                outlook_facts = outlook.year_facts(outlook.current_year(entity)) + outlook.year_facts(
                    outlook.next_year(entity)
                )
                plan_link = action_plan_link(request.user, region, entity)
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
            "outlook_facts": outlook_facts,
            "plan_link": plan_link,
            "forecast": forecast if outlook_facts else None,
            "latest_metrics": latest_metrics,
            "national_url": f"{reverse('followup:dashboard')}?{urlencode({'month': f'{month:%Y-%m}'})}"
            if national
            else None,
        },
    )
