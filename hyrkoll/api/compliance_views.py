"""The compliance API (read-only): supplier deviations, suspensions, direct purchases and contract
fidelity. Permissions are the web app's (``hyrkoll.compliance.permissions``):

- deviations: a region sees its own, a supplier the ones about itself, the national level all;
- suspensions: regions and the national level see all, a supplier only its own;
- direct purchases and contract fidelity: the regions (their own) and the national level;
  suppliers get 403.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from hyrkoll.api.base import FIRST_YEAR, LAST_YEAR, ScopedReadOnlyViewSet, query_int, query_str
from hyrkoll.api.schema import ApiAutoSchema
from hyrkoll.compliance import fidelity, permissions
from hyrkoll.compliance.models import DirectPurchase, SupplierDeviation, Suspension
from hyrkoll.compliance.views_fidelity import resolve_region
from hyrkoll.organisation.models import Region

TAGS = ["compliance"]
REGION_PARAMETER = OpenApiParameter(
    "region", str, OpenApiParameter.QUERY, description="County code, e.g. 14."
)


class CanReadRegionData(BasePermission):
    message = "Direct purchases and contract fidelity are for the regions and the national level."

    def has_permission(self, request: Request, view: Any) -> bool:
        return permissions.can_read_region_data(request.user)


# --- serializers ------------------------------------------------------------------------------------------------


class SupplierDeviationSerializer(serializers.ModelSerializer):
    region = serializers.SlugRelatedField(slug_field="code", read_only=True)
    supplier_org_no = serializers.CharField(source="supplier.org_no", read_only=True)
    withdrawn = serializers.BooleanField(source="is_withdrawn", read_only=True)

    class Meta:
        model = SupplierDeviation
        fields = [
            "id",
            "region",
            "supplier",
            "supplier_org_no",
            "kind",
            "occurred_on",
            "description",
            "assignment",
            "call_off",
            "recorded_at",
            "withdrawn",
            "withdrawn_at",
            "withdrawal_reason",
        ]


class SuspensionSerializer(serializers.ModelSerializer):
    supplier_org_no = serializers.CharField(source="supplier.org_no", read_only=True)
    in_force_today = serializers.SerializerMethodField()

    class Meta:
        model = Suspension
        fields = [
            "id",
            "supplier",
            "supplier_org_no",
            "starts_on",
            "ends_on",
            "reason",
            "lifted_on",
            "lift_reason",
            "in_force_today",
        ]

    def get_in_force_today(self, obj: Suspension) -> bool:
        return obj.is_in_force(timezone.localdate())


class DirectPurchaseSerializer(serializers.ModelSerializer):
    region = serializers.SlugRelatedField(slug_field="code", read_only=True)
    unit = serializers.SlugRelatedField(slug_field="code", read_only=True)
    has_dispensation = serializers.BooleanField(read_only=True)

    class Meta:
        model = DirectPurchase
        fields = [
            "id",
            "region",
            "need",
            "has_dispensation",
            "explanation",
            "unit",
            "level",
            "supplier_name",
            "supplier_org_no",
            "hourly_price_sek",
            "starts_on",
            "ends_on",
            "hours_per_week",
            "total_sek",
            "agreement_hourly_sek",
            "agreement_cost_sek",
            "premium_sek",
            "recorded_at",
        ]


# --- viewsets ---------------------------------------------------------------------------------------------------


@extend_schema(tags=TAGS)
@extend_schema_view(
    list=extend_schema(
        parameters=[
            REGION_PARAMETER,
            OpenApiParameter(
                "supplier", OpenApiTypes.INT, OpenApiParameter.QUERY, description="Supplier id."
            ),
        ]
    )
)
class SupplierDeviationViewSet(ScopedReadOnlyViewSet):
    """Deviations recorded by the regions against suppliers (withdrawn ones included, marked)."""

    model = SupplierDeviation
    serializer_class = SupplierDeviationSerializer

    def scoped_queryset(self) -> QuerySet[Any]:
        return (
            self.visible(SupplierDeviation)
            .select_related("region", "supplier")
            .order_by("-occurred_on", "-pk")
        )

    def filter_list(self, queryset: QuerySet[Any]) -> QuerySet[Any]:
        region = query_str(self.request, "region")
        supplier = query_int(self.request, "supplier")
        if region:
            queryset = queryset.filter(region__code=region)
        if supplier is not None:
            queryset = queryset.filter(supplier_id=supplier)
        return queryset


@extend_schema(tags=TAGS)
class SuspensionViewSet(ScopedReadOnlyViewSet):
    """Suspensions of suppliers decided by the national coordinator."""

    model = Suspension
    serializer_class = SuspensionSerializer

    def scoped_queryset(self) -> QuerySet[Any]:
        return self.visible(Suspension).select_related("supplier").order_by("-starts_on", "-pk")


@extend_schema(tags=TAGS)
@extend_schema_view(
    list=extend_schema(
        parameters=[
            REGION_PARAMETER,
            OpenApiParameter("year", OpenApiTypes.INT, OpenApiParameter.QUERY, description="Start year."),
        ]
    )
)
class DirectPurchaseViewSet(ScopedReadOnlyViewSet):
    """Registered purchases outside the agreement, with and without a dispensation."""

    model = DirectPurchase
    serializer_class = DirectPurchaseSerializer
    permission_classes = [IsAuthenticated, CanReadRegionData]

    def scoped_queryset(self) -> QuerySet[Any]:
        return self.visible(DirectPurchase).select_related("region", "unit").order_by("-starts_on", "-pk")

    def filter_list(self, queryset: QuerySet[Any]) -> QuerySet[Any]:
        region = query_str(self.request, "region")
        year = query_int(self.request, "year", minimum=FIRST_YEAR, maximum=LAST_YEAR)
        if region:
            queryset = queryset.filter(region__code=region)
        if year is not None:
            queryset = queryset.filter(starts_on__year=year)
        return queryset


# --- contract fidelity ------------------------------------------------------------------------------------------


class SharesSerializer(serializers.Serializer):
    through_sek = serializers.DecimalField(max_digits=16, decimal_places=2)
    with_dispensation_sek = serializers.DecimalField(max_digits=16, decimal_places=2)
    without_dispensation_sek = serializers.DecimalField(max_digits=16, decimal_places=2)
    total_sek = serializers.DecimalField(max_digits=16, decimal_places=2)
    through_pct = serializers.DecimalField(max_digits=6, decimal_places=2, allow_null=True)
    with_dispensation_pct = serializers.DecimalField(max_digits=6, decimal_places=2, allow_null=True)
    without_dispensation_pct = serializers.DecimalField(max_digits=6, decimal_places=2, allow_null=True)


class MonthSharesSerializer(SharesSerializer):
    month = serializers.CharField(help_text="YYYY-MM")


class RegionSharesSerializer(SharesSerializer):
    region = serializers.CharField(help_text="County code.")


class OutsideSerializer(serializers.Serializer):
    classification = serializers.ChoiceField(
        choices=[fidelity.WITH_DISPENSATION, fidelity.WITHOUT_DISPENSATION]
    )
    reason = serializers.CharField()
    region = serializers.CharField()
    supplier_org_no = serializers.CharField()
    supplier_name = serializers.CharField(help_text="Empty if the supplier is not in the agreement register.")
    unit = serializers.CharField(help_text="The ledger's unit code (empty if none).")
    months = serializers.ListField(child=serializers.CharField())
    amount_sek = serializers.DecimalField(max_digits=16, decimal_places=2)


class FidelitySerializer(serializers.Serializer):
    region = serializers.CharField(allow_null=True, help_text="Null: every region.")
    year = serializers.IntegerField()
    lines = serializers.IntegerField(help_text="Ledger lines classified.")
    total = SharesSerializer()
    months = MonthSharesSerializer(many=True)
    regions = RegionSharesSerializer(many=True)
    outside = OutsideSerializer(many=True)


def _shares(shares: fidelity.Shares) -> dict[str, Any]:
    return {
        "through_sek": shares.amounts[fidelity.THROUGH],
        "with_dispensation_sek": shares.amounts[fidelity.WITH_DISPENSATION],
        "without_dispensation_sek": shares.amounts[fidelity.WITHOUT_DISPENSATION],
        "total_sek": shares.total,
        "through_pct": shares.through_pct,
        "with_dispensation_pct": shares.with_pct,
        "without_dispensation_pct": shares.without_pct,
    }


class ContractFidelityView(APIView):
    """Contract fidelity of a region (or, for the national level, every region) in a year."""

    permission_classes = [IsAuthenticated, CanReadRegionData]
    schema = ApiAutoSchema()

    @extend_schema(
        tags=TAGS,
        parameters=[
            REGION_PARAMETER,
            OpenApiParameter(
                "year", OpenApiTypes.INT, OpenApiParameter.QUERY, description="Default: latest."
            ),
            OpenApiParameter(
                "month", OpenApiTypes.INT, OpenApiParameter.QUERY, description="1–12; default all."
            ),
        ],
        responses={
            200: FidelitySerializer,
            400: OpenApiResponse(description="A parameter is malformed."),
            403: OpenApiResponse(description="Suppliers see no contract fidelity."),
            404: OpenApiResponse(description="Another region than the caller's own."),
        },
    )
    def get(self, request: Request) -> Response:
        region = resolve_region(request.user, query_str(request, "region"))
        regions = [region] if region is not None else list(Region.objects.order_by("code"))
        year = (
            query_int(request, "year", minimum=FIRST_YEAR, maximum=LAST_YEAR)
            or fidelity.latest_year(regions)
            or timezone.localdate().year
        )
        month = query_int(request, "month")
        if month is not None and not 1 <= month <= 12:
            raise ValidationError({"month": [_("month must be between 1 and 12.")]})
        result = fidelity.compute(regions, year, month=month)
        data = {
            "region": region.code if region else None,
            "year": year,
            "lines": result.lines,
            "total": _shares(result.total),
            "months": [{"month": f"{m:%Y-%m}", **_shares(s)} for m, s in result.by_month.items()],
            "regions": [{"region": code, **_shares(s)} for code, s in result.by_region.items()],
            "outside": [
                {
                    "classification": row.cls,
                    "reason": row.reason,
                    "region": row.region_code,
                    "supplier_org_no": row.org_no,
                    "supplier_name": row.supplier_name,
                    "unit": row.unit_code,
                    "months": sorted(f"{m:%Y-%m}" for m in row.months),
                    "amount_sek": row.amount,
                }
                for row in result.outside
            ],
        }
        return Response(FidelitySerializer(data).data)
