from django.contrib import admin

from hyrkoll.assignments.models import (
    Assignment,
    AssignmentEvent,
    AssignmentPeriod,
    TimeReport,
    TimeReportDay,
)


class PeriodInline(admin.TabularInline):
    model = AssignmentPeriod
    extra = 0
    readonly_fields = ["kind", "starts_on", "ends_on", "price_list", "hourly_price_sek", "hlr_trained_on"]


class EventInline(admin.TabularInline):
    model = AssignmentEvent
    extra = 0
    readonly_fields = ["kind", "at", "actor", "reason", "data"]


@admin.register(Assignment)
class AssignmentAdmin(admin.ModelAdmin):
    list_display = ["pk", "consultant", "supplier", "unit", "starts_on", "ends_on", "status"]
    list_filter = ["status", "region"]
    readonly_fields = [f.name for f in Assignment._meta.fields]
    inlines = [PeriodInline, EventInline]


class DayInline(admin.TabularInline):
    model = TimeReportDay
    extra = 0


@admin.register(TimeReport)
class TimeReportAdmin(admin.ModelAdmin):
    list_display = ["assignment", "week", "status", "outside_period", "above_extent"]
    list_filter = ["status"]
    inlines = [DayInline]
