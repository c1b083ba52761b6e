"""The invoice API.

Read: ``/invoices/`` (with lines and deviations) – every row from ``visible_to(request.user)``, so a
region sees its own and a supplier its own. Write, with the same rules as the pages: a supplier sends
an invoice (``POST /invoices/``, JSON or a Peppol document); the call-off unit or the units' manager
accepts a deviation, approves or rejects an invoice. The assignments and time reports are in
``assignment_views``.
"""

from __future__ import annotations

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
from hyrkoll.api.assignment_views import DecideSerializer, ReasonSerializer
from hyrkoll.api.base import ScopedReadOnlyViewSet, query_str
from hyrkoll.api.pagination import unfiltered_supplier
from hyrkoll.api.steps import error_responses, run_step
from hyrkoll.invoicing import permissions as invoice_permissions
from hyrkoll.invoicing import services as invoice_services
from hyrkoll.invoicing.counts import invoices_count
from hyrkoll.invoicing.models import Invoice, InvoiceDeviation, InvoiceLine, InvoiceSource, LineKind
from hyrkoll.organisation.models import Region

# --- serializers ------------------------------------------------------------------------------------------------


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
        responses=error_responses(403, created=InvoiceSerializer, ok=InvoiceSerializer)
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

    def count_rows(self, queryset: QuerySet[Any]) -> int | None:
        """A supplier's unfiltered list: every invoice and credit note it sent, in every status
        (``visible_to`` a supplier user is its invoices, by their supplier column), read from the
        supplier's invoice tally."""
        supplier_id = unfiltered_supplier(self.request, "status", "number")
        return invoices_count(supplier_id) if supplier_id is not None else None

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

    @extend_schema(request=DecideSerializer, responses=error_responses(403, 404, 409, ok=InvoiceSerializer))
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

    @extend_schema(
        request=RejectSerializer, responses=error_responses(400, 403, 404, 409, ok=InvoiceSerializer)
    )
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
        responses=error_responses(400, 403, 404, 409, ok=InvoiceSerializer),
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
