"""The supplier portal: call-offs sent to the user's company, its own offers, and the offer form.

A supplier sees what the call-off asks for and the agreement price – never the region's internal
history, decisions or other suppliers' offers.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Prefetch, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from hyrkoll.agreement.models import Competence
from hyrkoll.lib.listing import ChoiceFilter, Listing, ModelFilter, PeriodFilter
from hyrkoll.lib.paging import ConcatenatedRows, count_in_one_query
from hyrkoll.lib.personal_numbers import keyed_hash
from hyrkoll.ordering import permissions, workflow
from hyrkoll.ordering.counts import attach_offer_counts, offer_count, received_by
from hyrkoll.ordering.forms import OfferForm, add_validation_error
from hyrkoll.ordering.models import CallOff, CallOffStatus, Offer, OfferCheck
from hyrkoll.ordering.queues import CALL_OFF_QUEUES, call_off_queue, needs_visible_to
from hyrkoll.ordering.views.call_offs import open_first_then_newest
from hyrkoll.ordering.views.common import paginate
from hyrkoll.organisation.models import Region


def _require_supplier(request: HttpRequest) -> None:
    if not permissions.is_supplier_user(request.user):
        raise PermissionDenied


def _call_offs(request: HttpRequest) -> Any:
    return CallOff.objects.visible_to(request.user).select_related(
        "need__unit__municipality", "need__competence", "need__profession", "region", "sub_area"
    )


def _is_open(call_off: CallOff) -> bool:
    return call_off.status == CallOffStatus.OPEN and timezone.now() <= call_off.response_deadline


@login_required
def supplier_call_off_list(request: HttpRequest) -> HttpResponse:
    _require_supplier(request)
    user = request.user
    queue_key = request.GET.get("queue", "")
    queue = call_off_queue(user, queue_key) if queue_key == "unanswered" else None
    if queue is not None:
        call_offs = queue.select_related(
            "need__unit__municipality", "need__competence", "need__profession", "region"
        )
    else:
        queue_key = ""
        call_offs = _call_offs(request)
    own = Q(supplier_id=user.supplier_id)
    call_offs = call_offs.alias(own_offers=offer_count(own))
    listing = Listing(
        request,
        call_offs,
        sorts={
            "reference": "pk",
            "competence": "need__competence__name",
            "region": ("region__name", "need__unit__municipality__name"),
            "period": ("need__starts_on", "need__ends_on"),
            "status": "status",
            "deadline": "response_deadline",
            "own_offers": "own_offers",
        },
        filters=[
            ChoiceFilter("status", _("Status"), "status", CallOffStatus.choices),
            ModelFilter("region", _("Region"), "region", Region.objects.order_by("name")),
            ModelFilter("competence", _("Competence"), "need__competence", Competence.objects.all()),
            PeriodFilter(_("Period"), "need__starts_on", "need__ends_on"),
        ],
    )

    def own_offers(rows: list[CallOff]) -> None:
        attach_offer_counts(rows, own_offers=own)

    # Unfiltered, the supplier's call-offs are as many as its recipient rows: one index to count
    # (through the join, every call-off it ever received is read). A superuser sees every call-off.
    every = None
    if queue is None and not listing.narrowing() and not user.is_superuser:
        every = received_by(user.supplier_id)
    if queue is None and not listing.sort_key:
        rows = open_first_then_newest(listing.rows, prepare=own_offers, every=every)
    else:  # the work queue's own order, or the column the user sorts by
        counts = (lambda: count_in_one_query(every)) if every is not None else None
        rows = ConcatenatedRows(listing.rows, counts=counts, prepare=own_offers)
    page, query = paginate(request, rows)
    context = {
        "page": page,
        "query": query,
        "listing": listing,
        "queue_key": queue_key,
        "queue_label": CALL_OFF_QUEUES[queue_key][0] if queue_key else "",
        "now": timezone.now(),
    }
    return render(request, "ordering/supplier_call_off_list.html", context)


def _own_offers(request: HttpRequest, call_off: CallOff) -> list[Offer]:
    checks = Prefetch("checks", queryset=OfferCheck.objects.order_by("pk"))
    return list(
        Offer.objects.visible_to(request.user)
        .filter(call_off=call_off)
        .select_related("consultant", "competence")
        .prefetch_related(checks)
    )


@login_required
def supplier_call_off_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _require_supplier(request)
    call_off = get_object_or_404(_call_offs(request), pk=pk)
    context = {
        "call_off": call_off,
        "need": call_off.need,
        "offers": _own_offers(request, call_off),
        "is_open": _is_open(call_off),
    }
    return render(request, "ordering/supplier_call_off_detail.html", context)


def _store_personal_number(offer: Offer, raw: str) -> None:
    """Keep only the keyed hash of the number on the consultant (for the karens check)."""
    if raw:
        consultant = offer.consultant
        consultant.personal_number_hash = keyed_hash(raw)
        consultant.save(update_fields=["personal_number_hash"])


@login_required
def offer_create(request: HttpRequest, pk: int) -> HttpResponse:
    _require_supplier(request)
    call_off = get_object_or_404(_call_offs(request), pk=pk)
    need = call_off.need
    if request.method != "POST" and not _is_open(call_off):
        messages.error(request, _("The call-off is closed or its response deadline has passed."))
        return redirect("ordering:supplier_call_off", pk=call_off.pk)
    initial = {  # licence, competence and CPR training come from the chosen consultant's record
        "available_from": need.starts_on,
        "available_to": need.ends_on,
    }
    form = OfferForm(request.POST or None, user=request.user, call_off=call_off, initial=initial)
    if request.method == "POST" and form.is_valid():
        offer = form.save(commit=False)
        try:
            with transaction.atomic():
                _store_personal_number(offer, form.cleaned_data["personal_number"])
                offer = workflow.submit_offer(request.user, call_off, offer)
        except workflow.WorkflowError as error:
            form.add_error(None, str(error))
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            if offer.checks_passed:
                messages.success(request, _("The offer is submitted and passed every check."))
            else:
                messages.warning(
                    request, _("The offer is submitted but failed a check; see the reasons below.")
                )
            return redirect("ordering:offer_detail", pk=offer.pk)
    context = {"form": form, "call_off": call_off, "need": need}
    return render(request, "ordering/offer_form.html", context)


@login_required
def offer_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One offer with its check results: for its supplier, or for the region that sees the need."""
    user = request.user
    offers = Offer.objects.visible_to(user)
    if not permissions.is_supplier_user(user):
        offers = offers.filter(call_off__need__in=needs_visible_to(user))
    checks = Prefetch("checks", queryset=OfferCheck.objects.order_by("pk"))
    offer = get_object_or_404(
        offers.select_related(
            "consultant", "supplier", "competence", "call_off__need__unit", "call_off__need__competence"
        ).prefetch_related(checks),
        pk=pk,
    )
    context = {"offer": offer, "call_off": offer.call_off, "is_supplier": permissions.is_supplier_user(user)}
    return render(request, "ordering/offer_detail.html", context)
