"""The workflow steps posted from the need's page. Each calls one ``workflow`` function and goes
back to the need's page with its outcome; a refused step changes nothing."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from hyrkoll.ordering import permissions, workflow
from hyrkoll.ordering.forms import AttemptForm, AwardForm, CancelForm, CloseForm, DecisionForm, ExhaustForm
from hyrkoll.ordering.models import AttemptOutcome, CallOff, DecisionOutcome, EventKind, NeedStatus, Offer
from hyrkoll.ordering.queues import needs_visible_to
from hyrkoll.ordering.views.award import award_confirmation, cancel_confirmation
from hyrkoll.ordering.views.common import form_error_messages, get_need, run_step
from hyrkoll.ordering.views.needs import need_page, unasked_matches


def _back(pk: int) -> HttpResponseRedirect:
    return redirect("ordering:need_detail", pk=pk)


@login_required
@require_POST
def need_submit(request: HttpRequest, pk: int) -> HttpResponse:
    need = get_need(request, pk)
    run_step(
        request,
        lambda: workflow.submit(request.user, need),
        _("The need is submitted. The call-off unit checks the internal staffing pool first."),
    )
    return _back(need.pk)


@login_required
@require_POST
def need_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    need = get_need(request, pk)
    form = CancelForm(request.POST, auto_id="cancel_%s")
    if not form.is_valid():
        return need_page(request, need, {"cancel_form": form})
    if not form.cleaned_data["confirmed"]:
        return cancel_confirmation(request, need, form)
    reason = form.cleaned_data["reason"]
    run_step(request, lambda: workflow.cancel(request.user, need, reason), _("The need is cancelled."))
    return _back(need.pk)


@login_required
@require_POST
def need_attempt(request: HttpRequest, pk: int) -> HttpResponse:
    need = get_need(request, pk)
    form = AttemptForm(request.POST, user=request.user)
    if not form.is_valid():
        form_error_messages(request, form)
        return _back(need.pk)
    data = form.cleaned_data
    filled = data["outcome"] == AttemptOutcome.FILLED
    run_step(
        request,
        lambda: workflow.record_internal_attempt(
            request.user,
            need,
            outcome=data["outcome"],
            pool_member=data["pool_member"],
            description=data["description"],
            note=data["note"],
        ),
        _("The need is filled internally.") if filled else _("The internal alternative is recorded."),
    )
    return _back(need.pk)


@login_required
@require_POST
def need_exhaust(request: HttpRequest, pk: int) -> HttpResponse:
    need = get_need(request, pk)
    unasked = unasked_matches(request.user, need) if need.status == NeedStatus.INTERNAL_SEARCH else []
    form = ExhaustForm(request.POST, auto_id="exhaust_%s", unasked=unasked)
    if not form.is_valid():
        return need_page(request, need, {"exhaust_form": form})
    reason = form.recorded_reason
    run_step(
        request,
        lambda: workflow.exhaust_internal(request.user, need, reason),
        _("The internal search is closed and the need is routed for a decision."),
    )
    return _back(need.pk)


def _decision(request: HttpRequest, pk: int, *, steering: bool) -> HttpResponse:
    need = get_need(request, pk)
    name = "review" if steering else "decision"
    form = DecisionForm(request.POST, auto_id=f"{name}_%s")
    if not form.is_valid():
        return need_page(request, need, {f"{name}_form": form})
    outcome, reason = form.cleaned_data["outcome"], form.cleaned_data["reason"]
    step = workflow.steering_review if steering else workflow.decide
    done = {
        DecisionOutcome.APPROVE: _("Approved."),
        DecisionOutcome.REJECT: _("Rejected."),
        DecisionOutcome.RETURN: _("Returned to the orderer."),
    }[DecisionOutcome(outcome)]
    if run_step(request, lambda: step(request.user, need, outcome, reason), str(done)) and not steering:
        # The approval stands even if the publication failed; say why it was not published.
        latest = need.events.order_by("-at", "-pk").first()
        if latest is not None and latest.kind == EventKind.PUBLICATION_FAILED:
            messages.warning(
                request, _("The call-off could not be published: %(reason)s") % {"reason": latest.text}
            )
    return _back(need.pk)


@login_required
@require_POST
def need_steering_review(request: HttpRequest, pk: int) -> HttpResponse:
    return _decision(request, pk, steering=True)


@login_required
@require_POST
def need_decide(request: HttpRequest, pk: int) -> HttpResponse:
    return _decision(request, pk, steering=False)


@login_required
@require_POST
def need_publish(request: HttpRequest, pk: int) -> HttpResponse:
    need = get_need(request, pk)
    run_step(
        request,
        lambda: workflow.publish(request.user, need),
        _("The call-off is published to every admitted supplier."),
    )
    return _back(need.pk)


@login_required
@require_http_methods(["GET", "POST"])
def offer_award(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: the confirmation page (the call-off unit only) with the deadline and the offers still
    possible; POST: the award. A POST with an invalid form shows the page again with the error at
    its field."""
    offer = get_object_or_404(
        Offer.objects.visible_to(request.user)
        .filter(call_off__need__in=needs_visible_to(request.user))
        .select_related("call_off__need__unit", "consultant", "supplier"),
        pk=pk,
    )
    call_off = offer.call_off
    if request.method == "GET":
        if not permissions.is_call_off_unit(request.user, call_off.region_id):
            raise PermissionDenied
        return award_confirmation(request, offer, AwardForm())
    form = AwardForm(request.POST)
    if form.is_valid() and permissions.is_call_off_unit(request.user, call_off.region_id):
        missing = workflow.missing_deviation_reason(offer, form.cleaned_data["deviation_reason"])
        if missing:
            form.add_error("deviation_reason", missing)
    if not form.is_valid():
        return award_confirmation(request, offer, form)
    reason = form.cleaned_data["deviation_reason"]
    run_step(
        request,
        lambda: workflow.award(request.user, offer, reason),
        _("Awarded to %(consultant)s at the agreement price.") % {"consultant": offer.consultant},
    )
    return _back(call_off.need_id)


@login_required
@require_POST
def call_off_close(request: HttpRequest, pk: int) -> HttpResponse:
    call_off = get_object_or_404(
        CallOff.objects.visible_to(request.user).filter(need__in=needs_visible_to(request.user)), pk=pk
    )
    form = CloseForm(request.POST, auto_id="close_%s")
    if not form.is_valid():
        return need_page(request, call_off.need, {"close_form": form})
    reason = form.cleaned_data["reason"]
    run_step(
        request,
        lambda: workflow.close_unfilled(request.user, call_off, reason),
        _("The call-off is closed without award."),
    )
    return _back(call_off.need_id)
