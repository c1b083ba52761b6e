"""Needs: the list, the orderer's form and the need's page with the actions the user may take."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Prefetch, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from hyrkoll.agreement.models import Competence, Profession
from hyrkoll.agreement.pricing import NoAgreementPrice, quote
from hyrkoll.assignments.models import Assignment
from hyrkoll.lib.listing import ChoiceFilter, Listing, ModelFilter, PeriodFilter, region_filter
from hyrkoll.lib.paging import MergedRows
from hyrkoll.ordering import permissions, workflow
from hyrkoll.ordering.counts import needs_count
from hyrkoll.ordering.forms import (
    AttemptForm,
    AwardForm,
    CancelForm,
    CloseForm,
    DecisionForm,
    ExhaustForm,
    NeedForm,
    add_validation_error,
)
from hyrkoll.ordering.models import (
    AttemptOutcome,
    CallOff,
    CallOffStatus,
    EventKind,
    Need,
    NeedStatus,
    Offer,
    OfferCheck,
)
from hyrkoll.ordering.queues import (
    NEED_QUEUES,
    is_orderer,
    need_queue,
    needs_visible_to,
    orderer_need_parts,
    sees_every_scoped_need,
)
from hyrkoll.ordering.views.common import get_need, paginate
from hyrkoll.pool.models import PoolMember

EDITABLE = (NeedStatus.DRAFT, NeedStatus.RETURNED)
CANCELLABLE = (
    NeedStatus.DRAFT,
    NeedStatus.INTERNAL_SEARCH,
    NeedStatus.STEERING_REVIEW,
    NeedStatus.AWAITING_APPROVAL,
    NeedStatus.RETURNED,
    NeedStatus.APPROVED,
    NeedStatus.PUBLISHED,
)


def need_listing(request: HttpRequest, needs: Any) -> Listing:
    """The needs list's sorts and filters (status, region for the national level, profession,
    competence, period) on top of the needs the user may see."""
    user = request.user
    return Listing(
        request,
        needs,
        sorts={
            "reference": "pk",
            "unit": "unit__name",
            "competence": "competence__name",
            "period": ("starts_on", "ends_on"),
            "status": "status",
            "cost": "estimated_cost_sek",
            "since": ("status_changed_at", "created_at"),
        },
        filters=[
            ChoiceFilter("status", _("Status"), "status", NeedStatus.choices),
            region_filter(user),
            ModelFilter("profession", _("Profession"), "profession", Profession.objects.order_by("name")),
            ModelFilter("competence", _("Competence"), "competence", Competence.objects.all()),
            PeriodFilter(_("Period"), "starts_on", "ends_on"),
        ],
    )


@login_required
def need_list(request: HttpRequest) -> HttpResponse:
    """The needs the user follows, filtered, sorted or narrowed to one of the user's work queues."""
    user = request.user
    if permissions.is_supplier_user(user):
        return redirect("ordering:supplier_call_offs")
    queue_key = request.GET.get("queue", "")
    queue = need_queue(user, queue_key) if queue_key else None
    if queue is not None:
        needs = queue
    else:
        queue_key = ""
        needs = needs_visible_to(user)
    listing = need_listing(request, needs.select_related("unit", "competence", "call_off"))
    count = None
    rows: Any = listing.rows
    narrowing = listing.narrowing()
    if queue is None and set(narrowing) <= {"status"} and sees_every_scoped_need(user):
        # Every need of the user's region (or of the nation), or those in one status: the number
        # is the regions' need tally, kept by triggers, not a count of tens of thousands of rows.
        count = needs_count(user, narrowing.get("status"))
    elif queue is None and (parts := orderer_need_parts(user)) is not None:
        # An orderer's needs as two parts, each counted from one index (``orderer_need_parts``) and,
        # newest first, read from another only as far as the page.
        filtered = [listing.filtered(part) for part in parts]
        counts = [part.count() for part in filtered]
        count = sum(counts)
        if not listing.sort_key:
            rows = MergedRows(listing.rows, *filtered, order=Need._meta.ordering, counts=counts)
    # The default order (newest first) reads the index and stops after one page; a chosen sort
    # reads every row the user may see, so their joins wait for the page's ids.
    page, query = paginate(request, rows, ids_first=bool(listing.sort_key), count=count)
    context = {
        "page": page,
        "query": query,
        "listing": listing,
        "queue_key": queue_key,
        "queue_label": NEED_QUEUES[queue_key][0] if queue_key else "",
        "can_create": is_orderer(user),
    }
    return render(request, "ordering/need_list.html", context)


