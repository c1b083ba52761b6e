"""The assignments, time-report and invoice API.

Read: ``/assignments/``, ``/time-reports/``, ``/invoices/`` (with lines and deviations) – every row
from ``visible_to(request.user)``, so a region sees its own and a supplier its own. Write, with the
same rules as the pages: a supplier reports a week (``POST /time-reports/``) and sends an invoice
(``POST /invoices/``); the unit's manager approves or returns a report; the call-off unit or the
units' manager accepts a deviation, approves or rejects an invoice.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, PermissionDenied, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from hyrkoll.api import peppol_views
from hyrkoll.api.ordering_views import _errors, run_step
from hyrkoll.api.views import ScopedReadOnlyViewSet, query_int, query_str
from hyrkoll.assignments import permissions as assignment_permissions
from hyrkoll.assignments import services as assignment_services
from hyrkoll.assignments.models import Assignment, AssignmentPeriod, TimeReport, TimeReportDay
from hyrkoll.invoicing import permissions as invoice_permissions
from hyrkoll.invoicing import services as invoice_services
from hyrkoll.invoicing.models import Invoice, InvoiceDeviation, InvoiceLine, InvoiceSource, LineKind
from hyrkoll.ordering import permissions as ordering_permissions
from hyrkoll.organisation.models import Region

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


class RejectSerializer(serializers.Serializer):
    comment = serializers.CharField()
    record_supplier_deviation = serializers.BooleanField(required=False, default=False)


class InvoiceDeviationSerializer(serializers.ModelSerializer):
    line = serializers.IntegerField(source="line.line_no", read_only=True, allow_null=True, default=None)

    class Meta:
        model = InvoiceDeviation
        fields = ["id", "line", "kind", "amount_sek", "description", "accepted_at", "accept_reason"]


class InvoiceLineSerializer(serializers.ModelSerializer):
    class Meta:
        model = InvoiceLine
        fields = [
            "line_no",
            "assignment_ref",
            "assignment",
            "date_from",
            "date_to",
            "kind",
            "quantity",
            "unit_price_sek",
            "amount_sek",
            "priced_quantity",
            "agreement_price_sek",
            "expected_sek",
        ]


class InvoiceSerializer(serializers.ModelSerializer):
    region = serializers.SlugRelatedField(slug_field="code", read_only=True)
    supplier = serializers.SlugRelatedField(slug_field="org_no", read_only=True)
    lines = InvoiceLineSerializer(many=True, read_only=True)
    deviations = InvoiceDeviationSerializer(many=True, read_only=True)
    deviation_sek = serializers.DecimalField(
        max_digits=14, decimal_places=2, read_only=True, help_text="Invoiced minus per the agreement."
    )

    class Meta:
        model = Invoice
        fields = [
            "id",
            "region",
            "supplier",
            "number",
            "document_type",
            "credited_invoice",
            "invoice_date",
            "due_date",
            "source",
            "status",
            "invoiced_sek",
            "expected_sek",
            "deviation_sek",
            "received_at",
            "decided_at",
            "decision_comment",
            "lines",
            "deviations",
        ]


class InvoiceLineInputSerializer(serializers.Serializer):
    assignment = serializers.CharField(help_text="The assignment's id (e.g. 123 or U-123).")
    date_from = serializers.CharField(help_text="e.g. 2026-03-02")
    date_to = serializers.CharField()
    kind = serializers.ChoiceField(choices=LineKind.choices, default=LineKind.HOURS)
    quantity = serializers.CharField(help_text="Hours (or weeks for the travel flat rate), e.g. 40 or 37,5.")
    unit_price_sek = serializers.CharField()
    amount_sek = serializers.CharField()


class InvoiceCreateSerializer(serializers.Serializer):
    region = serializers.CharField(
        required=False, help_text="The region's county code; by default the region of the lines' assignments."
    )
    number = serializers.CharField(max_length=50)
    invoice_date = serializers.CharField()
    due_date = serializers.CharField(required=False, allow_blank=True, default="")
    lines = InvoiceLineInputSerializer(many=True)


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
        responses=_errors(400, 403, 409, created=TimeReportSerializer),
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

    @extend_schema(request=DecideSerializer, responses=_errors(403, 404, 409, ok=TimeReportSerializer))
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

    @extend_schema(request=ReasonSerializer, responses=_errors(400, 403, 404, 409, ok=TimeReportSerializer))
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


@extend_schema(tags=["invoices"])
@extend_schema_view(
    list=extend_schema(
        parameters=[
            OpenApiParameter("status", OpenApiTypes.STR, description="received, approved or rejected."),
            OpenApiParameter("number", OpenApiTypes.STR, description="Only invoices with this number."),
        ]
    ),
    create=extend_schema(
        summary="Send an invoice (supplier)",
        description=(
            "The invoice is checked at once against the assignments, the approved time and the agreement's "
            "prices; the response carries the deviations found. The same invoice (number and lines) sent again "
            "returns the stored one with status 200 and changes nothing." + peppol_views.DESCRIPTION
        ),
        request={
            "application/json": InvoiceCreateSerializer,
            peppol_views.XML_MEDIA_TYPE: OpenApiTypes.BINARY,
        },
        examples=peppol_views.REQUEST_EXAMPLES,
        responses=_errors(403, created=InvoiceSerializer, ok=InvoiceSerializer)
        | {400: peppol_views.REJECTED},
    ),
)
class InvoiceViewSet(mixins.CreateModelMixin, ScopedReadOnlyViewSet):
    """Invoices with their lines as invoiced, the control's figures and the deviations."""

    model = Invoice
    serializer_class = InvoiceSerializer

    def scoped_queryset(self) -> QuerySet[Any]:
        return (
            self.visible(Invoice)
            .select_related("region", "supplier")
            .prefetch_related(
                Prefetch("lines", queryset=InvoiceLine.objects.order_by("line_no")),
                Prefetch("deviations", queryset=InvoiceDeviation.objects.select_related("line")),
            )
            .order_by("-received_at", "-pk")
        )

    def filter_list(self, queryset: QuerySet[Any]) -> QuerySet[Any]:
        wanted = query_str(self.request, "status")
        if wanted:
            queryset = queryset.filter(status=wanted)
        number = query_str(self.request, "number")
        return queryset.filter(number=number) if number else queryset

    def get_parsers(self) -> list[Any]:
        parsers = super().get_parsers()
        # Only the create takes a Peppol document (``action`` is not set yet when DRF asks).
        if getattr(self, "action_map", {}).get("post") == "create":
            parsers.append(peppol_views.UBLParser())
        return parsers

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        if peppol_views.is_xml(request):
            return peppol_views.create(self, request, InvoiceSerializer)
        if not invoice_permissions.can_submit(request.user):
            raise PermissionDenied(_("Only a supplier's user submits invoices."))
        serializer = InvoiceCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        region = None
        if data.get("region"):
            region = Region.objects.filter(code=data["region"].zfill(2)).first()
            if region is None:
                raise ValidationError({"region": [_("No region with this code.")]})
        lines = [(index, dict(line)) for index, line in enumerate(data["lines"], start=1)]
        try:
            received = invoice_services.submit(
                request.user,
                data["number"],
                data["invoice_date"],
                data["due_date"],
                lines,
                InvoiceSource.API,
                region=region,
            )
        except invoice_services.SubmissionRejected as rejected:
            raise ValidationError({"errors": rejected.errors}) from None
        if received.created:
            invoice, code = received.created[0], status.HTTP_201_CREATED
        else:
            invoice, code = received.already_received[0], status.HTTP_200_OK
        return Response(InvoiceSerializer(self.scoped_queryset().get(pk=invoice.pk)).data, status=code)

    def _invoice_to_decide(self, request: Request) -> Invoice:
        """The invoice at the path (404 if the caller cannot see it), refused with 403 before the input
        is read unless the caller decides on it, as the service would refuse it."""
        invoice: Invoice = self.get_object()
        if not invoice_permissions.can_decide(request.user, invoice):
            raise PermissionDenied(
                _("Only the region's call-off unit or the units' manager decides on invoices.")
            )
        return invoice

    def _decision(self, request: Request, invoice: Invoice, step: Any) -> Response:
        run_step(
            lambda: step(invoice), permitted=lambda: invoice_permissions.can_decide(request.user, invoice)
        )
        return Response(InvoiceSerializer(self.scoped_queryset().get(pk=invoice.pk)).data)

    @extend_schema(request=DecideSerializer, responses=_errors(403, 404, 409, ok=InvoiceSerializer))
    @action(detail=True, methods=["post"])
    def approve(self, request: Request, pk: str | None = None) -> Response:
        """Approve for payment: only when every deviation is accepted."""
        invoice = self._invoice_to_decide(request)
        serializer = DecideSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        comment = serializer.validated_data["comment"]
        return self._decision(
            request, invoice, lambda invoice: invoice_services.approve(request.user, invoice, comment)
        )

    @extend_schema(request=RejectSerializer, responses=_errors(400, 403, 404, 409, ok=InvoiceSerializer))
    @action(detail=True, methods=["post"])
    def reject(self, request: Request, pk: str | None = None) -> Response:
        invoice = self._invoice_to_decide(request)
        serializer = RejectSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        return self._decision(
            request,
            invoice,
            lambda invoice: invoice_services.reject(
                request.user,
                invoice,
                data["comment"],
                record_supplier_deviation=data["record_supplier_deviation"],
            ),
        )

    @extend_schema(
        request=ReasonSerializer,
        parameters=[OpenApiParameter("deviation", OpenApiTypes.INT, location=OpenApiParameter.PATH)],
        responses=_errors(400, 403, 404, 409, ok=InvoiceSerializer),
    )
    @action(detail=True, methods=["post"], url_path=r"deviations/(?P<deviation>\d+)/accept")
    def accept_deviation(
        self, request: Request, pk: str | None = None, deviation: str | None = None
    ) -> Response:
        """Accept one deviation with a reason (recorded in the audit trail)."""
        invoice = self._invoice_to_decide(request)
        serializer = ReasonSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        found = (
            InvoiceDeviation.objects.filter(invoice=invoice, pk=deviation).select_related("invoice").first()
        )
        if found is None:
            raise NotFound()
        run_step(
            lambda: invoice_services.accept_deviation(
                request.user, found, serializer.validated_data["reason"]
            ),
            permitted=lambda: invoice_permissions.can_decide(request.user, invoice),
        )
        return Response(InvoiceSerializer(self.scoped_queryset().get(pk=invoice.pk)).data)
