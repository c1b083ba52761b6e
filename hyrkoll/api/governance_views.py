"""The governance API (read-only): the catalogue of measures, the regions' action plans with their
measures and sub-goals, and the steering group's decision log.

Every queryset – also the prefetched nested ones – starts from ``visible_to(request.user)``.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers

from hyrkoll.api.base import ScopedReadOnlyViewSet, query_str
from hyrkoll.governance.models import ActionPlan, Measure, PlanMeasure, SteeringDecision, SubGoal

# --- serializers ------------------------------------------------------------------------------------------------


class MeasureSerializer(serializers.ModelSerializer):
    class Meta:
        model = Measure
        fields = ["id", "heading", "name", "description", "reported_as_working", "is_active"]


class SubGoalSerializer(serializers.ModelSerializer):
    class Meta:
        model = SubGoal
        fields = ["id", "description", "due_on", "indicator", "care_area", "target_value", "achieved"]


class PlanMeasureSerializer(serializers.ModelSerializer):
    measure = serializers.SlugRelatedField(slug_field="name", read_only=True)
    heading = serializers.CharField(source="measure.heading", read_only=True)
    org_unit = serializers.SlugRelatedField(
        slug_field="code", read_only=True, allow_null=True, help_text=_("Empty: the whole region.")
    )
    sub_goals = SubGoalSerializer(many=True, read_only=True)

    class Meta:
        model = PlanMeasure
        fields = [
            "id",
            "measure",
            "heading",
            "owner",
            "org_unit",
            "starts_on",
            "status",
            "effect",
            "effect_comment",
            "sub_goals",
        ]


class ActionPlanSerializer(serializers.ModelSerializer):
    region = serializers.SlugRelatedField(slug_field="code", read_only=True)
    measures = PlanMeasureSerializer(many=True, read_only=True)

    class Meta:
        model = ActionPlan
        fields = ["id", "region", "name", "starts_on", "adopted_by", "adopted_on", "measures"]


class SteeringDecisionSerializer(serializers.ModelSerializer):
    region = serializers.SlugRelatedField(slug_field="code", read_only=True)
    needs = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    plans = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = SteeringDecision
        fields = ["id", "region", "decided_on", "decision", "basis", "follow_up_on", "needs", "plans"]


# --- views ------------------------------------------------------------------------------------------------------

REGION_PARAMETER = OpenApiParameter(
    "region", str, OpenApiParameter.QUERY, description="County code, e.g. 14."
)


@extend_schema(tags=["governance"])
class MeasureViewSet(ScopedReadOnlyViewSet):
    """The national catalogue of measures."""

    model = Measure
    serializer_class = MeasureSerializer


@extend_schema(tags=["governance"])
@extend_schema_view(list=extend_schema(parameters=[REGION_PARAMETER]))
class ActionPlanViewSet(ScopedReadOnlyViewSet):
    """The regions' action plans with their measures and sub-goals."""

    model = ActionPlan
    serializer_class = ActionPlanSerializer

    def scoped_queryset(self) -> QuerySet[Any]:
        goals = self.visible(SubGoal)
        measures = (
            self.visible(PlanMeasure)
            .select_related("measure", "org_unit")
            .prefetch_related(Prefetch("sub_goals", queryset=goals))
        )
        return (
            self.visible(ActionPlan)
            .select_related("region")
            .prefetch_related(Prefetch("measures", queryset=measures))
            .order_by("region__code", "-starts_on", "pk")
        )

    def filter_list(self, queryset: QuerySet[Any]) -> QuerySet[Any]:
        region = query_str(self.request, "region")
        return queryset.filter(region__code=region) if region else queryset


@extend_schema(tags=["governance"])
@extend_schema_view(list=extend_schema(parameters=[REGION_PARAMETER]))
class SteeringDecisionViewSet(ScopedReadOnlyViewSet):
    """The steering group's decision log, with the ids of the needs and plans each decision concerns."""

    model = SteeringDecision
    serializer_class = SteeringDecisionSerializer

    def scoped_queryset(self) -> QuerySet[Any]:
        from hyrkoll.ordering.models import Need

        return (
            self.visible(SteeringDecision)
            .select_related("region")
            .prefetch_related(
                Prefetch("needs", queryset=self.visible(Need).only("pk")),
                Prefetch("plans", queryset=self.visible(ActionPlan).only("pk")),
            )
            .order_by("region__code", "-decided_on", "-pk")
        )

    def filter_list(self, queryset: QuerySet[Any]) -> QuerySet[Any]:
        region = query_str(self.request, "region")
        return queryset.filter(region__code=region) if region else queryset
