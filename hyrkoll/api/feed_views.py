"""The event feed: ``GET /api/v1/events/?after=<cursor>&limit=<n>``.

One endpoint a system polls instead of every list: what happened to its organisation since the
cursor it was last given. Who receives what is ``FeedEvent.objects.addressed_to``; why the cursor
never skips an event is :mod:`hyrkoll.feed.positions`.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from hyrkoll.api.base import query_int, query_str
from hyrkoll.api.schema import ApiAutoSchema
from hyrkoll.feed import positions
from hyrkoll.feed.models import FeedEvent, FeedKind

DEFAULT_LIMIT, MAX_LIMIT = 100, 500


class FeedObjectSerializer(serializers.Serializer):
    type = serializers.CharField(help_text="call_off, offer, need, time_report or invoice.")
    id = serializers.IntegerField()
    url = serializers.CharField(help_text="The object in this API.")


class FeedEventSerializer(serializers.Serializer):
    cursor = serializers.CharField(help_text="Opaque: poll with after=<this> to continue after the event.")
    kind = serializers.ChoiceField(choices=FeedKind.choices)
    occurred_at = serializers.DateTimeField()
    object = FeedObjectSerializer()
    data = serializers.DictField(help_text="References, amounts and reasons; the keys depend on kind.")


class FeedPageSerializer(serializers.Serializer):
    events = FeedEventSerializer(many=True)
    next_cursor = serializers.CharField(
        help_text="Send as after= next time: the last event's cursor, or the given one when empty."
    )
    has_more = serializers.BooleanField(help_text="More events are waiting: poll again at once.")


EXAMPLE = {
    "events": [
        {
            "cursor": "djE6NTU",
            "kind": "call_off.published",
            "occurred_at": "2026-03-02T09:14:03.512000+01:00",
            "object": {"type": "call_off", "id": 55, "url": "/api/v1/call-offs/55/"},
            "data": {
                "reference": "Avrop 55 · behov 132",
                "need": 132,
                "response_deadline": "2026-03-05T09:14:03.512000+01:00",
                "starts_on": "2026-04-01",
                "ends_on": "2026-06-30",
                "hours_per_week": "40.0",
            },
        },
        {
            "cursor": "djE6NTc",
            "kind": "offer.not_awarded",
            "occurred_at": "2026-03-06T10:02:41.100000+01:00",
            "object": {"type": "offer", "id": 310, "url": "/api/v1/offers/310/"},
            "data": {"reference": "Avrop 55 · behov 132", "call_off": 55, "outcome": "awarded"},
        },
    ],
    "next_cursor": "djE6NTc",
    "has_more": False,
}


def _event(event: FeedEvent) -> dict[str, Any]:
    return {
        "cursor": positions.encode_cursor(event.position or 0),
        "kind": event.kind,
        "occurred_at": event.occurred_at,
        "object": {"type": event.object_type, "id": event.object_id, "url": event.object_url},
        "data": event.data,
    }


class EventFeedView(APIView):
    """What happened to the caller's organisation, oldest first, after a cursor."""

    schema = ApiAutoSchema()

    @extend_schema(
        tags=["events"],
        summary="Events for the caller's organisation since a cursor",
        description=(
            "Poll this one endpoint instead of every list. Start without `after`; then send the "
            "`next_cursor` of the last answer as `after`. While `has_more` is true, poll again at "
            "once. The cursor is opaque: store it as given, never build or compare one. It never "
            "skips an event, also when transactions commit out of order.\n\n"
            "Kinds: `call_off.published`, `call_off.closed` (data.outcome awarded, unfilled or "
            "cancelled) and `offer.awarded` / `offer.not_awarded` for suppliers; "
            "`time_report.returned`, `invoice.deviation_found` and `invoice.approved` for the "
            "supplier and the region; `need.awaiting_decision` for the region's approvers at or "
            "above the required decision level. National users receive no events.\n\n"
            "`data` by kind (amounts are decimal strings in SEK): `call_off.published` reference, "
            "need, response_deadline, starts_on, ends_on, hours_per_week; `call_off.closed` "
            "reference, outcome; `offer.awarded` / `offer.not_awarded` reference, call_off, outcome; "
            "`time_report.returned` assignment, week, comment; `invoice.deviation_found` "
            "invoice_number, invoiced_sek, expected_sek, open_deviations, kinds, deviation_sek; "
            "`invoice.approved` invoice_number, invoiced_sek; `need.awaiting_decision` reference, "
            "required_level, unit, starts_on, ends_on, estimated_cost_sek, outside_agreement."
        ),
        parameters=[
            OpenApiParameter(
                "after",
                OpenApiTypes.STR,
                OpenApiParameter.QUERY,
                description="A cursor from an earlier answer (opaque). Without it: from the beginning.",
                examples=[OpenApiExample("After an earlier answer", value="djE6NTU")],
            ),
            OpenApiParameter(
                "limit",
                OpenApiTypes.INT,
                OpenApiParameter.QUERY,
                description=f"At most this many events (1–{MAX_LIMIT}, default {DEFAULT_LIMIT}).",
                examples=[OpenApiExample("A small page", value=50)],
            ),
        ],
        responses={200: FeedPageSerializer},
        examples=[OpenApiExample("Two events", value=EXAMPLE, response_only=True, status_codes=["200"])],
    )
    def get(self, request: Request) -> Response:
        raw = query_str(request, "after")
        after = 0
        if raw is not None:
            try:
                after = positions.decode_cursor(raw)
            except positions.BadCursor:
                message = _("after must be a cursor this feed gave out (next_cursor or an event's cursor).")
                raise ValidationError({"after": [message]}) from None
        limit = query_int(request, "limit", minimum=1, maximum=MAX_LIMIT) or DEFAULT_LIMIT
        page = positions.read(FeedEvent.objects.addressed_to(request.user), after, limit)
        body = {
            "events": [_event(event) for event in page.events],
            "next_cursor": page.next_cursor,
            "has_more": page.has_more,
        }
        return Response(FeedPageSerializer(body).data)
