"""The region's call-offs, for the call-off unit (and the region's other roles that follow needs)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Case, Count, IntegerField, Q, Value, When
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from hyrkoll.ordering.models import CallOff, CallOffStatus, OfferStatus
from hyrkoll.ordering.queues import CALL_OFF_QUEUES, call_off_queue, sees_whole_region
from hyrkoll.ordering.views.common import paginate

OPEN_FIRST = Case(
    When(status=CallOffStatus.OPEN, then=Value(0)), default=Value(1), output_field=IntegerField()
)


def with_offer_counts(call_offs: object) -> object:
    return call_offs.annotate(  # type: ignore[attr-defined]
        offer_count=Count("offers", distinct=True),
        passing_count=Count(
            "offers",
            filter=Q(
                offers__checks_passed=True,
                offers__status__in=(OfferStatus.SUBMITTED, OfferStatus.AWARDED),
            ),
            distinct=True,
        ),
    )


@login_required
def call_off_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not sees_whole_region(user):
        raise PermissionDenied
    status = request.GET.get("status", "")
    if status not in CallOffStatus.values:
        status = ""
    queue_key = request.GET.get("queue", "")
    queue = call_off_queue(user, queue_key) if queue_key in ("deadline", "assess") else None
    if queue is not None:
        call_offs = queue
    else:
        queue_key = ""
        call_offs = CallOff.objects.visible_to(user).order_by(OPEN_FIRST, "response_deadline", "-pk")
    if status:
        call_offs = call_offs.filter(status=status)
    call_offs = with_offer_counts(
        call_offs.select_related("need__unit", "need__competence", "region", "sub_area")
    )
    page, query = paginate(request, call_offs)
    context = {
        "page": page,
        "query": query,
        "status": status,
        "statuses": CallOffStatus.choices,
        "queue_key": queue_key,
        "queue_label": CALL_OFF_QUEUES[queue_key][0] if queue_key else "",
        "now": timezone.now(),
    }
    return render(request, "ordering/call_off_list.html", context)
