"""The region's call-offs, for the call-off unit (and the region's other roles that follow needs)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Case, Count, IntegerField, Q, Value, When
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from hyrkoll.agreement.models import Competence, Supplier
from hyrkoll.lib.listing import ChoiceFilter, Listing, ModelFilter, PeriodFilter, region_filter
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
    queue_key = request.GET.get("queue", "")
    queue = call_off_queue(user, queue_key) if queue_key in ("deadline", "assess") else None
    if queue is not None:
        call_offs = queue
    else:
        queue_key = ""
        call_offs = CallOff.objects.visible_to(user).order_by(OPEN_FIRST, "response_deadline", "-pk")
    call_offs = with_offer_counts(
        call_offs.select_related("need__unit", "need__competence", "region", "sub_area")
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
    page, query = paginate(request, listing.rows)
    context = {
        "page": page,
        "query": query,
        "listing": listing,
        "queue_key": queue_key,
        "queue_label": CALL_OFF_QUEUES[queue_key][0] if queue_key else "",
        "now": timezone.now(),
    }
    return render(request, "ordering/call_off_list.html", context)
