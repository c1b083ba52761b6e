"""The region's call-offs, for the call-off unit (and the region's other roles that follow needs)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from hyrkoll.agreement.models import Competence, Supplier
from hyrkoll.lib.listing import ChoiceFilter, Listing, ModelFilter, PeriodFilter, region_filter
from hyrkoll.lib.paging import ConcatenatedRows, count_in_one_query
from hyrkoll.ordering.counts import PASSING, attach_offer_counts, call_off_counts, offer_count
from hyrkoll.ordering.models import CallOff, CallOffStatus
from hyrkoll.ordering.queues import CALL_OFF_QUEUES, call_off_queue, sees_whole_region
from hyrkoll.ordering.views.common import paginate


def open_first_then_newest(
    rows: QuerySet[CallOff],
    prepare: Any = None,
    every: QuerySet | None = None,
    known: tuple[int, int] | None = None,
) -> ConcatenatedRows:
    """The call-off lists' default order: the open call-offs by soonest deadline, then all others
    newest first. Two queries, each cut to the page by its own index (``calloff_open_deadline``,
    ``calloff_newest_first``) instead of one sort of every call-off the user sees.

    The counts: ``known`` (the open ones and the others, from tallies), else the open ones (by their
    index) and all ``rows`` – or ``every``, a cheaper query with as many rows (a supplier's recipient
    rows) – in one query."""
    open_rows = rows.filter(status=CallOffStatus.OPEN).order_by("response_deadline", "pk")
    other_rows = rows.exclude(status=CallOffStatus.OPEN).order_by("-published_at", "-pk")

    def counts() -> tuple[int, int]:
        if known is not None:
            return known
        open_count, total = count_in_one_query(open_rows, rows if every is None else every)
        return open_count, total - open_count

    return ConcatenatedRows(open_rows, other_rows, counts=counts, prepare=prepare)


def _region_counts(rows: list[CallOff]) -> None:
    attach_offer_counts(rows, offer_count=None, passing_count=PASSING)


@login_required
def call_off_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not sees_whole_region(user):
        raise PermissionDenied
    queue_key = request.GET.get("queue", "")
    queue = call_off_queue(user, queue_key) if queue_key in ("deadline", "assess") else None
    if queue is not None:
        call_offs = queue
    else:
        queue_key = ""
        call_offs = CallOff.objects.visible_to(user)
    call_offs = call_offs.select_related("need__unit", "need__competence", "region", "sub_area").alias(
        offer_count=offer_count(), passing_count=offer_count(PASSING)
    )
    listing = Listing(
        request,
        call_offs,
        sorts={
            "reference": "pk",
            "unit": "need__unit__name",
            "competence": "need__competence__name",
            "status": "status",
            "deadline": "response_deadline",
            "offers": "offer_count",
            "passing": "passing_count",
        },
        filters=[
            ChoiceFilter("status", _("Status"), "status", CallOffStatus.choices),
            region_filter(user),
            ModelFilter(
                "supplier",
                _("Offer from supplier"),
                "offers__supplier",
                Supplier.objects.order_by("name"),
                multi_valued=True,
            ),
            ModelFilter("competence", _("Competence"), "need__competence", Competence.objects.all()),
            PeriodFilter(_("Period"), "need__starts_on", "need__ends_on"),
        ],
    )
    narrowing = listing.narrowing()
    known = None
    if queue is None and set(narrowing) <= {"status"}:
        # Unfiltered or by status alone: the numbers are the regions' call-off tallies, kept by triggers.
        known = call_off_counts(user, narrowing.get("status"))
    if queue is None and not listing.sort_key:
        rows = open_first_then_newest(listing.rows, prepare=_region_counts, known=known)
    elif known is not None:  # the column the user sorts by
        rows = ConcatenatedRows(listing.rows, counts=lambda: (sum(known),), prepare=_region_counts)
    else:  # a work queue's own order, or a sort of filtered rows
        rows = ConcatenatedRows(listing.rows, prepare=_region_counts)
    page, query = paginate(request, rows)
    context = {
        "page": page,
        "query": query,
        "listing": listing,
        "queue_key": queue_key,
        "queue_label": CALL_OFF_QUEUES[queue_key][0] if queue_key else "",
        "now": timezone.now(),
    }
    return render(request, "ordering/call_off_list.html", context)
