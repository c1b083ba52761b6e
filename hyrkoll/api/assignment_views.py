"""The assignments and time-report API.

Read: ``/assignments/`` (with their priced periods) and ``/time-reports/`` (with their days and flags)
– every row from ``visible_to(request.user)``, so a region sees its own and a supplier its own. Write,
with the same rules as the pages: a supplier reports a week (``POST /time-reports/``); the unit's
manager approves or returns a report. ``DecideSerializer`` and ``ReasonSerializer`` are shared with
the invoice API (``invoicing_views``).
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, serializers
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from hyrkoll.api.base import ScopedReadOnlyViewSet, query_int, query_str
from hyrkoll.api.pagination import unfiltered_supplier
from hyrkoll.api.steps import error_responses, run_step
from hyrkoll.assignments import permissions as assignment_permissions
from hyrkoll.assignments import services as assignment_services
from hyrkoll.assignments.counts import assignments_count, reports_count, supplier_assignments_count
from hyrkoll.assignments.models import Assignment, AssignmentPeriod, TimeReport, TimeReportDay
from hyrkoll.ordering import permissions as ordering_permissions

# --- serializers ------------------------------------------------------------------------------------------------


class AssignmentPeriodSerializer(serializers.ModelSerializer):
    price_list = serializers.SlugRelatedField(slug_field="version", read_only=True)

    class Meta:
        model = AssignmentPeriod
        fields = [
            "kind",
            "starts_on",
            "ends_on",
            "price_list",
            "hourly_price_sek",
            "travel_supplement_sek_per_week",
        ]


class AssignmentRecordSerializer(serializers.ModelSerializer):
    region = serializers.SlugRelatedField(slug_field="code", read_only=True)
    supplier = serializers.SlugRelatedField(slug_field="org_no", read_only=True)
    unit = serializers.SlugRelatedField(slug_field="code", read_only=True)
    consultant = serializers.CharField(source="consultant.__str__", read_only=True)
    level = serializers.SlugRelatedField(slug_field="code", read_only=True)
    periods = AssignmentPeriodSerializer(many=True, read_only=True)

    class Meta:
        model = Assignment
        fields = [
            "id",
            "region",
            "call_off",
            "supplier",
            "consultant",
            "unit",
            "level",
            "zone",
            "starts_on",
            "ends_on",
            "hours_per_week",
            "hourly_price_sek",
            "travel_supplement_sek_per_week",
            "status",
            "cancelled_from",
            "cancellation_charge_sek",
            "periods",
        ]


class TimeReportDaySerializer(serializers.ModelSerializer):
    class Meta:
        model = TimeReportDay
        fields = ["date", "normal_hours", "on_call_hours", "unsocial_hours"]


class TimeReportSerializer(serializers.ModelSerializer):
    days = TimeReportDaySerializer(many=True, read_only=True)
    iso_week = serializers.CharField(read_only=True)

    class Meta:
        model = TimeReport
        fields = [
            "id",
            "assignment",
            "week",
            "iso_week",
            "status",
            "submitted_at",
            "decided_at",
            "comment",
            "outside_period",
            "above_extent",
            "flags",
            "days",
        ]


class TimeReportDayInputSerializer(serializers.Serializer):
    date = serializers.DateField()
    normal_hours = serializers.CharField(
        required=False, default="0", help_text="Worked hours, e.g. 8 or 7,5."
    )
    on_call_hours = serializers.CharField(required=False, default="0")
    unsocial_hours = serializers.CharField(required=False, default="0", help_text="Inconvenient hours.")


class TimeReportCreateSerializer(serializers.Serializer):
    assignment = serializers.IntegerField()
    week = serializers.DateField(help_text="The Monday of the week.")
    days = TimeReportDayInputSerializer(many=True)


class DecideSerializer(serializers.Serializer):
    comment = serializers.CharField(required=False, allow_blank=True, default="")


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField()


# --- views ----------------------------------------------------------------------------------------------------


@extend_schema(tags=["assignments"])
@extend_schema_view(
    list=extend_schema(
        parameters=[
            OpenApiParameter("status", OpenApiTypes.STR, description="active, cancelled or completed.")
        ]
    )
)
class AssignmentViewSet(ScopedReadOnlyViewSet):
    """Assignments with their priced periods (the awarded one and each extension)."""

    model = Assignment
    serializer_class = AssignmentRecordSerializer

    def scoped_queryset(self) -> QuerySet[Any]:
        return (
            self.visible(Assignment)
            .select_related("region", "supplier", "consultant", "unit", "level")
            .prefetch_related(
                Prefetch("periods", queryset=AssignmentPeriod.objects.select_related("price_list"))
            )
            .order_by("-starts_on", "pk")
        )

    def filter_list(self, queryset: QuerySet[Any]) -> QuerySet[Any]:
        wanted = query_str(self.request, "status")
        return queryset.filter(status=wanted) if wanted else queryset

    def count_rows(self, queryset: QuerySet[Any]) -> int | None:
        """Unfiltered: a supplier's every assignment, or a region's (the nation's), read from the
        tallies the database keeps."""
        if query_str(self.request, "status"):
            return None
        supplier_id = unfiltered_supplier(self.request)  # (the status is checked above)
        if supplier_id is not None:
            return supplier_assignments_count(supplier_id)
        return assignments_count(self.request.user)


@extend_schema(tags=["assignments"])
@extend_schema_view(
    list=extend_schema(
        parameters=[
            OpenApiParameter("assignment", OpenApiTypes.INT, description="Only this assignment's reports."),
            OpenApiParameter("status", OpenApiTypes.STR, description="submitted, approved or returned."),
        ]
    ),
    create=extend_schema(
        summary="Report a week's time (supplier)",
        request=TimeReportCreateSerializer,
        responses=error_responses(400, 403, 409, created=TimeReportSerializer),
    ),
)
class TimeReportViewSet(mixins.CreateModelMixin, ScopedReadOnlyViewSet):
    """Weekly time reports with their days and flags."""

    model = TimeReport
    serializer_class = TimeReportSerializer

    def scoped_queryset(self) -> QuerySet[Any]:
        days = Prefetch("days", queryset=TimeReportDay.objects.order_by("date"))
        return self.visible(TimeReport).prefetch_related(days).order_by("assignment_id", "week")

    def filter_list(self, queryset: QuerySet[Any]) -> QuerySet[Any]:
        assignment = query_int(self.request, "assignment")
        if assignment is not None:
            queryset = queryset.filter(assignment_id=assignment)
        wanted = query_str(self.request, "status")
        return queryset.filter(status=wanted) if wanted else queryset

    def count_rows(self, queryset: QuerySet[Any]) -> int | None:
        """A supplier's unfiltered list: every report of its assignments, read from its tally."""
        supplier_id = unfiltered_supplier(self.request, "assignment", "status")
        return reports_count(supplier_id) if supplier_id is not None else None

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        if not ordering_permissions.is_supplier_user(request.user):
            raise PermissionDenied(_("Only the assignment's supplier reports time."))
        serializer = TimeReportCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        assignment = Assignment.objects.visible_to(request.user).filter(pk=data["assignment"]).first()
        if assignment is None:
            raise ValidationError({"assignment": [_("No such assignment of yours.")]})
        days: dict[datetime.date, tuple[Any, Any, Any]] = {}
        for day in data["days"]:
            if day["date"] in days:
                raise ValidationError({"days": [_("%(day)s is given twice.") % {"day": day["date"]}]})
            days[day["date"]] = (day["normal_hours"], day["on_call_hours"], day["unsocial_hours"])
        report = run_step(
            lambda: assignment_services.submit_time_report(request.user, assignment, data["week"], days),
            permitted=lambda: assignment_permissions.can_report_time(request.user, assignment),
            refused=_BadRequest,
        )
        return Response(TimeReportSerializer(self.scoped_queryset().get(pk=report.pk)).data, status=201)

    def _report_to_decide(self, request: Request) -> TimeReport:
        """The report at the path (404 if the caller cannot see it), refused with 403 before the input
        is read unless the caller manages the assignment's unit, as the service would refuse it."""
        report: TimeReport = self.get_object()
        if not assignment_permissions.can_manage_unit(request.user, report.assignment.unit):
            raise PermissionDenied(_("Only the unit's manager approves or returns time reports."))
        return report

    @extend_schema(
        request=DecideSerializer, responses=error_responses(403, 404, 409, ok=TimeReportSerializer)
    )
    @action(detail=True, methods=["post"])
    def approve(self, request: Request, pk: str | None = None) -> Response:
        """The unit's manager approves the report; it is locked from then on."""
        report = self._report_to_decide(request)
        serializer = DecideSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        run_step(
            lambda: assignment_services.approve_time_report(
                request.user, report, serializer.validated_data["comment"]
            ),
            permitted=lambda: assignment_permissions.can_manage_unit(request.user, report.assignment.unit),
        )
        return Response(TimeReportSerializer(self.scoped_queryset().get(pk=report.pk)).data)

    @extend_schema(
        request=ReasonSerializer, responses=error_responses(400, 403, 404, 409, ok=TimeReportSerializer)
    )
    @action(detail=True, methods=["post"], url_path="return")
    def return_report(self, request: Request, pk: str | None = None) -> Response:
        """The unit's manager returns the report to the supplier with a comment (``reason``)."""
        report = self._report_to_decide(request)
        serializer = ReasonSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        run_step(
            lambda: assignment_services.return_time_report(
                request.user, report, serializer.validated_data["reason"]
            ),
            permitted=lambda: assignment_permissions.can_manage_unit(request.user, report.assignment.unit),
        )
        return Response(TimeReportSerializer(self.scoped_queryset().get(pk=report.pk)).data)


class _BadRequest(ValidationError):
    def __init__(self, detail: Any = None) -> None:
        super().__init__({"detail": [str(detail)]})
