"""Joint procurements over the API (read-only): each procurement with the regions' declarations of
intent and the live count against the number of regions needed.

Declarations (yes/no, sub-areas, decided by and when) are public to every signed-in user, as in
the web app: the count is national. The decision documents are not served here.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import serializers

from hyrkoll.api.base import ScopedReadOnlyViewSet
from hyrkoll.governance import services_procurement as services
from hyrkoll.governance.models import Declaration, Procurement


class DeclarationSerializer(serializers.ModelSerializer):
    region = serializers.CharField(
        source="region.code", read_only=True, help_text="The region's county code."
    )
    sub_areas = serializers.SerializerMethodField(help_text="Sub-area codes the region joins for.")
    has_document = serializers.SerializerMethodField()

    class Meta:
        model = Declaration
        fields = ["region", "joins", "sub_areas", "decided_by", "decided_on", "filed_at", "has_document"]

    def get_sub_areas(self, obj: Declaration) -> list[str]:
        return obj.sub_area_codes()

    def get_has_document(self, obj: Declaration) -> bool:
        return bool(obj.document)


class ProcurementSerializer(serializers.ModelSerializer):
    sub_areas = serializers.SerializerMethodField(help_text="Sub-area codes of the procurement.")
    joining_count = serializers.IntegerField(read_only=True, help_text="Regions that declared they join.")
    proceeds = serializers.SerializerMethodField(help_text="At least min_regions regions join.")
    declarations = DeclarationSerializer(many=True, read_only=True)

    class Meta:
        model = Procurement
        fields = [
            "id",
            "name",
            "declaration_deadline",
            "starts_on",
            "min_regions",
            "sub_areas",
            "description",
            "joining_count",
            "proceeds",
            "declarations",
        ]

    def get_sub_areas(self, obj: Procurement) -> list[str]:
        return obj.sub_area_codes()

    def get_proceeds(self, obj: Procurement) -> bool:
        return services.count_status(obj).proceeds


@extend_schema(tags=["governance"])
class ProcurementViewSet(ScopedReadOnlyViewSet):
    """Joint procurements with every region's declaration of intent and the live count."""

    model = Procurement
    serializer_class = ProcurementSerializer

    def scoped_queryset(self) -> QuerySet[Any]:
        declarations = Declaration.objects.select_related("region").order_by("region__code")
        return services.with_counts(self.visible(Procurement)).prefetch_related(
            Prefetch("declarations", queryset=declarations)
        )
