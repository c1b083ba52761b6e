"""The follow-up API: the Bemanningstrend indicators, the regions' targets and the report's data.

Permissions are the web app's (``hyrkoll.followup.access``): suppliers get 403; the national level
sees every region; a region's users see their own region, and the other regions and the national
figure only for periods ending on or before the last published month (``TrendPublication``).
Before that, ``national`` is null and ``regions`` holds the caller's region only.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, inline_serializer
from rest_framework import generics, serializers
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from hyrkoll.api.base import FIRST_YEAR, LAST_YEAR, query_str
from hyrkoll.api.schema import ApiAutoSchema
from hyrkoll.followup import indicators, report_rows, trend_report
from hyrkoll.followup.access import can_follow_up, follow_up_scope
from hyrkoll.followup.indicators import Period, parse_month
from hyrkoll.followup.models import RegionTarget

TAGS = ["follow-up"]
TRUE, FALSE = {"true", "1", "yes"}, {"false", "0", "no"}


class CanFollowUp(BasePermission):
    message = "Follow-up figures are for the regions and the national level."

    def has_permission(self, request: Request, view: Any) -> bool:
        return can_follow_up(request.user)


class FollowUpView(APIView):
    permission_classes = [IsAuthenticated, CanFollowUp]
    schema = ApiAutoSchema()

    def scope(self, last_month: datetime.date) -> tuple[list[str] | None, bool]:
        """(the region codes to list – None for all –, whether the national figure may be shown)."""
        return follow_up_scope(self.request.user, last_month)


def _month_parameter(request: Request, name: str) -> datetime.date | None:
    raw = query_str(request, name)
    if raw is None:
        return None
    try:
        value = parse_month(raw)
    except ValueError:
        message = _("%(parameter)s must be a month in the format YYYY-MM.") % {"parameter": name}
        raise ValidationError({name: [message]}) from None
    if not FIRST_YEAR <= value.year <= LAST_YEAR:
        message = _("%(parameter)s must be a month between %(first)s and %(last)s.") % {
            "parameter": name,
            "first": f"{FIRST_YEAR}-01",
            "last": f"{LAST_YEAR}-12",
        }
        raise ValidationError({name: [message]})
    return value


def _bool_parameter(request: Request, name: str) -> bool:
    raw = (query_str(request, name) or "false").lower()
    if raw not in TRUE | FALSE:
        raise ValidationError({name: [_("%(parameter)s must be true or false.") % {"parameter": name}]})
    return raw in TRUE


def _errors(ok: Any) -> dict[int, Any]:
    return {
        200: ok,
        400: OpenApiResponse(
            description="A parameter is missing or malformed; the errors are given per parameter."
        ),
        401: OpenApiResponse(description="Not signed in."),
        403: OpenApiResponse(description="Suppliers see no follow-up figures."),
    }


# --- /trend/ ------------------------------------------------------------------------------------------------


class TrendSplitSerializer(serializers.Serializer):
    hired_sek = serializers.FloatField(help_text="Hired-staff cost (SEK).")


class TrendPreviousSerializer(serializers.Serializer):
    hired_sek = serializers.FloatField()
    own_sek = serializers.FloatField()
    share_pct = serializers.FloatField(allow_null=True)


class TrendChangeSerializer(serializers.Serializer):
    hired_sek = serializers.FloatField(help_text="SEK.")
    hired_pct = serializers.FloatField(allow_null=True, help_text="% of the earlier hired cost.")
    own_sek = serializers.FloatField(help_text="SEK.")
    own_pct = serializers.FloatField(allow_null=True, help_text="% of the earlier own cost.")
    share_pp = serializers.FloatField(allow_null=True, help_text="Percentage points.")


class TrendFiguresSerializer(serializers.Serializer):
    hired_sek = serializers.FloatField(help_text="Hired-staff cost (SEK).")
    own_sek = serializers.FloatField(help_text="Own personnel cost (SEK).")
    share_pct = serializers.FloatField(
        allow_null=True, help_text="100 × hired ÷ own, two decimals; null without own cost."
    )
    by_profession = serializers.DictField(
        child=TrendSplitSerializer(), help_text="Hired cost per profession (doctor, nurse, other)."
    )
    by_care_area = serializers.DictField(
        child=TrendSplitSerializer(), help_text="Hired cost per care area (primary, psychiatry, somatic)."
    )
    previous = TrendPreviousSerializer(
        required=False, help_text="The same months one year earlier (only with compare_previous_year)."
    )
    change = TrendChangeSerializer(
        required=False, help_text="The change from a year earlier (only with compare_previous_year)."
    )


TrendPeriodSerializer = inline_serializer(
    "TrendPeriod",
    {"from": serializers.CharField(help_text="YYYY-MM"), "to": serializers.CharField(help_text="YYYY-MM")},
)


class TrendSerializer(serializers.Serializer):
    period = TrendPeriodSerializer
    national = TrendFiguresSerializer(
        allow_null=True,
        help_text=(
            "The nation's figures. Null for a region's user when the period ends after the last "
            "published month."
        ),
    )
    regions = serializers.DictField(
        child=TrendFiguresSerializer(),
        help_text="Per county code. A region's user sees only their own region until the period is published.",
    )


def _month_query(name: str, description: str) -> OpenApiParameter:
    return OpenApiParameter(name, OpenApiTypes.STR, OpenApiParameter.QUERY, description=description)


@extend_schema(tags=TAGS)
class TrendView(FollowUpView):
    """The Bemanningstrend indicators for a range of months or a rolling 12 months.

    The same JSON as ``hyrkoll trend``: hired-staff cost, own personnel cost and hired as a share of
    own (``100 × hired ÷ own``), with hired cost by profession and care area, for the nation and each
    region the caller may see.
    """

    @extend_schema(
        parameters=[
            _month_query("from", "First month (YYYY-MM); with `to`."),
            _month_query("to", "Last month (YYYY-MM); with `from`."),
            _month_query("rolling12", "Instead of from/to: the 12 months ending this month (YYYY-MM)."),
            OpenApiParameter(
                "compare_previous_year",
                OpenApiTypes.BOOL,
                OpenApiParameter.QUERY,
                description="Add `previous` (the same months a year earlier) and `change`.",
            ),
        ],
        responses=_errors(TrendSerializer),
    )
    def get(self, request: Request) -> Response:
        period = self.period(request)
        compare = _bool_parameter(request, "compare_previous_year")
        regions, national = self.scope(period.end)
        result = indicators.trend(period, compare_previous_year=compare, region_codes=regions)
        if not national:
            result["national"] = None
        return Response(result)

    def period(self, request: Request) -> Period:
        start, end = _month_parameter(request, "from"), _month_parameter(request, "to")
        rolling = _month_parameter(request, "rolling12")
        if rolling is not None:
            if start is not None or end is not None:
                raise ValidationError({"rolling12": [_("Give either rolling12 or from and to, not both.")]})
            return Period.rolling12(rolling)
        if start is None and end is None:
            raise ValidationError({"from": [_("Give from and to (YYYY-MM), or rolling12.")]})
        if start is None:
            raise ValidationError({"from": [_("from is required with to.")]})
        if end is None:
            raise ValidationError({"to": [_("to is required with from.")]})
        if start > end:
            raise ValidationError({"from": [_("from must not be after to.")]})
        return Period(start, end)


# --- /targets/ ----------------------------------------------------------------------------------------------


class RegionTargetSerializer(serializers.ModelSerializer):
    region = serializers.SlugRelatedField(slug_field="code", read_only=True, help_text="County code.")
    region_name = serializers.CharField(source="region.name", read_only=True)
    share_pct = serializers.DecimalField(
        max_digits=5, decimal_places=2, coerce_to_string=False, help_text="Target share (%) for the year."
    )

    class Meta:
        model = RegionTarget
        fields = ["region", "region_name", "year", "share_pct", "note"]
        read_only_fields = fields


@extend_schema(tags=TAGS)
class TargetListView(generics.ListAPIView):
    """The regions' targets for hired cost as a share of own personnel cost, by year (interpolated
    monthly between years). A region's user sees their own region's targets."""

    serializer_class = RegionTargetSerializer
    permission_classes = [IsAuthenticated, CanFollowUp]
    schema = ApiAutoSchema()

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "region",
                OpenApiTypes.STR,
                OpenApiParameter.QUERY,
                description="Only this region (county code).",
            )
        ]
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    def get_queryset(self) -> QuerySet[RegionTarget]:
        queryset = RegionTarget.objects.visible_to(self.request.user).select_related("region")
        region = query_str(self.request, "region")
        if region is not None:
            queryset = queryset.filter(region__code=region)
        return queryset.order_by("region__code", "year")


# --- /bemanningstrend/ --------------------------------------------------------------------------------------


@extend_schema(tags=TAGS)
class BemanningstrendView(FollowUpView):
    """The Bemanningstrend report's data for a half-year or a quarter.

    ``national`` (hired, own, share, internal pool, overtime, ``previous`` and ``change``),
    ``regions`` (per region: hired, own, share, previous share, ``change_pp``, whether it meets
    2 %, its own ``target_pct`` and whether it meets it), ``by_profession`` and ``by_care_area``
    (with change), ``regions_meeting_count``, ``largest_increase``/``largest_decrease`` and the
    ``summary`` sentences (in the request's language). Amounts in SEK and percentages as numbers
    (two decimals), months as YYYY-MM. For a region's user before publication ``regions`` holds
    only their region and the national parts are null (``summary`` empty).
    """

    @extend_schema(
        parameters=[
            _month_query("half", "A half-year: YYYY-1 (January–June) or YYYY-2 (July–December)."),
            _month_query("quarter", "Instead of half: a quarter, YYYY-1 … YYYY-4."),
        ],
        responses=_errors(
            OpenApiResponse(
                response=OpenApiTypes.OBJECT,
                description="The report's figures, tables and summary sentences (see above).",
            )
        ),
    )
    def get(self, request: Request) -> Response:
        half, quarter = query_str(request, "half"), query_str(request, "quarter")
        if half is not None and quarter is not None:
            raise ValidationError({"half": [_("Give either half or quarter, not both.")]})
        if half is None and quarter is None:
            raise ValidationError({"half": [_("Give half (YYYY-1 or YYYY-2) or quarter (YYYY-1 … YYYY-4).")]})
        try:
            period = (
                trend_report.parse_half(half)
                if half is not None
                else trend_report.parse_quarter(quarter or "")
            )
            if not FIRST_YEAR <= period.start.year <= LAST_YEAR:
                raise ValueError(f"{period.start.year} is outside {FIRST_YEAR}–{LAST_YEAR}")
        except ValueError:
            name = "half" if half is not None else "quarter"
            message = _("%(parameter)s must be a year and a number, e.g. 2025-1.") % {"parameter": name}
            raise ValidationError({name: [message]}) from None
        regions, national = self.scope(period.end)
        data = trend_report.bemanningstrend(period, regions, include_national=national)
        return Response(report_rows.jsonable(data))