def _save(request: HttpRequest, form: NeedForm) -> Need | None:
    try:
        need = workflow.save_draft(request.user, form.instance)
    except workflow.WorkflowError as error:
        form.add_error(None, str(error))
    except ValidationError as error:
        add_validation_error(form, error)
    else:
        return need
    return None


@login_required
def need_create(request: HttpRequest) -> HttpResponse:
    if not is_orderer(request.user):
        raise PermissionDenied
    form = NeedForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        need = _save(request, form)
        if need is not None:
            messages.success(request, _("The need is saved as a draft. Check the estimate and submit it."))
            return redirect("ordering:need_detail", pk=need.pk)
    context = {
        "form": form,
        "title": _("New need"),
        "cancel_url": reverse("ordering:needs"),
        "submit_label": _("Save draft and see the estimate"),
    }
    return render(request, "ordering/need_form.html", context)


@login_required
def need_edit(request: HttpRequest, pk: int) -> HttpResponse:
    need = get_need(request, pk)
    if not permissions.can_order_for(request.user, need.unit):
        raise PermissionDenied
    if need.status not in EDITABLE:
        messages.error(request, _("Only a draft or a returned need can be changed."))
        return redirect("ordering:need_detail", pk=need.pk)
    form = NeedForm(request.POST or None, instance=need, user=request.user)
    if request.method == "POST" and form.is_valid():
        saved = _save(request, form)
        if saved is not None:
            messages.success(request, _("The need is saved."))
            return redirect("ordering:need_detail", pk=saved.pk)
    context = {
        "form": form,
        "title": _("Change need #%(pk)d") % {"pk": need.pk},
        "cancel_url": reverse("ordering:need_detail", args=[need.pk]),
        "submit_label": _("Save"),
    }
    return render(request, "ordering/need_form.html", context)


# --- the need's page ----------------------------------------------------------------------------------


def _price(need: Need) -> dict[str, Any]:
    """What the page shows of the agreement price, with the reason if there is none."""
    zone = need.unit.municipality.zone if need.unit.municipality_id else None
    info: dict[str, Any] = {"zone": zone, "travel_sek_per_week": None, "missing": ""}
    try:
        price = quote(need.competence.level, need.unit, need.starts_on)
    except NoAgreementPrice as error:
        info["missing"] = str(error)
    else:
        info["travel_sek_per_week"] = price.travel_sek_per_week or None
    return info


def _call_off_context(request: HttpRequest, need: Need) -> dict[str, Any]:
    try:
        call_off = (
            CallOff.objects.visible_to(request.user)
            .select_related("sub_area")
            .annotate(recipient_count=Count("recipients"))
            .get(need=need)
        )
    except CallOff.DoesNotExist:
        return {"call_off": None}
    need.call_off = call_off  # the page's reference names it: not read a second time
    checks = Prefetch("checks", queryset=OfferCheck.objects.order_by("pk"))
    offers = list(
        Offer.objects.visible_to(request.user)
        .filter(call_off=call_off)
        .select_related("consultant", "supplier", "competence")
        .prefetch_related(checks)
    )
    may_award = call_off.status == CallOffStatus.OPEN and permissions.is_call_off_unit(
        request.user, need.region_id
    )
    ranked = workflow.ranked_offers(call_off) if call_off.status == CallOffStatus.OPEN else []
    assignment = None
    if call_off.status == CallOffStatus.AWARDED:
        assignment = (
            Assignment.objects.filter(call_off=call_off)
            .select_related("consultant", "supplier", "price_list")
            .first()
        )
    return {
        "call_off": call_off,
        "offers": offers,
        "ranked": ranked,
        "may_award": may_award,
        "award_form": AwardForm(auto_id="award_%s"),
        "close_form": CloseForm(auto_id="close_%s"),
        "assignment": assignment,
    }


