"""Contract fidelity pages: a region's shares per month and its spending outside the agreement;
the national level's table of every region (one row each), with a drill-down to a region.

A region's users see only their own region (``?region=`` of another is a 404); suppliers get 403.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from hyrkoll.compliance import fidelity, permissions
from hyrkoll.compliance.fidelity import THROUGH, WITH_DISPENSATION, WITHOUT_DISPENSATION, Fidelity, OutsideRow
from hyrkoll.compliance.forms import FidelityFilterForm
from hyrkoll.compliance.views_common import require_region_or_nation
from hyrkoll.followup.exports import MONTH, PCT, SEK
from hyrkoll.governance import exports
from hyrkoll.governance.exports import Column, Table
from hyrkoll.organisation.models import Region

# Rows of a table on the page, the largest first; the CSV and Excel downloads hold every row. A year
# of the nation's ledger has tens of thousands of lines outside the agreement (27,041 at national
# scale: the page took 3.4 s to render them, and no one reads them on a page).
WEB_ROWS = 200


@dataclasses.dataclass(frozen=True)
class ShownTable:
    """A table as the page shows it: its first ``WEB_ROWS`` rows of ``total``."""

    table: Table
    total: int

    @property
    def cut(self) -> bool:
        return self.total > len(self.table.rows)


def shown(table: Table) -> ShownTable:
    return ShownTable(dataclasses.replace(table, rows=table.rows[:WEB_ROWS]), len(table.rows))


def resolve_region(user: Any, code: str | None) -> Region | None:
    """The region asked for: a region user's own (another one is a 404); a national user's choice
    (None: every region)."""
    if permissions.is_national(user):
        if not code:
            return None
        region = Region.objects.filter(code=code).first()
        if region is None:
            raise Http404
        return region
    if code and code != user.region.code:
        raise Http404
    return user.region


def _share_columns() -> list[Column]:
    return [
        Column(_("Through the agreement (SEK)"), SEK),
        Column(_("Outside, with dispensation (SEK)"), SEK),
        Column(_("Outside, without dispensation (SEK)"), SEK),
        Column(_("Total (SEK)"), SEK),
        Column(_("Through the agreement (%)"), PCT),
        Column(_("With dispensation (%)"), PCT),
        Column(_("Without dispensation (%)"), PCT),
    ]


def _share_values(shares: fidelity.Shares) -> list[Any]:
    a = shares.amounts
    return [
        a[THROUGH],
        a[WITH_DISPENSATION],
        a[WITHOUT_DISPENSATION],
        shares.total,
        shares.through_pct,
        shares.with_pct,
        shares.without_pct,
    ]


def month_table(result: Fidelity, where: str) -> Table:
    return Table(
        name="months",
        caption=_("Contract fidelity per month, %(where)s") % {"where": where},
        sheet=_("Per month"),
        columns=[Column(_("Month")), *_share_columns()],
        rows=[[f"{month:%Y-%m}", *_share_values(shares)] for month, shares in result.by_month.items()],
        footer=[[_("Total"), *_share_values(result.total)]] if result.by_month else [],
    )


def region_table(result: Fidelity, names: dict[str, str], query: str) -> Table:
    codes = list(result.by_region)
    return Table(
        name="regions",
        caption=_("Contract fidelity per region"),
        sheet=_("Per region"),
        columns=[Column(_("Region")), *_share_columns()],
        rows=[[f"{code} {names.get(code, '')}", *_share_values(result.by_region[code])] for code in codes],
        links=[f"{reverse('compliance:fidelity')}?region={code}&{query}" for code in codes],
        footer=[[_("All regions"), *_share_values(result.total)]] if codes else [],
    )


def outside_table(rows: list[OutsideRow], name: str, caption: str) -> Table:
    return Table(
        name=name,
        caption=caption,
        sheet=caption[:31],
        columns=[
            Column(_("Supplier")),
            Column(_("Organisation number")),
            Column(_("Region")),
            Column(_("Unit")),
            Column(_("Why")),
            Column(_("Months")),
            Column(_("Ledger amount (SEK)"), SEK),
        ],
        rows=[
            [
                r.supplier_name or _("(not an agreement supplier)"),
                r.org_no,
                r.region_code,
                f"{r.unit_code} {r.unit_name}".strip() or _("(no unit given)"),
                r.reason_label,
                r.month_labels,
                r.amount,
            ]
            for r in rows
        ],
    )


def invoice_gap_table(result: Fidelity) -> Table:
    return Table(
        name="not-invoiced",
        caption=_("Through the agreement, but not explained by approved invoices"),
        sheet=_("Not invoiced in Hyrkoll"),
        columns=[
            Column(_("Supplier")),
            Column(_("Organisation number")),
            Column(_("Region")),
            Column(_("Units in the ledger")),
            Column(_("Month"), MONTH),
            Column(_("Ledger amount (SEK)"), SEK),
            Column(_("Approved invoices (SEK)"), SEK),
            Column(_("Difference (SEK)"), SEK),
        ],
        rows=[
            [
                g.supplier_name,
                g.org_no,
                g.region_code,
                g.unit_codes,
                g.month,
                g.ledger,
                g.invoiced,
                g.difference,
            ]
            for g in result.invoice_gaps
        ],
    )


@login_required
def fidelity_page(request: HttpRequest) -> HttpResponse:
    require_region_or_nation(request)
    user: Any = request.user
    region = resolve_region(user, request.GET.get("region", "").strip())
    regions = [region] if region is not None else list(Region.objects.order_by("code"))
    form = FidelityFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    year = data.get("year") or fidelity.latest_year(regions) or timezone.localdate().year
    month = data.get("month")
    profession = data.get("profession") or ""
    care_area = data.get("care_area") or ""
    result = fidelity.compute(regions, year, month=month, profession=profession, care_area=care_area)
    if not form.is_bound:
        form = FidelityFilterForm(initial={"year": year})
    where = f"{region.code} {region.name}" if region else _("all regions")
    params = request.GET.copy()
    params.pop("format", None)
    params.pop("region", None)
    params["year"] = str(year)
    query = params.urlencode()
    tables = [month_table(result, where)]
    if region is None:
        tables.append(region_table(result, {r.code: r.name for r in regions}, query))
    tables += [
        outside_table(
            result.outside_of(WITH_DISPENSATION),
            "with-dispensation",
            _("Outside the agreement, with dispensation"),
        ),
        outside_table(
            result.outside_of(WITHOUT_DISPENSATION),
            "without-dispensation",
            _("Outside the agreement, without dispensation"),
        ),
        invoice_gap_table(result),
    ]
    fmt = exports.requested_format(request)
    if fmt:
        return exports.download(
            tables,
            fmt,
            "contract-fidelity",
            region.code if region else "all",
            str(year),
            f"{month:02d}" if month else "",
        )
    download_query = f"region={region.code}&{query}" if region and permissions.is_national(user) else query
    context = {
        "form": form,
        "region": region,
        "regions": Region.objects.order_by("code") if permissions.is_national(user) else [],
        "year": year,
        "month": month,
        "result": result,
        "tables": [shown(table) for table in tables],
        "where": where,
        "download_query": download_query,
        "lines": result.lines,
    }
    return render(request, "compliance/fidelity.html", context)
