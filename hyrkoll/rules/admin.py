from django.contrib import admin

from hyrkoll.audit.admin_mixins import AuditedModelAdmin
from hyrkoll.rules.models import RegionRule


@admin.register(RegionRule)
class RegionRuleAdmin(AuditedModelAdmin):
    list_display = ["name", "region", "kind", "decision_level", "valid_from", "valid_to"]
    list_filter = ["region", "kind", "decision_level"]
    search_fields = ["name", "note"]
    date_hierarchy = "valid_from"
    raw_id_fields = ["org_unit", "replaces"]
