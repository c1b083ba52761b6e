from django.contrib import admin

from hyrkoll.audit.admin_mixins import AuditedModelAdmin
from hyrkoll.governance.models import ActionPlan, Measure, PlanMeasure, SteeringDecision, SubGoal


@admin.register(Measure)
class MeasureAdmin(AuditedModelAdmin):
    list_display = ["name", "heading", "reported_as_working", "is_active"]
    list_filter = ["heading", "reported_as_working", "is_active"]
    search_fields = ["name", "description"]


class PlanMeasureInline(admin.TabularInline):
    model = PlanMeasure
    extra = 0
    raw_id_fields = ["org_unit"]


@admin.register(ActionPlan)
class ActionPlanAdmin(AuditedModelAdmin):
    list_display = ["name", "region", "starts_on", "adopted_by", "adopted_on"]
    list_filter = ["region"]
    search_fields = ["name"]
    inlines = [PlanMeasureInline]


class SubGoalInline(admin.TabularInline):
    model = SubGoal
    extra = 0


@admin.register(PlanMeasure)
class PlanMeasureAdmin(AuditedModelAdmin):
    list_display = ["measure", "plan", "owner", "status", "effect"]
    list_filter = ["plan__region", "status", "effect", "measure__heading"]
    raw_id_fields = ["org_unit"]
    inlines = [SubGoalInline]


@admin.register(SteeringDecision)
class SteeringDecisionAdmin(AuditedModelAdmin):
    list_display = ["region", "decided_on", "follow_up_on", "recorded_by"]
    list_filter = ["region"]
    search_fields = ["decision", "basis"]
    date_hierarchy = "decided_on"
    raw_id_fields = ["needs", "plans", "recorded_by"]
