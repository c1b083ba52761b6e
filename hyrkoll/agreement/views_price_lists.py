"""The agreement register's price lists: the versions, a version's price matrix and supplements,
and the coordinator's new version (copied from an earlier one) and price changes."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from hyrkoll.agreement import services
from hyrkoll.agreement.access import is_coordinator, require_coordinator
from hyrkoll.agreement.forms import PriceListVersionForm, PriceMatrixForm
from hyrkoll.agreement.models import CompetenceLevel, FrameworkAgreement, PriceList
from hyrkoll.audit import services as audit
from hyrkoll.lib.listing import Listing


@login_required
def price_lists(request: HttpRequest) -> HttpResponse:
    today = datetime.date.today()
    lists = PriceList.objects.visible_to(request.user).select_related("agreement")
    in_force = set(lists.in_force(today).values_list("pk", flat=True))
    listing = Listing(
        request,
        lists,
        sorts={
            "version": "version",
            "agreement": "agreement__reference",
            "from": "valid_from",
            "to": "valid_to",
        },
    )
    context = {
        "price_lists": listing.rows,
        "listing": listing,
        "in_force": in_force,
        "can_change": is_coordinator(request.user),
    }
    return render(request, "agreement/price_list_list.html", context)


@login_required
def price_list_detail(request: HttpRequest, pk: int) -> HttpResponse:
    price_list = get_object_or_404(
        PriceList.objects.visible_to(request.user).select_related("agreement"), pk=pk
    )
    prices = {(p.level_id, p.zone): p.hourly_sek for p in price_list.prices.all()}
    rows = [
        (level, [prices.get((level.pk, zone)) for zone in (1, 2, 3)])
        for level in CompetenceLevel.objects.order_by("sub_area_code", "rank")
    ]
    context = {
        "price_list": price_list,
        "rows": rows,
        "supplements": price_list.supplements.prefetch_related("regions"),
        "can_change": is_coordinator(request.user),
        "history": audit.history(price_list)[:20],
    }
    return render(request, "agreement/price_list_detail.html", context)


@login_required
def price_list_create(request: HttpRequest) -> HttpResponse:
    require_coordinator(request)
    agreement = FrameworkAgreement.objects.order_by("-starts_on").first()
    if agreement is None:
        raise PermissionDenied
    form = PriceListVersionForm(request.POST or None, agreement=agreement)
    if request.method == "POST" and form.is_valid():
        try:
            price_list = services.create_price_list_version(
                request.user,
                agreement,
                version=form.cleaned_data["version"],
                valid_from=form.cleaned_data["valid_from"],
                valid_to=form.cleaned_data["valid_to"],
                note=form.cleaned_data["note"],
                copy_from=form.cleaned_data["copy_from"],
            )
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            messages.success(request, _("Price list version %(v)s created.") % {"v": price_list.version})
            return redirect("agreement:price_list_detail", pk=price_list.pk)
    context = {
        "form": form,
        "title": _("New price-list version"),
        "intro": _("An open-ended earlier version is closed the day before the new one starts."),
        "cancel_url": reverse("agreement:price_lists"),
    }
    return render(request, "form.html", context)


@login_required
def price_list_edit(request: HttpRequest, pk: int) -> HttpResponse:
    require_coordinator(request)
    price_list = get_object_or_404(PriceList.objects.visible_to(request.user), pk=pk)
    form = PriceMatrixForm(request.POST or None, price_list=price_list)
    if request.method == "POST" and form.is_valid():
        changed = services.update_prices(
            request.user, price_list, form.prices(), form.supplements(), form.cleaned_data["reason"]
        )
        messages.success(request, _("Prices saved.") if changed else _("Nothing was changed."))
        return redirect("agreement:price_list_detail", pk=price_list.pk)
    return render(request, "agreement/price_list_edit.html", {"form": form, "price_list": price_list})
