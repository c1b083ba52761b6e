from django.contrib import admin

from hyrkoll.audit.admin_mixins import AuditedModelAdmin
from hyrkoll.organisation.models import CareArea, Municipality, OrgUnit, Region


@admin.register(Region)
class RegionAdmin(AuditedModelAdmin):
    list_display = ["code", "name"]
    search_fields = ["code", "name"]


@admin.register(Municipality)
class MunicipalityAdmin(AuditedModelAdmin):
    list_display = ["code", "name", "region", "zone", "zone_source"]
    list_filter = ["zone", "zone_source", "region"]
    search_fields = ["code", "name"]


@admin.register(CareArea)
class CareAreaAdmin(AuditedModelAdmin):
    list_display = ["code", "name"]


@admin.register(OrgUnit)
class OrgUnitAdmin(AuditedModelAdmin):
    list_display = ["code", "name", "kind", "region", "municipality", "care_area", "is_active"]
    list_filter = ["kind", "care_area", "region", "is_active"]
    search_fields = ["code", "name"]
    autocomplete_fields = ["parent", "municipality"]
