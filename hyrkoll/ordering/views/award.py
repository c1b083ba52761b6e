"""The confirmation pages of the steps that cannot be undone.

Award: the assignment is made and every other supplier is told at once, so the call-off unit sees
what it decides first – the offer's rank, the agreement price, the response deadline and how many
admitted suppliers could still offer. Cancellation: the need cannot be reopened, and a published
call-off is withdrawn from every supplier with the offers already made."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from hyrkoll.agreement.pricing import NoAgreementPrice, quote
from hyrkoll.ordering import workflow
from hyrkoll.ordering.forms import AwardForm, CancelForm
from hyrkoll.ordering.models import CallOff, CallOffStatus, Need, Offer


def award_confirmation(request: HttpRequest, offer: Offer, form: AwardForm) -> HttpResponse:
    call_off = offer.call_off
    need = call_off.need
    ranked = list(workflow.ranked_offers(call_off))
    rank = next((index for index, other in enumerate(ranked, 1) if other.pk == offer.pk), None)
    offered = set(call_off.offers.values_list("supplier_id", flat=True))
    recipients = set(call_off.recipients.values_list("supplier_id", flat=True))
    try:
        price = quote(need.level, need.unit, need.starts_on).hourly_sek
    except NoAgreementPrice:
        price = None
    context = {
        "offer": offer,
        "call_off": call_off,
        "need": need,
        "form": form,
        "rank": rank,
        "ranked_count": len(ranked),
        "deviates": rank is not None and rank > 1,
        "price": price,
        "deadline_open": call_off.response_deadline > timezone.now(),
        "still_to_offer": len(recipients - offered),
        "recipient_count": len(recipients),
    }
    return render(request, "ordering/award_confirm.html", context)


def cancel_confirmation(request: HttpRequest, need: Need, form: CancelForm) -> HttpResponse:
    """What a cancellation ends: the call-off with its deadline, the offers made and the suppliers
    that may still offer; the reason comes along to be confirmed (or changed)."""
    call_off = CallOff.objects.filter(need=need, status=CallOffStatus.OPEN).first()
    offers = recipients = still_to_offer = 0
    if call_off is not None:
        offered = set(call_off.offers.values_list("supplier_id", flat=True))
        admitted = set(call_off.recipients.values_list("supplier_id", flat=True))
        offers, recipients, still_to_offer = call_off.offers.count(), len(admitted), len(admitted - offered)
    confirm = CancelForm(
        initial={"reason": form.cleaned_data["reason"], "confirmed": True}, auto_id="cancel_%s"
    )
    context = {
        "need": need,
        "call_off": call_off,
        "form": confirm,
        "offer_count": offers,
        "recipient_count": recipients,
        "still_to_offer": still_to_offer,
        "deadline_open": call_off is not None and call_off.response_deadline > timezone.now(),
    }
    return render(request, "ordering/cancel_confirm.html", context)
