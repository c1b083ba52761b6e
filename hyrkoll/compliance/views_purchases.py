"""The register of direct purchases (purchases outside the agreement) per region and year.

A region's users see their region (another region's purchase is a 404); the national level every
region, with a region filter; suppliers get 403. The call-off unit and the unit's orderers register.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from hyrkoll.audit.services import history
from hyrkoll.compliance import permissions, services
from hyrkoll.compliance.forms import DirectPurchaseForm
from hyrkoll.compliance.models import DirectPurchase
from hyrkoll.compliance.views_common import require_region_or_nation, run_form_step
from hyrkoll.followup.exports import SEK
from hyrkoll.governance import exports
from hyrkoll.governance.exports import INT, Column, Table
from hyrkoll.lib.listing import BooleanFilter, Listing, PeriodFilter, TextFilter
from hyrkoll.ordering.models import Need
from hyrkoll.organisation.models import Region


def _year(request: HttpRequest) -> int:
    raw = request.GET.get("year", "").strip()
    return int(raw) if raw.isdigit() and 2000 <= int(raw) <= 2100 else timezone.localdate().year


def _region(request: HttpRequest) -> Region | None:
    user: Any = request.user
    if not permissions.is_national(user):
        return user.region
    code = request.GET.get("region", "").strip()
    return get_object_or_404(Region, code=code) if code else None


def year_table(figures: list[tuple[Region, services.PurchaseYear]], year: int) -> Table:
    return Table(
        name="years",
        caption=_("Purchases outside the agreement %(year)d against the direct-award threshold")
        % {"year": year},
        sheet=_("Per region"),
        columns=[
            Column(_("Region")),
            Column(_("Purchases"), INT),
            Column(_("With dispensation (SEK)"), SEK),
            Column(_("Without dispensation (SEK)"), SEK),
            Column(_("Approved, not yet registered (SEK)"), SEK),
            Column(_("Running total (SEK)"), SEK),
            Column(_("Premium over the agreement price (SEK)"), SEK),
            Column(_("Threshold (SEK)"), SEK),
            Column(_("Share of the threshold (%)"), "pct"),
        ],
        rows=[
            [
                f"{region.code} {region.name}",
                f.count,
                f.with_dispensation_sek,
                f.without_dispensation_sek,
                f.pending_sek,
                f.running_total_sek,
                f.premium_sek,
                f.threshold_sek,
                f.share_of_threshold,
            ]
            for region, f in figures
        ],
    )


def purchase_table(rows: list[DirectPurchase]) -> Table:
    return Table(
        name="purchases",
        caption=_("Registered direct purchases"),
        sheet=_("Purchases"),
        columns=[
            Column(_("Region")),
            Column(_("Dispensation")),
            Column(_("Supplier")),
            Column(_("Organisation number")),
            Column(_("Care unit")),
            Column(_("Competence level")),
            Column(_("Start")),
            Column(_("End")),
            Column(_("Hours per week"), "fte"),
            Column(_("Hourly price (SEK)"), SEK),
            Column(_("Agreement price (SEK/h)"), SEK),
            Column(_("Total amount (SEK)"), SEK),
            Column(_("Premium over the agreement price (SEK)"), SEK),
            Column(_("Explanation")),
        ],
        rows=[
            [
                p.region.code,
                f"#{p.need_id}" if p.need_id else _("No dispensation"),
                p.supplier_name,
                p.supplier_org_no,
                p.unit.name,
                str(p.level),
                p.starts_on.isoformat(),
                p.ends_on.isoformat(),
                p.hours_per_week,
                p.hourly_price_sek,
                p.agreement_hourly_sek,
                p.total_sek,
                p.premium_sek,
                p.explanation,
            ]
            for p in rows
        ],
    )


@login_required
def purchase_list(request: HttpRequest) -> HttpResponse:
    require_region_or_nation(request)
    user: Any = request.user
    year = _year(request)
    region = _region(request)
    purchases = (
        DirectPurchase.objects.visible_to(user)
        .filter(starts_on__year=year)
        .select_related("region", "unit", "level", "need", "recorded_by")
        .order_by("region__code", "-starts_on", "-pk")
    )
    if region is not None:
        purchases = purchases.filter(region=region)
    rows = list(purchases)
    by_region: dict[int, list[DirectPurchase]] = {}
    for purchase in rows:
        by_region.setdefault(purchase.region_id, []).append(purchase)
    all_regions = list(Region.objects.order_by("code")) if permissions.is_national(user) else []
    # The pending needs in one query for every region shown (not one per region): a region's own
    # are listed on the page too, of every year; the national overview needs only the year's.
    pending: list[Need] = []
    pending_by_region: dict[int, list[Need]] = {}
    if region is not None:
        pending = list(services.eligible_needs(region.pk))
        pending_by_region[region.pk] = [need for need in pending if need.starts_on.year == year]
    else:
        for need in services.eligible_needs_in_year(year):
            pending_by_region.setdefault(need.region_id, []).append(need)
    threshold = services.year_threshold(year)  # the same for every region
    regions = [region] if region is not None else all_regions
    figures = [
        (r, services.year_figures(year, by_region.get(r.pk, []), pending_by_region.get(r.pk, []), threshold))
        for r in regions
    ]
    if region is None:
        # The national overview lists the regions with something to show.
        figures = [(r, f) for r, f in figures if f.count or f.pending_sek]
    # The year's figures count every purchase; the list (and its download) can be narrowed and sorted.
    listing = Listing(
        request,
        purchases,
        sorts={
            "supplier": "supplier_name",
            "region": "region__code",
            "dispensation": "need_id",
            "period": ("starts_on", "ends_on"),
            "price": "hourly_price_sek",
            "total": "total_sek",
            "premium": "premium_sek",
        },
        filters=[
            BooleanFilter(
                "dispensation",
                _("Dispensation"),
                "need__isnull",
                yes_label=_("Without dispensation"),
                no_label=_("With dispensation"),
            ),
            TextFilter("supplier", _("Supplier"), ["supplier_name", "supplier_org_no"]),
            PeriodFilter(_("Period"), "starts_on", "ends_on"),
        ],
    )
    rows = list(listing.rows)
    tables = [year_table(figures, year), purchase_table(rows)]
    fmt = exports.requested_format(request)
    if fmt:
        return exports.download(tables, fmt, "direct-purchases", str(year), region.code if region else "")
    context = {
        "year": year,
        "region": region,
        "regions": all_regions,
        "figures": figures,
        "own": figures[0][1] if region is not None and figures else None,
        "tables": tables[:1],
        "purchases": rows,
        "listing": listing,
        "may_register": permissions.may_register_purchases(user),
        "pending": pending,
    }
    return render(request, "compliance/purchase_list.html", context)


@login_required
def purchase_create(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    if not permissions.may_register_purchases(user):
        raise PermissionDenied
    needs = services.eligible_needs(user.region_id)
    initial: dict[str, Any] = {}
    chosen = request.GET.get("need", "")
    if chosen.isdigit():
        need = needs.filter(pk=int(chosen)).first()
        if need is not None:
            initial = {
                "need": need.pk,
                "supplier_name": need.outside_supplier_name,
                "hourly_price_sek": need.outside_hourly_price_sek,
                "starts_on": need.starts_on,
                "ends_on": need.ends_on,
                "hours_per_week": need.hours_per_week,
            }
    form = DirectPurchaseForm(request.POST or None, region_id=user.region_id, needs=needs, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        purchase = run_form_step(
            form,
            lambda: services.register_purchase(
                user,
                need=data["need"],
                unit=data["unit"],
                level=data["level"],
                explanation=data["explanation"],
                supplier_name=data["supplier_name"],
                supplier_org_no=data["supplier_org_no"],
                hourly_price_sek=data["hourly_price_sek"],
                starts_on=data["starts_on"],
                ends_on=data["ends_on"],
                hours_per_week=data["hours_per_week"],
            ),
        )
        if purchase is not None:
            figures = services.purchase_year(purchase.region_id, purchase.starts_on.year)
            messages.success(
                request,
                _("The purchase is registered: %(total)s SEK.") % {"total": purchase.total_sek},
            )
            if figures.crossed:
                messages.error(
                    request,
                    _(
                        "The region's direct purchases in %(year)d now exceed the direct-award threshold "
                        "(%(share)s %% of %(threshold)s SEK)."
                    )
                    % {
                        "year": figures.year,
                        "share": figures.share_of_threshold,
                        "threshold": figures.threshold_sek,
                    },
                )
            elif figures.warning:
                messages.warning(
                    request,
                    _("The region's direct purchases in %(year)d have reached %(share)s %% of the threshold.")
                    % {"year": figures.year, "share": figures.share_of_threshold},
                )
            return redirect("compliance:purchase_detail", pk=purchase.pk)
    return render(
        request,
        "compliance/form.html",
        {
            "form": form,
            "title": _("Register a direct purchase"),
            "intro": _(
                "Register a purchase outside the agreement: either one carrying out an approved "
                "dispensation, or one found without a dispensation (explain it). The total and the premium "
                "over the agreement price are computed."
            ),
            "back": "compliance:purchases",
        },
    )


@login_required
def purchase_detail(request: HttpRequest, pk: int) -> HttpResponse:
    require_region_or_nation(request)
    purchase = get_object_or_404(
        DirectPurchase.objects.visible_to(request.user).select_related(
            "region", "unit", "level", "need", "recorded_by"
        ),
        pk=pk,
    )
    context = {"purchase": purchase, "events": history(purchase).order_by("at")}
    return render(request, "compliance/purchase_detail.html", context)
