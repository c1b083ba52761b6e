"""Where the hired cost sits: one page for a region's own users (``spending:overview``).

``?from=YYYY-MM&to=YYYY-MM`` chooses the period (default: the last 12 complete months). Every
table has its chart and its downloads: the same URL with ``&table=<name>&format=csv|xlsx`` returns
that table (without ``table``, every table: one workbook sheet each). Region users only, their own
region; everyone else gets 403.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from hyrkoll.followup.dashboard_parts import Block
from hyrkoll.followup.exports import FTE, SEK, display
from hyrkoll.followup.indicators import Period
from hyrkoll.governance import exports
from hyrkoll.organisation.models import Region
from hyrkoll.spending import analysis, charts, tables
from hyrkoll.spending.access import require_own_region
from hyrkoll.spending.actions import unit_actions
from hyrkoll.spending.forms import PeriodForm, default_period

HEADINGS = {
    tables.UNITS: lambda: _("By unit"),
    tables.UNIT_INDEX: lambda: _("Units with the highest hired cost relative to their share of the region"),
    tables.PROFESSIONS: lambda: _("By profession"),
    tables.LEVELS: lambda: _("By competence level"),
    tables.SUPPLIERS: lambda: _("By supplier"),
    tables.STAYS: lambda: _("Consultants with long or repeated assignments at the same unit"),
}


def notes(result: analysis.Spending) -> dict[str, str]:
    return {
        tables.UNIT_INDEX: _(
            "Hyrkoll has no own personnel cost per unit, so the index is the unit's share of the "
            "region's hired cost divided by the average share of the units with hired cost: 1.0 is "
            "the average unit, 2.0 twice the average."
        ),
        tables.STAYS: _(
            "Candidates for recruitment: the consultants at a unit during the period, the longest "
            "continuous stretch first, then the most assignments. Assignments that overlap, follow "
            "each other or are at most %(gap)s days apart make one stretch; days count as agreed, up "
            "to the end or the cancellation. The cost is the consultant's at the unit on approved "
            "invoices over the 12 months %(window)s."
        )
        % {"gap": analysis.MERGE_GAP_DAYS, "window": result.cost_window.label},
    }


def period_parameters(period: Period) -> dict[str, str]:
    return {"from": f"{period.start:%Y-%m}", "to": f"{period.end:%Y-%m}"}


def download_links(parameters: dict[str, str], table: str) -> list[tuple[str, str]]:
    url = reverse("spending:overview")
    return [
        (label, f"{url}?{urlencode({**parameters, 'table': table, 'format': fmt})}")
        for fmt, label in (("csv", "CSV"), ("xlsx", "Excel"))
    ]


def facts(result: analysis.Spending) -> list[tuple[str, str]]:
    return [
        (_("Period"), result.period.label),
        (
            _("Hired cost on approved invoices"),
            _("%(amount)s SEK") % {"amount": display(result.total_sek, SEK)},
        ),
        (_("Invoiced hours"), display(result.total_hours, FTE)),
        (_("Units with hired cost"), str(len(result.groups["unit"]))),
        (_("Suppliers"), str(len(result.groups["supplier"]))),
    ]


def blocks(
    result: analysis.Spending, found: dict[str, exports.Table], parameters: dict[str, str]
) -> list[Block]:
    """The chart-and-table blocks; without approved invoices only the consultants' stays, if any."""
    drawn = charts.charts(result, found)
    explained = notes(result)
    names = tables.TABLE_NAMES if result.has_cost else (tables.STAYS,) if result.stays else ()
    return [
        Block(
            found[name],
            HEADINGS[name](),
            drawn[name],
            note=explained.get(name, ""),
            downloads=download_links(parameters, name),
        )
        for name in names
    ]


def _download(request: HttpRequest, region: Region, result: analysis.Spending, fmt: str) -> HttpResponse:
    found = tables.build(result, region.name)
    name = request.GET.get("table", "").strip()
    if name and name not in found:
        raise Http404
    chosen = [found[name]] if name else list(found.values())
    period = result.period
    return exports.download(
        chosen, fmt, "hired-cost", region.code, f"{period.start:%Y-%m}", f"{period.end:%Y-%m}", name
    )


@login_required
@require_GET
def overview(request: HttpRequest) -> HttpResponse:
    region = require_own_region(request.user)
    bound = "from" in request.GET or "to" in request.GET
    default = default_period()
    form = PeriodForm(request.GET if bound else None, initial={"from": default.start, "to": default.end})
    period = form.period() if bound else default
    fmt = exports.requested_format(request)
    if period is None:
        if fmt:
            errors = " ".join(str(error) for field_errors in form.errors.values() for error in field_errors)
            return HttpResponse(errors, status=400, content_type="text/plain; charset=utf-8")
        return render(request, "spending/overview.html", {"region": region, "form": form, "period": None})
    result = analysis.compute(region, period)
    if fmt:
        return _download(request, region, result, fmt)
    parameters = period_parameters(period)
    context = {
        "region": region,
        "form": form,
        "period": period,
        "result": result,
        "facts": facts(result) if result.has_cost else [],
        "blocks": blocks(result, tables.build(result, region.name), parameters),
        "unit_actions": unit_actions(request.user, region, result.unit_index),
        "all_tables": f"{reverse('spending:overview')}?{urlencode({**parameters, 'format': 'xlsx'})}",
    }
    return render(request, "spending/overview.html", context)
