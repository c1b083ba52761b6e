"""The dashboards' and the report's tables as CSV and Excel files (``?table=&format=``)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from hyrkoll.followup import dashboard_data, exports, outlook
from hyrkoll.followup.access import follow_up_scope, sees_everything, sees_region_detail
from hyrkoll.followup.dashboard_parts import (
    CONTENT_TYPES,
    BadParameter,
    chosen_month,
    last_data_month,
    require_follow_up,
)
from hyrkoll.followup.exports import Table
from hyrkoll.followup.preliminary_tables import detail_tables
from hyrkoll.followup.views_dashboards import national_tables, region_tables
from hyrkoll.followup.views_report import report_table
from hyrkoll.organisation.models import Region

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
        data = dashboard_data.national_dashboard(month)
        tables = national_tables(data, links=False)
        if sees_everything(request.user) and month == last_data_month():
            tables |= outlook.national_tables(outlook.forecast(), data["rolling12"], links=False)
    else:
        if regions is not None and code not in regions:
            raise PermissionDenied
        region = Region.objects.get(code=code)
        data = dashboard_data.region_dashboard(code, month)
        tables = region_tables(data)
        if sees_region_detail(request.user, code):
            tables |= detail_tables(region.pk, region.name)
            if month == last_data_month(code):
                entity = outlook.region_forecast(code)
                tables |= outlook.region_tables(entity, region.name, data["rolling12"], data["targets"])
    if name not in tables:
        raise Http404
    stem = exports.filename(tables[name].caption)  # the caption names the table in the user's language
    return tables[name], stem if f"{month:%Y-%m}" in stem else f"{stem}-{month:%Y-%m}"


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
            table, stem = report_table(request, name)
        else:
            table, stem = dashboard_table(request, name)
    except BadParameter as error:
        return HttpResponse(str(error), status=400, content_type="text/plain; charset=utf-8")
    content = exports.to_csv(table) if fmt == "csv" else exports.to_xlsx([table], title=table.caption)
    return exports.attachment(content, CONTENT_TYPES[fmt], stem, fmt)