def pool_matches(user: Any, need: Need) -> list[PoolMember]:
    """Active pool members of the need's profession and level, available for some of the period,
    with the need's competence (or none given); ``covers_need`` on those free for all of it."""
    members = list(
        PoolMember.objects.visible_to(user)
        .available_for(need.region_id, need.profession_id, need.level_id, need.starts_on, need.ends_on)
        .filter(Q(competence_id=need.competence_id) | Q(competence__isnull=True))
        .select_related("competence", "level")
    )
    for member in members:
        member.covers_need = member.available_from <= need.starts_on and (  # type: ignore[attr-defined]
            member.available_to is None or member.available_to >= need.ends_on
        )
    return members


def unasked_matches(user: Any, need: Need, members: list[PoolMember] | None = None) -> list[PoolMember]:
    """The pool members who match the whole period and have no attempt recorded on the need."""
    members = pool_matches(user, need) if members is None else members
    asked = set(need.internal_attempts.exclude(pool_member=None).values_list("pool_member_id", flat=True))
    return [m for m in members if m.covers_need and m.pk not in asked]  # type: ignore[attr-defined]


def _internal_context(request: HttpRequest, need: Need) -> dict[str, Any]:
    members = pool_matches(request.user, need)
    unasked = unasked_matches(request.user, need, members)
    return {
        "pool_members": members,
        "unasked_matches": unasked,
        "attempt_outcomes": AttemptOutcome.choices,
        "attempt_form": AttemptForm(user=request.user, auto_id="attempt_%s"),
        "exhaust_form": ExhaustForm(auto_id="exhaust_%s", unasked=unasked),
    }


@login_required
def need_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return need_page(request, get_need(request, pk))


def need_page(request: HttpRequest, need: Need, bound: dict[str, Any] | None = None) -> HttpResponse:
    """The need's page; ``bound``: an action form sent with errors, shown at its place on the page
    with the errors at its fields (its error summary takes the focus)."""
    user = request.user
    is_call_off_unit = permissions.is_call_off_unit(user, need.region_id)
    may_order = permissions.can_order_for(user, need.unit)
    events = list(need.events.all())
    rule_texts = [event.text for event in events if event.kind == EventKind.RULES]
    context: dict[str, Any] = {
        "need": need,
        "price": _price(need),
        "events": events,
        "rule_text": rule_texts[-1] if rule_texts else "",
        "attempts": need.internal_attempts.select_related("pool_member", "by"),
        "decisions": need.decisions.select_related("decided_by"),
        "may_edit": may_order and need.status in EDITABLE,
        "may_submit": may_order and need.status in EDITABLE,
        "may_cancel": (may_order or is_call_off_unit) and need.status in CANCELLABLE,
        "cancel_form": CancelForm(auto_id="cancel_%s"),
        "may_search_internally": is_call_off_unit and need.status == NeedStatus.INTERNAL_SEARCH,
        "may_review": permissions.is_steering_group(user, need.region_id)
        and need.status == NeedStatus.STEERING_REVIEW,
        "review_form": DecisionForm(auto_id="review_%s"),
        "may_decide": need.status == NeedStatus.AWAITING_APPROVAL and permissions.can_decide(user, need),
        "decision_form": DecisionForm(auto_id="decision_%s"),
        "may_publish": need.status == NeedStatus.APPROVED
        and not need.outside_agreement
        and (is_call_off_unit or permissions.can_decide(user, need)),
        "figures": workflow.off_agreement_figures(need) if need.outside_agreement else None,
        "max_days": workflow.max_call_off_days(need),
    }
    if context["may_search_internally"]:
        context.update(_internal_context(request, need))
    context.update(_call_off_context(request, need))
    context.update(bound or {})
    return render(request, "ordering/need_detail.html", context)
